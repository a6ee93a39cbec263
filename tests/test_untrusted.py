"""Untrusted files: TOML and CSV are read as data only, their sizes are bounded, and an id read
from a file (a household member, a batch row) cannot steer an output outside its folder."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mealplan.catalog import MAX_FOODS_FILE_BYTES, load_foods
from mealplan.cli import app
from mealplan.errors import DataError, InputError
from mealplan.options import MAX_PROFILE_BYTES, load_profile
from mealplan.output import MAX_ID_CHARS, safe_file_name, safe_output_path
from mealplan.prices import MAX_PRICES_BYTES, load_prices

PACKAGE = Path(__file__).resolve().parents[1] / "mealplan"
SOURCES = sorted(PACKAGE.rglob("*.py"))
runner = CliRunner()

# ----------------------------------------------------------------------------- no code execution

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "yaml", "jsonpickle"}


def test_the_package_has_sources() -> None:
    assert len(SOURCES) > 10


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_eval_exec_or_pickle_in_the_package(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\b(eval|exec)\s*\(", text), f"{path.name}: eval( or exec( in the text"
    # The module, not the food: "pickle relish" and pickled herring are USDA foods (kinds.py).
    assert not re.search(r"\b(c?pickle|marshal|shelve)\.", text), f"{path.name}: uses pickle"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno}: calls {node.func.id}()"
        if isinstance(node, ast.Import):
            names = {alias.name.split(".")[0] for alias in node.names}
            assert not names & FORBIDDEN_MODULES, f"{path.name}:{node.lineno}: imports {names & FORBIDDEN_MODULES}"
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in FORBIDDEN_MODULES, f"{path.name}:{node.lineno}: {node.module}"
        if isinstance(node, ast.keyword) and node.arg == "shell":
            assert isinstance(node.value, ast.Constant) and node.value.value is False, f"{path.name}: shell=True"


CODE = "__import__('os').system('touch pwned')"


def test_code_in_a_profile_is_only_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profile.toml").write_text(f'name = "{CODE}"\nage = 30\nsex = "female"\n', encoding="utf-8")
    result = runner.invoke(app, ["targets", "--profile", "profile.toml"])
    assert result.exit_code == 0, result.output
    assert f"Daily targets for {CODE}, a 30-year-old female:" in result.stdout
    assert not (tmp_path / "pwned").exists()


def test_code_in_a_foods_file_is_only_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pool = (PACKAGE.parent / "data" / "pool.csv").read_text(encoding="utf-8").splitlines()
    header, first = pool[0], pool[1].split(",", 2)
    row = ",".join([first[0], f'"{CODE}"', first[2]])
    (tmp_path / "foods.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = runner.invoke(app, ["foods", "--foods", "foods.csv"])
    assert result.exit_code == 0, result.output
    assert CODE[:24] in result.stdout
    assert not (tmp_path / "pwned").exists()


def test_code_in_a_prices_file_is_only_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prices.csv").write_text(f'food,price_per_100g\n"{CODE}",1\noats,"{CODE}"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_prices(Path("prices.csv"), load_foods())
    lines = str(info.value).splitlines()
    assert lines[0] == "prices.csv: 2 problems; fix each of these lines:"
    assert lines[2] == f"prices.csv:3:price_per_100g: {CODE!r} is not a number"
    assert not (tmp_path / "pwned").exists()


# ----------------------------------------------------------------------------- bounded sizes


def test_a_profile_at_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    head = 'age = 30\nsex = "female"\n'
    path = tmp_path / "profile.toml"
    path.write_text(head + "#" * (MAX_PROFILE_BYTES - len(head) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_PROFILE_BYTES
    assert load_profile(path)["age"] == 30
    path.write_text(head + "#" * (MAX_PROFILE_BYTES - len(head)) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"is larger than 1,000,000 bytes; is it the right file\?$"):
        load_profile(path)


def test_a_foods_file_at_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    pool = (PACKAGE.parent / "data" / "pool.csv").read_text(encoding="utf-8")
    path = tmp_path / "foods.csv"
    path.write_text(pool + "\n" * (MAX_FOODS_FILE_BYTES - len(pool.encode("utf-8"))), encoding="utf-8")
    assert path.stat().st_size == MAX_FOODS_FILE_BYTES
    assert len(load_foods(path)) == len(load_foods())
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(DataError, match=r"is larger than 5,000,000 bytes"):
        load_foods(path)


def test_a_prices_file_at_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    text = "food,price_per_100g\noats,0.4\n"
    path = tmp_path / "prices.csv"
    padding = MAX_PRICES_BYTES - len(text)
    path.write_text(text + ("#" * 99 + "\n") * (padding // 100) + "#" * (padding % 100 - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_PRICES_BYTES
    assert len(load_prices(path, load_foods())) == 1
    with path.open("a", encoding="utf-8") as fh:
        fh.write("#")
    with pytest.raises(DataError, match=r"is larger than 1,000,000 bytes; is it the right file\?$"):
        load_prices(path, load_foods())


# ----------------------------------------------------------------------------- safe file names


@pytest.mark.parametrize(
    ("untrusted", "expected"),
    [
        ("ana", "ana.json"),
        ("Ana-2_b.v1", "Ana-2_b.v1.json"),
        ("../../etc/passwd", "etc_passwd-"),
        ("/etc/passwd", "etc_passwd-"),
        ("..", "unnamed-"),
        (".", "unnamed-"),
        ("", "unnamed-"),
        (".hidden", "hidden-"),
        ("a\x00b", "a_b-"),
        ("a/b\\c", "a_b_c-"),
        ("José", "Jos-"),
        ("-rf", "rf-"),
        ("CON", "_CON-"),
        ("nul.txt", "_nul.txt-"),
        ("x" * 1000, "x" * MAX_ID_CHARS + "-"),
    ],
)
def test_untrusted_ids_become_names_inside_the_folder(tmp_path: Path, untrusted: str, expected: str) -> None:
    name = safe_file_name(untrusted, ".json")
    if expected.endswith(".json"):
        assert name == expected, "a plain id is kept as it is"
    else:
        assert re.fullmatch(re.escape(expected) + r"[0-9a-f]{8}\.json", name), name
    path = safe_output_path(tmp_path, untrusted, ".json")
    assert path.parent == tmp_path and path.name == name
    path.write_text("ok", encoding="utf-8")
    assert path.resolve().parent == tmp_path.resolve()


SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_id_gives_one_plain_name_and_different_ids_different_names(first: str, second: str) -> None:
    folder = Path("/out")
    for untrusted in (first, second):
        name = safe_file_name(untrusted, ".csv")
        assert SAFE_NAME.fullmatch(name), name
        assert len(name.encode("utf-8")) <= 255
        assert os.path.normpath(folder / name) == str(folder / name)
        assert (folder / name).parent == folder
    if first != second:
        assert safe_file_name(first) != safe_file_name(second)

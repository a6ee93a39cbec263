"""Every case of tests/bad_inputs/ run through the CLI: exit code and first message line pinned,
no traceback, nothing on stdout. See tests/bad_inputs/README.md for the case format."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from mealplan.cli import app, usage_message

REPO = Path(__file__).resolve().parents[1]
CASES_DIR = Path(__file__).parent / "bad_inputs"
CASE_KEYS = {
    "what", "kind", "args", "exit", "first_line", "contains", "subprocess", "requires_command",
    "files", "files_hex", "files_base64", "generated", "dirs",
}  # fmt: skip
KINDS = {
    "wrong type", "out of range", "missing value", "unknown name", "unknown key or option", "contradictory options",
    "empty file", "binary garbage", "huge number", "non-UTF-8 text", "NaN or infinity", "malformed file",
    "duplicate", "blank magnesium", "size limit", "path problem",
}  # fmt: skip
MIN_CASES = 60


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    kind: str
    args: list[str]
    exit: int
    first_line: str
    contains: list[str] = field(default_factory=list)
    subprocess: bool = False
    requires_command: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def write_files(self, folder: Path) -> None:
        """Create the case's files and folders in ``folder`` (the working directory of the run)."""
        for name in self.data.get("dirs", []):
            (folder / name).mkdir(parents=True)
        for name, text in self.data.get("files", {}).items():
            _target(folder, name).write_text(text, encoding="utf-8", newline="")
        for name, hex_text in self.data.get("files_hex", {}).items():
            _target(folder, name).write_bytes(bytes.fromhex("".join(hex_text.split())))
        for name, b64 in self.data.get("files_base64", {}).items():
            _target(folder, name).write_bytes(base64.b64decode(b64))
        for spec in self.data.get("generated", []):
            text = spec.get("head", "") + spec["repeat"] * spec["times"] + spec.get("tail", "")
            _target(folder, spec["path"]).write_text(text, encoding="utf-8", newline="")


def _target(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def load_case(path: Path) -> Case:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    assert data.get("kind") in KINDS, f"{path.name}: kind {data.get('kind')!r} is not one of {sorted(KINDS)}"
    for key in ("what", "args", "exit", "first_line"):
        assert key in data, f"{path.name}: missing {key!r}"
    assert data["first_line"].startswith("Error: "), f"{path.name}: first_line must start with 'Error: '"
    return Case(
        name=path.stem, what=data["what"], kind=data["kind"], args=list(data["args"]), exit=int(data["exit"]),
        first_line=data["first_line"], contains=list(data.get("contains", [])),
        subprocess=bool(data.get("subprocess", False)), requires_command=data.get("requires_command"), data=data,
    )  # fmt: skip


CASES = [load_case(p) for p in sorted(CASES_DIR.glob("*.toml"))]


def message_lines(stderr: str) -> list[str]:
    """stderr's lines, without the 'Usage: …' / 'Try …' preamble Click prints before its own
    usage errors (the message that follows is what we pin)."""
    lines = stderr.splitlines()
    if lines and lines[0].startswith("Usage: "):
        lines = lines[1:]
        if lines and lines[0].startswith("Try "):
            lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
        if lines and lines[0].startswith("Error: "):  # as the console command (cli.main) words it
            lines[0] = "Error: " + usage_message(lines[0].removeprefix("Error: "))
    return lines


def skip_unless_command_exists(case: Case) -> None:
    if case.requires_command and case.requires_command not in get_command(app).commands:  # type: ignore[attr-defined]
        pytest.skip(f"`mealplan {case.requires_command}` does not exist on this branch yet")


def check(case: Case, code: int, stdout: str, stderr: str) -> None:
    shown = f"exit {code}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    assert "Traceback" not in stdout + stderr, shown
    assert code == case.exit, shown
    assert stdout == "", f"a refused run printed to stdout\n{shown}"
    lines = message_lines(stderr)
    assert lines, shown
    assert lines[0] == case.first_line, shown
    for text in case.contains:
        assert text in stderr, f"{text!r} missing\n{shown}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_command_exists(case)
    case.write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, case.args)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    check(case, result.exit_code, result.stdout, result.stderr)


SUBPROCESS_CASES = [c for c in CASES if c.subprocess]


@pytest.mark.parametrize("case", SUBPROCESS_CASES, ids=[c.name for c in SUBPROCESS_CASES])
def test_bad_input_in_a_real_process(case: Case, tmp_path: Path) -> None:
    skip_unless_command_exists(case)
    case.write_files(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "mealplan", *case.args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    check(case, done.returncode, done.stdout, done.stderr)


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= MIN_CASES
    kinds = Counter(c.kind for c in CASES)
    assert set(kinds) == KINDS, f"kinds without a case: {sorted(KINDS - set(kinds))}"
    assert len({c.first_line for c in CASES}) > len(CASES) * 0.9, "cases should not repeat one message"
    assert 5 <= len(SUBPROCESS_CASES) <= 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["day", "--profile", "{big}"], "profile file {big} is larger than 1,000,000 bytes; is it the right file?"),
        (["household", "{big}"], "household file {big} is larger than 1,000,000 bytes; is it the right file?"),
        (["day", "--age", "34", "--sex", "female", "--prices", "{big}", "--budget", "5"],
         "prices file {big} is larger than 1,000,000 bytes; is it the right file?"),
        (["day", "--age", "34", "--sex", "female", "--foods", "{big}"],
         "foods file {big} is larger than 5,000,000 bytes; is it the right file? keep only the foods you plan with"),
        (["batch", "{big}", "--out", "{out}"], "{big} is larger than 200,000,000 bytes; split the batch"),
    ],
)  # fmt: skip
def test_a_huge_input_is_refused_without_reading_it_whole(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: --profile /dev/zero read until the machine ran out of memory, since the size was
    checked after reading. A sparse file far over every limit must be refused from its first
    bytes: reading it whole is made to fail here."""
    big = tmp_path / ("big.csv" if "batch" in args else "big.toml")
    with big.open("wb") as fh:
        fh.truncate(200_000_010)

    def whole(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", whole)
    filled = [a.format(big=big, out=tmp_path / "out") for a in args]
    result = CliRunner().invoke(app, filled)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message.format(big=big)}\n"


def _closed_stdout() -> None:
    os.close(1)


def test_a_closed_standard_output_is_not_needed_for_a_file_and_refused_for_the_plan(tmp_path: Path) -> None:
    """QA, `mealplan week … --output w.json >&-`: HiGHS's banner muting flushed a stdout that
    Python had set to None (exit 1, 'unexpected failure'), and `mealplan day … >&-` exited 0
    with the plan lost."""
    out = tmp_path / "w.json"
    base = [sys.executable, "-m", "mealplan"]
    done = subprocess.run([*base, "day", "--age", "34", "--sex", "female", "--solver", "highs", "--output", str(out)],
                          preexec_fn=_closed_stdout, capture_output=False, stderr=subprocess.PIPE, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.exists() and done.stderr == f"Wrote {out} (json).\n"
    done = subprocess.run([*base, "day", "--age", "34", "--sex", "female"], preexec_fn=_closed_stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "Error: cannot write the plan to standard output (it is closed); use --output FILE\n"

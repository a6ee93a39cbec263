"""The shipped data is found from an installed wheel, from any working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"building the wheel failed: {done.stderr[-2000:]}")
    [path] = out.glob("mealplan-*.whl")
    return path


def test_wheel_contains_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("mealplan/data/pool.csv", "mealplan/data/usda/nutrients.csv", "mealplan/data/usda/foods.csv",
                     "mealplan/data/usda/portions.csv", "mealplan/data/magnesium_dri.csv",
                     "mealplan/data/energy_dga2020.csv", "mealplan/data/upper_limits.csv", "mealplan/data/SOURCE.md",
                     "mealplan/py.typed", "mealplan/schema/plan.schema.json"):  # fmt: skip
        assert expected in names
    # Every module of the source tree is in the wheel (a missing subpackage once shipped).
    for module in sorted((REPO / "mealplan").rglob("*.py")):
        assert module.relative_to(REPO).as_posix() in names, module


def test_installed_wheel_finds_its_data_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import mealplan, pathlib; from mealplan.catalog import load_foods, usda_foods;"
        "import mealplan.report.text, mealplan.report.html, mealplan.cli;"
        "assert 'site' in pathlib.Path(mealplan.__file__).parts, mealplan.__file__;"
        "print(len(load_foods()), len(usda_foods()), mealplan.plan_schema()['$id'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    pool_rows = len((REPO / "data" / "pool.csv").read_text(encoding="utf-8").splitlines()) - 1
    schema = json.loads((REPO / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
    assert done.stdout.split() == [str(pool_rows), "8789", schema["$id"]]
    # The schema ships as the documented file itself (API QA: the wheel had none).
    assert (target / "mealplan" / "schema" / "plan.schema.json").read_bytes() == (
        REPO / "docs" / "plan.schema.json"
    ).read_bytes()

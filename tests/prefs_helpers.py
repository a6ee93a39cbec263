"""Helpers shared by the preference, explanation and top-up tests: the CLI run in-process,
and the curated pool read independently of the package (plain csv, no mealplan code)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from mealplan.cli import app

REPO = Path(__file__).resolve().parents[1]
POOL_CSV = REPO / "data" / "pool.csv"
EXAMPLES = REPO / "examples" / "profiles"
# Tests solve with CBC and a time limit, so that they are deterministic and bounded.
FAST = ["--solver", "cbc", "--time-limit", "10"]
# Plans whose optimality a test does not look at may stop at a 5% gap: they are found sooner.
LOOSE = [*FAST, "--gap", "0.05"]

runner = CliRunner()


# A household whose vegan member without soy or legumes has no day under its 150 g protein
# floor: its explanation advises lowering protein (and names the member).
VEGAN_HIGH_PROTEIN_HOUSEHOLD = (
    '[household]\nname = "V"\ndays = 1\nprotein = 150\n'
    '[[members]]\nname = "Vee"\nage = 30\nsex = "female"\ncalories = 1800\ndiet = ["vegan"]\n'
    'exclude = ["soy", "legumes"]\n[[members]]\nname = "Om"\nage = 40\nsex = "male"\n'
)


def cli(*args: str) -> Any:
    """Run ``mealplan *args`` in-process; the result has exit_code, stdout, stderr, output."""
    return runner.invoke(app, list(args))


def pool_rows() -> dict[str, dict[str, str]]:
    """data/pool.csv by ndb_no, as text."""
    with POOL_CSV.open(encoding="utf-8", newline="") as fh:
        return {row["ndb_no"]: row for row in csv.DictReader(fh)}


def pool_file(folder: Path, names: Iterable[str]) -> Path:
    """The rows of data/pool.csv whose names are ``names``, as a foods file (--foods) in ``folder``."""
    wanted = set(names)
    rows = [row for row in pool_rows().values() if row["name"] in wanted]
    path = folder / "foods.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def tags(row: dict[str, str], column: str) -> set[str]:
    return {t.strip() for t in row[column].split(";") if t.strip()}


def plan_json(*args: str, solve: tuple[str, ...] = tuple(LOOSE)) -> dict[str, Any]:
    """The JSON of a plan, asserting the command succeeded."""
    result = cli(*args, "--format", "json", *solve)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def ndb_nos(data: Any) -> set[str]:
    """Every ndb_no anywhere in a JSON document (items, shopping list, request…)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "ndb_no" and isinstance(value, str):
                found.add(value)
            else:
                found |= ndb_nos(value)
    elif isinstance(data, list):
        for value in data:
            found |= ndb_nos(value)
    return found


def planned_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        item for member in data["members"] for day in member["days"] for meal in day["meals"] for item in meal["items"]
    ]

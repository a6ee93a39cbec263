from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _read(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return {row["ndb_no"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="session")
def usda_nutrients() -> dict[str, dict[str, str]]:
    """data/usda/nutrients.csv read with nothing but csv: the independent source of truth."""
    return _read(REPO / "data" / "usda" / "nutrients.csv")


@pytest.fixture(scope="session")
def pool_rows() -> dict[str, dict[str, str]]:
    """data/pool.csv read with nothing but csv (serving grams, slots, caps, tags)."""
    return _read(REPO / "data" / "pool.csv")


@pytest.fixture(scope="session")
def family_shared() -> object:
    """examples/households/family-of-four.toml planned with shared meals over 2 days (CBC, gap
    0.1), once for the session: test_household.py reads it as JSON, test_shared_menu.py as a
    Plan (the one plan took ~11 s in each module)."""
    from mealplan.household import load_household, plan_household

    family = REPO / "examples" / "households" / "family-of-four.toml"
    return plan_household(load_household(family, {"days": 2, "solver": "cbc", "gap": 0.1, "time_limit": 60}),
                          shared_meals=True)  # fmt: skip


# An explanation's checks stop at node limits, and share a deadline of wall-clock time
# (explain.EXPLAIN_MIN_S at least) as a safety net, which a loaded machine could still reach
# (coverage QA: three tests failed so at a load of 4–6 on 2 cores, when each check had a few
# seconds of its own). In-process tests get a deadline no machine reaches; a test of the
# deadline sets its own.
TEST_EXPLAIN_MIN_S = 600.0


@pytest.fixture(autouse=True)
def _explanations_unhurried(monkeypatch: pytest.MonkeyPatch) -> None:
    import mealplan.explain

    monkeypatch.setattr(mealplan.explain, "EXPLAIN_MIN_S", TEST_EXPLAIN_MIN_S)

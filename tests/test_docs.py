"""The README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from mealplan.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_two_commands_and_ci_runs_the_test_one_exactly() -> None:
    plan_command, test_command = readme_commands()
    assert "mealplan week" in plan_command
    assert "pytest" in test_command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def test_every_command_is_in_the_readme() -> None:
    root = get_command(app)
    for name in getattr(root, "commands", {}):
        assert f"mealplan {name}" in README, f"`mealplan {name}` is not documented in README.md"


DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((REPO / "docs").glob("*.md"))}


def test_the_docs_stand_alone() -> None:
    """No pointer to a product document or an issue tracker that is not in the repository."""
    for name, text in {"README.md": README, **DOCS}.items():
        assert "PRODUCT.md" not in text, f"{name} points to PRODUCT.md"
        assert not re.search(r"\bissues? \d", text), f"{name} points to an issue by number"


def test_the_readme_gives_the_solver_s_defaults() -> None:
    from mealplan.solver import (
        DEFAULT_GAP,
        DEFAULT_SOLVER,
        DEFAULT_TIME_LIMIT_S,
        ONE_DAY_GAP,
        SHARED_DEFAULT_SOLVER,
        TOPUP_DEFAULT_SOLVER,
    )

    text = " ".join(README.split())
    assert (f"`--solver highs|cbc` (default {DEFAULT_SOLVER}, except for a household's shared menu: "
            f"{SHARED_DEFAULT_SOLVER}, and for a top-up: {TOPUP_DEFAULT_SOLVER};") in text  # fmt: skip
    assert (f"`--gap` (default {ONE_DAY_GAP:g}, proven optimal, for one day, a top-up's too; {DEFAULT_GAP:.0%} for "
            "longer plans and top-ups)") in text  # fmt: skip
    assert f"`--time-limit` (default {DEFAULT_TIME_LIMIT_S:g} s)" in text
    assert "default 2%)" not in text  # the old claim, true only of plans longer than a day
    assert "`mealplan --version`" in text


def test_the_readme_lists_every_profile_key() -> None:
    from mealplan.options import KEYS

    table = README.split("### Profile files", 1)[1].split("\n### ", 1)[0]
    for key in KEYS:
        assert f"`{key}`" in table, f"profile key {key!r} is not in the README's table"


def test_the_json_page_lists_every_item_field_and_the_shopping_order() -> None:
    import json

    from mealplan.catalog import CATEGORIES

    schema = json.loads((REPO / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
    items = DOCS["json.md"].split("An **item**", 1)[1].split("\n## ", 1)[0]
    for field in schema["$defs"]["item"]["properties"]:
        assert f"`{field}`" in items, f"item field {field!r} is not in docs/json.md"
    assert ", ".join(CATEGORIES) in " ".join(DOCS["json.md"].split())


def test_every_purchase_unit_is_in_the_schema_and_the_json_page() -> None:
    """QA: tofu's "block" and eggs' "half dozen" were emitted but documented nowhere."""
    import json

    from mealplan.shopping import PURCHASE_UNITS

    schema = json.loads((REPO / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
    units = [d["properties"]["purchase_unit"]["enum"] for d in schema["$defs"].values()
             if "purchase_unit" in d.get("properties", {})]  # fmt: skip
    assert units and all(sorted(u) == sorted(PURCHASE_UNITS) for u in units)
    for unit in PURCHASE_UNITS:
        assert f"`{unit}`" in DOCS["json.md"], unit


def test_reliability_counts_the_bad_input_corpus_as_it_is() -> None:
    """docs/reliability.md gives the number of bad-input cases and a count by kind; QA found
    both behind the corpus (166 cases against 170), so they are checked against it."""
    from collections import Counter

    text = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    cases = sorted((REPO / "tests" / "bad_inputs").glob("*.toml"))
    assert f"| {len(cases)} cases, all exit 2 |" in text
    kinds = Counter(re.search(r'^kind = "(.+)"$', case.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
                    for case in cases)  # fmt: skip
    table = text.split("## Bad inputs by kind", 1)[1].split("\n## ", 1)[0]
    documented = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| ([^|(]+?)(?: \(.*\))? \| (\d+) \|$", table, re.M)}
    assert documented == dict(kinds)
    # QA: the row of cases also run as a process said 9 where its own command gave 10.
    processes = sum(bool(re.search(r"^subprocess = true$", c.read_text(encoding="utf-8"), re.M)) for c in cases)
    assert f"| … of which also run as a real `python -m mealplan` process | {processes} |" in text


def test_households_md_lists_the_summary_csv_columns_in_order() -> None:
    """QA (a batch operator): the summary's columns, a pipeline's contract, were not written
    down."""
    from mealplan.batch import SUMMARY_COLUMNS

    text = (REPO / "docs" / "households.md").read_text(encoding="utf-8")
    listed = re.findall(r"^  \| `([a-z_]+)` \| ", text, re.M)
    assert tuple(listed) == SUMMARY_COLUMNS

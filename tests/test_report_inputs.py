"""Every printed plan states the inputs it was asked with ("Asked with: …"), read from the
plan's request record, so that a reader of the table, Markdown or HTML can reproduce it.

Found in QA (an auditor): a plan asked with --seed 3 --min-foods 8 --max-days-per-food 1
--kcal-tolerance 0.1 --no-fiber said none of them outside JSON.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mealplan.cli import app
from mealplan.household import household_from_data, plan_household
from mealplan.model import Variety
from mealplan.plan import Plan
from mealplan.planner import plan_week
from mealplan.preferences import Preferences
from mealplan.report import render
from mealplan.solver import SolveOptions
from mealplan.targets import Balance, Profile
from mealplan.topup import plan_topup

FAST = SolveOptions(solver="cbc", gap=0.05, time_limit_s=30)
PRINTED = ("table", "markdown", "html")
runner = CliRunner()


def asked_lines(plan: Plan, fmt: str) -> list[str]:
    """The plan's "Asked with" line and the lines under it, as plain text, from ``fmt``."""
    text = render(plan, fmt)
    if fmt == "table":
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Asked with: "))
        end = start + 1
        while end < len(lines) and lines[end].startswith("  "):
            end += 1
        return [lines[start], *(line.strip() for line in lines[start + 1 : end])]
    if fmt == "markdown":
        lines = text.splitlines()
        start = lines.index(next(line for line in lines if line.startswith("- Asked with: ")))
        out = [lines[start].removeprefix("- ")]
        out += [line.removeprefix("  - ") for line in lines[start + 1:] if line.startswith("  - ")]  # fmt: skip
        return [html.unescape(re.sub(r"\\(.)", r"\1", line)) for line in out]
    footer = text.split("<footer>", 1)[1]
    match = re.search(r"<li>(Asked with: [^<]*)(?:<ul>(.*?)</ul>)?</li>", footer)
    assert match is not None, footer
    parts = re.findall(r"<li>([^<]*)</li>", match.group(2) or "")
    return [html.unescape(line) for line in (match.group(1), *parts)]


@pytest.fixture(scope="module")
def asked() -> Plan:
    """Every input changed from its default: seed, gap, time limit, variety, energy window, a
    balance switch, a diet and an exclusion."""
    return plan_week(
        Profile(34, "female"), days=2, seed=3,
        variety=Variety(min_foods_per_day=8, max_days_per_food=1),
        balance=Balance(fiber=False, kcal_tolerance=0.1),
        preferences=Preferences(diets=("vegan",), exclude=("peanuts",)),
        solve_options=FAST,
    )  # fmt: skip


ASKED = ("Asked with: 34-year-old female, moderate activity; 2 days, magnesium every day, seed 3; solver cbc, gap 5%, "
         "time limit 30 s; at least 8 foods and 4 categories a day, a food on at most 1 day; energy ±10%; "
         "macronutrient ranges, sodium limit and upper limits on; fiber target off; diet vegan; excluding peanuts")


@pytest.mark.parametrize("fmt", PRINTED)
def test_a_printed_plan_states_every_input_it_was_asked_with(asked: Plan, fmt: str) -> None:
    assert asked_lines(asked, fmt) == [ASKED]


def test_the_line_sits_with_the_solver_and_data_lines(asked: Plan) -> None:
    table = render(asked, "table").splitlines()
    data = next(i for i, line in enumerate(table) if line.startswith("Data: "))
    assert table[data + 1] == ASKED
    markdown = render(asked, "markdown").split("## How this plan was made", 1)[1]
    assert f"- {ASKED}" in markdown
    footer = render(asked, "html").split("<footer><h2>How this plan was made</h2>", 1)[1]
    assert f"<li>{html.escape(ASKED)}</li>" in footer


def test_the_auditors_command_shows_its_seed_min_foods_and_max_days() -> None:
    result = runner.invoke(app, ["week", "--age", "34", "--sex", "female", "--days", "2", "--seed", "3",
                                 "--min-foods", "8", "--max-days-per-food", "1", "--kcal-tolerance", "0.1",
                                 "--no-fiber", "--gap", "0.05", "--solver", "cbc", "--format", "markdown"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ("- Asked with: 34-year-old female, moderate activity; 2 days, magnesium every day, seed 3; solver cbc, "
            "gap 5%, time limit 20 s; at least 8 foods and 4 categories a day, a food on at most 1 day; energy ±10%; "
            "macronutrient ranges, sodium limit and upper limits on; fiber target off\n") in result.stdout


def test_defaults_are_stated_too_so_that_another_version_can_reproduce_the_plan() -> None:
    plan = plan_week(Profile(40, "male", calories=2400), days=2, solve_options=SolveOptions(solver="cbc", gap=0.05))
    assert asked_lines(plan, "table") == [
        "Asked with: 40-year-old male, 2,400 kcal a day; 2 days, magnesium every day, seed 0; solver cbc, gap 5%, "
        "time limit 20 s; at least 7 foods and 4 categories a day, a food on at most 2 days (the default); "
        "energy ±5%; macronutrient ranges, fiber target, sodium limit and upper limits on"
    ]


@pytest.mark.parametrize(("activity", "said"), [("active", "active"), ("sedentary", "sedentary"),
                                              ("moderate", "moderate activity")])  # fmt: skip
def test_the_name_and_activity_are_stated(activity: str, said: str) -> None:
    """Fresh-eyes QA: --name was only in the title, and an active person read "active activity"."""
    plan = plan_week(Profile(30, "male", activity=activity, name="Zoe"), days=1, solve_options=FAST)
    (line,) = asked_lines(plan, "table")
    assert line.startswith(f"Asked with: Zoe, 30-year-old male, {said}; 1 day, seed 0;")


def test_the_other_wishes_are_stated_as_asked() -> None:
    plan = plan_week(
        Profile(30, "female", pregnant=True, trimester=2), days=2, weekly_average=True,
        balance=Balance(protein_g=80, macros=False),
        preferences=Preferences(require={"oats": None}, like={"salmon": 2.0}, dislike={"sardines": 1.5},
                                max_servings={"nuts": 1.0}),
        solve_options=FAST,
    )  # fmt: skip
    (line,) = asked_lines(plan, "markdown")
    assert line.startswith("Asked with: 30-year-old female, pregnant (trimester 2), moderate activity; 2 days, "
                           "magnesium on average over the days, seed 0;")  # fmt: skip
    assert line.endswith("energy ±5%; protein ≥ 80 g a day; fiber target, sodium limit and upper limits on; "
                         "macronutrient ranges off; requiring oats every day; liking salmon (weight 2); disliking "
                         "sardines (weight 1.5); at most 1 serving a day of nuts")  # fmt: skip


# A household's file: its own wishes and settings, and each member's (Leo's balance is his own).
HOUSEHOLD = {
    "household": {"name": "Test home", "days": 1, "seed": 2, "solver": "cbc", "gap": 0.05, "time_limit": 30,
                  "exclude": ["peanuts"], "min_foods_per_day": 6},
    "members": [
        {"name": "Ana", "age": 41, "sex": "female", "calories": 1900, "exclude": ["milk"], "like": ["salmon=2"]},
        {"name": "Leo", "age": 30, "sex": "male", "diet": "vegetarian", "fiber": False},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def shared() -> Plan:
    return plan_household(household_from_data(HOUSEHOLD, "test"), shared_meals=True)


@pytest.mark.parametrize("fmt", PRINTED)
def test_a_household_states_its_mode_settings_and_each_members_wishes(shared: Plan, fmt: str) -> None:
    assert asked_lines(shared, fmt) == [
        "Asked with: shared meals; 1 day, seed 2; solver cbc, gap 5%, time limit 30 s; at least "
        "6 foods and 4 categories a day",
        "whole household: excluding peanuts",
        "Ana: 41-year-old female, 1,900 kcal a day; energy ±5%; macronutrient ranges, fiber target, sodium limit and "
        "upper limits on; excluding milk; liking salmon (weight 2)",
        "Leo: 30-year-old male, moderate activity; energy ±5%; macronutrient ranges, sodium limit and upper limits "
        "on; fiber target off; diet vegetarian",
    ]


def test_a_household_of_separate_plans_says_so_and_its_common_balance_once(tmp_path: Path) -> None:
    file = tmp_path / "home.toml"
    file.write_text('[household]\nname = "Home"\ndays = 1\nkcal_tolerance = 0.08\n\n'
                    '[[members]]\nname = "Ana"\nage = 41\nsex = "female"\n\n'
                    '[[members]]\nname = "Bo"\nage = 8\nsex = "male"\ndislike = ["oats"]\n', encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, ["household", str(file), "--gap", "0.05", "--solver", "cbc", "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert ("Asked with: separate plans; 1 day, seed 4; solver cbc, gap 5%, time limit 20 s; at "
            "least 7 foods and 4 categories a day; energy ±8%; macronutrient ranges, fiber target, sodium limit and "
            "upper limits on\n  Ana: 41-year-old female, moderate activity\n"
            "  Bo: 8-year-old male, moderate activity; disliking oats (weight 4)\n") in result.stdout


def test_a_topup_states_the_usual_intake_and_allowance_and_no_balance_rules() -> None:
    topup = plan_topup(Profile(52, "female"), current_intake_mg=230, kcal_budget=300, days=2,
                       preferences=Preferences(exclude=("coffee",)), seed=1, solve_options=FAST)  # fmt: skip
    for fmt in PRINTED:
        assert asked_lines(topup.plan, fmt) == [
            "Asked with: 52-year-old female; usual intake 230 mg of magnesium a day, adding at most 300 kcal a day; "
            "2 days, seed 1; solver cbc, gap 5%, time limit 30 s; a food on at most 1 day; excluding coffee"
        ], fmt


def test_a_plan_without_a_request_record_has_no_line_and_json_is_unchanged(asked: Plan) -> None:
    import dataclasses

    bare = dataclasses.replace(asked, request={})
    for fmt in PRINTED:
        assert "Asked with" not in render(bare, fmt), fmt
    data = json.loads(render(asked, "json"))
    assert data["request"] == json.loads(json.dumps(asked.request))
    assert "Asked with" not in render(asked, "json")


def test_the_readme_sample_gives_the_line_a_default_week_prints(asked: Plan) -> None:
    """The README's sample output is of `mealplan week --age 34 --sex female`: its line is the
    one that request makes (the line reads the request alone, so nothing is solved here)."""
    import dataclasses

    from mealplan.planner import plan_inputs, request_record
    from mealplan.report.asked import asked_with

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    (sample,) = re.findall(r"^Asked with: .*$", readme, re.M)
    default_week = dataclasses.replace(asked, request=request_record(plan_inputs(Profile(34, "female"))))
    line = asked_with(default_week)
    assert line is not None and line.lines() == [sample]


def test_the_households_page_gives_the_lines_a_shared_household_prints(shared: Plan) -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "households.md").read_text(encoding="utf-8")
    table = render(shared, "table").splitlines()
    start = next(i for i, line in enumerate(table) if line.startswith("Asked with: "))
    assert "\n".join(table[start : start + 4]) + "\n```" in text


def test_foods_added_from_usda_are_recorded_and_said() -> None:
    """Audit: --add-food was said nowhere but in a '+' on the data's hash, so a printed plan
    could not be asked again."""
    args = ["day", "--age", "34", "--sex", "female", "--add-food", "12063", "--add-food", "19296", "--gap", "0.05"]
    as_json = CliRunner().invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["request"]["foods"] == "default pool + USDA 12063, 19296"
    table = CliRunner().invoke(app, args)
    assert "; foods from default pool + USDA 12063, 19296\n" in table.stdout

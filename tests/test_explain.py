"""A deliberately impossible request is explained exactly (PRODUCT.md §9).

The request: a pregnant 17-year-old (RDA 400 mg), 1,200 kcal, vegetarian, who eats no
seeds, nuts, greens, cocoa, coffee or tea, legumes, soy or vegetables, and at most one
serving of grains a day. Magnesium is plentiful in the pool, so it takes that much to
make 400 mg a day out of reach.

Checked here: the CLI exits 3 with the explanation on one line; the reported "most
magnesium reachable" equals a maximisation built in this file with PuLP from the CSV data
(not with mealplan.model); every suggested relaxation, applied on the command line,
gives a plan (exit 0).
"""

from __future__ import annotations

import csv
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pulp
import pytest

import mealplan.explain
import mealplan.planner
from mealplan.explain import Explanation, Relaxation
from tests.prefs_helpers import FAST, LOOSE, REPO, VEGAN_HIGH_PROTEIN_HOUSEHOLD, cli, pool_file, pool_rows, tags

EXCLUDED = ["seeds", "nuts", "greens", "cocoa", "beverages", "legumes", "soy", "vegetables"]
IMPOSSIBLE = [
    "--age", "17", "--sex", "female", "--pregnant", "--calories", "1200", "--diet", "vegetarian",
    *(arg for name in EXCLUDED for arg in ("--exclude", name)), "--max-servings", "grains=1",
]  # fmt: skip


@pytest.fixture(scope="module")
def explained() -> tuple[Any, Explanation]:
    return _explain(IMPOSSIBLE)


def _explain(args: list[str], command: str = "day") -> tuple[Any, Explanation]:
    """The CLI run of an impossible request, and the explanation it printed as data (caught
    on its way out of mealplan.explain, so that it is computed once)."""
    seen: list[Explanation] = []
    original = mealplan.explain.explain_infeasible

    def spy(*args: Any, **kwargs: Any) -> Explanation:
        seen.append(original(*args, **kwargs))
        return seen[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mealplan.explain, "explain_infeasible", spy)
        result = cli(command, *args, *FAST)
    assert len(seen) == 1, result.output
    return result, seen[0]


@pytest.fixture(scope="module")
def explanation(explained: tuple[Any, Explanation]) -> Explanation:
    return explained[1]


@pytest.fixture(scope="module")
def cli_result(explained: tuple[Any, Explanation]) -> Any:
    return explained[0]


def test_cli_exits_3_with_the_explanation_on_one_line(cli_result: Any, explanation: Explanation) -> None:
    assert cli_result.exit_code == 3, cli_result.output
    assert cli_result.stdout == ""
    assert cli_result.stderr == f"Error: {explanation.text()}\n"
    assert "Traceback" not in cli_result.output
    assert cli_result.stderr.count("\n") == 1


def test_the_explanation_says_what_is_reachable_what_binds_and_what_to_relax(explanation: Explanation) -> None:
    assert explanation.magnesium_target_mg == 400
    assert explanation.max_magnesium_mg is not None and explanation.max_magnesium_mg < 400
    text = explanation.text()
    assert text.startswith(
        f"no plan reaches 400 mg of magnesium a day: under your other constraints a day reaches at most "
        f"{explanation.max_magnesium_mg:.1f} mg ({400 - explanation.max_magnesium_mg:.1f} mg short)."
    )
    found = {(r.kind, r.subject, r.value, r.replacement) for r in explanation.relaxations}
    for name in EXCLUDED:
        if name in ("soy", "beverages"):
            # --exclude legumes keeps soy foods out too, and the pool's beverages are all caffeinated
            # drinks, which a pregnant 17-year-old is planned only when she asks for one: dropping
            # either exclusion alone is no way out.
            assert not any(r.subject == name for r in explanation.relaxations)
            continue
        assert ("exclude", name, None, None) in found
    assert ("max_servings", "grains", 1.5, None) in found  # the least cap that works, in half servings
    assert ("diet", "vegetarian", None, "pescatarian") in found  # the smallest step of the diet
    bound = {(b.kind, b.subject) for b in explanation.binding}
    assert ("max_servings", "grains") in bound and ("exclude", "seeds") in bound
    for r in explanation.relaxations:
        assert f"{r.text} ({r.option})" in text


def test_most_magnesium_reachable_equals_an_independent_maximisation(explanation: Explanation) -> None:
    rows = {
        n: row for n, row in pool_rows().items()
        if "vegetarian" in tags(row, "diets") and row["category"] not in EXCLUDED
    }  # fmt: skip
    expected = independent_max_magnesium(rows, kcal=1200, grain_servings=1)
    assert explanation.max_magnesium_mg == pytest.approx(expected, abs=0.01)


def test_every_suggested_relaxation_applied_gives_a_plan(explanation: Explanation) -> None:
    assert explanation.relaxations
    for relaxation in explanation.relaxations:
        result = cli("day", *applied(relaxation, IMPOSSIBLE), *LOOSE)
        assert result.exit_code == 0, (relaxation, result.output)
        assert re.search(r"Checked: (\d+) of \1 targets met", result.stdout), result.stdout


# The same person at 1,200 kcal with her own small foods file (--foods, the columns of
# data/pool.csv): more calories are the way out, and the least on the 50-kcal grid is
# checked both ways.
SMALL_POOL = ["oats", "brown rice", "white rice", "banana", "apple", "orange", "milk", "yogurt", "swiss cheese",
              "eggs", "chicken breast", "salmon", "potato", "carrots", "tomato", "lentils"]  # fmt: skip


def test_raising_calories_is_suggested_at_the_least_that_works(tmp_path: Path) -> None:
    rows = {n: row for n, row in pool_rows().items() if row["name"] in SMALL_POOL}
    foods = pool_file(tmp_path, SMALL_POOL)
    args = ["--age", "17", "--sex", "female", "--pregnant", "--calories", "1200", "--foods", str(foods)]
    (result, explanation) = _explain(args)
    assert result.exit_code == 3, result.output
    assert explanation.max_magnesium_mg == pytest.approx(independent_max_magnesium(rows, kcal=1200), abs=0.01)
    (calories,) = [r for r in explanation.relaxations if r.kind == "calories"]
    assert calories.value is not None and calories.value % 50 == 0 and calories.value > 1200
    assert f"raise calories to {calories.value:,.0f} kcal a day (--calories {calories.value:g})" in explanation.text()
    assert independent_max_magnesium(rows, kcal=calories.value - 50) < 400  # the least: 50 kcal less is short
    fixed = cli("day", *applied(calories, args), *LOOSE)  # and at the value itself, a plan
    assert fixed.exit_code == 0, fixed.output


def test_a_calorie_target_too_high_to_fill_is_lowered_to_the_most_that_works() -> None:
    """At 5,000 kcal no day fits the meal rules: the explanation names the calorie target and
    the highest target below it that plans, rather than 'relax several options'. (With the
    upper intake levels, days of 4,000 kcal and more are hard for both solvers, and the
    search for the most calories then depends on the machine's speed: they are off here.)"""
    args = ["--age", "30", "--sex", "female", "--calories", "5000"]
    (result, explanation) = _explain([*args, "--no-upper-limits"])
    assert result.exit_code == 3, result.output
    (calories,) = [r for r in explanation.relaxations if r.kind == "calories"]
    step = mealplan.explain.KCAL_STEP
    assert calories.value is not None and calories.value < 5000 and calories.value % step == 0
    # QA: an athlete asking 6,000 kcal was told the most was "only with a clinician's advice".
    assert (f"lower calories to {calories.value:,.0f} kcal a day, the most that plans with everything else as "
            f"asked; eat the other {5000 - calories.value:,.0f} kcal as food the plan leaves out (--calories "
            f"{calories.value:g})") in explanation.text()  # fmt: skip
    assert "clinician" not in explanation.text()
    assert cli("day", *applied(calories, args), "--no-upper-limits", *LOOSE).exit_code == 0  # at the value, a plan
    above = cli("day", "--age", "30", "--sex", "female", "--calories", f"{calories.value + step:g}",
                "--no-upper-limits", *LOOSE)  # fmt: skip
    assert above.exit_code == 3, above.output  # the most: one step more has none


def applied(r: Relaxation, args: list[str]) -> list[str]:
    """``args`` with the relaxation ``r`` made, as a user would type it."""
    pairs = list(zip(args[::2], args[1::2], strict=False))
    if "--pregnant" in args:  # the one flag without a value
        i = args.index("--pregnant")
        pairs = list(zip(args[:i:2], args[1:i:2], strict=True)) + [("--pregnant", "")]
        rest = args[i + 1 :]
        pairs += list(zip(rest[::2], rest[1::2], strict=True))
    if r.kind == "exclude":
        pairs.remove(("--exclude", r.subject))
    elif r.kind == "diet":
        pairs.remove(("--diet", r.subject))
        if r.replacement:
            pairs.append(("--diet", r.replacement))
    elif r.kind == "max_servings":
        pairs = [p for p in pairs if not (p[0] == "--max-servings" and p[1].startswith(f"{r.subject}="))]
        pairs.append(("--max-servings", f"{r.subject}={r.value:g}"))
    elif r.kind == "calories":
        pairs = [p for p in pairs if p[0] != "--calories"] + [("--calories", f"{r.value:g}")]
    elif r.kind in ("macros", "fiber", "sodium"):
        pairs.append((f"--no-{r.kind}", ""))
    elif r.kind in ("min_foods", "min_categories"):
        pairs.append((f"--{r.kind.replace('_', '-').replace('-per-day', '')}", f"{r.value:g}"))
    else:
        raise AssertionError(f"no way to apply {r}")
    return [a for pair in pairs for a in pair if a]


# ---------------------------------------------------------------------------- independent model
# The one-day rules as PRODUCT.md and the model's documentation state them, written again
# here from the CSV data: portions in half servings, meal energy shares, foods per meal,
# one food of a category per meal (two vegetables, greens or fruit), a protein and a
# vegetable at lunch and dinner where the pool has one for that meal, 7 foods and 4
# categories a day, AMDR for ages 4–18, fiber 14 g per 1,000 kcal, sodium ≤ 2,300 mg.

MEAL_SHARE = {"breakfast": (0.15, 0.35), "lunch": (0.20, 0.40), "dinner": (0.25, 0.45), "snack": (0.05, 0.25)}
MEAL_MAX_FOODS = {"breakfast": 4, "lunch": 4, "dinner": 4, "snack": 2}
MEAL_MAX_SERVINGS = 2
MIN_SERVINGS = {"fish": 1, "poultry": 1}
PER_MEAL_OF_CATEGORY = {"vegetables": 2, "greens": 2, "fruit": 2}
PROTEIN = {"legumes", "soy", "fish", "poultry", "eggs"}
VEGETABLE = {"vegetables", "greens"}
NUTRIENTS = ["energy_kcal", "magnesium_mg", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "sodium_mg"]


def rda_pregnant_teen() -> float:
    with (REPO / "data" / "magnesium_dri.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["life_stage"] == "pregnancy" and row["age_from_y"] == "14":
                return float(row["mg_per_day"])
    raise AssertionError("no RDA row for pregnancy 14–18 y")


def independent_max_magnesium(rows: dict[str, dict[str, str]], kcal: float, grain_servings: float = 99) -> float:
    """The most magnesium one day of the pregnant 17-year-old can hold with the foods
    ``rows`` (pool.csv rows), at ``kcal`` ± 5%, with at most ``grain_servings`` of grains:
    the rules above, maximised with HiGHS to gap 0."""
    assert rda_pregnant_teen() == 400
    foods = {n: row for n, row in rows.items() if all(row[c].strip() for c in NUTRIENTS)}
    half = {n: {c: float(row[c]) * float(row["serving_grams"]) / 200 for c in NUTRIENTS} for n, row in foods.items()}
    slots = {n: [s for s in MEAL_SHARE if s in tags(row, "slots")] for n, row in foods.items()}
    cap = {n: 2 * int(row["max_servings_day"]) for n, row in foods.items()}
    prob = pulp.LpProblem("independent", pulp.LpMaximize)
    x, y = {}, {}
    for n in foods:
        for s in slots[n]:
            x[s, n] = pulp.LpVariable(f"x_{s}_{n}", 0, min(cap[n], 2 * MEAL_MAX_SERVINGS), pulp.LpInteger)
            y[s, n] = pulp.LpVariable(f"y_{s}_{n}", cat=pulp.LpBinary)
    z = {n: pulp.LpVariable(f"z_{n}", cat=pulp.LpBinary) for n in foods}

    def total(c: str, slot: str | None = None) -> Any:
        return pulp.lpSum(half[n][c] * v for (s, n), v in x.items() if slot in (None, s))

    energy = total("energy_kcal")
    for (s, n), v in x.items():
        least = 2 * MIN_SERVINGS.get(foods[n]["category"], 0) or 1
        prob += v <= min(cap[n], 2 * MEAL_MAX_SERVINGS) * y[s, n]
        prob += v >= least * y[s, n]
        prob += y[s, n] <= z[n]
    for n in foods:
        prob += z[n] <= pulp.lpSum(y[s, n] for s in slots[n])
        prob += pulp.lpSum(x[s, n] for s in slots[n]) <= cap[n] * z[n]
    prob += pulp.lpSum(v for (s, n), v in x.items() if foods[n]["category"] == "grains") <= 2 * grain_servings
    prob += energy >= kcal * 0.95
    prob += energy <= kcal * 1.05
    for c, factor, low, high in (("protein_g", 4, 0.10, 0.30), ("fat_g", 9, 0.25, 0.35),
                                 ("carbohydrate_g", 4, 0.45, 0.65)):  # fmt: skip
        prob += factor * total(c) >= low * energy
        prob += factor * total(c) <= high * energy
    prob += total("fiber_g") >= 14 / 1000 * energy
    prob += total("sodium_mg") <= 2300
    for s, (low, high) in MEAL_SHARE.items():
        prob += total("energy_kcal", s) >= low * energy
        prob += total("energy_kcal", s) <= high * energy
        on_menu = [y[s, n] for n in foods if (s, n) in y]
        prob += pulp.lpSum(on_menu) >= 1
        prob += pulp.lpSum(on_menu) <= MEAL_MAX_FOODS[s]
        for category in {row["category"] for row in foods.values()}:
            ys = [y[s, n] for n in foods if (s, n) in y and foods[n]["category"] == category]
            prob += pulp.lpSum(ys) <= PER_MEAL_OF_CATEGORY.get(category, 1)
        if s in ("lunch", "dinner"):
            for group in (PROTEIN, VEGETABLE):
                ys = [y[s, n] for n in foods if (s, n) in y and foods[n]["category"] in group]
                if ys:
                    prob += pulp.lpSum(ys) >= 1
    prob += pulp.lpSum(z.values()) >= 7
    present = []
    for category in sorted({row["category"] for row in foods.values()}):
        c = pulp.LpVariable(f"c_{category}", 0, 1)
        prob += c <= pulp.lpSum(z[n] for n in foods if foods[n]["category"] == category)
        present.append(c)
    prob += pulp.lpSum(present) >= 4
    prob += total("magnesium_mg")
    status = prob.solve(pulp.HiGHS(msg=False, gapRel=0.0))
    assert pulp.LpStatus[status] == "Optimal"
    return float(sum(half[n]["magnesium_mg"] * round(v.value()) for (_s, n), v in x.items()))


def test_rules_that_no_day_can_keep_are_named_even_without_the_magnesium_target() -> None:
    args = ["--age", "17", "--sex", "female", "--pregnant", "--calories", "1200", "--diet", "vegan",
            *(a for name in ("seeds", "tree nuts", "peanuts", "soy", "greens", "cocoa", "wheat", "beverages",
                             "legumes") for a in ("--exclude", name))]  # fmt: skip
    (result, explanation) = _explain(args)
    assert result.exit_code == 3, result.output
    assert explanation.max_magnesium_mg is None
    assert explanation.blocking  # e.g. the variety within a day, the calorie window, the macronutrient ranges
    assert explanation.text().startswith(
        "no plan exists even without the magnesium target of 400 mg a day: with the foods left, no day keeps "
    )
    assert explanation.relaxations
    first = explanation.relaxations[0]
    fixed = cli("day", *applied(first, args), *LOOSE)
    assert fixed.exit_code == 0, (first, fixed.output)


def test_rules_across_days_are_blamed_when_a_single_day_is_possible() -> None:
    args = ["--days", "3", "--max-days-per-food", "1", "--min-foods", "12", "--age", "30", "--sex", "female",
            "--diet", "vegan", *(a for name in ("seeds", "nuts", "cocoa", "beverages", "wheat")
                                 for a in ("--exclude", name))]  # fmt: skip
    (result, explanation) = _explain(args, "week")
    assert result.exit_code == 3, result.output
    assert explanation.week_rules
    assert explanation.max_magnesium_mg is not None and explanation.max_magnesium_mg >= 310
    assert explanation.text().startswith("no 3-day plan keeps every rule: a single day can reach up to ")
    # Spinach is left, raw and cooked: the rule says that its two forms count as one food.
    assert "at most 1 of the 3 days (its raw and cooked forms together) and consecutive" in explanation.text()
    relaxation = explanation.relaxations[0]
    assert (relaxation.kind, relaxation.value) == ("max_days_per_food", 2.0)
    args[args.index("--max-days-per-food") + 1] = "2"
    fixed = cli("week", *args, *LOOSE)
    assert fixed.exit_code == 0, fixed.output
    # Then the exclusions whose foods make a plan, each planned whole (QA: only more days a
    # food was offered where allowing fish also planned).
    assert len(explanation.relaxations) > 1  # review: the checks below passed on none
    assert {r.kind for r in explanation.relaxations[1:]} <= {"exclude"}
    for other in explanation.relaxations[1:]:
        assert other.option == f"drop --exclude {other.subject}"


def test_a_week_with_no_plan_at_the_users_calories_is_offered_the_highest_share_that_plans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: a vegan runner's 4,000 kcal week had no plan, and the only change offered was any
    food on every day, where 3,750 kcal planned. Calories the user gave are checked at 95, 90
    and 85 % (whole weeks, too slow for a test at 4,000 kcal: the check is faked here to plan
    at 1,800 kcal or less, and only below the 2,000 asked)."""
    real = mealplan.explain._week_feasible
    asked: list[float | None] = []

    def fake(inputs: Any, solver: Any, spec: Any = None) -> bool:
        kcal = inputs.profile.calories
        asked.append(kcal)
        return kcal <= 1800 if kcal is not None and kcal < 2000 else real(inputs, solver, spec)

    monkeypatch.setattr(mealplan.explain, "_week_feasible", fake)
    args = ["--days", "3", "--max-days-per-food", "1", "--min-foods", "12", "--age", "30", "--sex", "female",
            "--calories", "2000", "--diet", "vegan",
            *(a for name in ("seeds", "nuts", "cocoa", "beverages", "wheat") for a in ("--exclude", name))]  # fmt: skip
    (result, explanation) = _explain(args, "week")
    assert result.exit_code == 3, result.output
    assert asked[:2] == [1900, 1800]  # 95 %, then 90 %, which plans
    first, *_ = explanation.relaxations
    assert (first.kind, first.value, first.option) == ("calories", 1800, "--calories 1800")
    assert "lower calories to 1,800 kcal a day (--calories 1800)" in result.stderr


def test_a_week_with_a_protein_floor_is_offered_a_lower_one_and_not_fewer_calories(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review: a week's explanation never offered to lower a protein floor, and spent its time
    lowering calories, which only make the floor harder. The floor is checked at 95, 90 and 85 %
    (whole weeks: faked here to plan at 54 g or less, and only below the 60 g asked)."""
    real = mealplan.explain._week_feasible
    asked: list[tuple[float | None, float | None]] = []

    def fake(inputs: Any, solver: Any, spec: Any = None) -> bool:
        grams = inputs.balance.protein_g
        asked.append((grams, inputs.profile.calories))
        return grams <= 54 if grams is not None and grams < 60 else real(inputs, solver, spec)

    monkeypatch.setattr(mealplan.explain, "_week_feasible", fake)
    args = ["--days", "3", "--max-days-per-food", "1", "--min-foods", "12", "--age", "30", "--sex", "female",
            "--calories", "2000", "--protein", "60", "--diet", "vegan",
            *(a for name in ("seeds", "nuts", "cocoa", "beverages", "wheat") for a in ("--exclude", name))]  # fmt: skip
    (result, explanation) = _explain(args, "week")
    assert result.exit_code == 3, result.output
    first, *_ = explanation.relaxations
    assert (first.kind, first.value, first.option) == ("protein", 54, "--protein 54")
    assert "lower protein to 54 g a day (--protein 54)" in result.stderr
    assert all(kcal == 2000 for _grams, kcal in asked)  # calories were not lowered


# 30–50 s of solves (explanations checked by solving, then applied): run by `pytest -m slow`,
# which CI runs too, so that the default suite stays under 5 minutes on 2 cores.
@pytest.mark.slow
def test_a_budget_suggested_for_a_week_makes_that_week() -> None:
    """A week's budget suggestion is checked on the whole plan, not one day: the cheapest
    day cannot be eaten every day (a food on at most k days), so the day's budget (23 a week
    here) left no week (found in QA), and a larger one is tried on the plan."""
    args = ["--days", "3", "--age", "40", "--sex", "male", "--prices", str(REPO / "data" / "prices.csv")]
    result = cli("week", *args, "--budget", "4", *FAST)
    assert result.exit_code == 3, result.output
    suggested = re.findall(r"\(--budget (\d+)\)", result.stderr)
    assert len(suggested) == 1, result.stderr
    fixed = cli("week", *args, "--budget", suggested[0], *LOOSE)
    assert fixed.exit_code == 0, fixed.output


def test_a_suggestion_about_a_profiles_list_names_the_file(tmp_path: Path) -> None:
    """Lists add up (the command line cannot take back the file's exclusions), so "drop
    --exclude seeds" could not be followed for a file's exclusion, and "--diet vegetarian"
    only added a diet (found in QA). Such suggestions name the change to the file; a scalar
    (calories) is still a flag, which overrides the file."""
    # She asks for her coffee and tea (in pregnancy caffeinated drinks are planned only when asked).
    text = ('[person]\nage = 16\nsex = "female"\npregnant = true\ncalories = 1200\n\n[preferences]\n'
            'diet = ["vegan"]\nlike = ["coffee", "black tea"]\nexclude = [{}]\n')  # fmt: skip
    excluded = ["peanuts", "seeds", "nuts", "soy", "legumes", "cocoa", "greens"]
    path = tmp_path / "p1.toml"
    path.write_text(text.format(", ".join(f'"{e}"' for e in excluded)), encoding="utf-8")
    result = cli("day", "--profile", str(path), *FAST)
    assert result.exit_code == 3, result.output
    assert f"allow seeds (remove 'seeds' from exclude in {path})" in result.stderr
    assert f"eat vegetarian instead of vegan (change diet 'vegan' to 'vegetarian' in {path})" in result.stderr
    assert "(--calories 1050)" in result.stderr
    # Typed on the command line, an exclusion is still dropped there.
    typed = cli("day", "--profile", str(path), "--exclude", "fish", *FAST)
    assert "drop --exclude seeds" not in typed.stderr and "remove 'seeds' from exclude" in typed.stderr
    # Followed, the suggestion plans.
    path.write_text(text.format(", ".join(f'"{e}"' for e in excluded if e != "seeds")), encoding="utf-8")
    assert cli("day", "--profile", str(path), *LOOSE).exit_code == 0


def test_an_allergy_word_keeps_its_caveat_and_a_far_lower_calorie_target_is_flagged() -> None:
    """QA: "allow nuts" came without the allergy caveat of "allow tree nuts", and a man who
    needs 2,600 kcal was offered 1,000 kcal as a plain fix."""
    result = cli("day", "--age", "34", "--sex", "male", "--diet", "vegan", "--exclude", "gluten", "--exclude", "seeds",
                 "--exclude", "nuts", "--exclude", "legumes", "--exclude", "cocoa", "--exclude", "greens", *FAST)  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "allow nuts, if it is not an allergy (drop --exclude nuts)" in result.stderr
    assert "allow seeds (drop --exclude seeds)" in result.stderr  # not an allergen here
    found = re.search(r"lower calories to ([\d,]+) kcal a day, far below your 2,600 kcal: only with a clinician's "
                      r"advice \(--calories \d+\)", result.stderr)  # fmt: skip
    assert found is not None, result.stderr


# 30–50 s of solves (explanations checked by solving, then applied): run by `pytest -m slow`,
# which CI runs too, so that the default suite stays under 5 minutes on 2 cores.
@pytest.mark.slow
def test_a_protein_floor_out_of_reach_is_lowered_to_the_most_a_day_holds(tmp_path: Path) -> None:
    """QA asked for a protein target in grams (--protein); one a day cannot hold is explained,
    with the most it can, in whole grams, as a flag (a number overrides a profile's): the most,
    so one gram more has no plan."""
    path = tmp_path / "p.toml"
    path.write_text('[person]\nage = 30\nsex = "female"\ncalories = 1800\nprotein = 150\n\n[preferences]\n'
                    'diet = ["vegan"]\nexclude = ["soy", "legumes"]\n', encoding="utf-8")  # fmt: skip
    (result, explanation) = _explain(["--profile", str(path)])
    assert result.exit_code == 3, result.output
    assert "the protein target (150 g a day)" in explanation.text()
    (protein,) = [r for r in explanation.relaxations if r.kind == "protein"]
    assert protein.value is not None and protein.value < 150
    grams = int(protein.value)
    assert f"lower protein to {grams} g a day (--protein {grams})" in result.stderr
    # The most is hard to reach: CBC's first plan of it took 6.6 s on a loaded machine, so
    # the existence check asks only for some plan, with time to spare (the full suite had
    # failed it at LOOSE's 10 s).
    assert cli("day", "--profile", str(path), "--protein", str(grams), "--gap", "0.5", "--time-limit", "60",
               "--solver", "cbc").exit_code == 0  # fmt: skip
    assert cli("day", "--profile", str(path), "--protein", str(grams + 1), *LOOSE).exit_code == 3


def test_an_explanation_stops_its_checks_at_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: a household with no plan took 37 s at --time-limit 5. The explanation's solves share
    one deadline (twice the time limit, at least EXPLAIN_MIN_S); at it, the checks left are not
    made, and the explanation says some ran out of time. Here the deadline has passed at once."""
    solves: list[object] = []
    real = mealplan.explain.solve

    def counted(*args: Any, **kwargs: Any) -> Any:
        solves.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(mealplan.explain, "EXPLAIN_MIN_S", 0.0)
    monkeypatch.setattr(mealplan.explain, "EXPLAIN_TIMES", 0.0)
    monkeypatch.setattr(mealplan.explain, "solve", counted)
    result, explanation = _explain(IMPOSSIBLE)
    assert result.exit_code == 3
    assert solves == [] and explanation.incomplete and explanation.relaxations == ()
    assert "Some checks ran out of time and are not shown." in result.stderr


def test_a_child_is_not_offered_to_drop_the_macronutrient_ranges_and_is_warned_without_them() -> None:
    """QA (safety): a 1-year-old vegan with soy, gluten, nuts and seeds excluded was offered
    "drop the macronutrient ranges (--no-macros)", whose day then had 9% of its energy from
    fat (30–40% at 1–3 y), unremarked."""
    args = ["day", "--age", "1", "--sex", "female", "--diet", "vegan", "--exclude", "soy", "--exclude", "gluten",
            "--exclude", "nuts", "--exclude", "seeds"]  # fmt: skip
    refused = cli(*args)
    assert refused.exit_code == 3, refused.output
    # Still named as what holds the plan back (review: they fell out of "Held back by").
    assert re.search(r"Held back by [^.]*the macronutrient ranges", refused.stderr), refused.stderr
    assert "--no-macros" not in refused.stderr and "--no-upper-limits" not in refused.stderr
    assert "(drop --exclude nuts)" in refused.stderr
    planned = cli(*args, "--no-macros", "--format", "json")
    assert planned.exit_code == 0, planned.output
    data = json.loads(planned.stdout)
    [day] = data["members"][0]["days"]
    share = day["energy_shares"]["fat_g"] * 100
    assert share < 30
    assert (f"with the macronutrient ranges off (--no-macros, macros = false), a child's fat is low: on the plan's "
            f"day fat is {share:.0f}% of energy, under the 30–40% a child of this age needs (AMDR, IOM "
            "2005); plan with the ranges, or ask a paediatric dietitian") in data["warnings"]  # fmt: skip
    # From 19 they are offered again (no solve: the candidates only).
    from mealplan.explain import _candidates, _Solver, not_offered
    from mealplan.planner import build_spec, plan_inputs
    from mealplan.preferences import Preferences
    from mealplan.solver import SolveOptions
    from mealplan.targets import Profile

    for age, offered in ((18.9, False), (19.0, True)):
        inputs = plan_inputs(Profile(age, "female"), days=1, preferences=Preferences(), solve_options=SolveOptions())
        built = build_spec(inputs)
        kinds = {c.kind: c for c in _candidates(inputs, built, _Solver(inputs.solve_options, 300.0))}
        assert [k for k, c in kinds.items() if c.smallest is not_offered] == ([] if offered else
                                                                              ["macros", "upper_limits"])  # fmt: skip


SEVEN = ["chia seeds", "hemp seeds", "pumpkin seeds", "sunflower seeds", "flaxseed", "almonds", "cashews"]


def test_required_foods_that_cannot_all_be_eaten_are_named_with_a_set_to_drop(tmp_path: Path) -> None:
    """QA: seven required foods at 1,200 kcal got "no change of a single option that was tried
    makes a plan possible; relax several of them", naming none, where dropping two plans."""
    args = ["day", "--age", "40", "--sex", "female", "--calories", "1200"]
    refused = cli(*args, *(a for name in SEVEN for a in ("--require", name)))
    assert refused.exit_code == 3, refused.output
    error = refused.stderr.strip()
    found = re.search(r"Held back by the requirements of (.+?)\. Any one of these changes makes a plan possible "
                      r"\(each checked by solving\): require fewer foods: do not require (.+?) \(drop (.+)\)\.$",
                      error)  # fmt: skip
    assert found is not None, error
    assert found.group(1) == found.group(2)
    dropped = found.group(2).replace(", and ", ", ").replace(" and ", ", ").split(", ")
    assert len(dropped) >= 2 and set(dropped) <= set(SEVEN)
    # Each quoted as a shell needs it, to be pasted (QA: "drop --require peanut butter").
    assert found.group(3) == " and ".join(f"--require {shlex.quote(n)}" for n in dropped)
    assert "--require 'sunflower seeds'" in found.group(3) or "sunflower seeds" not in dropped
    assert "one food of a category a meal or two of vegetables, greens or fruit" in error
    kept = [n for n in SEVEN if n not in dropped]
    # Dropped as said, it plans; with one of them back, it does not (none dropped that need not be).
    assert cli(*args, *(a for name in kept for a in ("--require", name))).exit_code == 0
    back = cli(*args, *(a for name in [*kept, dropped[0]] for a in ("--require", name)))
    assert back.exit_code == 3
    # In a profile, the change is said for the file.
    profile = tmp_path / "p.toml"
    profile.write_text(f"require = {SEVEN!r}\n".replace("'", '"'), encoding="utf-8")
    in_file = cli(*args, "--profile", str(profile))
    assert in_file.exit_code == 3
    assert f"(remove {' and '.join(repr(n) for n in dropped)} from require in {profile})" in in_file.stderr


def test_two_conflicts_that_rule_out_every_day_are_said_apart() -> None:
    """QA: {the protein target, the meal structure} and {the calorie window, the macronutrient
    ranges, the cap on caffeinated drinks} were said as one list, which read as if coffee
    would help the protein target."""
    refused = cli("day", "--age", "100", "--sex", "male", "--calories", "1200", "--diet", "vegan", "--exclude", "soy",
                  "--exclude", "gluten", "--exclude", "nuts", "--exclude", "seeds", "--exclude", "legumes",
                  "--protein", "80")  # fmt: skip
    assert refused.exit_code == 3, refused.output
    found = re.search(r"with the foods left, no day keeps (.+?), nor (.+?)\. Held back by", refused.stderr)
    assert found is not None, refused.stderr
    first, second = found.groups()
    assert first.startswith("the protein target (80 g a day) and the meal structure (")
    assert second.startswith("the calorie window (1,140–1,260 kcal), the macronutrient ranges")
    assert "caffeinated" in second and "caffeinated" not in first


def test_a_child_s_calories_far_below_their_estimate_need_a_paediatric_dietitian() -> None:
    """Review: a 3-year-old was offered 800 kcal, "far below your 1,200 kcal: only with a
    clinician's advice"; for a child it is a paediatric dietitian's."""
    refused = cli("day", "--age", "3", "--sex", "female", "--diet", "vegan", "--exclude", "nuts", "--exclude", "seeds",
                  "--exclude", "cocoa", "--exclude", "greens")  # fmt: skip
    assert refused.exit_code == 3, refused.output
    assert re.search(r"lower calories to [\d,]+ kcal a day, far below your 1,200 kcal: only with a paediatric "
                     r"dietitian's advice \(--calories \d+\)", refused.stderr), refused.stderr  # fmt: skip


LOW_MAGNESIUM = ("milk", "whole milk", "swiss cheese", "eggs", "cod", "salmon", "apple", "banana", "blueberries",
                 "orange", "strawberries", "white rice", "chicken breast", "broccoli", "carrots", "green beans",
                 "potato", "red bell pepper", "tomato")  # fmt: skip


@pytest.mark.parametrize("found", ["infeasible", "no_solution"])
def test_a_weekly_average_no_day_can_reach_is_explained_as_such(
    found: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: with --weekly-average, a week whose every day falls short of the RDA at its best ran
    the whole time limit to "found no plan" (exit 4); the same week asked every day was
    explained. No day reaching it, no days average it: exit 3, said as an average."""
    rows = [r for r in csv.DictReader((REPO / "data" / "pool.csv").open(encoding="utf-8")) if r["name"] in LOW_MAGNESIUM]
    assert len(rows) == len(LOW_MAGNESIUM)
    pool = tmp_path / "low.csv"
    with pool.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    if found == "no_solution":  # as when the whole plan's model runs out of time
        from mealplan import planner
        from mealplan.solver import SolveResult
        from mealplan.strategy import Solution

        monkeypatch.setattr(planner, "solve_spec", lambda _spec, _options: Solution(
            {}, SolveResult("no_solution", "cbc", None, None, None, 2.0), "week model"))  # fmt: skip
    result = cli("week", "--age", "40", "--sex", "male", "--foods", str(pool), "--calories", "1330", "--days", "2",
                 "--weekly-average", "--solver", "cbc", "--time-limit", "5")  # fmt: skip
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(
        "Error: no plan reaches 420 mg of magnesium on average over the days: under your other constraints a day "
        "reaches at most 415.3 mg (4.7 mg short), so no days can average it."
    ), result.stderr


def test_a_week_s_raised_minimum_of_categories_is_offered_lower_when_it_is_what_blocks() -> None:
    """QA: --min-categories 9 for a vegan without soy was offered any food on every day or soy
    back, not the 8 categories that plan; the offer, followed, plans."""
    args = ["week", "--age", "34", "--sex", "female", "--min-categories", "9", "--diet", "vegan", "--exclude", "soy",
            "--days", "3", *FAST]  # fmt: skip
    result = cli(*args)
    assert result.exit_code == 3, result.output
    assert "plan 8 food categories a day instead of 9 (--min-categories 8)" in result.stderr
    assert cli(*args[:5], "--min-categories", "8", *args[7:], "--gap", "0.05").exit_code == 0


def test_each_exclusion_is_dropped_once_however_often_it_is_given() -> None:
    from mealplan.explain import each_exclusion_dropped

    assert each_exclusion_dropped(("seeds", "nuts", "Seeds ", "tree nut", "tree nuts")) == [
        ("seeds", ("nuts", "tree nut", "tree nuts")),
        ("nuts", ("seeds", "Seeds ", "tree nut", "tree nuts")),
        ("tree nut", ("seeds", "nuts", "Seeds ")),
    ]


# Vegan at 1,300 kcal without seeds, nuts, legumes and grains: no day keeps the macronutrient
# ranges; allowing seeds is one way out.
TWICE = ["--age", "34", "--sex", "female", "--diet", "vegan", "--calories", "1300"]
TWICE_TOML = 'age = 34\nsex = "female"\ncalories = 1300\ndiet = ["vegan"]\n'


def test_an_exclusion_given_twice_is_offered_dropped_from_both_places(tmp_path: Path) -> None:
    """Review: "seeds" excluded twice (on the command line and in the profile, or in a
    household's [household] and a member's list, which add up) was dropped from one place when
    the explanation checked it, the day stayed impossible, and "allow seeds" was not offered
    though it works. Where both are the user's, both are named."""
    line = cli("day", *TWICE, "--diet", "Vegan",
               *(f"--exclude={e}" for e in ("seeds", "nuts", "legumes", "grains", "Seeds")))  # fmt: skip
    assert line.exit_code == 3, line.output
    assert "Held back by the exclusions of seeds, nuts, legumes and grains, the vegan diet and" in line.stderr
    assert "allow seeds (drop --exclude seeds);" in line.stderr
    assert "eat vegetarian instead of vegan (--diet vegetarian instead of --diet vegan);" in line.stderr

    profile = tmp_path / "p.toml"
    profile.write_text(TWICE_TOML + 'exclude = ["seeds", "nuts", "legumes", "grains"]\n', encoding="utf-8")
    both = cli("day", "--profile", str(profile), "--exclude", "seeds")
    assert both.exit_code == 3, both.output
    assert f"allow seeds (drop --exclude seeds, and remove 'seeds' from exclude in {profile});" in both.stderr
    assert f"allow nuts, if it is not an allergy (remove 'nuts' from exclude in {profile});" in both.stderr

    household = tmp_path / "h.toml"
    household.write_text('[household]\nexclude = ["seeds", "nuts", "legumes", "grains"]\ndiet = ["vegan"]\ndays = 1\n'
                         '[[members]]\nname = "T"\nage = 34\nsex = "female"\ncalories = 1300\nexclude = ["seeds"]\n',
                         encoding="utf-8")  # fmt: skip
    member = cli("household", str(household))
    assert member.exit_code == 3, member.output
    assert f"allow seeds (remove 'seeds' from exclude in member 'T' and [household] of {household});" in member.stderr
    assert f"allow grains (remove 'grains' from exclude in [household] of {household});" in member.stderr


def test_the_calorie_target_is_named_when_it_holds_magnesium_back(tmp_path: Path) -> None:
    """QA: on a pool of 21 plain foods at 1,900 kcal a day reached 412.4 mg of 420, and 2,200 kcal
    reached 416.1 mg, yet "Held back by" named the three exclusions only: the check that the
    calorie target binds ran out of its 0.5 s."""
    kept = {"apple", "blueberries", "orange", "carrots", "tomato", "red bell pepper", "white rice", "chicken breast",
            "turkey breast", "eggs", "milk", "swiss cheese", "yogurt", "green tea", "sweet corn", "potato", "banana",
            "cod", "salmon", "brown rice", "corn tortillas"}  # fmt: skip
    foods = pool_file(tmp_path, kept)
    result = cli("day", "--age", "34", "--sex", "male", "--foods", str(foods), "--exclude", "potato", "--exclude",
                 "brown rice", "--exclude", "corn", "--calories", "1900", "--time-limit", "5")  # fmt: skip
    assert result.exit_code == 3, result.output
    assert ("Held back by the exclusions of potato, brown rice and corn and the calorie target (1,900 kcal ± 5%)."
            in result.stderr)  # fmt: skip


def _week_plans_from(monkeypatch: pytest.MonkeyPatch, least: int, undecided: tuple[int, ...] = ()) -> list[float]:
    """A week plans from a budget of ``least`` (its check of a budget in ``undecided`` runs out
    of time); the other checks are real. The budgets checked are returned."""
    real = mealplan.explain._verified
    checked: list[float] = []

    def verified(inputs: Any, solver: Any) -> bool:
        budget = inputs.preferences.budget
        if budget is None or budget == 15:
            return real(inputs, solver)
        checked.append(budget)
        if budget in undecided:
            solver.unproven += 1
            return False
        return bool(budget >= least)

    monkeypatch.setattr(mealplan.explain, "_verified", verified)
    return checked


WEEK_AT_15 = ["week", "--age", "34", "--sex", "female", "--prices", str(REPO / "data" / "prices.csv"), "--budget", "15"]


def test_a_weeks_budget_suggestion_is_the_least_whole_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: --budget 21 was suggested where 20 plans (17 does not): only the cheapest day's
    budget (16 here), 1 more, 1.3 and 1.6 times it were tried. The step between the last that
    fails and the first that plans is bisected."""
    checked = _week_plans_from(monkeypatch, 20)
    result = cli(*WEEK_AT_15)
    assert result.exit_code == 3, result.output
    assert "raise the budget to 20 a week (--budget 20)" in result.stderr
    assert checked == [16, 17, 21, 19, 20]


def test_a_weeks_budget_suggestion_past_an_undecided_check_is_an_upper_estimate(
        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    _week_plans_from(monkeypatch, 20, undecided=(20,))
    result = cli(*WEEK_AT_15)
    assert result.exit_code == 3, result.output
    assert ("raise the budget to 21 a week, an upper estimate as a check of less ran out of time (--budget 21)"
            in result.stderr)  # fmt: skip
    assert result.stderr.rstrip().endswith(". Some checks ran out of time and are not shown.")


# ---------------------------------------------------------------------- the same on any machine
#
# A spread of impossible requests whose advice was measured with every check of the old code
# given minutes (mealplan.explain.EXPLAIN_NODES): the checks now stop at node limits, so the
# advice is pinned, and is the same when each solve has a fiftieth of the time it is given.


def _as_if_fifty_times_slower(monkeypatch: pytest.MonkeyPatch) -> None:
    """While a request is explained, each solve gets a fiftieth of the seconds it is given, as
    on a machine fifty times slower (QA: under load a check was cut short and its advice went
    missing: "lower protein" for a household member). The request's own solve is left alone."""
    import dataclasses

    import mealplan.strategy

    explaining = [False]
    real_explain = mealplan.explain.explain_infeasible

    def explain(*args: Any, **kwargs: Any) -> Explanation:
        explaining[0] = True
        try:
            return real_explain(*args, **kwargs)
        finally:
            explaining[0] = False

    for module in (mealplan.explain, mealplan.strategy):

        def solve(prob: pulp.LpProblem, options: Any, *args: Any, real: Any = module.solve, **kwargs: Any) -> Any:
            if explaining[0]:
                options = dataclasses.replace(options, time_limit_s=max(0.1, options.time_limit_s / 50))
            return real(prob, options, *args, **kwargs)

        monkeypatch.setattr(module, "solve", solve)
    monkeypatch.setattr(mealplan.explain, "explain_infeasible", explain)


def _small_pool(folder: Path) -> str:
    """SMALL_POOL's rows of data/pool.csv, as a --foods file in ``folder``."""
    return str(pool_file(folder, SMALL_POOL))


TOO_FEW_CALORIES = ("no plan reaches 400 mg of magnesium a day: under your other constraints a day reaches at most "
                    "352.5 mg (47.5 mg short). Held back by the calorie target (1,200 kcal ± 5%) and the macronutrient "
                    "ranges. Any one of these changes makes a plan possible (each checked by solving): raise calories "
                    "to 1,400 kcal a day (--calories 1400).")  # fmt: skip
REQUIRED_OVER_CAP = [
    "--age", "34", "--sex", "female", "--max-servings", "seeds=1",
    *(a for name in ("pumpkin seeds", "chia seeds", "sunflower seeds") for a in ("--require", name)),
]  # fmt: skip


@pytest.mark.parametrize("slower", [False, True])
def test_too_few_calories_are_explained_alike_on_any_machine(slower: bool, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    if slower:
        _as_if_fifty_times_slower(monkeypatch)
    args = ["--age", "17", "--sex", "female", "--pregnant", "--calories", "1200", "--foods", _small_pool(tmp_path)]
    result = cli("day", *args, *FAST)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == f"Error: {TOO_FEW_CALORIES}"


def test_required_foods_over_a_cap_are_explained_alike_on_any_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_if_fifty_times_slower(monkeypatch)
    result = cli("day", *REQUIRED_OVER_CAP, *FAST)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == (
        "Error: no plan exists even without the magnesium target of 320 mg a day: with the foods left, no day keeps "
        "the meal structure (foods per meal, one food of a category a meal or two of vegetables, greens or fruit; a "
        "protein and a vegetable at lunch and dinner), the serving caps and the required foods. Held back by the "
        "requirements of pumpkin seeds, chia seeds and sunflower seeds and the cap of 1 serving of seeds a day. Any "
        "one of these changes makes a plan possible (each checked by solving): allow 1.5 servings of seeds a day "
        "(--max-servings seeds=1.5); do not require pumpkin seeds (drop --require 'pumpkin seeds'); do not require "
        "chia seeds (drop --require 'chia seeds'); do not require sunflower seeds (drop --require 'sunflower seeds').")


# ~9 s; the default run keeps test_age_rules' test of the same household's advice.
@pytest.mark.slow
def test_a_household_members_advice_is_the_same_on_any_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: the member's "lower protein" went missing on a busy machine (its check, 5 s, was cut short)."""
    _as_if_fifty_times_slower(monkeypatch)
    path = tmp_path / "h.toml"
    path.write_text(VEGAN_HIGH_PROTEIN_HOUSEHOLD, encoding="utf-8")
    result = cli("household", str(path), "--gap", "0.05")
    assert result.exit_code == 3, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: member 'Vee': no plan exists even without the magnesium target of 310 mg a day: with the foods left, "
        "no day keeps the protein target (150 g a day), the upper intake levels of calcium, iron, phosphorus and zinc "
        "and the meal structure (foods per meal, one food of a category a meal or two of vegetables, greens or fruit; "
        "a protein and a vegetable at lunch and dinner). Held back by the vegan diet and the protein target. Any one "
        "of these changes makes a plan possible (each checked by solving): drop the vegan diet (remove 'vegan' from "
        f"diet in member 'Vee' of {path}); lower protein to 98 g a day (protein = 98 in member 'Vee' of {path}).")


# 50–60 s of whole weeks checked: run by `pytest -m slow`, which CI runs too.
@pytest.mark.slow
def test_a_weeks_budget_and_exclusions_are_explained_alike_on_any_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The week's budget is bisected by week checks that stop by nodes: 19, where 18 is left
    undecided (no week within the nodes; with minutes per check the old code could not decide
    it either), so it is an upper estimate on any machine."""
    _as_if_fifty_times_slower(monkeypatch)
    budget = cli("week", "--age", "34", "--sex", "female", "--prices", str(REPO / "data" / "prices.csv"),
                 "--budget", "10")  # fmt: skip
    assert budget.exit_code == 3, budget.output
    assert budget.stderr.strip() == (
        "Error: no plan exists even without the magnesium target of 320 mg a day: with the foods left, no day keeps "
        "the calorie window (1,900–2,100 kcal) and the budget. Held back by the calorie target (2,000 kcal ± 5%) and "
        "the budget of 10 a week. Any one of these changes makes a plan possible (each checked by solving): raise the "
        "budget to 19 a week, an upper estimate as a check of less ran out of time (--budget 19). Some checks ran out "
        "of time and are not shown.")
    vegan = cli("week", "--age", "34", "--sex", "female", "--diet", "vegan",
                *(a for name in ("legumes", "nuts", "seeds") for a in ("--exclude", name)))  # fmt: skip
    assert vegan.exit_code == 3, vegan.output
    assert vegan.stderr.strip() == (
        "Error: no plan exists even without the magnesium target of 320 mg a day: with the foods left, no day keeps "
        "the calorie window (1,900–2,100 kcal) and the macronutrient ranges (protein, fat, carbohydrate). Held back by "
        "the exclusions of legumes, nuts and seeds, the calorie target (2,000 kcal ± 5%), the vegan diet and the "
        "macronutrient ranges. Any one of these changes makes a plan possible (each checked by solving): allow "
        "legumes (drop --exclude legumes); allow nuts, if it is not an allergy (drop --exclude nuts); allow seeds "
        "(drop --exclude seeds); drop the vegan diet (drop --diet vegan); drop the macronutrient ranges "
        "(--no-macros).")


def test_a_check_left_undecided_is_unknown_not_impossible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check the node limit (or the deadline) leaves undecided is not taken as a proof either
    way: here the check of 1,400 kcal, the least that plans, stops without a day, so no calories
    are suggested (1,450 would be, were it taken as impossible) and the message says so."""
    real_run = mealplan.explain._Solver.run

    def run(self: Any, model: Any, nodes: int, **kwargs: Any) -> Any:
        if model.spec.magnesium_floor and model.spec.members[0].targets.kcal == 1400:
            self.unproven += 1  # as run counts a check that stopped undecided
            return mealplan.explain.SolveResult("no_solution", "highs", None, None, None, 1.0, nodes)
        return real_run(self, model, nodes, **kwargs)

    monkeypatch.setattr(mealplan.explain._Solver, "run", run)
    args = ["--age", "17", "--sex", "female", "--pregnant", "--calories", "1200", "--foods", _small_pool(tmp_path)]
    result, explanation = _explain(args)
    assert result.exit_code == 3, result.output
    assert explanation.incomplete and not [r for r in explanation.relaxations if r.kind == "calories"]
    assert result.stderr.strip().endswith("relax several of them. Some checks ran out of time and are not shown.")


def test_a_week_check_that_finds_no_week_within_its_nodes_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """A week check is planned by nodes (strategy.solve_spec's by_nodes); a week not found is
    counted unproven, and only a proof (infeasible) is a no."""
    from mealplan.strategy import Solution

    asked: list[bool] = []

    def solve_spec(spec: Any, options: Any, *, by_nodes: bool = False) -> Solution:
        asked.append(by_nodes)
        return Solution({}, mealplan.explain.SolveResult("no_solution", "cbc", None, None, None, 1.0), "decomposition")

    monkeypatch.setattr(mealplan.explain, "solve_spec", solve_spec)
    inputs = mealplan.planner.plan_inputs(mealplan.Profile(34, "female"), days=2)
    solver = mealplan.explain._Solver(inputs.solve_options, 320.0)
    assert mealplan.explain._week_feasible(inputs, solver) is False
    assert asked == [True] and solver.unproven == 1


# ---------------------------------------------------------------------- a day's most magnesium, unproven


def _most_magnesium_unproven(monkeypatch: pytest.MonkeyPatch, *, bound: float | None, found: bool = True) -> None:
    """The check of a day's most magnesium stops at its node limit, as on a hard request: with
    the day it found (``found``), not proven the most, ``bound`` the solver's upper bound; or
    with no day found at all."""
    import dataclasses

    real_run = mealplan.explain._Solver.run

    def run(self: Any, model: Any, nodes: int, **kwargs: Any) -> Any:
        result = real_run(self, model, nodes, **kwargs)
        # Only _Solver.max_magnesium maximises an objective in run (the other checks minimise,
        # or find any solution).
        if model.prob.sense == pulp.LpMaximize and len(model.prob.objective) and result.status == "optimal":
            self.unproven += 1  # as run counts a check that stopped undecided
            if not found:
                return mealplan.explain.SolveResult("no_solution", "highs", None, None, None, 1.0, nodes)
            return dataclasses.replace(result, status="feasible", bound=bound)
        return result

    monkeypatch.setattr(mealplan.explain._Solver, "run", run)


TOO_FEW_ADVICE = ("Any one of these changes makes a plan possible (each checked by solving): raise calories to 1,400 "
                  "kcal a day (--calories 1400). Some checks ran out of time and are not shown.")  # fmt: skip


@pytest.mark.parametrize(
    ("bound", "found", "opening"),
    [
        (380.0, True, "no plan reaches 400 mg of magnesium a day: the best day found under your other constraints "
                      "reaches 352.5 mg, and none more than 380 mg. Held back by the calorie target (1,200 kcal ± 5%) "
                      "and the macronutrient ranges. "),
        (None, True, "no plan reaching 400 mg of magnesium a day was found: the best day found under your other "
                     "constraints reaches 352.5 mg, and the checks stopped before proving the most a day can reach. Held "
                     "back by the calorie target (1,200 kcal ± 5%). "),
        (None, False, "no plan reaching 400 mg of magnesium a day was found, and the checks stopped before telling "
                      "whether any day keeps your other constraints. Held back by the calorie target (1,200 kcal ± 5%). "),
    ],
)  # fmt: skip
def test_a_days_most_magnesium_left_unproven_is_no_proof_that_no_day_exists(
    bound: float | None, found: bool, opening: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (a dietitian): a check that found a day but stopped before proving its maximum was
    read as "no day at all", and "no plan exists even without the magnesium target" was said.
    A day found is a lower bound on what a day reaches; an option binds only past what is
    proven (the solver's upper bound), and with nothing proven only one whose change plans."""
    _most_magnesium_unproven(monkeypatch, bound=bound, found=found)
    args = ["--age", "17", "--sex", "female", "--pregnant", "--calories", "1200", "--foods", _small_pool(tmp_path)]
    result, explanation = _explain(args)
    assert result.exit_code == 3, result.output
    assert not explanation.max_proven and explanation.incomplete
    assert result.stderr.strip() == f"Error: {opening}{TOO_FEW_ADVICE}"


@pytest.mark.slow  # 7 s: three days planned whole, several times
def test_a_days_most_magnesium_left_unproven_but_past_the_target_blames_the_rules_across_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A day found that reaches the target, proven the most or not, proves that a day exists:
    the explanation goes on to the rules across days (QA: the vegan week of an 85-year-old
    without soy or legumes under an 80 g protein floor was said to have no plan at all)."""
    _most_magnesium_unproven(monkeypatch, bound=None)
    args = ["--days", "3", "--max-days-per-food", "1", "--min-foods", "12", "--age", "30", "--sex", "female",
            "--diet", "vegan", *(a for name in ("seeds", "nuts", "cocoa", "beverages", "wheat")
                                 for a in ("--exclude", name))]  # fmt: skip
    result, explanation = _explain(args, "week")
    assert result.exit_code == 3, result.output
    assert explanation.week_rules and not explanation.max_proven
    assert result.stderr.startswith("Error: no 3-day plan keeps every rule: a single day can reach at least ")
    assert "no plan exists" not in result.stderr
    assert explanation.relaxations[0].option == "--max-days-per-food 2"


TOO_MANY_CALORIES = {
    5000: "no plan exists even without the magnesium target of 400 mg a day: with the foods left, no day keeps the "
          "calorie window (4,750–5,250 kcal), the upper intake levels of calcium, iron, phosphorus and zinc and the "
          "meal structure (foods per meal, one food of a category a meal or two of vegetables, greens or fruit; a "
          "protein and a vegetable at lunch and dinner). Held back by the calorie target (5,000 kcal ± 5%). Any one "
          "of these changes makes a plan possible (each checked by solving): lower calories to 4,400 kcal a day, the "
          "most that plans with everything else as asked; eat the other 600 kcal as food the plan leaves out "
          "(--calories 4400).",
    4500: "no plan exists even without the magnesium target of 400 mg a day: with the foods left, no day keeps the "
          "calorie window (4,275–4,725 kcal), the macronutrient ranges (protein, fat, carbohydrate) and the meal "
          "structure (foods per meal, one food of a category a meal or two of vegetables, greens or fruit; a protein "
          "and a vegetable at lunch and dinner). Held back by the calorie target (4,500 kcal ± 5%) and the "
          "macronutrient ranges. Any one of these changes makes a plan possible (each checked by solving): lower "
          "calories to 4,400 kcal a day, the most that plans with everything else as asked; eat the other 100 kcal "
          "as food the plan leaves out (--calories 4400); drop the macronutrient ranges (--no-macros).",
}  # fmt: skip


@pytest.mark.slow  # 10 s each: the most calories a day holds takes 504 nodes, its check 756
@pytest.mark.parametrize("kcal", sorted(TOO_MANY_CALORIES))
def test_too_many_calories_are_lowered_to_the_most_that_plans_on_any_machine(
    kcal: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (a dietitian): a man's 5,000 kcal day, upper intake levels on, got no number ("no
    change of a single option … relax several"; the same at --time-limit 60), and 4,500 kcal
    only --no-macros: the most calories a day holds, one MILP with the target a variable, was
    cut short by its time. It stops by nodes now: 4,400 kcal, with a fiftieth of the time."""
    _as_if_fifty_times_slower(monkeypatch)
    result = cli("day", "--age", "30", "--sex", "male", "--calories", str(kcal), *FAST)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == f"Error: {TOO_MANY_CALORIES[kcal]}"

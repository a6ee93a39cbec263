"""Households: loading and validation, separate and shared-meal plans.

Plans are checked by an independent recomputation: grams from data/pool.csv servings,
nutrients from data/usda/nutrients.csv, both read here with csv, against targets written
out from the sources (FNB 1997 magnesium RDA, DGA 2020-2025 energy, IOM AMDR, NASEM sodium).
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mealplan.cli import app
from mealplan.errors import InputError
from mealplan.household import household_from_data, load_household, merge_options
from mealplan.planner import plan_week
from mealplan.targets import Profile

REPO = Path(__file__).resolve().parents[1]
FAMILY = REPO / "examples" / "households" / "family-of-four.toml"
SLOTS = ("breakfast", "lunch", "dinner", "snack")
FAST = ["--solver", "cbc", "--gap", "0.1", "--time-limit", "60"]

# What each member of the family must get (independent of the package's tables):
# magnesium RDA (FNB 1997), energy (DGA 2020-2025 Table A2-2, +340 kcal 2nd trimester),
# AMDR shares (IOM 2005), sodium CDRR (NASEM 2019), and what they must never eat.
EXPECTED = {
    "Daniel": {"mg": 420, "kcal": 2600, "protein": (0.10, 0.35), "fat": (0.20, 0.35), "sodium": 2300},
    "Ana": {"mg": 320, "kcal": 1900, "protein": (0.10, 0.35), "fat": (0.20, 0.35), "sodium": 2300},
    "Mia": {"mg": 400, "kcal": 2340, "protein": (0.10, 0.30), "fat": (0.25, 0.35), "sodium": 2300},
    "Leo": {"mg": 130, "kcal": 1600, "protein": (0.10, 0.30), "fat": (0.25, 0.35), "sodium": 1500},
}


def _pool() -> dict[str, dict[str, str]]:
    with (REPO / "data" / "pool.csv").open(encoding="utf-8") as fh:
        return {row["ndb_no"]: row for row in csv.DictReader(fh)}


def _usda() -> dict[str, dict[str, float]]:
    columns = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "magnesium_mg", "sodium_mg")
    with (REPO / "data" / "usda" / "nutrients.csv").open(encoding="utf-8") as fh:
        return {row["ndb_no"]: {c: float(row[c] or 0) for c in columns} for row in csv.DictReader(fh)}


POOL = _pool()
USDA = _usda()


def _forbidden(name: str, ndb_no: str) -> bool:
    """Whether the family file's exclusions forbid this food to this member."""
    row = POOL[ndb_no]
    # Excluding an allergen also leaves out what may contain it (bread: milk, soy, sesame).
    allergens = set(row["allergens"].split(";")) | set(row["may_contain"].split(";"))
    if "peanuts" in allergens:  # household-wide
        return True
    if name == "Ana":
        return "milk" in allergens
    if name == "Mia":
        # Pregnant at 16, she is planned a caffeinated drink (the pool's beverages) only if she asks.
        return "vegetarian" not in row["diets"].split(";") or row["category"] == "beverages"
    if name == "Leo":
        return "tree_nuts" in allergens or row["category"] == "beverages"
    return False


def _meals(member: dict[str, Any]) -> dict[tuple[int, str], dict[str, float]]:
    """(day, slot) → ndb_no → servings, from the JSON plan."""
    out: dict[tuple[int, str], dict[str, float]] = {}
    for day in member["days"]:
        for meal in day["meals"]:
            foods = out.setdefault((day["day"], meal["slot"]), {})
            for item in meal["items"]:
                foods[item["ndb_no"]] = foods.get(item["ndb_no"], 0.0) + item["servings"]
    return out


def _day_totals(member: dict[str, Any]) -> dict[int, dict[str, float]]:
    totals: dict[int, dict[str, float]] = {}
    for (day, _slot), foods in _meals(member).items():
        t = totals.setdefault(day, dict.fromkeys(next(iter(USDA.values())), 0.0))
        for ndb_no, servings in foods.items():
            grams = servings * float(POOL[ndb_no]["serving_grams"])
            for nutrient, per_100g in USDA[ndb_no].items():
                t[nutrient] += per_100g * grams / 100
    return totals


def _check_targets(plan: dict[str, Any], days: int, names: tuple[str, ...] = tuple(EXPECTED)) -> None:
    assert [m["name"] for m in plan["members"]] == list(names)
    for member in plan["members"]:
        want = EXPECTED[member["name"]]
        totals = _day_totals(member)
        assert sorted(totals) == list(range(1, days + 1)), member["name"]
        for day, t in totals.items():
            where = f"{member['name']} day {day}"
            kcal = t["energy_kcal"]
            assert t["magnesium_mg"] >= want["mg"] - 1e-6, where
            assert want["kcal"] * 0.95 - 1e-6 <= kcal <= want["kcal"] * 1.05 + 1e-6, (where, kcal)
            protein, fat = 4 * t["protein_g"] / kcal, 9 * t["fat_g"] / kcal
            carbohydrate = 4 * t["carbohydrate_g"] / kcal
            assert want["protein"][0] - 1e-6 <= protein <= want["protein"][1] + 1e-6, (where, protein)
            assert want["fat"][0] - 1e-6 <= fat <= want["fat"][1] + 1e-6, (where, fat)
            assert 0.45 - 1e-6 <= carbohydrate <= 0.65 + 1e-6, (where, carbohydrate)
            assert t["fiber_g"] >= 14 * kcal / 1000 - 1e-6, where
            assert t["sodium_mg"] <= want["sodium"] + 1e-6, where
        for (day, slot), foods in _meals(member).items():
            for ndb_no in foods:
                assert not _forbidden(member["name"], ndb_no), (member["name"], day, slot, POOL[ndb_no]["name"])
        assert member["targets"]["magnesium_mg"] == want["mg"]


def _check_shopping(plan: dict[str, Any]) -> None:
    grams: dict[str, float] = {}
    for member in plan["members"]:
        for foods in _meals(member).values():
            for ndb_no, servings in foods.items():
                grams[ndb_no] = grams.get(ndb_no, 0.0) + servings * float(POOL[ndb_no]["serving_grams"])
    listed = {item["ndb_no"]: item["grams"] for item in plan["shopping_list"]}
    # A food eaten raw and cooked is one entry, the cooked one in its eaten_cooked.
    listed |= {c["ndb_no"]: c["grams"] for item in plan["shopping_list"] if (c := item.get("eaten_cooked"))}
    assert sorted(listed) == sorted(grams)
    for ndb_no, total in grams.items():
        assert listed[ndb_no] == pytest.approx(total, abs=0.06), POOL[ndb_no]["name"]


BRACKETS = re.compile(r"\[(\d{5})\]")


def _parse_swaps(member: dict[str, Any]) -> dict[tuple[int, str], tuple[set[str], set[str]]]:
    """(day, slot) → (foods the member has instead, shared foods they do not have), from the
    member's swap_items, each checked against its line in swaps (same order): the line names
    the day and meal, the foods eaten instead before "instead of" and the skipped ones after
    it (or after "no" when nothing replaces them)."""
    out = {}
    assert len(member["swaps"]) == len(member["swap_items"])
    for line, item in zip(member["swaps"], member["swap_items"], strict=True):
        has = {f["ndb_no"] for f in item["instead"]}
        skipped = {f["ndb_no"] for f in item["skipped"]}
        assert skipped and item["reasons"], line
        head, text = line.split(": ", 1)
        assert head == f"day {item['day']} {item['meal']}", line
        before, marker, after = text.partition(" instead of " if has else "; more of the meal's other foods")
        assert marker, line
        named_has, named_skipped = (before, after) if has else ("", before)
        assert set(BRACKETS.findall(named_has)) == has, line
        assert set(BRACKETS.findall(named_skipped.split(" (", 1)[0] if has else named_skipped)) == skipped, line
        out[item["day"], item["meal"]] = (has, skipped)
    return out


def _check_shared(plan: dict[str, Any]) -> int:
    """Every meal's foods are the same for every member, except each member's declared
    swaps; a swap only drops foods the member may not eat. Returns the swaps' count."""
    meals = {m["name"]: _meals(m) for m in plan["members"]}
    swaps = {m["name"]: _parse_swaps(m) for m in plan["members"]}
    count = 0
    for day in range(1, plan["days"] + 1):
        for slot in SLOTS:
            menu: set[str] = set()
            for name in meals:
                has, _ = swaps[name].get((day, slot), (set(), set()))
                menu |= set(meals[name].get((day, slot), {})) - has
            for name in meals:
                has, dropped = swaps[name].get((day, slot), (set(), set()))
                eaten = set(meals[name].get((day, slot), {}))
                assert eaten == (menu - dropped) | has, (name, day, slot)
                assert dropped <= menu and not (has & menu), (name, day, slot)
                assert all(_forbidden(name, f) for f in dropped), (name, day, slot)
                assert not any(_forbidden(name, f) for f in menu - dropped), (name, day, slot)
                count += bool(dropped)
    return count


def _plan_json(args: list[str], tmp_path: Path, name: str) -> dict[str, Any]:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["household", str(FAMILY), *args, *FAST, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shared_plan(family_shared: Any) -> dict[str, Any]:
    """The family's 2-day shared plan (conftest.family_shared) as its JSON reads back."""
    from mealplan.report import render

    return json.loads(render(family_shared, "json"))


@pytest.fixture(scope="module")
def separate_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _plan_json(["--days", "1"], tmp_path_factory.mktemp("separate"), "separate.json")


# --------------------------------------------------------------------------- plans


def test_shared_meals_meet_each_members_targets_every_day(shared_plan: dict[str, Any]) -> None:
    assert shared_plan["request"]["mode"] == "shared meals"
    assert shared_plan["all_checks_ok"]
    _check_targets(shared_plan, days=2)


def test_shared_meals_serve_one_menu_except_declared_swaps(shared_plan: dict[str, Any]) -> None:
    # Leo may not have the coffee or tea that the menu holds, so a swap is expected.
    assert _check_shared(shared_plan) >= 1


def test_shared_shopping_list_is_the_sum_of_every_members_items(shared_plan: dict[str, Any]) -> None:
    _check_shopping(shared_plan)


def test_separate_plans_meet_each_members_targets(separate_plan: dict[str, Any]) -> None:
    assert separate_plan["request"]["mode"] == "separate plans"
    assert all(m["swaps"] == [] for m in separate_plan["members"])
    _check_targets(separate_plan, days=1)
    _check_shopping(separate_plan)


@pytest.mark.parametrize("which", ["shared_plan", "separate_plan"])
def test_household_json_follows_the_schema(which: str, request: pytest.FixtureRequest) -> None:
    """A household's request has its own shape (the file's settings and each member's options),
    which the schema describes next to a person's."""
    from jsonschema import Draft202012Validator

    schema = json.loads((Path(__file__).resolve().parents[1] / "docs" / "plan.schema.json").read_text("utf-8"))
    plan: dict[str, Any] = request.getfixturevalue(which)
    Draft202012Validator(schema).validate(plan)
    assert plan["request"]["mode"] == ("shared meals" if which == "shared_plan" else "separate plans")


def test_private_swap_items_are_declared_and_reported_as_the_real_food(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With private items rewarded rather than penalised, the model uses them; they must
    appear under their real ndb_no, in meals where the member misses a shared food. Two of
    the family's members, whose exclusions differ, plan in a tenth of the whole family's time."""
    import mealplan.household as household_module
    from mealplan.household import plan_household
    from mealplan.report.common import plan_dict

    monkeypatch.setattr(household_module, "SWAP_WEIGHT", 4.0)
    path = tmp_path / "two.toml"
    path.write_text('[household]\nname = "two"\nexclude = ["peanuts"]\n'
                    '[[members]]\nname = "Ana"\nage = 41\nsex = "female"\ncalories = 1900\nexclude = ["milk"]\n'
                    '[[members]]\nname = "Leo"\nage = 6\nsex = "male"\nexclude = ["tree nuts", "beverages"]\n',
                    encoding="utf-8")  # fmt: skip
    family = load_household(path, {"days": 1, "solver": "cbc", "gap": 0.1, "time_limit": 60})
    plan = plan_dict(plan_household(family, shared_meals=True))
    assert any(" instead of " in line for m in plan["members"] for line in m["swaps"])
    assert _check_shared(plan) >= 1
    _check_targets(plan, days=1, names=("Ana", "Leo"))
    _check_shopping(plan)


def test_table_output_names_the_household_and_its_swaps(shared_plan: dict[str, Any], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["household", str(FAMILY), "--shared-meals", "--days", "1", *FAST])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Household Rivera family — shared meals: Daniel, Ana, Mia, Leo\n")
    assert "Swap: day 1 " in result.stdout
    assert "Shopping list" in result.stdout
    # QA: command-line flags in a file's swaps, and a vague "more of the rest"
    swaps = [line for line in result.stdout.splitlines() if line.startswith("Swap: ")]
    assert swaps and not any("(--" in line or "more of the rest" in line for line in swaps)
    assert any("more of the meal's other foods (exclude " in line for line in swaps) or any(
        " instead of " in line for line in swaps)


# ---------------------------------------------------------------------- validation


def _household(members: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    return {"household": settings, "members": members}


ADULT = {"name": "A", "age": 40, "sex": "female"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _household([ADULT, {**ADULT, "name": "a"}]),
            "h.toml: member 'a': duplicate member name (also member 1); give each member its own name",
        ),
        (
            _household([{**ADULT, "agee": 40}]),
            "h.toml: member 'A': unknown key 'agee'; did you mean: age?",
        ),
        (
            _household([{**ADULT, "age": "forty"}]),
            "h.toml: member 'A': key 'age' must be a number, not 'forty'",
        ),
        (
            _household([{**ADULT, "days": 3}]),
            "h.toml: member 'A': key 'days' applies to the whole household; move it to [household]",
        ),
        (
            _household([ADULT], age=40),
            "h.toml: [household]: key 'age' belongs to a member; move it into a [[members]] entry",
        ),
        (
            _household([{"name": "B", "sex": "male"}]),
            "h.toml: member 'B': missing key 'age'; add it, e.g. age = 34",
        ),
        # QA: a file's member was told of the command line's flags.
        (
            _household([{**ADULT, "sex": "male", "pregnant": True}]),
            "h.toml: member 'A': pregnant applies to sex female only; drop pregnant or use sex = \"female\"",
        ),
        (
            _household([{**ADULT, "sex": "female", "trimester": 2}]),
            "h.toml: member 'A': trimester applies to pregnancy only; add pregnant = true or drop trimester",
        ),
        (
            _household([{**ADULT, "exclude": ["peanut buter"]}]),
            "h.toml: member 'A': key 'exclude': unknown food 'peanut buter'; did you mean: peanut butter?",
        ),
        (
            _household([{**ADULT, "age": 0.5}]),
            "h.toml: member 'A': age 0.5 is under 1 year: infants get their magnesium (AI 30–75 mg) from "
            "breast milk or formula, not a meal plan; ask a pediatrician",
        ),
        (_household([ADULT], shared_meals="yes"), "h.toml: [household]: key 'shared_meals' must be true or false"),
        (_household([], days=3), "h.toml: no members; add a [[members]] entry for each person, with age and sex"),
        ({"members": [ADULT], "person": {}}, "h.toml: unknown top-level key 'person'"),
        (_household([ADULT], days=40), "h.toml: [household]: days 40 is out of range; give 1 to 28"),
        (_household([ADULT, ADULT | {"name": "B"}], solver="gurobi"), "h.toml: [household]: solver 'gurobi' is not"),
        (
            _household([ADULT], exclude=["sesam"]),
            "h.toml: [household]: key 'exclude': unknown food 'sesam'",
        ),
        # QA: a household file was told to "give --prices FILE", which `household` does not take.
        (_household([ADULT], budget=50), 'h.toml: [household]: budget needs prices; give prices = "FILE"'),
        # QA: the require came from [household], and Vee's own table had none.
        (_household([ADULT, {"name": "Vee", "age": 35, "sex": "female", "diet": ["vegan"]}], require=["salmon"]),
         "h.toml: member 'Vee': require salmon conflicts with diet vegan: salmon is not vegan; drop one of the two "
         "(require salmon is in [household], for every member: move it to the members it is for)"),
        (_household([ADULT | {"require": ["tofu"]}], dislike=["tofu"]),
         "h.toml: member 'A': dislike tofu conflicts with require tofu: tofu is both required and disliked; drop one "
         "of the two (dislike tofu is in [household], for every member: move it to the members it is for)"),
        # QA: blamed on every member, at planning time.
        (_household([ADULT], days=1, max_days_per_food=4),
         "h.toml: [household]: max days per food 4 is out of range; give 1 to 1"),
        (_household([ADULT], budget=-5, prices=str(REPO / "data" / "prices.csv")), "h.toml: [household]: budget -5 is out of range; give more than 0 and"),
    ],
)
def test_household_problems_name_file_member_and_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as info:
        household_from_data(data, "h.toml")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--days", "0", "command line: days 0 is out of range; give 1 to 28"),
        ("--time-limit", "0", "command line: time limit 0 s is out of range; give 0.1 to 86400 seconds"),
        ("--solver", "x", "command line: solver 'x' is not one of: highs, cbc"),
    ],
)
def test_a_bad_command_line_option_is_not_blamed_on_the_file(option: str, value: str, message: str,
                                                             tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "h.toml"
    path.write_text('[household]\nname = "h"\n[[members]]\nname = "A"\nage = 30\nsex = "female"\n', "utf-8")
    result = CliRunner().invoke(app, ["household", str(path), option, value])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_a_members_table_instead_of_entries_is_named() -> None:
    data = {"household": {"name": "h"}, "members": {"name": "A", "age": 30, "sex": "female"}}
    with pytest.raises(InputError, match=r"^h.toml: \[members\] is a single table; write each person as a "
                                         r"\[\[members\]\] entry \(double brackets\)$"):  # fmt: skip
        household_from_data(data, "h.toml")


def test_an_unknown_key_lists_only_the_keys_that_place_takes() -> None:
    """A member's unknown key lists a member's keys (not the household's or a top-up's), and a
    top-up's key is unknown in a household file."""
    data = {"household": {"name": "h", "current_intake": 200},
            "members": [{"name": "A", "age": 30, "sex": "female", "favourite": "x"}]}  # fmt: skip
    with pytest.raises(InputError) as info:
        household_from_data(data, "h.toml")
    first, second = str(info.value).split("; h.toml: member")
    assert first.startswith("h.toml: [household]: unknown key 'current_intake'; known keys: name, shared_meals,")
    assert "topup" not in first and "current_intake," not in first
    assert second.startswith(" 'A': unknown key 'favourite'; known keys: name, age, sex,")
    assert not any(key in second for key in ("days", "seed", "solver", "prices", "current_intake"))


def test_every_problem_is_reported_at_once() -> None:
    data = _household([{**ADULT, "agee": 1}, {"name": "B", "age": 30, "sex": "robot"}], dayz=2)
    with pytest.raises(InputError) as info:
        household_from_data(data, "h.toml")
    text = str(info.value)
    assert "[household]: unknown key 'dayz'" in text
    assert "member 'A': unknown key 'agee'" in text
    assert "member 'B': sex 'robot' is not one of: female, male" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [({"household": {1: 2}, "members": [ADULT]},
      "h.toml: [household]: key 1 is not text; give each key as text, e.g. 'name'"),
     (_household([{**ADULT, None: "x"}]),
      "h.toml: member 'A': key None is not text; give each key as text, e.g. 'name'")],
)  # fmt: skip
def test_a_key_that_is_not_text_is_named(data: dict[str, Any], message: str) -> None:
    """API QA: a dict from Python with a key 1 raised AttributeError ('int' object has no
    attribute 'replace'); a TOML file's keys are always texts."""
    with pytest.raises(InputError) as info:
        household_from_data(data, "h.toml")
    assert str(info.value) == message
    assert info.value.exit_code == 2


def test_a_tuple_is_taken_wherever_a_list_of_texts_is() -> None:
    """API QA: household_from_data refused exclude=("peanuts",) ("must be a list of texts, not
    ('peanuts',)"), though Preferences takes its lists as tuples; a TOML file only gives lists."""
    as_tuples = household_from_data(_household(
        [{**ADULT, "diet": ("vegetarian",), "like": ("oats",), "max_servings": ("almonds=1",)}],
        exclude=("peanuts",), add_food=(12154,)), "h.toml")  # fmt: skip
    as_lists = household_from_data(_household(
        [{**ADULT, "diet": ["vegetarian"], "like": ["oats"], "max_servings": ["almonds=1"]}],
        exclude=["peanuts"], add_food=[12154]), "h.toml")  # fmt: skip
    assert as_tuples == as_lists
    assert as_tuples.settings["exclude"] == ["peanuts"]
    assert as_tuples.members[0].request.preferences.exclude == ("peanuts",)
    with pytest.raises(InputError) as info:
        household_from_data(_household([ADULT], exclude=("peanuts", 3)), "h.toml")
    assert str(info.value) == "h.toml: [household]: key 'exclude' must be a list of texts, not ('peanuts', 3)"


def test_member_lists_add_to_the_households_and_switches_override() -> None:
    merged = merge_options(
        {"name": "H", "exclude": ["peanuts"], "like": {"oats": 2.0}, "fiber": True, "days": 3},
        {"exclude": ["milk"], "like": ["quinoa"], "fiber": False},
    )
    assert merged == {"exclude": ["peanuts", "milk"], "like": ["oats=2.0", "quinoa"], "fiber": False, "days": 3}


def test_cli_reports_a_bad_household_file_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "fam.toml"
    path.write_text('[household]\ndays = 1\n\n[[members]]\nname = "Leo"\nage = 6\nsex = "male"\nexclud = ["nuts"]\n')
    result = CliRunner().invoke(app, ["household", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {path}: member 'Leo': unknown key 'exclud'; did you mean: exclude?\n"


def test_the_shipped_family_loads_with_four_targets() -> None:
    family = load_household(FAMILY)
    assert family.name == "Rivera family"
    assert [m.name for m in family.members] == list(EXPECTED)
    assert family.days == 7
    assert [m.request.preferences.exclude for m in family.members][3] == ("peanuts", "tree nuts", "beverages")


@pytest.mark.parametrize("path", sorted((REPO / "examples" / "batch" / "households").glob("*.toml")), ids=str)
def test_example_batch_households_load(path: Path) -> None:
    assert load_household(path).members


# --------------------------------------------------------------------------- model


def test_swap_constraints_have_stable_names_and_only_exist_with_swaps() -> None:
    """add_swaps, inspected unsolved: a member's private copy of a food may be on a meal
    only where they miss a shared food, never beside the food it copies."""
    import dataclasses

    from mealplan.catalog import load_foods
    from mealplan.household import private_ndb
    from mealplan.model import Member, ModelSpec, build_model
    from mealplan.targets import Profile, targets_for

    foods = {f.name: f for f in load_foods()}
    shared = tuple(foods[n] for n in ("oats", "milk", "soymilk", "lentils", "salmon", "broccoli", "almonds"))
    copy = dataclasses.replace(foods["soymilk"], ndb_no=private_ndb(foods["soymilk"].ndb_no, 1))
    adult = targets_for(Profile(age=40, sex="female"))
    no_milk = frozenset(f.ndb_no for f in shared if f.name != "milk") | {copy.ndb_no}
    members = (Member("a", adult, frozenset(f.ndb_no for f in shared)), Member("b", adult, no_milk))
    spec = ModelSpec(foods=(*shared, copy), members=members, days=2, swaps={copy.ndb_no: (copy.ndb_no[:5], 1)})
    names = set(build_model(spec).prob.constraints)
    assert {"swap:1:0:breakfast", "swap:1:1:snack"} <= names
    assert f"swap_distinct:1:0:breakfast:{copy.ndb_no}" in names
    assert f"swap_day_cap:1:0:{copy.ndb_no}" in names
    assert not any(n.startswith("swap:0:") for n in names)
    assert not any(n.startswith("swap") for n in build_model(dataclasses.replace(spec, swaps={})).prob.constraints)


def test_a_shared_menu_that_outlasts_its_time_limit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared menu whose solve took more than the limit (here: said to have taken 95 s of
    60) carries the warning, as a one-person plan does."""
    import dataclasses

    import mealplan.household as household_module
    from mealplan.household import plan_household

    real = household_module.solve_spec

    def slow(*args: Any) -> Any:
        solution = real(*args)
        return dataclasses.replace(solution, result=dataclasses.replace(solution.result, seconds=95.0))

    monkeypatch.setattr(household_module, "solve_spec", slow)
    family = load_household(FAMILY, {"days": 1, "solver": "cbc", "gap": 0.1, "time_limit": 60})
    plan = plan_household(family, shared_meals=True)
    assert "planning took 95.0 s, more than the time limit of 60 s" in plan.warnings


@pytest.mark.parametrize("shared", [False, True], ids=["separate", "shared"])
def test_a_household_budget_is_kept_and_its_cost_is_stated_in_every_format(shared: bool, tmp_path: Path) -> None:
    """A household's budget is a week's money for all members (pro rata for 2 days, as for
    one person, in both modes); the plan keeps to it, recomputed here from servings ×
    serving grams × the prices file, and every format states that cost."""
    from mealplan.household import plan_household
    from mealplan.report import render
    from mealplan.report.common import plan_dict

    (tmp_path / "prices.csv").write_bytes((REPO / "data" / "prices.csv").read_bytes())
    (tmp_path / "home.toml").write_text(
        '[household]\ndays = 2\nprices = "prices.csv"\nbudget = 60\n\n'
        '[[members]]\nname = "A"\nage = 40\nsex = "male"\n\n[[members]]\nname = "B"\nage = 6\nsex = "female"\n',
        encoding="utf-8",
    )
    with (REPO / "data" / "prices.csv").open(encoding="utf-8") as fh:
        price = {row["food"]: float(row["price_per_100g"]) for row in csv.DictReader(line for line in fh
                                                                                  if not line.startswith("#"))}  # fmt: skip
    name = {ndb_no: row["name"] for ndb_no, row in POOL.items()}
    plan = plan_household(load_household(tmp_path / "home.toml", {"solver": "cbc", "gap": 0.1, "time_limit": 60}),
                          shared_meals=shared)  # fmt: skip
    document = plan_dict(plan)
    cost = sum(
        servings * float(POOL[ndb_no]["serving_grams"]) * price[name[ndb_no]] / 100
        for member in document["members"]
        for servings_by_food in _meals(member).values()
        for ndb_no, servings in servings_by_food.items()
    )
    # 60 a week keeps the shared plan near it (16.53 of 17.14 for 2 days) and is solved in ~5 s,
    # where 40 took ~35 s of the suite's time.
    budget = 60 * 2 / 7
    assert document["cost"]["budget"] == pytest.approx(budget)
    assert cost <= budget + 1e-6
    assert document["cost"]["total"] == pytest.approx(cost, abs=0.006)
    line = (f"Cost: {cost:,.2f} for the 2 days, both members (budget {budget:,.2f}), at the prices given: the food "
            "eaten, priced per 100 g as eaten (whole packs on the shopping list can cost more)")
    for fmt in ("table", "markdown", "html"):
        assert line in render(plan, fmt), fmt


PROTEIN = {"legumes", "soy", "fish", "poultry", "eggs"}  # README: lunch and dinner have one
VEGETABLE = {"vegetables", "greens"}


def _main_meals_lacking(plan: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    """(member, day, slot, what) for each lunch or dinner a member eats without a protein
    food or a vegetable of their own."""
    lacking = []
    for member in plan["members"]:
        for day in member["days"]:
            for meal in day["meals"]:
                if meal["slot"] in ("lunch", "dinner"):
                    categories = {POOL[item["ndb_no"]]["category"] for item in meal["items"]}
                    for what, group in (("protein", PROTEIN), ("vegetable", VEGETABLE)):
                        if not categories & group:
                            lacking.append((member["name"], day["day"], meal["slot"], what))
    return lacking


def test_every_member_of_a_shared_menu_has_a_protein_and_a_vegetable_at_lunch_and_dinner(
    shared_plan: dict[str, Any], tmp_path: Path
) -> None:
    """Found in QA: with salmon required by one member and the other vegan, her dinner was
    the menu less the salmon: pasta, spinach and potato. The rule now holds member by member."""
    assert _main_meals_lacking(shared_plan) == []
    (tmp_path / "home.toml").write_text(
        '[household]\ndays = 2\nshared_meals = true\n\n[[members]]\nname = "Dad"\nage = 42\nsex = "male"\n'
        'require = ["salmon"]\n\n[[members]]\nname = "Mom"\nage = 40\nsex = "female"\ndiet = ["vegan"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "home.json"
    result = CliRunner().invoke(app, ["household", str(tmp_path / "home.toml"), *FAST, "--output", str(out)])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text(encoding="utf-8"))
    salmon = next(n for n, row in POOL.items() if row["name"] == "salmon")
    assert any(item["ndb_no"] == salmon for day in plan["members"][0]["days"] for meal in day["meals"]
               for item in meal["items"])  # fmt: skip
    assert _main_meals_lacking(plan) == []


def test_separate_plans_say_which_member_is_not_proven_and_the_status_follows_the_households_gap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found in QA: 'feasible, NOT proven within the gap asked: gap 0.99%' with 2% asked, the
    cause being one member at 2.11% hidden in the household's sums."""
    import dataclasses

    from mealplan import household as household_module

    real = household_module.plan_from_inputs

    def one_unproven(inputs: Any, *args: Any, **kwargs: Any) -> Any:
        plan = real(inputs, *args, **kwargs)
        if inputs.profile.name != "Ana":
            return plan
        s = plan.solve
        assert s.objective is not None
        weak = dataclasses.replace(s, status="feasible", bound=s.objective * 1.0211, gap=0.0211)
        return dataclasses.replace(plan, solve=weak)

    monkeypatch.setattr(household_module, "plan_from_inputs", one_unproven)
    family = load_household(FAMILY, {"days": 2, "solver": "cbc", "gap": 0.02, "time_limit": 60})
    plan = household_module.plan_household(family)
    assert plan.solve.gap is not None and plan.solve.gap <= 0.02
    assert plan.solve.status == "optimal"
    assert "Ana's plan is not proven within the gap asked (2%): gap 2.11%" in plan.warnings
    assert not any(w.startswith(("Daniel's", "Mia's", "Leo's")) for w in plan.warnings)


def test_a_shared_menu_that_cannot_exist_names_the_member_who_has_no_day_even_alone(tmp_path: Path) -> None:
    """Found in QA: 'no shared menu … plan separate meals (drop --shared-meals)', advice that
    then failed for the same member; the member and the changes that help are now named."""
    path = tmp_path / "infeasible.toml"
    path.write_text(
        '[household]\nname = "Inf"\ndays = 2\n'
        '[[members]]\nname = "T"\nage = 16\nsex = "female"\npregnant = true\ncalories = 1800\ndiet = ["vegan"]\n'
        'like = ["coffee", "black tea"]\n'  # asked for: in pregnancy caffeine is planned only so
        'exclude = ["seeds", "nuts", "soy", "legumes", "grains", "greens", "cocoa"]\n'
        '[[members]]\nname = "U"\nage = 40\nsex = "male"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["household", str(path), "--shared-meals"])
    assert result.exit_code == 3
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("Error: member 'T': no plan exists")
    assert "drop --shared-meals" not in message
    # said as changes to the file (QA: "drop --exclude seeds" cannot be typed for a file)
    assert f"allow seeds (remove 'seeds' from exclude in member 'T' of {path})" in message
    assert f"(change diet 'vegan' to 'vegetarian' in member 'T' of {path})" in message
    assert "--exclude" not in message and "--diet" not in message


@pytest.mark.parametrize("shared", [False, True])
def test_each_members_first_problem_is_reported_at_once_before_any_plan(tmp_path: Path, shared: bool) -> None:
    """Found in QA: a household with two members' problems took a run per problem to show
    them, the later one only after the first member's week was planned."""
    path = tmp_path / "h.toml"
    path.write_text('[household]\nname = "x"\ndays = 2\n'
                    '[[members]]\nname = "A"\nage = 30\nsex = "female"\n'
                    '[[members]]\nname = "B"\nage = 12\nsex = "female"\nrequire = ["coffee"]\n'
                    '[[members]]\nname = "C"\nage = 2\nsex = "male"\nrequire = ["almonds"]\n', encoding="utf-8")  # fmt: skip
    wishes = (f"{path}: member 'B': mealplan does not plan coffee for children under 14 (a caffeinated drink); "
              f"remove coffee from require in member 'B' of {path}; "
              f"{path}: member 'C': mealplan does not plan almonds for children under 4 (a choking hazard for young "
              f"children); remove almonds from require in member 'C' of {path}")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path), *(["--shared-meals"] if shared else [])])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {wishes}"]
    assert "planning" not in result.stderr
    # A problem of the file (A's age) no longer hides the others' (review).
    path.write_text(path.read_text(encoding="utf-8").replace("age = 30", "age = 500"), encoding="utf-8")
    result = CliRunner().invoke(app, ["household", str(path), *(["--shared-meals"] if shared else [])])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {path}: member 'A': age 500 is out of range; give an age from 1 to "
                                          f"120; {wishes}"]  # fmt: skip


def test_a_household_file_takes_one_name_as_text_and_an_added_food_as_a_number() -> None:
    """QA: like, dislike and require refused a single text that diet, exclude and add_food took,
    and add_food = 12154 was refused; in [household] and a member, as in a profile."""
    def members(household: dict[str, Any], member: dict[str, Any]) -> list[Any]:
        data = {"household": household, "members": [{"name": "A", "age": 30, "sex": "female", **member}]}
        return [m.request for m in household_from_data(data, "h.toml").members]

    single = members({"like": "salmon=2", "add_food": 12154, "require": "oats"},
                     {"dislike": "fish", "require": "chia seeds=3", "like": "oats"})  # fmt: skip
    listed = members({"like": ["salmon=2"], "add_food": ["12154"], "require": ["oats"]},
                     {"dislike": ["fish"], "require": ["chia seeds=3"], "like": ["oats"]})  # fmt: skip
    assert single == listed
    assert single[0].preferences.like == {"salmon": 2.0, "oats": 1.0}
    assert single[0].preferences.require == {"oats": None, "chia seeds": 3}


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize(("in_file", "given", "seed"), [("seed = 3\n", None, 3), ("seed = 3\n", 4, 4), ("", 4, 4)])
def test_a_households_request_gives_one_seed(tmp_path: Path, shared: bool, in_file: str, given: int | None,
                                             seed: int) -> None:  # fmt: skip
    """QA: `--seed 4 --format json` gave `request.seed` 4 but `request.solver.seed` 0 (for one
    person the two agree); the seed of the file's [household] or of --seed is both. (The
    record is what a plan's JSON writes; the test below plans one.)"""
    from mealplan.household import _request_record, _solve_options
    from mealplan.plan import SHARED_MODE

    path = tmp_path / "h.toml"
    path.write_text(f'[household]\ndays = 1\ngap = 0.1\n{in_file}[[members]]\nname = "A"\nage = 30\n'
                    'sex = "female"\n', encoding="utf-8")  # fmt: skip
    household = load_household(path, {} if given is None else {"seed": given})
    request = _request_record(household, SHARED_MODE if shared else "separate plans", _solve_options(household, None))
    assert (request["seed"], request["solver"]["seed"]) == (seed, seed)


def test_a_households_json_gives_the_seed_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "h.toml"
    path.write_text('[household]\ndays = 1\ngap = 0.1\nseed = 3\n[[members]]\nname = "A"\nage = 30\n'
                    'sex = "female"\n', encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path), "--shared-meals", "--format", "json", "--seed", "4"])
    assert result.exit_code == 0, result.output
    request = json.loads(result.stdout)["request"]
    assert (request["seed"], request["solver"]["seed"]) == (4, 4)


@pytest.mark.parametrize(("household", "member", "place"), [
    ('require = ["coffee"]\n', "", "[household]"),
    ('require = {Coffee = 2}\n', "", "[household]"),
    ('require = ["coffee"]\n', 'require = ["coffee"]\n', "[household] and member 'K'"),
    ("", 'require = ["coffee=3"]\n', "member 'K'"),
])  # fmt: skip
def test_a_required_food_an_age_rule_refuses_is_blamed_where_the_file_requires_it(
    tmp_path: Path, household: str, member: str, place: str
) -> None:
    """QA: a [household] require of coffee with an 8-year-old member was told to "remove coffee
    from require in member 'K'", who had no require; lists add up, so one in both goes from both."""
    path = tmp_path / "c4.toml"
    path.write_text(f'[household]\ndays = 1\n{household}[[members]]\nname = "K"\nage = 8\nsex = "male"\n{member}',
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path)])
    assert result.exit_code == 2
    typed = "Coffee" if "Coffee" in household else "coffee"
    assert result.stderr.splitlines() == [
        f"Error: {path}: member 'K': mealplan does not plan coffee for children under 14 (a caffeinated drink); "
        f"remove {typed} from require in {place} of {path}"
    ]


@pytest.mark.parametrize(("setting", "problem"), [
    ("kcal_tolerance = 0.5", "calorie tolerance 0.5 is out of range; give 0.01 to 0.25 (1–25%)"),
    ("days = 99", "days 99 is out of range; give 1 to 28"),
    ('exclude = ["peanut buter"]', "key 'exclude': unknown food 'peanut buter'; did you mean: peanut butter?"),
])  # fmt: skip
def test_a_households_bad_value_does_not_hide_the_members_problems(tmp_path: Path, setting: str, problem: str) -> None:
    """QA: a [household] value out of range (kcal_tolerance = 0.5, days = 99) hid a member's age
    of 500, though the docs say each member's first problem is reported too (it was, for a value
    of the wrong type only). Members are checked with the household's values that are fine, and
    their wishes too (K's coffee)."""
    path = tmp_path / "h.toml"
    path.write_text(f'[household]\n{setting}\n[[members]]\nname = "A"\nage = 500\nsex = "female"\n'
                    '[[members]]\nname = "K"\nage = 8\nsex = "male"\nrequire = ["coffee"]\n'
                    '[[members]]\nname = "B"\nage = 30\nsex = "male"\n', encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: [household]: {problem}; {path}: member 'A': age 500 is out of range; give an age from 1 to "
        f"120; {path}: member 'K': mealplan does not plan coffee for children under 14 (a caffeinated drink); "
        f"remove coffee from require in member 'K' of {path}"
    ]


def test_without_the_households_foods_the_members_names_are_not_checked(tmp_path: Path) -> None:
    """A member's food of the household's own foods file is not "unknown" when that file is
    missing: their values are checked (A's age), their names are not (B's)."""
    path = tmp_path / "h.toml"
    path.write_text('[household]\nfoods = "mine.csv"\n[[members]]\nname = "A"\nage = 500\nsex = "female"\n'
                    '[[members]]\nname = "B"\nage = 30\nsex = "male"\nlike = ["my granola"]\n',
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: [household]: foods file {tmp_path / 'mine.csv'} does not exist; check the path; "
        f"{path}: member 'A': age 500 is out of range; give an age from 1 to 120"
    ]


def test_a_members_balance_switch_is_suggested_as_a_key_of_the_file(tmp_path: Path) -> None:
    """QA: a member with no plan was told '(--no-macros)', an option neither `household` nor
    `batch` takes; it is said as the member's key in the file."""
    path = tmp_path / "h.toml"
    # An adult: a child is not offered to drop the ranges (test_explain).
    path.write_text('[household]\nname = "h"\ndays = 1\n[[members]]\nname = "E"\nage = 30\nsex = "male"\n'
                    'diet = ["vegan"]\nexclude = ["seeds", "nuts", "legumes"]\n', encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path)])
    assert result.exit_code == 3, result.output
    assert f"drop the macronutrient ranges (macros = false in member 'E' of {path})" in result.stderr
    assert "--no-macros" not in result.stderr


def test_a_household_is_marked_reused_only_as_far_as_its_members_were() -> None:
    """QA: one member's reused plan marked the whole household "(reused)"."""
    import dataclasses

    from mealplan.household import _members_method

    plan = plan_week(Profile(30, "female"), days=1)
    fresh, reused = plan, dataclasses.replace(plan, method=f"{plan.method} (reused)")
    assert _members_method([fresh, fresh]) == f"member by member: {plan.method}"
    assert _members_method([reused, fresh]) == f"member by member: {plan.method} (1 of 2 members reused)"
    assert _members_method([reused, reused]) == f"member by member: {plan.method} (reused)"


def test_a_shared_menu_names_a_members_missing_protein_and_traces(tmp_path: Path) -> None:
    """The notes a person's plan gives (no protein food left for lunch and dinner; a planned
    food that keeps the diet by its ingredients but may hold traces) a shared menu gives for
    the member they concern."""
    path = tmp_path / "v.toml"
    path.write_text('[household]\nname = "V"\ndays = 1\n'
                    '[[members]]\nname = "Vee"\nage = 30\nsex = "female"\ncalories = 1400\ndiet = ["vegan"]\n'
                    'require = ["whole-wheat bread"]\nexclude = ["legumes", "nuts"]\n'
                    '[[members]]\nname = "Om"\nage = 40\nsex = "male"\n', encoding="utf-8")  # fmt: skip
    out = tmp_path / "v.json"
    result = CliRunner().invoke(app, ["household", str(path), "--shared-meals", *FAST, "--output", str(out)])
    assert result.exit_code == 0, result.output
    warnings = json.loads(out.read_text(encoding="utf-8"))["warnings"]
    assert ("for Vee: no food for lunch or dinner is a protein food (eggs, fish, legumes, poultry, soy) after the "
            "exclusions, so lunch and dinner have none") in warnings  # fmt: skip
    assert any(w.startswith("for Vee: whole-wheat bread: packaged forms may contain traces of milk") for w in warnings)
    # Om's own nutrient notes (sodium; B12, as the vegan menu holds no animal food) name him;
    # none of Vee's does.
    assert not any(w.startswith("for Om:") and "sodium" not in w and "no animal food" not in w for w in warnings)


def test_separate_plans_name_the_member_whose_plan_overran_the_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """API QA: with --time-limit 2, separate plans warned "planning took 5.2 s, more than the
    time limit of 2 s" three times without naming anyone; the limit is each member's plan's."""
    import dataclasses

    from mealplan import household as household_module
    from mealplan.planner import OVERRUN_START

    real = household_module.plan_from_inputs

    def slow(inputs: Any, *args: Any, **kwargs: Any) -> Any:
        plan = real(inputs, *args, **kwargs)
        took = f"{OVERRUN_START} 5.2 s, more than the time limit of 2 s"
        return dataclasses.replace(plan, warnings=(*plan.warnings, took))

    monkeypatch.setattr(household_module, "plan_from_inputs", slow)
    path = tmp_path / "two.toml"
    path.write_text('[household]\nname = "two"\ndays = 1\n[[members]]\nname = "Ana"\nage = 41\nsex = "female"\n'
                    '[[members]]\nname = "Leo"\nage = 6\nsex = "male"\n', encoding="utf-8")  # fmt: skip
    plan = household_module.plan_household(load_household(path, {"solver": "cbc"}))
    took = [w for w in plan.warnings if OVERRUN_START in w]
    # The same words for both are said once (merged_by_member).
    assert took == ["for Ana and Leo: planning took 5.2 s, more than the time limit of 2 s"]


@pytest.mark.parametrize("shared", [False, True], ids=["separate", "shared"])
def test_a_members_required_food_without_a_value_the_targets_need_is_refused(tmp_path: Path, shared: bool) -> None:
    """A member's required food that USDA did not measure a needed value of is refused up
    front, named for the member and said as a change to the file, in both modes."""
    path = tmp_path / "h.toml"
    path.write_text('[household]\nname = "h"\ndays = 1\nadd_food = ["16222"]\n'
                    '[[members]]\nname = "A"\nage = 30\nsex = "female"\nrequire = ["16222"]\n'
                    '[[members]]\nname = "B"\nage = 40\nsex = "male"\n', encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["household", str(path), *(["--shared-meals"] if shared else [])])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: member 'A': soymilk (all flavors), unsweetened, with added calcium, vitamins a and d is "
        "required, but USDA has no value for zinc, which the upper intake levels need, so it cannot be planned (or "
        f"plan without the upper intake levels: --no-upper-limits); remove 16222 from require in member 'A' of {path}\n"
    )


@pytest.mark.slow  # about 18 s: three households planned, two with each short member's explanation
def test_a_member_s_budget_advice_is_the_household_budget_that_gives_it(tmp_path: Path) -> None:
    """QA: separate plans split a [household] budget by calories, and a member with no plan
    under their share was told "raise the budget to 19 a week (budget = 19 in [household])":
    19 was their share, and the household's budget at 19 gave them 10.45 and the same advice.
    Lower calories made their share smaller too, so that change failed when applied."""
    prices = (REPO / "data" / "prices.csv").as_posix()
    members = ('[[members]]\nname = "Al"\nage = 85\nsex = "male"\n{al}'
               '[[members]]\nname = "Bea"\nage = 82\nsex = "female"\n')  # fmt: skip

    def run(budget: int, al: str = "") -> Any:
        path = tmp_path / "h.toml"
        path.write_text(f'[household]\nname = "HB"\ndays = 1\nprices = "{prices}"\nbudget = {budget}\n'
                        + members.format(al=al), encoding="utf-8")  # fmt: skip
        return CliRunner().invoke(app, ["household", str(path), "--time-limit", "10"])

    refused = run(25)
    assert refused.exit_code == 3, refused.output
    error = refused.stderr.splitlines()[-1]
    assert error.startswith("Error: member 'Al': no plan exists even without the magnesium target")
    assert "Held back by the calorie target (2,200 kcal ± 5%) and Al's share of the budget, 13.75 of 25 a week " \
           "(split by calories)." in error  # fmt: skip
    # Bea, planned still, is short of money too at 25: the figure gives her enough as well.
    found = re.search(r"raise the household's budget to (\d+) a week, which gives Al ([\d.]+) of it and Bea enough "
                      rf"of theirs \(budget = \1 in \[household\] of {re.escape(str(tmp_path / 'h.toml'))}\)",
                      error)  # fmt: skip
    assert found is not None, error
    budget = int(found.group(1))
    assert float(found.group(2)) == pytest.approx(budget * 2200 / (2200 + 1800), abs=0.005)
    calories = re.search(r"lower calories to ([\d,]+) kcal a day.*, with the household's budget raised to (\d+) a week "
                         r"so that Al's share of it, smaller with fewer calories, stays 13\.75 \(calories = \d+ in "
                         r"member 'Al' of .*h\.toml, and budget = \2 in \[household\]\)", error)  # fmt: skip
    assert calories is not None, error
    # Each change, applied as said, plans Al.
    assert run(budget).exit_code == 0
    kcal, with_budget = calories.group(1).replace(",", ""), int(calories.group(2))
    # (Al's notes may name his file section, "in member 'Al'"; his refusal is what must be gone.)
    assert "Error: member 'Al'" not in run(with_budget, f"calories = {kcal}\n").output


def test_a_member_s_time_out_under_a_split_budget_names_their_share_and_the_file() -> None:
    """QA: "with --budget 15.75 a plan may not exist … try a larger --budget": a flag, and a
    member's share, for a household file's budget."""
    from types import SimpleNamespace

    from mealplan.errors import SolverError
    from mealplan.household import _members_error
    from mealplan.planner import _raise_unless_plan
    from mealplan.solver import SolveOptions, SolveResult

    household = household_from_data(
        {"household": {"name": "HB", "days": 1, "budget": 35, "prices": (REPO / "data" / "prices.csv").as_posix()},
         "members": [{"name": "Al", "age": 85, "sex": "male"}, {"name": "Bea", "age": 82, "sex": "female"}]},
        "h.toml",
    )  # fmt: skip
    inputs = SimpleNamespace(preferences=SimpleNamespace(budget=15.75), solve_options=SolveOptions(time_limit_s=20),
                             weekly_average=False, days=7)
    with pytest.raises(SolverError) as raised:
        _raise_unless_plan(SolveResult("no_solution", "cbc", None, None, None, 20.0), inputs, None)  # type: ignore[arg-type]
    told = str(_members_error(household, household.members[1], raised.value))
    assert told == ("member 'Bea': cbc found no plan within the time limit of 20 s; with Bea's share of the budget, "
                    "15.75 a week, a plan may not exist, or be hard to find so near the cheapest week: try a larger "
                    "budget, or raise time_limit, in [household] of h.toml")  # fmt: skip


# 30–50 s of solves (explanations checked by solving, then applied): run by `pytest -m slow`,
# which CI runs too, so that the default suite stays under 5 minutes on 2 cores.
@pytest.mark.slow
def test_a_shared_menu_without_a_day_names_the_changes_that_give_one(tmp_path: Path) -> None:
    """QA: a pregnant vegan's protein floor ruled out a shared menu with her son, and the
    message only said to plan separate meals or relax a member's exclusions (relaxing her
    gluten-free diet did not help; dropping the floor did)."""
    path = tmp_path / "h.toml"
    path.write_text('[household]\nname = "H"\ndays = 1\nexclude = ["peanuts", "tree nuts", "sesame", "soy"]\n'
                    '[[members]]\nname = "Pia"\nage = 29\nsex = "female"\npregnant = true\ntrimester = 3\n'
                    'calories = 1200\ndiet = ["vegan", "gluten-free"]\nprotein = 71\nexclude = ["soy"]\n'
                    '[[members]]\nname = "Tom"\nage = 3\nsex = "male"\n', encoding="utf-8")  # fmt: skip
    args = ["household", str(path), "--shared-meals", "--time-limit", "20", "--solver", "highs"]
    # Each check stops by nodes, so that a busy machine does not change the message (the
    # explanation's deadline: conftest).
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 3, refused.output
    error = refused.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: no shared menu lets every member of 'H' meet their own magnesium, energy and "
                            "balance targets with the foods they may eat, though each has a day of their own. Any one "
                            "of these changes gives a shared menu of one day (each checked by solving that day; a "
                            "longer menu can need more): ")  # fmt: skip
    assert f"no protein floor for Pia (remove protein from member 'Pia' of {path})" in error
    # Soy is excluded in [household] and by Pia too: the change names both (review).
    assert f"allow soy for everyone (remove 'soy' from exclude in [household] and member 'Pia' of {path})" in error
    assert "allow soy for Pia" not in error
    assert "gluten-free" not in error  # not a change that helps
    assert error.endswith("Or plan separate meals (--separate, or shared_meals = false in the file).")
    path.write_text(path.read_text(encoding="utf-8").replace("protein = 71\n", ""), encoding="utf-8")
    assert CliRunner().invoke(app, args).exit_code == 0


@pytest.mark.parametrize(
    ("wishes", "told"),
    [
        ({}, ""),
        ({"require": ["salmon"]}, ", or require fewer foods"),
        ({"diet": ["vegan"]}, ", or relax a member's diet"),
        ({"diet": ["vegan"], "exclude": ["soy"], "require": ["oats"]},
         ", or relax a member's exclusions or diet, or require fewer foods"),
    ],
)  # fmt: skip
def test_a_shared_menu_without_a_day_or_a_change_names_only_the_wishes_the_file_has(
    wishes: dict[str, Any], told: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a household without an exclusion was told to "relax a member's exclusions" (a
    6-year-old could not share the salmon another member required)."""
    from mealplan import household as module
    from mealplan.errors import InfeasiblePlan
    from mealplan.solver import SolveOptions

    def never(*_args: Any, **_kwargs: Any) -> None:
        raise InfeasiblePlan("no day")

    monkeypatch.setattr(module, "_plan_shared", never)
    household = household_from_data({"household": {"days": 1}, "members": [
        {"name": "Dad", "age": 40, "sex": "male", **wishes}, {"name": "Kid", "age": 6, "sex": "male"}]}, None)  # fmt: skip
    assert module._shared_changes(household, SolveOptions()) == (
        f"; plan separate meals (--separate, or shared_meals = false in the file){told}."
    )


@pytest.mark.parametrize("name", ["زهرا\u200cی", "\U0001f469\u200d\U0001f373 مريم Zoë", "Ann\u00adette"])
def test_a_name_with_the_invisible_characters_real_names_need_is_taken(name: str) -> None:
    """QA: a Persian name with a zero-width non-joiner, and a cook emoji joined by a
    zero-width joiner, were refused as holding "a line break or control character"."""
    household = household_from_data(
        {"household": {"name": "Home"}, "members": [{"name": name, "age": 30, "sex": "female"}]}, "h.toml")
    assert household.members[0].name == name
    assert Profile(30, "female", name=name).name == name


def test_a_name_that_can_read_other_than_it_is_is_refused_naming_the_character() -> None:
    """A right-to-left override (U+202E) can make a name read other than it is: still refused,
    and the message names the character (QA: it showed only the escaped text)."""
    with pytest.raises(InputError) as raised:
        household_from_data({"household": {"name": "Home"},
                             "members": [{"name": "Ann\u202eeb", "age": 30, "sex": "female"}]}, "h.toml")  # fmt: skip
    assert "key 'name' holds a line break or control character (U+202E); give one plain line" in str(raised.value)
    with pytest.raises(InputError, match=r"holds a line break or control character \(U\+202E\)"):
        Profile(30, "female", name="Ann\u202eeb")


def test_two_members_whose_names_are_the_same_letters_typed_otherwise_are_refused() -> None:
    """QA: "Zoë" composed (NFC) and decomposed (NFD, as macOS can write it) were two members
    whose plans printed alike."""
    with pytest.raises(InputError, match=r"duplicate member name \(also member 1, the same letters typed in another "
                                         r"Unicode form\)"):  # fmt: skip
        household_from_data({"household": {"name": "Home"},
                             "members": [{"name": "Zo\u00eb", "age": 30, "sex": "female"},
                                         {"name": "Zoe\u0308", "age": 8, "sex": "female"}]}, "h.toml")  # fmt: skip
    with pytest.raises(InputError, match=r"duplicate member name \(also member 1\)"):
        household_from_data({"household": {"name": "Home"}, "members": [{"name": "Zoë", "age": 30, "sex": "female"},
                                                                      {"name": "ZOË", "age": 8, "sex": "female"}]},
                            "h.toml")  # fmt: skip
    # NFC, not NFKC: a superscript two is not a two (review).
    household_from_data({"household": {"name": "Home"}, "members": [{"name": "Ana²", "age": 30, "sex": "female"},
                                                                  {"name": "Ana2", "age": 8, "sex": "female"}]},
                        "h.toml")  # fmt: skip


@pytest.mark.parametrize(("solver", "hint"), [("cbc", " (or try --solver highs, which finds some shared menus CBC "
                                                      "does not)"), ("highs", "")])  # fmt: skip
def test_a_shared_menu_cbc_found_none_of_in_time_suggests_highs(monkeypatch: pytest.MonkeyPatch, solver: str,
                                                               hint: str) -> None:  # fmt: skip
    """QA: the family of four's shared day had no plan from CBC in 10 s (exit 4), where HiGHS
    proved one optimal in 3.5 s. (The solve is faked: which solver finds what in time depends
    on the machine.)"""
    import mealplan.household
    from mealplan.errors import SolverError
    from mealplan.solver import SolveResult
    from mealplan.strategy import Solution

    def none_in_time(spec: Any, options: Any) -> Solution:
        return Solution({}, SolveResult("no_solution", options.solver, None, None, None, options.time_limit_s), "x")

    monkeypatch.setattr(mealplan.household, "solve_spec", none_in_time)
    household = household_from_data(
        {"household": {"name": "Two", "days": 1, "solver": solver, "time_limit": 10},
         "members": [{"name": "A", "age": 40, "sex": "male"}, {"name": "B", "age": 38, "sex": "female"}]}, "h.toml")  # fmt: skip
    with pytest.raises(SolverError) as raised:
        mealplan.household.plan_household(household, shared_meals=True)
    assert str(raised.value) == (f"{solver} found no shared menu within the time limit of 10 s; raise --time-limit"
                                 f"{hint} or plan separate meals")  # fmt: skip


def test_a_shared_menu_uses_highs_unless_a_solver_is_named() -> None:
    """Defaults follow the measurements (mealplan.solver.SHARED_DEFAULT_SOLVER): on the five
    example households' shared weeks HiGHS scored as high as CBC or higher on each, and their
    one-day menus took 9.6 s against 27 s. Separate plans keep CBC; a named solver is kept."""
    from mealplan.household import plan_household

    def plan(settings: dict[str, Any], shared: bool) -> str:
        household = household_from_data(
            {"household": {"name": "Two", "days": 1, "gap": 0.05, **settings},
             "members": [{"name": "A", "age": 40, "sex": "male"}, {"name": "B", "age": 38, "sex": "female"}]}, "h.toml")  # fmt: skip
        made = plan_household(household, shared_meals=shared)
        assert made.request["solver"]["solver"] == made.solve.solver  # the record says what ran
        return made.solve.solver

    assert plan({}, shared=True) == "highs"
    assert plan({"solver": "cbc"}, shared=True) == "cbc"
    assert plan({}, shared=False) == "cbc"


def test_a_households_request_is_what_was_planned_whatever_the_caller_changes_later() -> None:
    """API QA: household_from_data kept the caller's nested lists, so a plan's request showed
    an exclusion changed after the household was built, which was never planned."""
    from mealplan.household import household_from_data, plan_household
    from mealplan.report import render

    data: dict[str, Any] = {"household": {"name": "H", "days": 1, "exclude": ["peanuts"]},
                            "members": [{"name": "A", "age": 30, "sex": "male", "diet": ["vegan"]}]}  # fmt: skip
    household = household_from_data(data, "x", overrides={"solver": "cbc", "gap": 0.05})
    data["household"]["exclude"][:] = ["not-a-food"]
    data["members"][0]["diet"].append("xx")
    request = json.loads(render(plan_household(household), "json"))["request"]
    assert request["settings"]["exclude"] == ["peanuts"]
    assert request["members"][0]["options"]["diet"] == ["vegan"]


def test_lines_that_say_the_same_for_several_members_are_said_once_where_the_first_was() -> None:
    from mealplan.household import merged_by_member

    lines = ["for Ann: B12", "plain", "for Ann Lee: own", "for Bob: B12", "for Bob: salt", "for Cy: B12",
             "for Cy: salt", "plain"]  # fmt: skip
    assert merged_by_member(lines, ["Ann", "Ann Lee", "Bob", "Cy"]) == (
        "for Ann, Bob and Cy: B12", "plain", "for Ann Lee: own", "for Bob and Cy: salt"
    )


def test_a_shared_menu_without_a_day_for_one_member_says_their_change_may_not_be_enough(tmp_path: Path) -> None:
    """QA: "calories = 1250 in member 'A'" was offered for a shared menu, as checked on A's own
    day; applied, no shared menu existed still (proven after 65 s). The changes are A's own; the
    message says a shared menu may need more."""
    path = tmp_path / "hh.toml"
    path.write_text('[household]\nname = "hh"\ndays = 2\n[[members]]\nname = "A"\nage = 34\nsex = "female"\n'
                    'diet = ["vegan"]\nexclude = ["soy", "legumes", "nuts", "seeds"]\n'
                    '[[members]]\nname = "B"\nage = 40\nsex = "male"\n', encoding="utf-8")  # fmt: skip
    tail = ("Such a change gives A a day of their own; a shared menu must suit the others too, so it may need "
            "more: plan separate meals (--separate, or shared_meals = false in the file) if it does not")
    shared = CliRunner().invoke(app, ["household", str(path), "--shared-meals"])
    assert shared.exit_code == 3
    error = shared.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: member 'A': no plan exists even without the magnesium target")
    assert f"(calories = 1250 in member 'A' of {path}); " in error
    assert error.endswith(f"(macros = false in member 'A' of {path}). {tail}")


@pytest.mark.parametrize(("in_file", "asked", "planned"), [
    (True, False, False), (None, True, True), (False, None, False), (True, None, True),
])  # fmt: skip
def test_a_households_request_records_the_mode_planned(in_file: bool | None, asked: bool | None,
                                                        planned: bool) -> None:  # fmt: skip
    """QA: --separate on a file with shared_meals = true gave mode "separate plans" beside
    settings.shared_meals true, and --shared-meals on a file without the key recorded none."""
    from mealplan.household import household_from_data, plan_household
    from mealplan.report import render

    settings: dict[str, Any] = {"days": 1} if in_file is None else {"days": 1, "shared_meals": in_file}
    household = household_from_data(_household([ADULT, ADULT | {"name": "B", "age": 41}], **settings), "h.toml",
                                    overrides={"solver": "cbc", "gap": 0.05})  # fmt: skip
    request = json.loads(render(plan_household(household, shared_meals=asked), "json"))["request"]
    assert request["mode"] == ("shared meals" if planned else "separate plans")
    assert request["settings"]["shared_meals"] is planned


def test_an_interrupted_household_says_nothing_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: an interrupted household said only "Error: interrupted"; its files are written whole
    or not at all, so it can say that none was."""
    import mealplan.household as household_module

    def interrupted(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(household_module, "plan_household", interrupted)
    out, shopping = tmp_path / "family.json", tmp_path / "shopping.csv"
    result = CliRunner().invoke(app, ["household", str(FAMILY), "--output", str(out), "--shopping-list",
                                      str(shopping)])  # fmt: skip
    assert result.exit_code == 130, result.output
    assert result.stderr == "Error: interrupted; nothing was written\n"
    assert not out.exists() and not shopping.exists()
    # To the terminal there is no file to speak of.
    result = CliRunner().invoke(app, ["household", str(FAMILY)])
    assert (result.exit_code, result.stderr) == (130, "Error: interrupted\n")


def test_a_members_activity_is_recorded_only_where_it_set_the_energy(tmp_path: Path) -> None:
    """QA: a member given calories, and a 2-year-old, were recorded with activity "moderate" and
    "Asked with … moderate activity", though activity had no part in their energy (fed back to
    `mealplan targets --calories … --activity …`, that is an error). Now null, and unsaid."""
    from jsonschema import Draft202012Validator

    from mealplan.targets import Profile, activity_used, profile_record

    assert profile_record(Profile(age=30, sex="female", calories=1800))["activity"] is None
    assert profile_record(Profile(age=2.5, sex="male"))["activity"] is None  # 1,000 kcal at every level
    assert profile_record(Profile(age=1.5, sex="male"))["activity"] is None  # Table A2-1 has no levels
    assert profile_record(Profile(age=3, sex="male", activity="active"))["activity"] == "active"
    assert activity_used(Profile(age=30, sex="female"))
    file = tmp_path / "h.toml"
    file.write_text('[household]\ndays = 1\n\n[[members]]\nname = "A"\nage = 30\nsex = "female"\ncalories = 1800\n\n'
                    '[[members]]\nname = "T"\nage = 2\nsex = "male"\n\n[[members]]\nname = "B"\nage = 40\n'
                    'sex = "male"\nactivity = "active"\n', encoding="utf-8")  # fmt: skip
    out = tmp_path / "h.json"
    result = CliRunner().invoke(app, ["household", str(file), *FAST, "--output", str(out), "--output",
                                      str(tmp_path / "h.md")])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [m["profile"]["activity"] for m in data["members"]] == [None, None, "active"]
    schema = json.loads((REPO / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    text = (tmp_path / "h.md").read_text(encoding="utf-8")
    assert "  - A: 30-year-old female, 1,800 kcal a day\n" in text
    assert "  - T: 2-year-old male\n" in text
    assert "  - B: 40-year-old male, active\n" in text


def _short_of_money(needs: dict[str, float], calories: dict[str, float] | None = None,
                    failing: dict[str, Exception] | None = None) -> Any:  # fmt: skip
    """A stand-in for plan_from_inputs: the members named in ``needs`` have no plan under their
    share, and their explanation offers their own weekly budget (and, in ``calories``, a lower
    calorie target); the members in ``failing`` fail so; the others are planned (a stand-in plan)."""
    from mealplan.errors import InfeasiblePlan
    from mealplan.explain import Explanation, Relaxation, budget_relaxation

    planned: list[str] = []

    def fake(inputs: Any, *_args: Any, **_kwargs: Any) -> Any:
        name = inputs.profile.name
        if name in (failing or {}):
            raise (failing or {})[name]
        if name not in needs:
            planned.append(name)
            return object()
        relaxations = [budget_relaxation(math.ceil(needs[name]))]
        if name in (calories or {}):
            kcal = (calories or {})[name]
            relaxations.insert(0, Relaxation("calories", "", kcal, f"lower calories to {kcal:g} kcal a day",
                                             f"--calories {kcal:g}"))  # fmt: skip
        explanation = Explanation(magnesium_target_mg=320.0, max_magnesium_mg=None, blocking=(), binding=(),
                                  relaxations=tuple(relaxations), days=1)  # fmt: skip
        raise InfeasiblePlan(explanation.text(), explanation)

    fake.planned = planned  # type: ignore[attr-defined]
    return fake


SPLIT_BY_CALORIES = ('[household]\nname = "HB"\ndays = 1\nprices = "{prices}"\nbudget = 30\n'
                     '[[members]]\nname = "A"\nage = 40\nsex = "female"\ncalories = 2000\n'
                     '[[members]]\nname = "B"\nage = 40\nsex = "female"\ncalories = 1000\n'
                     '[[members]]\nname = "C"\nage = 40\nsex = "female"\ncalories = 1000\n')  # fmt: skip


def test_a_household_budget_too_small_for_several_members_is_raised_once_for_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """QA: with a household budget too small, the advice "raise the household's budget to 59 a
    week, which gives Vera 17 of it" then failed at 59 for the next member ("raise to 66"), each
    run taking 35–50 s. Every member is planned, and the figure is the least that gives each
    member short of money enough: the largest of their needs, each scaled up by their share."""
    import mealplan.household as household_module
    from mealplan.errors import SolverError

    path = tmp_path / "h.toml"
    path.write_text(SPLIT_BY_CALORIES.format(prices=(REPO / "data" / "prices.csv").as_posix()), encoding="utf-8")
    # Shares: A 1/2, B and C 1/4 each. A needs 20 of their own (the household 40), C 15 (60).
    fake = _short_of_money({"A": 20.0, "C": 15.0})
    monkeypatch.setattr(household_module, "plan_from_inputs", fake)
    result = CliRunner().invoke(app, ["household", str(path)])
    assert result.exit_code == 3, result.output
    assert fake.planned == ["B"]
    assert result.stderr.splitlines()[-1].endswith(
        "Any one of these changes makes a plan possible (each checked by solving): raise the household's budget to "
        f"60 a week, which gives A 30 of it and C enough of theirs (budget = 60 in [household] of {path}).")
    assert "planning the others to find the budget that suits every member" in result.stderr
    # A change for A alone is said to be A's alone.
    fake = _short_of_money({"A": 20.0, "C": 15.0}, calories={"A": 1200.0})
    monkeypatch.setattr(household_module, "plan_from_inputs", fake)
    error = CliRunner().invoke(app, ["household", str(path)]).stderr.splitlines()[-1]
    assert error.endswith("The changes other than the budget's are for A alone: C has no plan within their share of "
                          "the budget either.")  # fmt: skip
    # One member short of money: their own figure, as before (the others were planned within theirs).
    fake = _short_of_money({"C": 15.0})
    monkeypatch.setattr(household_module, "plan_from_inputs", fake)
    error = CliRunner().invoke(app, ["household", str(path)]).stderr.splitlines()[-1]
    assert error.endswith(f"raise the household's budget to 60 a week, which gives C 15 of it (budget = 60 in "
                          f"[household] of {path}).")  # fmt: skip
    assert fake.planned == ["A", "B"]
    # A member who fails for another reason after one short of money is named, not hidden.
    fake = _short_of_money({"A": 20.0}, failing={"B": SolverError("no plan found in the time limit")})
    monkeypatch.setattr(household_module, "plan_from_inputs", fake)
    error = CliRunner().invoke(app, ["household", str(path)]).stderr.splitlines()[-1]
    assert error.endswith("raise the household's budget to 40 a week, which gives A 20 of it (budget = 40 in "
                          f"[household] of {path}). B's plan failed too, for another reason: plan again with the "
                          "larger budget to see it.")  # fmt: skip


B12_HEAD = ("the plan holds no animal food, so its vitamin B12 comes only from foods fortified with it (NIH Office of "
            "Dietary Supplements); mealplan does not track B12: eat fortified foods or take a supplement (ask your "
            "doctor or a dietitian how much), or ask for an animal food you eat")  # fmt: skip


@pytest.mark.parametrize("mode", ["separate_plan", "shared_plan"])
def test_a_members_b12_and_cocoa_notes_say_the_household_files_keys_not_flags(
    mode: str, request: pytest.FixtureRequest
) -> None:
    """Regression QA: the family's B12 note said "(--require yogurt, eggs or salmon)" and its
    cocoa notes "--exclude cocoa", but `mealplan household` has no such flags; the fix is said
    as the member's key in the file, as a liked food's note says it."""
    warnings = request.getfixturevalue(mode)["warnings"]
    said = [w for w in warnings if "B12" in w or "cocoa and chocolate" in w]
    assert said, warnings
    assert not [w for w in said if "--require" in w or "--exclude" in w], said
    assert f'for Mia: {B12_HEAD} (require = ["yogurt"] or ["eggs"] in member \'Mia\')' in said, said
    cocoa = [w for w in said if w.startswith("for Mia: cocoa and chocolate")]
    assert len(cocoa) == 1 and cocoa[0].endswith('; to leave them out, exclude = ["cocoa"] in member \'Mia\''), said

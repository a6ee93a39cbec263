"""Inputs made in Python (a web service's foods, profiles and preferences) are checked as
the command line and files are, and what a plan hands back cannot be changed under it
(API QA round: a developer embedding mealplan in a web service)."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import pickle
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from mealplan import (
    Balance,
    Catalog,
    Food,
    InputError,
    Preferences,
    Profile,
    SolveOptions,
    household_from_data,
    load_foods,
    plan_day,
    plan_week,
    render,
)
from mealplan.catalog import food_from_usda
from mealplan.cli import app


def test_a_food_given_twice_is_refused_naming_its_ndb_no() -> None:
    pool = load_foods()
    chia = pool.find("chia seeds")
    at = pool.foods.index(chia)
    with pytest.raises(InputError) as refused:
        Catalog(foods=(*pool.foods, chia), source="my pool")
    assert type(refused.value) is InputError
    assert str(refused.value) == (
        f"my pool: foods[{len(pool)}] 'chia seeds':ndb_no: duplicate ndb_no 12006 (also foods[{at}]); keep one of them"
    )


def _chia(**changes: object) -> Food:
    return dataclasses.replace(load_foods().find("chia seeds"), **changes)  # type: ignore[arg-type]


def _pool_with(food: Food) -> tuple[Food, ...]:
    return (*(f for f in load_foods().foods if f.name != food.name), food)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"serving_grams": -10}, "serving_grams: -10 is out of range; give more than 0 and at most 1000 g"),
        ({"serving_grams": "30"}, "serving_grams: '30' is not a number"),
        ({"per_100g": {"energy_kcal": 486.0, "magnesium_mg": -500.0}},
         "magnesium_mg: -500 per 100 g is out of range; give 0 to 100,000"),
        ({"per_100g": {"energy_kcal": 486.0, "magnesium_mg": math.nan}}, "magnesium_mg: 'nan' is not a number"),
        ({"per_100g": {"energy_kcal": 486.0, "magnesium_mg": math.inf}}, "magnesium_mg: 'inf' is not a number"),
        ({"per_100g": {"magnesium_mg": 335.0}}, "energy_kcal: blank; every food needs its energy"),
        ({"category": "superfood"}, "category: 'superfood' is not one of seeds, nuts, cocoa, legumes, soy, grains, "
                                    "vegetables, greens, fruit, fish, dairy, eggs, poultry, beverages, other"),
        ({"slots": ("brunch",)}, "slots: 'brunch' is not one of breakfast, lunch, dinner, snack; did you mean 'lunch'?"),
        ({"slots": ()}, "slots: no meal slot; use some of breakfast, lunch, dinner, snack"),
        ({"slots": "lunch"}, "slots: 'lunch' is not a collection of names; give e.g. ('lunch', 'dinner')"),
        ({"allergens": frozenset({"peanut"})},
         "allergens: 'peanut' is not one of milk, egg, fish, shellfish, tree_nuts, peanuts, wheat, soy, sesame; "
         "did you mean 'peanuts'?"),
        ({"max_servings_day": -1}, "max_servings_day: -1 is outside 1–10"),
        ({"max_servings_day": 1.5}, "max_servings_day: 1.5 is not a whole number"),
        ({"ndb_no": "12-06"}, "ndb_no: '12-06' is not a 5-digit USDA ndb_no"),
    ],
)  # fmt: skip
def test_a_food_made_in_python_is_checked_as_a_foods_file_row_is(changes: dict[str, object], problem: str) -> None:
    food = _chia(**changes)
    with pytest.raises(InputError) as refused:
        Catalog(foods=_pool_with(food), source="my pool")
    assert type(refused.value) is InputError
    assert str(refused.value) == f"my pool: foods[{len(load_foods()) - 1}] 'chia seeds':{problem}"


def test_a_bad_food_is_refused_before_it_is_planned() -> None:
    """QA: serving_grams -10 was planned (-5 g) and plan.checks() said all was well."""
    profile = Profile(age=34, sex="female", calories=1900)
    with pytest.raises(InputError, match=r"'chia seeds':serving_grams: -10 is out of range"):
        plan_day(profile, foods=Catalog(foods=_pool_with(_chia(serving_grams=-10))))


def test_every_problem_of_a_catalog_is_listed_at_once() -> None:
    foods = (_chia(serving_grams=0), _chia(ndb_no="99999", name="chia 2", category="seed"), "chia")
    with pytest.raises(InputError) as refused:
        Catalog(foods=foods, source="my pool")  # type: ignore[arg-type]
    assert str(refused.value) == (
        "my pool: 3 problems; fix each of these lines:\n"
        "my pool: foods[0] 'chia seeds':serving_grams: 0 is out of range; give more than 0 and at most 1000 g\n"
        "my pool: foods[1] 'chia 2':category: 'seed' is not one of seeds, nuts, cocoa, legumes, soy, grains, "
        "vegetables, greens, fruit, fish, dairy, eggs, poultry, beverages, other\n"
        "my pool: foods[2]: str 'chia' is not a Food; give Food(...) values, or a foods file to load_foods"
    )


def test_a_usda_food_whose_first_portion_is_over_a_kilogram_gets_a_smaller_one() -> None:
    """A foods file refuses a serving over 1,000 g, and so a catalog does; USDA's first portion of
    a turkey breast is the whole 1,171 g breast."""
    turkey = food_from_usda("05708")
    assert (turkey.serving_measure, turkey.serving_grams) == ("3 oz", 85.0)
    assert food_from_usda("14252").serving_grams == 100.0  # malt liquor: a 1,184 g bottle, or 100 g
    assert load_foods().with_foods([turkey]).find("05708") == turkey


def test_an_empty_catalog_is_refused_as_an_empty_foods_file_is() -> None:
    """QA: Catalog(foods=()) planned from the default pool (an empty catalog is false, and
    the planners read `foods or load_foods()`); an empty foods file exits 2."""
    with pytest.raises(InputError) as refused:
        plan_day(Profile(age=34, sex="female", calories=1900), foods=Catalog(foods=(), source="my empty pool"))
    assert type(refused.value) is InputError
    assert str(refused.value) == "my empty pool: no foods; give at least one Food (or no catalog: the default pool)"


def test_a_profile_refuses_calories_with_an_activity_as_the_command_line_and_files_do() -> None:
    """API QA: Profile(calories=2000, activity="active") was taken and its activity ignored,
    where --calories 2000 --activity active, a profile file and household_from_data refuse it."""
    with pytest.raises(InputError) as refused:
        Profile(age=34, sex="female", calories=2000, activity="active")
    assert type(refused.value) is InputError
    assert str(refused.value) == (
        "Profile: keys 'calories' and 'activity': the activity level is only for the calorie estimate, which "
        "calories replaces; drop one of the two"
    )
    # The same words as a household's member, whose check it is.
    with pytest.raises(InputError, match="keys 'calories' and 'activity': the activity level is only for the calorie "
                                         "estimate, which calories replaces; drop one of the two"):  # fmt: skip
        household_from_data({"members": [{"age": 34, "sex": "female", "calories": 2000, "activity": "active"}]}, "h")
    # The default level is no level given; without calories, any level is the estimate's.
    assert Profile(age=34, sex="female", calories=2000).activity == "moderate"
    assert Profile(age=34, sex="female", activity="active").calories is None


def test_an_explanation_lowering_the_calories_of_an_active_person_still_works() -> None:
    """An explanation tries the profile with calories in place of its estimate: the activity
    goes, or the Profile it makes is refused."""
    from mealplan.targets import with_calories

    active = Profile(age=34, sex="female", activity="active")
    assert with_calories(active, 1800) == Profile(age=34, sex="female", calories=1800)


# The same request asked on the command line and in Python, solved alike.
CLI_SOLVE = ("--gap", "0.05", "--time-limit", "30")
API_SOLVE = SolveOptions(solver="cbc", gap=0.05, time_limit_s=30)


def untimed(document: str) -> str:
    """A plan's JSON without the solver's time, the one thing two solves of it may differ in."""
    return re.sub(r'"seconds": [0-9.]+', '"seconds": 0', document)


@pytest.mark.parametrize(
    ("args", "asked"),
    [
        (("day", "--age", "34", "--sex", "female", "--calories", "1900", "--solver", "cbc"),
         lambda: plan_day(Profile(age=34, sex="female", calories=1900), solve_options=API_SOLVE)),
        (("week", "--age", "34", "--sex", "female", "--days", "2", "--protein", "60", "--max-servings", "almonds=2",
          "--solver", "cbc"),
         lambda: plan_week(Profile(age=34, sex="female"), days=2, balance=Balance(protein_g=60),
                           preferences=Preferences(max_servings={"almonds": 2}), solve_options=API_SOLVE)),
    ],
    ids=["day", "week"],
)  # fmt: skip
def test_the_command_line_s_json_is_the_api_s_for_the_same_request(args: tuple[str, ...], asked: Any) -> None:
    """API QA: the command line recorded "age": 34.0, "calories": 1900.0 and a top-up's
    "kcal_budget": 300.0 where Python's plan of the same request said 34, 1900 and 300 (the
    top-up's: tests/test_topup.py)."""
    result = CliRunner().invoke(app, [*args, *CLI_SOLVE, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["request"]["profile"]["age"] == 34 and isinstance(data["request"]["profile"]["age"], int)
    assert untimed(result.stdout.rstrip("\n")) == untimed(render(asked(), "json").rstrip("\n"))


def test_what_a_plan_and_the_pool_hand_out_cannot_be_changed_under_them() -> None:
    """API QA: plan.members[0].targets.upper_limits_mg was a plain dict (changing it failed the
    plan's checks), and the cached pool's left_out a dict every later load_foods() shared."""
    plan = plan_day(Profile(age=34, sex="female", calories=1900), solve_options=API_SOLVE)
    limits = plan.members[0].targets.upper_limits_mg
    with pytest.raises(TypeError, match=r"^this mapping is read-only; copy it with dict\(\.\.\.\) to change the copy$"):
        limits["calcium_mg"] = 10.0  # type: ignore[index]
    with pytest.raises(TypeError, match="read-only"):
        load_foods().left_out["x"] = "y"  # type: ignore[index]
    assert all(c.ok for c in plan.checks())
    # Still a dict to json, equality, pickling and deep copies.
    assert json.loads(json.dumps(limits)) == dict(limits) and isinstance(limits, dict)
    assert pickle.loads(pickle.dumps(plan.members[0].targets)) == plan.members[0].targets
    assert copy.deepcopy(plan.members[0].targets) == plan.members[0].targets


def test_preferences_are_hashable_and_read_only_as_a_cache_key_must_be() -> None:
    """API QA: hash(Preferences()) raised TypeError (a dict), where Profile, Balance and
    SolveOptions could be cache keys."""
    wishes = Preferences(like={"almonds": 2}, require={"oats": None}, max_servings={"nuts": 1})
    same = Preferences(like={"almonds": 2}, require={"oats": None}, max_servings={"nuts": 1})
    assert hash(wishes) == hash(same) and {wishes: 1}[same] == 1
    assert hash(Preferences()) == hash(Preferences())
    with pytest.raises(TypeError, match="read-only"):
        wishes.like["almonds"] = 5  # type: ignore[index]
    assert pickle.loads(pickle.dumps(wishes)) == wishes and copy.deepcopy(wishes) == wishes
    assert dataclasses.replace(wishes, like={"almonds": 3}).like == {"almonds": 3}
    assert json.dumps(dataclasses.asdict(wishes)["like"]) == '{"almonds": 2}'

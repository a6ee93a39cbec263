"""Wishes given through the Python API with values of the wrong type are refused with one
InputError naming the field, before any model is built (they used to raise TypeError or
AttributeError from deep inside, or, for a text where a list goes, be read letter by letter)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mealplan
from mealplan.catalog import load_foods
from mealplan.errors import InputError
from mealplan.planner import plan_day, plan_week
from mealplan.preferences import Preferences, resolve
from mealplan.solver import SolveOptions
from mealplan.targets import Profile

PERSON = Profile(34, "female")


@pytest.mark.parametrize(
    ("prefs", "message"),
    [(Preferences(exclude="peanuts"), "exclude must be a list of names, not 'peanuts'; give e.g. exclude=('peanuts',)"),
     (Preferences(diets="vegan"), "diets must be a list of names, not 'vegan'; give e.g. diets=('vegan',)"),
     (Preferences(exclude=(None,)), "exclude holds None, not a name; give names as text"),
     # API QA: the example was exclude=(None,), itself refused.
     (Preferences(exclude=None), "exclude must be a list of names, not None; give e.g. exclude=('peanuts',)"),
     (Preferences(diets=None), "diets must be a list of names, not None; give e.g. diets=('vegan',)"),
     (Preferences(require=["black beans"]), "require must map names to numbers, not ['black beans']; give e.g. "
                                            "require={'oats': 1}"),
     (Preferences(like={"oats": "a lot"}), "like['oats'] is 'a lot', not a number; give a finite number"),
     (Preferences(require={"oats": "2"}), "require['oats'] is '2', not a number; give a finite number"),
     (Preferences(prices_per_100g={"12014": -100.0}, budget=1.0), "prices_per_100g['12014'] is -100; give 0 to "
                                                                  "10,000"),
     (Preferences(prices_per_100g={"12014": float("nan")}, budget=1.0), "prices_per_100g['12014'] is nan, not a "
                                                                        "number; give a finite number"),
     (Preferences(prices_per_100g={"12014": 1.0}, budget="60"), "budget '60' is not a number; give money a week, "
                                                                "e.g. budget=60")],
)  # fmt: skip
def test_a_wish_of_the_wrong_type_is_one_input_error(prefs: Preferences, message: str) -> None:
    with pytest.raises(InputError) as raised:
        resolve(prefs, load_foods(), 1)
    assert str(raised.value) == message
    assert raised.value.exit_code == 2  # what the CLI would exit with


def test_a_negative_price_no_longer_makes_a_plan_that_costs_less_than_nothing() -> None:
    """Before, a price of -100 was taken, and a plan with a negative cost met a budget of 1."""
    prices = {f.ndb_no: 0.5 for f in load_foods()}
    with pytest.raises(InputError, match="is -100; give 0 to 10,000"):
        resolve(Preferences(prices_per_100g={**prices, "12014": -100.0}, budget=1.0), load_foods(), 7)
    assert resolve(Preferences(prices_per_100g=prices, budget=30.0), load_foods(), 7).budget == 30.0


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda: SolveOptions(threads=-1), "threads -1 is out of range; give 1 to 256 (None: the solver's)"),
     (lambda: SolveOptions(threads=0), "threads 0 is out of range; give 1 to 256 (None: the solver's)"),
     (lambda: SolveOptions(time_limit_s="10"), "time_limit_s '10' is not a number; give e.g. time_limit_s=10"),
     (lambda: SolveOptions(seed=1.5), "seed 1.5 is not a whole number; give e.g. seed=1"),
     (lambda: plan_week(PERSON, days=2.5), "days 2.5 is not a whole number; give 1 to 28"),
     (lambda: plan_week(PERSON, days=True), "days True is not a whole number; give 1 to 28"),
     (lambda: plan_week({"age": 34}), "profile must be a Profile, not dict; e.g. Profile(34, 'female')"),
     (lambda: plan_week(PERSON, seed="a"), "seed 'a' is not a whole number; give 0 to 2147483647"),
     (lambda: plan_week(PERSON, preferences={}), "preferences must be a Preferences or None, not dict"),
     (lambda: plan_week(PERSON, days=1, seed=2, solve_options=SolveOptions(seed=3)),
      "seed 2 and SolveOptions(seed=3) disagree; give one seed")],
)  # fmt: skip
def test_plan_arguments_of_the_wrong_type_are_one_input_error(make: Callable[[], object], message: str) -> None:
    """SolveOptions(threads=-1) used to fail inside CBC with advice to switch solvers, and
    days=2.5 or seed='a' raised TypeError from the week's code."""
    with pytest.raises(InputError) as raised:
        make()
    assert str(raised.value) == message
    assert raised.value.exit_code == 2  # what the CLI would exit with


def test_plan_day_names_its_keywords_so_a_misspelt_one_is_caught() -> None:
    """Found in QA: plan_day(profile, **options: Any) let `dayz=2` past mypy, and the
    TypeError then named plan_week. Its keywords are plan_week's, less days."""
    import inspect

    week = set(inspect.signature(plan_week).parameters) - {"days", "weekly_average"}
    assert set(inspect.signature(plan_day).parameters) == week
    with pytest.raises(TypeError, match=r"plan_day\(\) got an unexpected keyword argument 'days'"):
        plan_day(PERSON, days=3)  # type: ignore[call-arg]


def test_a_seed_given_in_solve_options_is_the_plans_seed_and_recorded_once() -> None:
    """It used to be ignored (the plan was seed 0's) while the request recorded it as used."""
    by_options = plan_week(PERSON, days=1, solve_options=SolveOptions(solver="cbc", seed=3))
    by_argument = plan_week(PERSON, days=1, seed=3, solve_options=SolveOptions(solver="cbc"))
    assert by_options.request["seed"] == by_options.request["solver"]["seed"] == 3
    assert by_options.members[0].days == by_argument.members[0].days
    assert by_options.members[0].days != plan_week(PERSON, days=1, solve_options=SolveOptions(solver="cbc")).members[0].days


def test_a_foods_nutrients_cannot_be_changed_through_the_cached_catalog() -> None:
    """Scaling a 'copy' of the catalog's energy by 0.8 used to change every later plan of the
    process, which still reported 'recomputed from USDA' and all checks met."""
    import pickle

    food = load_foods().by_ndb()["12014"]
    with pytest.raises(TypeError, match="read-only"):
        food.per_100g["energy_kcal"] = 1.0  # type: ignore[index]
    with pytest.raises(TypeError, match="read-only"):
        food.per_100g.update({"energy_kcal": 1.0})  # type: ignore[attr-defined]
    copy = dict(food.per_100g)
    copy["energy_kcal"] = 1.0
    assert load_foods().by_ndb()["12014"].per_100g["energy_kcal"] != 1.0
    assert pickle.loads(pickle.dumps(food)) == food  # batch workers get foods pickled


def test_requiring_a_food_left_out_for_blank_magnesium_says_why(tmp_path: Path) -> None:
    """It used to say "unknown food 'pumpkin seeds'; did you mean: hemp seeds?"."""
    from mealplan.catalog import parse_foods

    header = ("ndb_no,name,category,serving_grams,serving_measure,allergens,diets,slots,max_servings_day,energy_kcal,"
              "protein_g,fat_g,carbohydrate_g,fiber_g,sugars_g,water_g,magnesium_mg,sodium_mg,potassium_mg,"
              "calcium_mg,phosphorus_mg,iron_mg,zinc_mg")  # fmt: skip
    rows = ["12014,pumpkin seeds,seeds,28.0,1 oz,,vegan,snack;breakfast,2,559,30,49,11,6,1,5,,7,809,46,1233,8.8,7.8",
            "16015,black beans,legumes,86.0,1/2 cup,,vegan,lunch;dinner,2,132,8.9,0.5,23.7,8.7,0.3,66,70,1,355,27,140,"
            "2.1,1.1"]  # fmt: skip
    catalog = parse_foods("\n".join([header, *rows]) + "\n", "foods.csv")
    assert [f.name for f in catalog] == ["black beans"]
    for name in ("pumpkin seeds", "12014", "Pumpkin Seeds"):
        with pytest.raises(InputError) as raised:
            resolve(Preferences(require={name: None}), catalog, 1)
        assert str(raised.value) == ("pumpkin seeds is left out of foods.csv: its magnesium_mg is blank (not "
                                     "measured); fill it in, or drop this wish")  # fmt: skip
    # On the command line: the catalog's warning, then the refusal as the last line, exit 2.
    from typer.testing import CliRunner

    from mealplan.cli import app

    foods = tmp_path / "foods.csv"
    foods.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["day", "--age", "30", "--sex", "female", "--foods", str(foods),
                                      "--require", "pumpkin seeds"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: pumpkin seeds is left out of {foods}: its magnesium_mg is blank (not measured); fill it in, "
        "or drop this wish"
    )


def test_the_renderers_take_a_format_in_any_case_as_the_command_line_does() -> None:
    from mealplan.report import render, render_shopping

    plan = plan_week(PERSON, days=1, solve_options=SolveOptions(solver="cbc"))
    assert render(plan, "JSON") == render(plan, "json")
    assert render(plan, "MD") == render(plan, "markdown")
    assert render_shopping(plan, "Md") == render_shopping(plan, "markdown")
    with pytest.raises(InputError) as raised:
        render(plan, "pdf")
    assert str(raised.value) == ("format 'pdf' is not one of: table, markdown (or md), csv, json, html; for a PDF, write "
                                 "html and print it from a browser")
    assert raised.value.exit_code == 2


HOUSEHOLD = {"household": {"days": 1}, "members": [{"name": "A", "age": 30, "sex": "female"}]}


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda: _household(overrides={"dayz": 2}), "overrides: unknown key 'dayz'"),
     (lambda: _household(overrides={"time_limt": 2}), "overrides: unknown key 'time_limt'; did you mean: time_limit?"),
     (lambda: _household(overrides={"age": 5}),
      "overrides: 'age' is a member's key; overrides take [household] keys (days, solver …)"),
     (lambda: _household(data=[1, 2]), "x: the household must be a table with [household] and [[members]], not list"),
     (lambda: _household(data={"members": "bob"}), "x: members must be a list of [[members]] entries, not str"),
     (lambda: _plan_household({"members": []}),
      "household must be a Household (from load_household or household_from_data), not dict"),
     (lambda: _search("almond", -1), "limit -1 is out of range; give 1 to 10,000"),
     (lambda: _search("almond", 0), "limit 0 is out of range; give 1 to 10,000")],
)  # fmt: skip
def test_household_and_search_arguments_of_the_wrong_kind_are_one_input_error(make: Callable[[], object],
                                                                              message: str) -> None:  # fmt: skip
    """Found in QA (the API user): a misspelt override was kept and did nothing, a list or a
    dict where a household goes raised AttributeError, and search_usda(limit=-1) sliced."""
    with pytest.raises(InputError) as raised:
        make()
    assert str(raised.value).startswith(message)


def _household(data: object = None, overrides: dict[str, object] | None = None) -> object:
    from mealplan.household import household_from_data

    return household_from_data(HOUSEHOLD if data is None else data, "x", overrides=overrides)  # type: ignore[arg-type]


def _plan_household(household: object) -> object:
    from mealplan.household import plan_household

    return plan_household(household)  # type: ignore[arg-type]


def _search(query: str, limit: int) -> object:
    from mealplan.catalog import search_usda

    return search_usda(query, limit)


def test_load_household_takes_a_str_path_as_discover_and_run_batch_do(tmp_path: Path) -> None:
    from mealplan.household import load_household

    path = tmp_path / "h.toml"
    path.write_text('[[members]]\nname = "A"\nage = 30\nsex = "female"\n', encoding="utf-8")
    assert load_household(str(path)).members[0].name == "A"


def test_run_batch_refuses_bad_overrides_workers_and_twice_given_ids_before_any_work(tmp_path: Path) -> None:
    """Found in QA: BatchSettings(overrides={"dayz": 3}) planned with the file's days,
    workers=0 meant every core, and two tasks of one id wrote one file, both "planned"."""
    from mealplan.batch import BatchSettings, Task, run_batch

    task = Task("a", "x", HOUSEHOLD)
    for kwargs, message in [
        ({"settings": BatchSettings(overrides={"dayz": 3})}, "overrides: unknown key 'dayz'"),
        ({"workers": 0}, "workers 0 is out of range; give 1 to 1024, or None for every core"),
        ({"tasks": [task, Task("A", "y", HOUSEHOLD)]}, "household id 'A' is given twice; give each task its own id"),
    ]:
        tasks = kwargs.pop("tasks", [task])
        with pytest.raises(InputError) as raised:
            run_batch(tasks, tmp_path / "out", **kwargs)  # type: ignore[arg-type]
        assert str(raised.value).startswith(message)
        assert not (tmp_path / "out").exists()


BAD_OVERRIDES = [
    ({"weekly_average": "false"}, "overrides: key 'weekly_average' must be true or false, not 'false'"),
    ({"macros": "maybe"}, "overrides: key 'macros' must be true or false, not 'maybe'"),
    ({"shared_meals": "yes"}, "overrides: key 'shared_meals' must be true or false, not 'yes'"),
    ({"days": "2.0"}, "overrides: key 'days' must be a whole number, not '2.0'"),
    ({"days": 0}, "overrides: days 0 is out of range; give 1 to 28"),
    ({"exclude": "peanutz"}, "overrides: key 'exclude': unknown food 'peanutz'; did you mean: peanut butter, "
     "peanuts?"),
    ({"like": "oats=x"}, "overrides: like 'oats=x': 'x' is not a number; give NAME=NUMBER"),
    (5, "overrides must be a table of [household] keys, not int; e.g. overrides={'days': 3}"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_OVERRIDES)
def test_an_overrides_value_is_checked_as_the_files_household_value_is(overrides: object, message: str) -> None:
    """API QA: overrides' values were not checked: {"weekly_average": "false"} planned a
    weekly average, {"macros": "maybe"} was taken, {"days": "2.0"} raised a raw ValueError,
    and each problem found was blamed on the "command line"."""
    with pytest.raises(InputError) as raised:
        _household(overrides=overrides)  # type: ignore[arg-type]
    assert str(raised.value) == message
    assert raised.value.exit_code == 2  # what the CLI would exit with


@pytest.mark.parametrize(("overrides", "message"), BAD_OVERRIDES)
def test_run_batch_checks_an_overrides_value_before_any_work(overrides: object, message: str,
                                                             tmp_path: Path) -> None:  # fmt: skip
    from mealplan.batch import BatchSettings, Task, run_batch

    settings = BatchSettings(overrides=overrides)  # type: ignore[arg-type]
    with pytest.raises(InputError) as raised:
        run_batch([Task("a", "x", HOUSEHOLD)], tmp_path / "out", settings=settings)
    assert str(raised.value) == message
    assert not (tmp_path / "out").exists()


def test_a_single_text_override_is_one_name_as_in_a_household_file() -> None:
    """API QA: {"exclude": "peanuts"} was read letter by letter ("unknown food 'p'"); a
    household file's exclude = "peanuts" is one name, and so is the override's."""
    household = _household(overrides={"exclude": "peanuts", "days": 2})
    assert household.settings["exclude"] == ["peanuts"]  # type: ignore[attr-defined]
    assert household.members[0].request.preferences.exclude == ("peanuts",)  # type: ignore[attr-defined]
    assert household.days == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["abc", float("nan"), float("inf"), True, [110]])
def test_a_protein_floor_that_is_not_a_number_is_refused_from_the_api(value: object) -> None:
    """Balance(protein_g=…) from Python: the CLI's float parsing and the profile's type check
    do not stand in front of it."""
    from mealplan.targets import Balance

    with pytest.raises(InputError) as raised:
        Balance(protein_g=value)  # type: ignore[arg-type]
    assert str(raised.value) == f"protein {value!r} is not a number; give grams a day, e.g. --protein 110"
    assert raised.value.exit_code == 2  # what the CLI would exit with


@pytest.mark.parametrize("key", ["macros", "fiber", "sodium", "upper_limits"])
@pytest.mark.parametrize("value", ["false", "no", 0, 1, None])
def test_a_balance_switch_that_is_not_true_or_false_is_refused(key: str, value: object) -> None:
    """API QA: Balance(macros="false", fiber="no") kept both constraints on ("false" is
    truthy), and Balance(macros=0) or Balance(sodium=None) switched them off without a word."""
    from mealplan.targets import Balance

    with pytest.raises(InputError) as raised:
        Balance(**{key: value})  # type: ignore[arg-type]
    assert str(raised.value) == f"{key} {value!r} is not true or false; give {key}=True or {key}=False"
    assert raised.value.exit_code == 2  # what the CLI would exit with


def test_a_balance_switch_takes_numpys_booleans_as_profile_does() -> None:
    from mealplan.targets import Balance

    np = pytest.importorskip("numpy")
    balance = Balance(macros=np.bool_(False), sodium=np.bool_(True))
    assert (balance.macros, balance.sodium) == (False, True)
    assert type(balance.macros) is bool and type(balance.sodium) is bool


@pytest.mark.parametrize(("call", "message"), [
    (lambda: mealplan.Balance(kcal_tolerance="0.1"),  # type: ignore[arg-type]
     "calorie tolerance '0.1' is not a number; give e.g. kcal_tolerance=0.05"),
    (lambda: mealplan.plan_day(mealplan.Profile(34, "female"),
                               variety=mealplan.Variety(max_days_per_food="2")),  # type: ignore[arg-type]
     "max_days_per_food '2' is not a whole number; give e.g. Variety(max_days_per_food=4)"),
    (lambda: mealplan.plan_day(mealplan.Profile(34, "female"),
                               variety=mealplan.Variety(distinct_consecutive_days="no")),  # type: ignore[arg-type]
     "distinct_consecutive_days 'no' is not true or false"),
    (lambda: mealplan.search_usda(None),  # type: ignore[arg-type]
     "search None is not text; give a word such as 'walnut'"),
    (lambda: mealplan.discover(None),  # type: ignore[arg-type]
     "households None is not a path; give a folder or a .csv, .jsonl or .toml file"),
    (lambda: mealplan.load_household(5),  # type: ignore[arg-type]
     "household file 5 is not a path; give a .toml file"),
    (lambda: mealplan.load_foods(5),  # type: ignore[arg-type]
     "foods file 5 is not a path; give a CSV file with the columns of data/pool.csv"),
])  # fmt: skip
def test_values_of_the_wrong_type_are_input_errors_not_raw_exceptions(call: Any, message: str) -> None:
    """API QA: these gave a raw TypeError or AttributeError."""
    with pytest.raises(mealplan.InputError) as caught:
        call()
    assert str(caught.value) == message

"""The Python API: what ``import mealplan`` offers (typed, and as cheap to import as before),
names in a plan that are checked, CSV cells a spreadsheet cannot run, and the README's
Python example, run."""

from __future__ import annotations

import csv
import dataclasses
import importlib
import importlib.resources
import inspect
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import mealplan
from mealplan import errors
from mealplan.catalog import Food, load_foods
from mealplan.errors import InputError
from mealplan.nutrients import NUTRIENT_COLUMNS
from mealplan.plan import Day, Item, MemberPlan, Plan
from mealplan.report import render, render_shopping
from mealplan.solver import SolveResult
from mealplan.targets import Profile, targets_for

REPO = Path(__file__).resolve().parents[1]

# What a library user needs from `mealplan` itself, by the module that defines it.
LIBRARY_API = {
    "household": ("Household", "HouseholdMember", "household_from_data", "load_household", "plan_household"),
    "topup": ("Topup", "plan_topup"),
    "batch": ("BatchReport", "BatchSettings", "Outcome", "Progress", "Task", "discover", "run_batch"),
    "report": ("plan_schema", "render", "render_shopping"),
    "shopping": ("Purchase", "ShoppingItem", "shopping_list"),
    "plan": ("Check", "Day", "Item", "MemberPlan", "Plan", "TopupInfo"),
    "explain": ("Binding", "Explanation", "Relaxation"),
}
# Imported lazily before the API grew; `import mealplan` must not pull them in now. Nor PuLP:
# the command imports it with Ctrl-C held (mealplan.launch), after `import mealplan`.
LAZY_MODULES = ("pandas", "dask", "distributed", "typer", "pydantic", "pulp", "mealplan.batch", "mealplan.cli",
                "mealplan.solver")


# ------------------------------------------------------------------------- exports


def test_every_name_in_all_is_importable() -> None:
    namespace: dict[str, object] = {}
    exec("from mealplan import *", namespace)
    for name in mealplan.__all__:
        assert getattr(mealplan, name) is namespace[name], name


@pytest.mark.parametrize("module", sorted(LIBRARY_API))
def test_the_library_api_is_exported_from_the_package(module: str) -> None:
    source = importlib.import_module(f"mealplan.{module}")
    for name in LIBRARY_API[module]:
        assert name in mealplan.__all__, name
        assert getattr(mealplan, name) is getattr(source, name), name


def test_every_error_is_exported() -> None:
    defined = [obj for _, obj in inspect.getmembers(errors, inspect.isclass) if issubclass(obj, Exception)]
    assert {e.__name__ for e in defined} >= {"MealplanError", "InputError", "BatchIncomplete"}
    for error in defined:
        assert error.__name__ in mealplan.__all__, error.__name__
        assert getattr(mealplan, error.__name__) is error


def test_all_has_no_duplicates_and_dir_lists_it() -> None:
    assert len(mealplan.__all__) == len(set(mealplan.__all__))
    assert set(mealplan.__all__) <= set(dir(mealplan))
    # API QA: dir() listed the names the package file uses itself.
    assert not {"Any", "TYPE_CHECKING", "importlib", "annotations", "_LAZY"} & set(dir(mealplan))
    assert {"planner", "report", "__version__"} <= set(dir(mealplan))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'mealplan' has no attribute 'plan_housework'"):
        mealplan.plan_housework  # noqa: B018
    assert not hasattr(mealplan, "plan_housework")
    with pytest.raises(ImportError):
        exec("from mealplan import plan_housework", {})


def test_import_mealplan_stays_lazy() -> None:
    code = f"import sys, mealplan; print(*[m for m in {LAZY_MODULES!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_the_packages_modules_are_its_attributes_as_before_it_was_lazy() -> None:
    """Review: after `import mealplan` imported nothing, mealplan.planner was an AttributeError."""
    code = "import mealplan; print(mealplan.planner.__name__, mealplan.report.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO)
    assert (done.returncode, done.stdout.split()) == (0, ["mealplan.planner", "mealplan.report"]), done.stderr


def test_the_package_says_it_is_typed() -> None:
    """PEP 561: without py.typed, mypy ignores the installed package's annotations."""
    assert (importlib.resources.files("mealplan") / "py.typed").is_file()


# ------------------------------------------------------------------ names in a plan


def _food(name: str = "", **per_100g: float | None) -> Food:
    """A pool food (the first), renamed and with some nutrients replaced."""
    food = load_foods().foods[0]
    return dataclasses.replace(food, name=name or food.name, per_100g={**food.per_100g, **per_100g})


@pytest.fixture(scope="module")
def day() -> Day:
    return Day(0, (Item("breakfast", _food(sugars_g=None), 2), Item("snack", _food(), 1)))


NUTRIENTS_TEXT = ", ".join(NUTRIENT_COLUMNS)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: d.total("magnesium"), f"nutrient 'magnesium' is not one of: {NUTRIENTS_TEXT}"),
        (lambda d: d.items[0].amount("Mg"), f"nutrient 'Mg' is not one of: {NUTRIENTS_TEXT}"),
        (lambda d: MemberPlan(Profile(34, "female"), targets_for(Profile(34, "female")), (d,)).average("kcal"),
         f"nutrient 'kcal' is not one of: {NUTRIENTS_TEXT}"),
        (lambda d: d.energy_share("fiber_g"), "nutrient 'fiber_g' is not one of: protein_g, fat_g, carbohydrate_g"),
        (lambda d: d.meal("Breakfast"), "meal 'Breakfast' is not one of: breakfast, lunch, dinner, snack"),
        (lambda d: d.meal_kcal("brunch"), "meal 'brunch' is not one of: breakfast, lunch, dinner, snack"),
    ],
    ids=["total", "amount", "average", "energy_share", "meal", "meal_kcal"],
)  # fmt: skip
def test_a_misspelt_name_raises_naming_the_valid_ones(day: Day, call: Callable[[Day], object], message: str) -> None:
    with pytest.raises(InputError) as caught:
        call(day)
    assert str(caught.value) == message


def test_a_known_nutrient_usda_did_not_measure_is_none(day: Day) -> None:
    unmeasured, measured = day.items
    assert unmeasured.amount("sugars_g") is None
    assert day.total("sugars_g") == pytest.approx(measured.amount("sugars_g") or 0.0)
    assert day.meal("lunch") == ()
    assert day.meal_kcal("lunch") == 0.0
    assert day.energy_share("protein_g") >= 0.0


# ------------------------------------------------------------------- CSV injection


def _plan(name: str = "", food: Food | None = None) -> Plan:
    """A one-day plan built by hand (nothing solved): two foods, one member."""
    profile = Profile(34, "female", name=name)
    foods = (food or _food(), load_foods().foods[1])
    day = Day(0, tuple(Item(slot, f, 2) for slot, f in zip(("breakfast", "lunch"), foods, strict=True)))
    return Plan(
        members=(MemberPlan(profile, targets_for(profile), (day,)),),
        solve=SolveResult("optimal", "highs", 0.0, 0.0, 0.0, 0.1),
        method="by hand",
        request={},
        data_version="test",
    )


FORMULA = '=HYPERLINK("http://x","y")'


def test_csv_escapes_a_formula_in_the_member_name() -> None:
    plain = pd.read_csv(io.StringIO(render(_plan("Ann"), "csv")), dtype={"ndb_no": str})
    evil = pd.read_csv(io.StringIO(render(_plan(FORMULA), "csv")), dtype={"ndb_no": str})
    assert list(evil["member"]) == ["'" + FORMULA] * 2
    # Every other column, numbers included, reads back as it does for a harmless name.
    pd.testing.assert_frame_equal(evil.drop(columns="member"), plain.drop(columns="member"))
    assert pd.api.types.is_float_dtype(evil["kcal"]) and pd.api.types.is_float_dtype(evil["grams"])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_escapes_every_formula_start_in_text_cells(start: str) -> None:
    # Raw text, not read back: Python < 3.13 writes a cell holding "\r" without quotes.
    food = dataclasses.replace(_food(f"{start}1+1"), serving_measure=f"{start}cmd|' /C calc'!A0")
    plan = _plan(food=food)
    for text in (render(plan, "csv"), render_shopping(plan, "csv")):
        assert f",'{start}1+1,{food.ndb_no}," in text
        assert f",'{food.serving_measure}," in text
        assert f",{start}" not in text


def test_csv_leaves_harmless_text_and_numbers_alone() -> None:
    food = _food("walnuts - halves", energy_kcal=0.0)
    [row, _] = csv.DictReader(io.StringIO(render(_plan("Ann-Marie", food), "csv")))
    assert (row["member"], row["food"], row["kcal"]) == ("Ann-Marie", "walnuts - halves", "0.0")


# ------------------------------------------------------------------------- README


def readme_python() -> list[str]:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.+?)```", section, re.S)


def test_readme_python_api_shows_a_household_and_rendering() -> None:
    code = "\n".join(readme_python())
    for name in ("plan_household", "household_from_data", 'render(plan, "json")', 'render(plan, "csv")'):
        assert name in code, name
    assert "mealplan." not in code.replace("from mealplan import", ""), "the README uses only the public API"


@pytest.mark.parametrize("index", range(len(readme_python())))
def test_readme_python_example_runs(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_python()[index], f"README.md python block {index + 1}", "exec"), {})
    # What the example writes reads back as its format.
    for path in tmp_path.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["members"], path.name
    for path in tmp_path.glob("*.csv"):
        assert len(pd.read_csv(path, dtype={"ndb_no": str})) > 0, path.name


def test_the_types_public_functions_return_are_exported() -> None:
    """Found in QA: plan.solve is a SolveResult and search_usda returns UsdaFood, and
    neither could be imported from mealplan for a type hint."""
    import mealplan

    plan = mealplan.plan_day(mealplan.Profile(34, "female"))
    assert isinstance(plan.solve, mealplan.SolveResult)
    assert all(isinstance(food, mealplan.UsdaFood) for food in mealplan.search_usda("walnut", 3))
    assert {"SolveResult", "UsdaFood"} <= set(mealplan.__all__)


def test_an_api_user_gets_clear_errors_for_typos_and_wrong_types() -> None:
    """API QA: a misspelt exclude or max_servings name raised a plain InputError with no
    .close, where require raised UnknownName; shopping_list(plan), render(dict),
    targets_for(balance="x") and plan_topup(current_intake_mg="230") raised bare Python
    errors; SolveOptions(solver="HIGHS") was refused though --solver HIGHS works."""
    me = mealplan.Profile(34, "female")
    for prefs, close in ((mealplan.Preferences(exclude=("peanut buter",)), ("peanut butter",)),
                         (mealplan.Preferences(max_servings={"walnutz": 1}), ("walnuts",))):  # fmt: skip
        with pytest.raises(mealplan.UnknownName) as caught:
            mealplan.plan_day(me, preferences=prefs)
        assert caught.value.close == close
    plan = mealplan.plan_day(me)
    assert mealplan.shopping_list(plan) == mealplan.shopping_list(plan.members)
    for call, message in (
        (lambda: mealplan.shopping_list({"a": 1}), "shopping_list takes a Plan or its members, not dict"),
        (lambda: mealplan.shopping_list([1]), "shopping_list takes a Plan or its members (MemberPlan), not int"),
        (lambda: mealplan.render({"a": 1}, "json"), "render takes a Plan, not dict"),
        (lambda: mealplan.render_shopping({"a": 1}, "csv"), "render_shopping takes a Plan, not dict"),
        # API QA: a top-up is no Plan; its plan is.
        (lambda: mealplan.render(mealplan.plan_topup(me, current_intake_mg=400, kcal_budget=100), "json"),
         "render takes a Plan, not Topup; a top-up's plan is its .plan: render(topup.plan, ...)"),
        (lambda: mealplan.targets_for(me, balance="x"), "balance must be a Balance or None, not str"),
        (lambda: mealplan.targets_for("x"), "targets_for takes a Profile, not str"),
        (lambda: mealplan.plan_topup(me, current_intake_mg="230", kcal_budget=300),
         "current intake '230' is not a number; give it in mg a day, as a number"),
    ):  # fmt: skip
        with pytest.raises(InputError) as refused:
            call()
        assert (str(refused.value), refused.value.exit_code) == (message, 2)
    assert mealplan.SolveOptions(solver="HIGHS").solver == "highs"


def test_a_lactation_target_says_which_months_it_assumes() -> None:
    """Dietitian QA: the first 6 months were assumed without a word, unlike a trimester."""
    targets = mealplan.targets_for(mealplan.Profile(30, "female", lactating=True))
    assert targets.kcal_basis.endswith("; from 7 to 12 months the DGA adds 400 kcal instead: set --calories")


def test_the_plan_schema_ships_with_the_package_and_is_the_documented_one() -> None:
    """API QA: the wheel had no schema, and a plan's $schema URL cannot be fetched."""
    from jsonschema import Draft202012Validator

    schema = mealplan.plan_schema()
    assert schema == json.loads((REPO / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
    # (The installed wheel's copy: test_package.)
    plan = json.loads(mealplan.render(mealplan.plan_day(mealplan.Profile(34, "female")), "json"))
    assert plan["$schema"] == schema["$id"]
    Draft202012Validator(schema).validate(plan)


_ONE = {"household": {"days": 1}, "members": [{"name": "A", "age": 30, "sex": "male"}]}


@pytest.mark.parametrize(("call", "message"), [
    (lambda: mealplan.run_batch(None, "plans"),  # type: ignore[arg-type]
     "tasks must be a list of Task (from discover(path)), not NoneType; e.g. run_batch(discover('households'), "
     "'plans')"),
    (lambda: mealplan.run_batch("examples/batch/households.csv", "plans"),  # type: ignore[arg-type]
     "tasks must be a list of Task (from discover(path)), not str; e.g. run_batch(discover('households'), 'plans')"),
    (lambda: mealplan.run_batch([], "plans", settings={"overrides": {}}),  # type: ignore[arg-type]
     "settings must be a BatchSettings, not dict; e.g. BatchSettings(overrides={'time_limit': 10})"),
    (lambda: mealplan.run_batch([], None),  # type: ignore[arg-type]
     "out_dir must be a folder path, not NoneType; e.g. 'plans'"),
    (lambda: mealplan.run_batch([], "plans", workers="2"),  # type: ignore[arg-type]
     "workers '2' is not a whole number; give 1 to 1024, or None for every core"),
    (lambda: mealplan.plan_household(mealplan.household_from_data(_ONE, "x"), shared_meals="no"),  # type: ignore[arg-type]
     "shared_meals must be True, False or None (as the file says), not 'no'"),
    (lambda: mealplan.plan_household(mealplan.household_from_data(_ONE, "x"), progress=5),  # type: ignore[arg-type]
     "progress must be a function that takes a line of text, or None, not 5"),
    (lambda: mealplan.household_from_data(_ONE, "x", overrides={"nope": 1}),
     "overrides: unknown key 'nope'; known keys: name, shared_meals,"),
    (lambda: mealplan.household_from_data(_ONE, "x", base_dir=5),  # type: ignore[arg-type]
     "base_dir must be a folder path, not int"),
])  # fmt: skip
def test_the_household_and_batch_api_names_a_wrong_argument(call: Callable[[], object], message: str) -> None:
    """API QA: these raised raw TypeError and AttributeError from inside the library, planned
    shared meals for shared_meals="no", or told of an unknown override key to `run mealplan foods`."""
    with pytest.raises(InputError) as info:
        call()
    assert str(info.value).startswith(message)


def test_household_from_data_takes_a_folder_as_text(tmp_path: Path) -> None:
    """API QA: base_dir="data" gave "unsupported operand type(s) for /: 'str' and 'str'"."""
    (tmp_path / "mine.csv").write_text((Path(mealplan.__file__).parent.parent / "data" / "pool.csv").read_text("utf-8"),
                                       encoding="utf-8")  # fmt: skip
    household = mealplan.household_from_data({**_ONE, "household": {"days": 1, "foods": "mine.csv"}}, "x",
                                             base_dir=str(tmp_path))  # fmt: skip
    assert household.settings["foods"] == str(tmp_path / "mine.csv")


def test_a_plan_s_request_is_read_only_all_the_way_down() -> None:
    """API QA: plan.request was a dict, so a caller could change a plan's record of how it was
    asked after the fact (plan.request["days"] = 3), and the JSON and "Asked with" then said it.
    It still dumps, pickles and asks again as the dict did."""
    import copy
    import pickle

    from mealplan.plan import ReadOnlyDict, as_plain_data
    from mealplan.preferences import Preferences

    plan = mealplan.plan_day(mealplan.Profile(34, "female"), preferences=Preferences(exclude=("milk",)))
    before = json.loads(mealplan.render(plan, "json"))
    request = plan.request
    for change in (lambda: request.__setitem__("days", 3), lambda: request.pop("days"), request.clear,
                   lambda: request["profile"].__setitem__("age", 90), lambda: request["preferences"].update(x=1),
                   lambda: request["solver"].setdefault("x", 1), lambda: request["variety"].popitem(),
                   lambda: request["balance"].__delitem__("macros")):  # fmt: skip
        with pytest.raises(TypeError, match="a plan's request is read-only"):
            change()
    with pytest.raises(AttributeError):  # a tuple, not a list
        request["preferences"]["exclude"].append("fish")
    assert json.loads(mealplan.render(plan, "json")) == before
    assert before["request"]["preferences"]["exclude"] == ["milk"]
    assert json.loads(json.dumps(plan.request)) == before["request"]
    assert mealplan.Profile(**plan.request["profile"]) == mealplan.Profile(34, "female")
    assert pickle.loads(pickle.dumps(plan)).request == plan.request
    assert copy.deepcopy(plan).request == plan.request
    editable = as_plain_data(plan.request)
    editable["days"] = 3
    assert plan.request["days"] == 1 and isinstance(plan.request, ReadOnlyDict)
    record = {"days": 2, "profile": {"age": 40}}  # a Plan keeps a copy of what it is given
    made = dataclasses.replace(plan, request=record)
    record["profile"]["age"] = 41
    assert made.request["profile"]["age"] == 40

"""mealplan: meal plans that reach your magnesium RDA, from USDA data, with a MILP.

>>> from mealplan import Profile, plan_day
>>> plan = plan_day(Profile(age=34, sex="female", calories=1900))
>>> plan.members[0].days[0].total("magnesium_mg") >= 320
True

Every export is imported on first use, by the module that defines it: ``import mealplan``
itself imports nothing else, so the ``mealplan`` command can keep Ctrl-C while PuLP is
imported (see launch), and households, top-ups, batches, renderers and the shopping list
cost nothing until used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import BatchReport, BatchSettings, Outcome, Progress, Task, discover, run_batch
    from .catalog import Catalog, Food, UsdaFood, load_foods, search_usda
    from .errors import (
        BatchIncomplete,
        DataError,
        InfeasiblePlan,
        InputError,
        MealplanError,
        SolverError,
        UnknownName,
    )
    from .explain import Binding, Explanation, Relaxation
    from .household import Household, HouseholdMember, household_from_data, load_household, plan_household
    from .model import Variety
    from .plan import Check, Day, Item, MemberPlan, Plan, Swap, TopupInfo
    from .planner import plan_day, plan_week
    from .preferences import Preferences
    from .report import plan_schema, render, render_shopping
    from .shopping import Purchase, ShoppingItem, shopping_list
    from .solver import SolveOptions, SolveResult, end_cbc_solves
    from .targets import Balance, Profile, Targets, targets_for
    from .topup import Topup, plan_topup

__version__ = "0.1.0"

# Exports imported on first use, by the module that defines them: the batch module alone would
# add asyncio, multiprocessing and ssl to every start-up (tests/test_api.py keeps this lazy).
_LAZY: dict[str, str] = {
    **dict.fromkeys(("Catalog", "Food", "UsdaFood", "load_foods", "search_usda"), "catalog"),
    **dict.fromkeys(("BatchIncomplete", "DataError", "InfeasiblePlan", "InputError", "MealplanError", "SolverError",
                     "UnknownName"), "errors"),
    "Variety": "model",
    **dict.fromkeys(("Check", "Day", "Item", "MemberPlan", "Plan", "Swap", "TopupInfo"), "plan"),
    **dict.fromkeys(("plan_day", "plan_week"), "planner"),
    "Preferences": "preferences",
    **dict.fromkeys(("SolveOptions", "SolveResult", "end_cbc_solves"), "solver"),
    **dict.fromkeys(("Balance", "Profile", "Targets", "targets_for"), "targets"),
    **dict.fromkeys(("BatchReport", "BatchSettings", "Outcome", "Progress", "Task", "discover", "run_batch"), "batch"),
    **dict.fromkeys(("Binding", "Explanation", "Relaxation"), "explain"),
    **dict.fromkeys(("Household", "HouseholdMember", "household_from_data", "load_household", "plan_household"),
                    "household"),
    **dict.fromkeys(("plan_schema", "render", "render_shopping"), "report"),
    **dict.fromkeys(("Purchase", "ShoppingItem", "shopping_list"), "shopping"),
    **dict.fromkeys(("Topup", "plan_topup"), "topup"),
}  # fmt: skip

__all__ = [
    "Balance", "BatchIncomplete", "BatchReport", "BatchSettings", "Binding", "Catalog", "Check", "DataError", "Day",
    "Explanation", "Food", "Household", "HouseholdMember", "InfeasiblePlan", "InputError", "Item", "MealplanError",
    "MemberPlan", "Outcome", "Plan", "Preferences", "Profile", "Progress", "Purchase", "Relaxation", "ShoppingItem",
    "SolveOptions", "SolveResult", "SolverError", "Swap", "Targets", "Task", "Topup", "TopupInfo", "UnknownName",
    "UsdaFood", "Variety", "discover", "end_cbc_solves",
    "household_from_data", "load_foods", "load_household", "plan_day", "plan_household", "plan_schema", "plan_topup",
    "plan_week",
    "render", "render_shopping", "run_batch", "search_usda", "shopping_list", "targets_for",
]  # fmt: skip


def _lazy_export(name: str) -> Any:
    """The export ``name`` from its module, imported now and kept (PEP 562); or the package's
    module ``name`` itself (``mealplan.planner``), as when the package imported them (review)."""
    module = _LAZY.get(name)
    if module is None:
        if not name.startswith("_"):  # not __main__, which runs the command
            try:
                return importlib.import_module(f".{name}", __name__)
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise  # the module exists, and something it imports does not
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The exports and the modules, not the names this file uses itself (API QA: ``Any``,
    ``importlib``, ``_LAZY``…)."""
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    return sorted({*__all__, *modules, "__version__"})


# Hidden from type checkers, which see the imports above: a module __getattr__ would make them
# accept any misspelt name, `mealplan.plan_hosehold`, as Any.
if not TYPE_CHECKING:
    __getattr__ = _lazy_export

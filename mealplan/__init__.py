"""mealplan: meal plans that reach your magnesium RDA, from USDA data, with a MILP.

>>> from mealplan import Profile, plan_day
>>> plan = plan_day(Profile(age=34, sex="female", calories=1900))
>>> plan.members[0].days[0].total("magnesium_mg") >= 320
True
"""

from .catalog import Catalog, Food, load_foods, search_usda
from .errors import DataError, InfeasiblePlan, InputError, MealplanError, SolverError
from .model import Variety
from .plan import Day, Item, MemberPlan, Plan
from .planner import plan_day, plan_week
from .preferences import Preferences
from .solver import SolveOptions
from .targets import Balance, Profile, Targets, targets_for

__version__ = "0.1.0"

__all__ = [
    "Balance", "Catalog", "DataError", "Day", "Food", "InfeasiblePlan", "InputError", "Item",
    "MealplanError", "MemberPlan", "Plan", "Preferences", "Profile", "SolveOptions", "SolverError",
    "Targets", "Variety", "load_foods", "plan_day", "plan_week", "search_usda", "targets_for",
]  # fmt: skip

"""Use cases: plan a day or a week for one person.

Each function validates its inputs, builds the model, solves it, and returns a
:class:`~mealplan.plan.Plan` whose every claimed target has been rechecked on totals
recomputed from USDA values × grams. It never prints.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .catalog import Catalog, Food, load_foods
from .errors import InfeasiblePlan, InputError, SolverError
from .model import Member, ModelSpec, Variety
from .nutrients import KCAL_PER_G
from .plan import MemberPlan, Plan, items_from
from .preferences import Preferences, Resolved, resolve
from .solver import SolveOptions, SolveResult
from .strategy import solve_spec
from .targets import Balance, Profile, Targets, targets_for

MAX_DAYS = 28
DATA_RELEASE = "USDA SR28"


def plan_day(profile: Profile, **options: Any) -> Plan:
    """One day for ``profile``; keyword options as for :func:`plan_week`."""
    return plan_week(profile, days=1, **options)


def plan_week(
    profile: Profile,
    *,
    days: int = 7,
    foods: Catalog | None = None,
    balance: Balance | None = None,
    variety: Variety | None = None,
    preferences: Preferences | None = None,
    weekly_average: bool = False,
    seed: int = 0,
    solve_options: SolveOptions | None = None,
) -> Plan:
    """A plan of ``days`` days for ``profile`` that meets every target each day
    (or magnesium on average with ``weekly_average``), with the variety rules of ``variety``.

    Raises InputError for bad input, InfeasiblePlan (with an explanation) when no plan
    exists, SolverError when the solver fails or finds no plan in time.
    """
    if not (1 <= days <= MAX_DAYS):
        raise InputError(f"days {days} is out of range; give 1 to {MAX_DAYS}")
    catalog = foods or load_foods()
    balance = balance or Balance()
    variety = variety or Variety()
    preferences = preferences or Preferences()
    solve_options = solve_options or SolveOptions()
    _check_variety(variety, days)
    targets = targets_for(profile, balance)
    preferences = for_age(preferences, profile)
    resolved = resolve(preferences, catalog, days)
    usable, warnings = usable_foods(resolved.foods, targets)
    spec = ModelSpec(
        foods=usable,
        members=(Member("0", targets),),
        days=days,
        variety=variety,
        weekly_average=weekly_average,
        preferences=resolved.weights,
        required=resolved.required,
        food_caps=resolved.food_caps,
        category_caps=resolved.category_caps,
        prices_per_100g=resolved.prices_per_100g,
        budget=resolved.budget,
        seed=seed,
    )
    request = {
        "profile": dataclasses.asdict(profile),
        "days": days,
        "weekly_average": weekly_average,
        "seed": seed,
        "balance": dataclasses.asdict(balance),
        "variety": dataclasses.asdict(variety),
        "preferences": _preferences_record(preferences),
        "solver": dataclasses.asdict(solve_options),
        "foods": catalog.source,
    }
    solution = solve_spec(spec, solve_options)
    _raise_unless_plan(solution.result, spec, resolved, solve_options)
    foods_by_ndb = {f.ndb_no: f for f in usable}
    members = (MemberPlan(profile, targets, items_from(solution.half_servings, foods_by_ndb, 0, days)),)
    plan = Plan(
        members=members,
        solve=solution.result,
        method=solution.method,
        request=request,
        data_version=f"{DATA_RELEASE}; foods {catalog.source} sha256:{catalog.version}",
        weekly_average=weekly_average,
        warnings=(*catalog.warnings, *warnings),
    )
    verify(plan, variety)
    return plan


# Coffee and tea are in the pool for their magnesium, but caffeine is not for children:
# under this age the drinks category is left out.
CAFFEINE_MIN_AGE_Y = 14


def for_age(preferences: Preferences, profile: Profile) -> Preferences:
    """The preferences, plus what the person's age rules out (caffeinated drinks for children)."""
    if profile.age < CAFFEINE_MIN_AGE_Y and "beverages" not in preferences.exclude:
        return dataclasses.replace(preferences, exclude=(*preferences.exclude, "beverages"))
    return preferences


def _check_variety(variety: Variety, days: int) -> None:
    if variety.max_days_per_food is not None and not (1 <= variety.max_days_per_food <= days):
        raise InputError(f"max days per food {variety.max_days_per_food} is out of range; give 1 to {days}")
    if not (1 <= variety.min_foods_per_day <= 16):
        raise InputError(f"min foods per day {variety.min_foods_per_day} is out of range; give 1 to 16")
    if not (1 <= variety.min_categories_per_day <= 10):
        raise InputError(f"min categories per day {variety.min_categories_per_day} is out of range; give 1 to 10")


def usable_foods(foods: tuple[Food, ...], targets: Targets) -> tuple[tuple[Food, ...], list[str]]:
    """Foods whose values are known for every nutrient the targets constrain.

    A blank value is "not measured": counting it as 0 could hide sodium or overstate
    fiber, so such a food is left out with a warning instead.
    """
    needed = ["energy_kcal", "magnesium_mg"]
    if targets.protein_pct is not None:
        needed += list(KCAL_PER_G)
    if targets.fiber_g_per_1000kcal is not None:
        needed.append("fiber_g")
    if targets.sodium_max_mg is not None:
        needed.append("sodium_mg")
    kept, warnings = [], []
    for food in foods:
        missing = [n for n in needed if food.per_100g.get(n) is None]
        if missing:
            warnings.append(f"{food.name} ({food.ndb_no}) left out: USDA has no value for {', '.join(missing)}")
        else:
            kept.append(food)
    return tuple(kept), warnings


def _preferences_record(prefs: Preferences) -> dict[str, Any]:
    record = dataclasses.asdict(prefs)
    record["exclude"] = list(prefs.exclude)
    record["diets"] = list(prefs.diets)
    return record


def _raise_unless_plan(result: SolveResult, spec: ModelSpec, resolved: Resolved, options: SolveOptions) -> None:
    if result.status == "infeasible":
        from .explain import explain_infeasible

        raise InfeasiblePlan(explain_infeasible(spec, resolved, options))
    if result.status == "no_solution":
        raise SolverError(
            f"{result.solver} found no plan within the time limit of {options.time_limit_s:g} s; "
            "raise --time-limit or relax the request"
        )


def verify(plan: Plan, variety: Variety | None = None) -> None:
    """Recheck every claimed target on recomputed totals; a breach is a solver fault."""
    broken = [c for c in plan.checks() if not c.ok]
    if broken:
        first = broken[0]
        day = "" if first.day is None else f" on day {first.day + 1}"
        raise SolverError(
            f"the solver's plan breaks {first.name}{day} ({first.value:.4g} outside "
            f"{first.low}–{first.high}); numerical trouble, try --solver cbc"
        )


def targets_table(profile: Profile, balance: Balance | None = None) -> Mapping[str, Any]:
    """The targets of ``profile`` as plain data (for ``mealplan targets``)."""
    return dataclasses.asdict(targets_for(profile, balance))

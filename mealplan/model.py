"""The mixed-integer model of a meal plan, built with PuLP.

Indices: member ``m`` (one for a single person), day ``d``, meal slot ``s``, food ``f``.
Portions are counted in half servings so that every planned amount is a realistic
"½, 1, 1½ … servings" of the food's USDA household measure.

Variables
    x[m,d,s,f] ∈ {0, 1, …, 2·cap_f}   half servings member m eats
    y[d,s,f]   ∈ {0, 1}               food f is on the menu of meal (d, s)
    z[d,f]     ∈ {0, 1}               food f is eaten on day d
    c[d,k]     ∈ [0, 1]               category k is present on day d
    w[d,f]     ∈ [0, 1]               food f tells day d from day d+1

:func:`build_model` reads as the table of contents: one ``add_<family>`` per constraint
family, each with stable names ``<family>:<index>`` so tests can inspect a model unsolved.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulp

from .catalog import SLOTS, Food, base_name
from .kinds import is_caffeinated, is_nut_or_seed_spread
from .nutrients import KCAL_PER_G
from .targets import PORTION_SCALE_BY_AGE, Range, Targets

# Share of the day's energy each meal may take (low, high): breakfast is lighter than
# dinner and a snack stays a snack.
MEAL_ENERGY_SHARE: Mapping[str, Range] = {
    "breakfast": Range(0.15, 0.35),
    "lunch": Range(0.20, 0.40),
    "dinner": Range(0.25, 0.45),
    "snack": Range(0.05, 0.25),
}
# Most foods one meal may hold, so that a meal stays something a person would cook.
MAX_FOODS_PER_MEAL: Mapping[str, int] = {"breakfast": 4, "lunch": 4, "dinner": 4, "snack": 2}
# Most servings of one food in one meal (the daily cap may be spread over meals).
MAX_SERVINGS_PER_MEAL = 2
# A main protein is at least one full serving (3 oz of fish, half a breast of chicken).
MIN_SERVINGS_BY_CATEGORY: Mapping[str, int] = {"fish": 1, "poultry": 1}
# A meal holds at most one food of a category (one grain, one drink, one kind of seed…),
# except these, of which a meal may hold two.
CATEGORY_PER_MEAL_EXCEPTIONS: Mapping[str, int] = {"vegetables": 2, "greens": 2, "fruit": 2}
# Lunch and dinner are built around a protein food and come with a vegetable.
MAIN_MEALS: tuple[str, ...] = ("lunch", "dinner")
PROTEIN_CATEGORIES = frozenset({"legumes", "soy", "fish", "poultry", "eggs"})
VEGETABLE_CATEGORIES = frozenset({"vegetables", "greens"})
# A food's score is log2 of its magnesium density relative to what the day needs (RDA
# spread over the calorie target), clipped to this range: a food twice as dense as needed
# scores 1, half as dense −1; drinks and leaves with almost no energy stop at the top.
DENSITY_SCORE_RANGE = Range(-2.0, 3.0)

# A child who eats this share of an adult's portions or less (under 4: targets.portion_scale)
# gets at most one half serving (1 tbsp) of each nut or seed butter a day. QA: a 2-year-old
# was planned 2 tbsp of almond butter and 2 of sunflower seed butter, 40 % of the day's
# energy, next to the plan's own note to spread them thinly.
THIN_SPREAD_SCALE = PORTION_SCALE_BY_AGE[0][1]  # the youngest band's: under 4
# What a young child's nut or seed butter is spread on or stirred into, one of which is in
# any meal that has one (add_spread_carriers): QA saw a 1-year-old's snack of 1 tbsp each of
# almond and sunflower seed butter with nothing to spread them on, under the plan's own note
# to spread them thinly; the AAP lists spoonfuls of nut butter as a choking hazard.
SPREAD_CARRIER_CATEGORIES = frozenset({"grains", "fruit"})
# Objective points for one doubling of magnesium density (and for a like of weight 1).
POINTS_PER_DOUBLING = 2


# The days of a week: a plan longer than this keeps the variety limit k in any this many days
# in a row (Variety.days_in_window), as well as over the whole plan.
WINDOW_DAYS = 7


@dataclass(frozen=True)
class Variety:
    """Rules a week must keep so that it is a week a person would eat."""

    max_days_per_food: int | None = None  # None: about 4 days in 7
    min_foods_per_day: int = 7
    min_categories_per_day: int = 4
    distinct_consecutive_days: bool = True

    def days_per_food(self, days: int) -> int:
        if self.max_days_per_food is not None:
            return self.max_days_per_food
        return max(1, math.ceil(days * 4 / 7))

    def days_in_window(self, days: int) -> int | None:
        """Most days a food may be on in any WINDOW_DAYS days in a row of a plan of ``days``:
        the default k of a week, in a plan longer than a week (QA: in a 14-day plan, where k
        is 8, coffee was on days 1–8 and cocoa powder on days 6–13); None when the plan is a
        week or shorter, or the user gave their own limit, which is over the whole plan."""
        if days <= WINDOW_DAYS or self.max_days_per_food is not None:
            return None
        return self.days_per_food(WINDOW_DAYS)


@dataclass(frozen=True)
class Member:
    """One eater of the model: their targets and the foods they may eat (by ndb_no)."""

    key: str
    targets: Targets
    allowed: frozenset[str] | None = None  # None: every food of the model


@dataclass(frozen=True)
class ModelSpec:
    """Everything the model is built from."""

    foods: tuple[Food, ...]
    members: tuple[Member, ...]
    days: int = 1
    variety: Variety = field(default_factory=Variety)
    weekly_average: bool = False
    preferences: Mapping[str, float] = field(default_factory=dict)  # ndb_no → weight
    required: Mapping[str, int] = field(default_factory=dict)  # ndb_no → days a week
    food_caps: Mapping[str, float] = field(default_factory=dict)  # ndb_no → servings a day
    category_caps: Mapping[str, float] = field(default_factory=dict)  # category → servings a day
    prices_per_100g: Mapping[str, float] = field(default_factory=dict)  # ndb_no → money
    budget: float | None = None  # money for the whole plan
    seed: int = 0
    banned: frozenset[str] = frozenset()  # ndb_no not to be eaten at all (e.g. used up this week)
    forced: frozenset[str] = frozenset()  # ndb_no to be eaten every day of the model
    differ_from: tuple[frozenset[str], ...] = ()  # food sets that day 0 must differ from
    bonus: Mapping[str, float] = field(default_factory=dict)  # steering weights, not in the true objective
    magnesium_floor: bool = True  # False only in relaxations used for bounds
    # Shared meals: ndb_no of a member's private copy of a food → (the food's ndb_no, member
    # index). A copy is a food only that member eats, in a meal where they miss a shared one.
    swaps: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    # Foods the plan requires, kept when a one-day model of it drops ``required`` (as_one_day):
    # the forms of such a food are exempt from the forms rule in the day too (forms_of_foods).
    required_before: frozenset[str] = frozenset()

    def days_for(self, ndb_no: str) -> int:
        """Most days food ``ndb_no`` may appear on (see days_for_food)."""
        return days_for_food(self.variety, self.days, self.required.get(ndb_no, 0))

    def window_for(self, ndb_no: str) -> int | None:
        """Most days food ``ndb_no`` may appear on in any WINDOW_DAYS days in a row
        (Variety.days_in_window), or None. A required food gets as many as it is required on
        in a week when that is more (review: any --require, even once a week, had lifted the
        limit, and --require coffee=5 in 14 days put coffee on days 1–10), and None when that
        is every day of a run."""
        return window_limit(self.variety.days_in_window(self.days), self.required.get(ndb_no, 0), self.days)

    def windows(self) -> list[range]:
        """The runs of WINDOW_DAYS days in a row of the plan (window_runs)."""
        return window_runs(self.days)


def window_limit(most: int | None, required: int, days: int) -> int | None:
    """The most days of any WINDOW_DAYS in a row for a food required on ``required`` of ``days``
    days, where others get ``most`` (None: no window rule): ``most``, or as many as it is
    required on in a week when that is more, and None when that is every day of a run."""
    if most is None or not required:
        return most
    weekly = math.ceil(required * WINDOW_DAYS / days - 1e-9)  # the --require FOOD=N days a week
    return None if weekly >= WINDOW_DAYS else max(most, weekly)


def window_runs(days: int) -> list[range]:
    """The runs of WINDOW_DAYS days in a row of a plan of ``days`` longer than that (none otherwise)."""
    if days <= WINDOW_DAYS:
        return []
    return [range(start, start + WINDOW_DAYS) for start in range(days - WINDOW_DAYS + 1)]


def forms_of_foods(spec: ModelSpec) -> dict[str, tuple[str, ...]]:
    """Foods of the model that are forms of one food, such as raw and cooked spinach, keyed by
    the raw food's ndb_no, which a cooked food names as its Food.raw_ndb_no (a food without
    one is its own raw form). For variety they count as one food (add_variety): QA found
    spinach on 6 days of 7, raw on 4 and cooked on 4, and both on one day.

    Only groups of two or more; a member's private copy (a swap) is not a form, and a group
    of which the user requires a food is left out: their wish wins, as a required food's
    days win over k (days_for_food), and a week planned day by day could not keep both."""
    return forms_among(spec.foods, spec.required_before | set(spec.required), spec.swaps)


def forms_among(foods: Iterable[Food], required: Collection[str], swaps: Collection[str] = ()
                ) -> dict[str, tuple[str, ...]]:  # fmt: skip
    """The forms of one food among ``foods`` (see forms_of_foods), but those ``required`` and
    ``swaps``; for a plan's model and a top-up's."""
    groups: dict[str, list[str]] = {}
    for food in foods:
        if food.ndb_no not in swaps:
            groups.setdefault(food.raw_ndb_no or food.ndb_no, []).append(food.ndb_no)
    return {
        raw: tuple(sorted(foods))
        for raw, foods in sorted(groups.items())
        if len(foods) > 1 and not any(f in required for f in foods)
    }


def as_one_day(spec: ModelSpec, **changes: Any) -> ModelSpec:
    """``spec`` as a one-day model without the plan's required days (a day of a week, the
    average day of a bound), with ``changes``. The foods it required stay known, so that their
    forms stay exempt from the forms rule (review: requiring raw and cooked spinach made every
    day of the week infeasible, since each day model lost the exemption)."""
    kept = spec.required_before | frozenset(spec.required)
    return dataclasses.replace(spec, days=1, required={}, required_before=kept, **changes)


def days_for_forms(spec: ModelSpec, forms: tuple[str, ...]) -> int:
    """Most days the forms of one food may appear on, together: k, as for any one of them
    (none is required, see forms_of_foods)."""
    return max(spec.days_for(f) for f in forms)


def days_for_food(variety: Variety, days: int, required_days: int) -> int:
    """Most days a food may appear on in a plan of ``days``: the variety limit k, or more for a
    food the user requires on more days (their wish wins over the default variety rule)."""
    return max(variety.days_per_food(days), required_days)


Key = tuple[int, int, str, str]  # (member index, day, slot, ndb_no)


@dataclass
class MealModel:
    """A built (not yet solved) model and its variables."""

    spec: ModelSpec
    prob: pulp.LpProblem
    x: dict[Key, pulp.LpVariable] = field(default_factory=dict)
    y: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    z: dict[tuple[int, str], pulp.LpVariable] = field(default_factory=dict)
    c: dict[tuple[int, str], pulp.LpVariable] = field(default_factory=dict)
    w: dict[tuple[int, str], pulp.LpVariable] = field(default_factory=dict)
    # x of each (member, day) as (slot, ndb_no, variable), so that sums over a day do not
    # scan all of x (that scan made the week's build quadratic in the days).
    x_by_day: dict[tuple[int, int], list[tuple[str, str, pulp.LpVariable]]] = field(default_factory=dict)
    magnesium: dict[tuple[int, int], pulp.LpAffineExpression] = field(default_factory=dict)
    energy: dict[tuple[int, int], pulp.LpAffineExpression] = field(default_factory=dict)

    @property
    def foods(self) -> dict[str, Food]:
        return {f.ndb_no: f for f in self.spec.foods}


def build_model(spec: ModelSpec) -> MealModel:
    """Build the plan's MILP (maximise magnesium density and preferences; see add_objective)."""
    model = MealModel(spec, pulp.LpProblem("mealplan", pulp.LpMaximize))
    add_portion_variables(model)
    add_day_totals(model)
    add_meal_links(model)
    add_magnesium(model)
    add_energy(model)
    add_macros(model)
    add_fiber(model)
    add_protein_floor(model)
    add_sodium(model)
    add_upper_limits(model)
    add_caffeine(model)
    add_meal_shares(model)
    add_meal_sizes(model)
    add_meal_structure(model)
    add_spread_carriers(model)
    add_food_caps(model)
    add_category_caps(model)
    add_variety(model)
    add_required(model)
    add_budget(model)
    add_swaps(model)
    add_objective(model)
    return model


def day_cap_half_servings(food: Food, food_caps: Mapping[str, float]) -> int:
    """An adult's half servings of ``food`` a day: its curated cap, lowered by the user's
    (``food_caps``, servings by ndb_no)."""
    cap = food_caps.get(food.ndb_no, food.max_servings_day)
    return int(math.floor(min(cap, food.max_servings_day) * 2 + 1e-9))


def _cap_half_servings(spec: ModelSpec, food: Food) -> int:
    """Half servings of ``food`` allowed a day (an adult's; none when banned)."""
    return 0 if food.ndb_no in spec.banned else day_cap_half_servings(food, spec.food_caps)


def scaled_caps(food: Food, day_cap: int, scale: float) -> tuple[int, int, int]:
    """Half servings of ``food`` (most a day, most a meal, fewest in a meal) for a person who
    eats ``scale`` of an adult's portions (Targets.portion_scale), from an adult's ``day_cap``
    a day, MAX_SERVINGS_PER_MEAL a meal and MIN_SERVINGS_BY_CATEGORY: each scaled to whole
    half servings, none under one half serving, and the fewest in a meal no more than the most
    a day (QA: salmon's 1.5 of 4–8-year-olds rounded down to 1 a day and up to 2 a meal, so no
    child of 4–8 could be given fish or poultry). Scale 1 leaves an adult's as they were."""
    least = 2 * MIN_SERVINGS_BY_CATEGORY.get(food.category, 0) or 1
    if day_cap < 1:
        return 0, 0, least
    day = max(1, math.floor(day_cap * scale + 1e-9))
    if scale <= THIN_SPREAD_SCALE and is_nut_or_seed_spread(food):
        day = 1
    meal = min(day, max(1, math.floor(2 * MAX_SERVINGS_PER_MEAL * scale + 1e-9)))
    return day, meal, min(day, max(1, math.ceil(least * scale - 1e-9)))


def member_caps(spec: ModelSpec, food: Food, m: int) -> tuple[int, int, int]:
    """scaled_caps of ``food`` for member ``m`` of ``spec``."""
    return scaled_caps(food, _cap_half_servings(spec, food), spec.members[m].targets.portion_scale)


def add_portion_variables(model: MealModel) -> None:
    """x, y, z as above; x[m,d,s,f] = 0 where member m may not eat f or f does not suit s."""
    spec, new_var = model.spec, model.prob.add_variable
    for d in range(spec.days):
        for food in spec.foods:
            cap = _cap_half_servings(spec, food)
            if cap < 1:
                continue
            model.z[d, food.ndb_no] = new_var(f"z_{d}_{food.ndb_no}", cat=pulp.LpBinary)
            for slot in food.slots:
                model.y[d, slot, food.ndb_no] = new_var(f"y_{d}_{slot}_{food.ndb_no}", cat=pulp.LpBinary)
                for m, member in enumerate(spec.members):
                    if member.allowed is not None and food.ndb_no not in member.allowed:
                        continue
                    var = new_var(
                        f"x_{m}_{d}_{slot}_{food.ndb_no}",
                        lowBound=0,
                        upBound=member_caps(spec, food, m)[1],
                        cat=pulp.LpInteger,
                    )
                    model.x[m, d, slot, food.ndb_no] = var
                    model.x_by_day.setdefault((m, d), []).append((slot, food.ndb_no, var))


Terms = list[tuple[pulp.LpVariable, float]]


def _terms(model: MealModel, m: int, d: int, per_half_serving: Mapping[str, float],
           slot: str | None = None) -> Terms:  # fmt: skip
    return [(var, per_half_serving[f]) for s, f, var in model.x_by_day.get((m, d), ())
            if (slot is None or s == slot) and per_half_serving.get(f)]  # fmt: skip


def _sum(model: MealModel, m: int, d: int, per_half_serving: Mapping[str, float],
         slot: str | None = None) -> pulp.LpAffineExpression:  # fmt: skip
    return pulp.LpAffineExpression(_terms(model, m, d, per_half_serving, slot))


def _share_of_energy(model: MealModel, m: int, d: int, amount: Terms, share: float, sense: int, name: str) -> None:
    """amount (sense) share·E[m,d], as the row  amount − share·E[m,d]  with its terms in the
    order PuLP's operators give them (so the model is the same row for row), built directly
    because these dense rows are most of a model's build time."""
    coefficients = dict(amount)
    for var, kcal in model.energy[m, d].items():
        coefficients[var] = coefficients.get(var, 0.0) - kcal * share
    _add(model.prob, list(coefficients.items()), sense, 0.0, name)


def _per_half_serving(model: MealModel, nutrient: str) -> dict[str, float]:
    return {f.ndb_no: (f.per_serving(nutrient) or 0.0) / 2.0 for f in model.spec.foods}


def _members_days(model: MealModel) -> list[tuple[int, int]]:
    return [(m, d) for m in range(len(model.spec.members)) for d in range(model.spec.days)]


def add_day_totals(model: MealModel) -> None:
    """Expressions Mg[m,d] and E[m,d] (no constraints): each day's magnesium and energy."""
    mg = _per_half_serving(model, "magnesium_mg")
    kcal = _per_half_serving(model, "energy_kcal")
    for m, d in _members_days(model):
        model.magnesium[m, d] = _sum(model, m, d, mg)
        model.energy[m, d] = _sum(model, m, d, kcal)


def add_meal_links(model: MealModel) -> None:
    """least_f·y[d,s,f] ≤ x[m,d,s,f] ≤ meal_cap_f·y[d,s,f];  Σ_s x[m,d,s,f] ≤ 2·cap_f·z[d,f];
    y ≤ z[d,f] ≤ Σ_s y[d,s,f]. The caps and the least are member m's (member_caps: a young
    child's are scaled down).

    In a shared menu every member who may eat f eats at least half a serving of it
    (x ≥ y), so "the same foods at each meal" holds member by member.

    These are most of the model's rows, so they are built from their terms (see _add)."""
    spec, prob = model.spec, model.prob
    le, ge, eq = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
    by_meal: dict[tuple[int, str, str], list[tuple[int, pulp.LpVariable]]] = {}
    for (m, d, s, f), var in model.x.items():
        by_meal.setdefault((d, s, f), []).append((m, var))
    foods = model.foods
    caps = {(m, f): member_caps(spec, food, m) for f, food in foods.items() for m in range(len(spec.members))}
    for (d, s, f), y in model.y.items():
        xs = by_meal.get((d, s, f), [])
        if not xs:
            _add(prob, [(y, 1.0)], eq, 0.0, f"unused:{d}:{s}:{f}")
            continue
        for m, var in xs:  # members in order: model.x was made member by member
            _day_cap, meal_cap, least = caps[m, f]
            _add(prob, [(var, 1.0), (y, -meal_cap)], le, 0.0, f"portion_on_menu:{m}:{d}:{s}:{f}")
            _add(prob, [(var, 1.0), (y, -least)], ge, 0.0, f"portion_min:{m}:{d}:{s}:{f}")
        _add(prob, [(y, 1.0), (model.z[d, f], -1.0)], le, 0.0, f"meal_in_day:{d}:{s}:{f}")
    for (d, f), z in model.z.items():
        ys = [(model.y[d, s, f], -1.0) for s in SLOTS if (d, s, f) in model.y]
        _add(prob, [(z, 1.0), *ys], le, 0.0, f"day_uses:{d}:{f}")
        if f in spec.forced:
            _add(prob, [(z, 1.0)], eq, 1.0, f"forced:{d}:{f}")
    # Σ_s x[m,d,s,f] ≤ 2·cap_f·z[d,f]: the daily cap written against z, not as a constant,
    # so that the LP relaxation cannot eat a full cap on a day it counts as 4/7 "used".
    for m, d in _members_days(model):
        for food in spec.foods:
            xs_day = [(model.x[k], 1.0) for s in food.slots if (k := (m, d, s, food.ndb_no)) in model.x]
            if xs_day:
                z, day_cap = model.z[d, food.ndb_no], float(caps[m, food.ndb_no][0])
                _add(prob, [*xs_day, (z, -day_cap)], le, 0.0, f"food_day_cap:{m}:{d}:{food.ndb_no}")


def without_rows(model: MealModel, dropped: Callable[[str], bool]) -> None:
    """``model`` without the rows whose names ``dropped`` holds true for: its problem is made
    again from the others (PuLP deprecates deleting from ``prob.constraints``, with a warning
    that a service's tests may turn into an error)."""
    prob = pulp.LpProblem(model.prob.name, model.prob.sense)
    prob.setObjective(model.prob.objective)
    for row in model.prob.constraints():
        if not dropped(row.name):
            prob.addConstraint(row)
    model.prob = prob


def _add(prob: pulp.LpProblem, terms: Terms, sense: int, rhs: float, name: str) -> None:
    """Σ coefficient·variable (sense) rhs, built from its terms: the same row PuLP's operators
    build, without the intermediate expressions they make."""
    prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs))


def add_magnesium(model: MealModel) -> None:
    """Mg[m,d] ≥ RDA_m every day, or Σ_d Mg[m,d] ≥ days·RDA_m with ``weekly_average``."""
    spec = model.spec
    if not spec.magnesium_floor:
        return
    for m, member in enumerate(spec.members):
        rda = member.targets.magnesium_mg
        if spec.weekly_average:
            model.prob += (
                pulp.lpSum(model.magnesium[m, d] for d in range(spec.days)) >= spec.days * rda,
                f"magnesium_week:{m}",
            )
        else:
            for d in range(spec.days):
                model.prob += model.magnesium[m, d] >= rda, f"magnesium:{m}:{d}"


def add_energy(model: MealModel) -> None:
    """kcal·(1 − tol) ≤ E[m,d] ≤ kcal·(1 + tol)."""
    for m, d in _members_days(model):
        window = model.spec.members[m].targets.kcal_range
        model.prob += model.energy[m, d] >= window.low, f"energy_min:{m}:{d}"
        model.prob += model.energy[m, d] <= window.high, f"energy_max:{m}:{d}"


def add_macros(model: MealModel) -> None:
    """low·E ≤ factor·grams ≤ high·E for protein, fat and carbohydrate (AMDR)."""
    for nutrient, factor in KCAL_PER_G.items():
        grams = _per_half_serving(model, nutrient)
        for m, d in _members_days(model):
            targets = model.spec.members[m].targets
            share = {"protein_g": targets.protein_pct, "fat_g": targets.fat_pct,
                     "carbohydrate_g": targets.carbohydrate_pct}[nutrient]  # fmt: skip
            if share is None:
                continue
            amount = [(var, factor * g) for var, g in _terms(model, m, d, grams)]
            name = nutrient.removesuffix("_g")
            _share_of_energy(model, m, d, amount, share.low, pulp.LpConstraintGE, f"{name}_min:{m}:{d}")
            _share_of_energy(model, m, d, amount, share.high, pulp.LpConstraintLE, f"{name}_max:{m}:{d}")


def add_protein_floor(model: MealModel) -> None:
    """protein[m,d] ≥ the member's grams a day (Targets.protein_min_g), where they have one
    and the AMDR's share at the window's lowest energy does not already imply it (a row CBC
    need not have: see targets.protein_floor)."""
    if all(member.targets.protein_min_g is None for member in model.spec.members):
        return  # the usual model: nothing to add, nothing to compute
    protein = _per_half_serving(model, "protein_g")
    for m, member in enumerate(model.spec.members):
        t = member.targets
        grams = t.protein_min_g
        implied = t.protein_pct.low * t.kcal_range.low / KCAL_PER_G["protein_g"] if t.protein_pct is not None else 0.0
        if grams is None or implied >= grams:
            continue
        for d in range(model.spec.days):
            model.prob += _sum(model, m, d, protein) >= grams, f"protein_g_min:{m}:{d}"


def add_fiber(model: MealModel) -> None:
    """fiber[m,d] ≥ (g per 1,000 kcal)/1000 · E[m,d]."""
    fiber = _per_half_serving(model, "fiber_g")
    for m, d in _members_days(model):
        per_1000 = model.spec.members[m].targets.fiber_g_per_1000kcal
        if per_1000 is not None:
            _share_of_energy(model, m, d, _terms(model, m, d, fiber), per_1000 / 1000, pulp.LpConstraintGE,
                             f"fiber:{m}:{d}")  # fmt: skip


def add_sodium(model: MealModel) -> None:
    """sodium[m,d] ≤ CDRR."""
    sodium = _per_half_serving(model, "sodium_mg")
    for m, d in _members_days(model):
        limit = model.spec.members[m].targets.sodium_max_mg
        if limit is not None:
            model.prob += _sum(model, m, d, sodium) <= limit, f"sodium:{m}:{d}"


def add_upper_limits(model: MealModel) -> None:
    """Σ nutrient[m,d] ≤ UL_m for calcium, iron, phosphorus and zinc (Targets.upper_limits_mg:
    their ULs count food, unlike magnesium's)."""
    for nutrient in sorted({n for member in model.spec.members for n in member.targets.upper_limits_mg}):
        per_half_serving = _per_half_serving(model, nutrient)
        for m, d in _members_days(model):
            limit = model.spec.members[m].targets.upper_limits_mg.get(nutrient)
            if limit is not None:
                model.prob += _sum(model, m, d, per_half_serving) <= limit, f"upper_limit:{nutrient}:{m}:{d}"


def add_caffeine(model: MealModel) -> None:
    """Σ_{f caffeinated} Σ_s x[m,d,s,f] ≤ 2·cap_m: servings of caffeinated drinks a day
    (Targets.caffeinated_servings_max; a private copy of a drink counts as the drink)."""
    caffeinated = {f.ndb_no: 1.0 for f in model.spec.foods if is_caffeinated(f)}
    for m, d in _members_days(model):
        cap = model.spec.members[m].targets.caffeinated_servings_max
        terms = _terms(model, m, d, caffeinated)
        if cap is not None and terms:
            _add(model.prob, terms, pulp.LpConstraintLE, 2 * cap, f"caffeine:{m}:{d}")


def add_meal_shares(model: MealModel) -> None:
    """low_s·E[m,d] ≤ E[m,d,s] ≤ high_s·E[m,d], which also makes every meal non-empty."""
    kcal = _per_half_serving(model, "energy_kcal")
    for m, d in _members_days(model):
        for slot, share in MEAL_ENERGY_SHARE.items():
            meal = _terms(model, m, d, kcal, slot)
            _share_of_energy(model, m, d, meal, share.low, pulp.LpConstraintGE, f"meal_share_min:{m}:{d}:{slot}")
            _share_of_energy(model, m, d, meal, share.high, pulp.LpConstraintLE, f"meal_share_max:{m}:{d}:{slot}")


def add_meal_sizes(model: MealModel) -> None:
    """1 ≤ Σ_f y[d,s,f] ≤ MAX_FOODS_PER_MEAL[s]."""
    for d in range(model.spec.days):
        for slot in SLOTS:
            on_menu = pulp.lpSum(v for (dd, s, _f), v in model.y.items() if dd == d and s == slot)
            model.prob += on_menu >= 1, f"meal_nonempty:{d}:{slot}"
            model.prob += on_menu <= MAX_FOODS_PER_MEAL[slot], f"meal_size:{d}:{slot}"


def add_meal_structure(model: MealModel) -> None:
    """Σ_{f∈k} y[d,s,f] ≤ 1 per category k (2 for vegetables, greens, fruit); one food of a
    family per meal (raw and cooked spinach are one family: the name without its bracket);
    and at lunch and dinner Σ_{f ∈ protein} y ≥ 1 and Σ_{f ∈ vegetables} y ≥ 1, when the
    pool has them."""
    category = {f.ndb_no: f.category for f in model.spec.foods}
    family = {f.ndb_no: base_name(f.name) for f in model.spec.foods}
    meals: dict[tuple[int, str], list[tuple[str, pulp.LpVariable]]] = {}
    families: dict[tuple[int, str, str], list[pulp.LpVariable]] = {}
    menu: dict[tuple[int, str], list[tuple[str, pulp.LpVariable]]] = {}  # (day, slot) → (ndb_no, y)
    for (d, s, f), y in model.y.items():
        meals.setdefault((d, s), []).append((category[f], y))
        menu.setdefault((d, s), []).append((f, y))
        families.setdefault((d, s, family[f]), []).append(y)
    for (d, slot, name), ys in sorted(families.items()):
        if len(ys) > 1:
            model.prob += pulp.lpSum(ys) <= 1, f"family_per_meal:{d}:{slot}:{name}"
    for (d, slot), entries in sorted(meals.items()):
        by_category: dict[str, list[pulp.LpVariable]] = {}
        for cat, y in entries:
            by_category.setdefault(cat, []).append(y)
        for cat, ys in sorted(by_category.items()):
            most = CATEGORY_PER_MEAL_EXCEPTIONS.get(cat, 1)
            if len(ys) > most:
                model.prob += pulp.lpSum(ys) <= most, f"category_per_meal:{d}:{slot}:{cat}"
        if slot in MAIN_MEALS:
            for label, group in (("protein", PROTEIN_CATEGORIES), ("vegetable", VEGETABLE_CATEGORIES)):
                ys = [y for cat, y in entries if cat in group]
                if ys:
                    model.prob += pulp.lpSum(ys) >= 1, f"main_meal_{label}:{d}:{slot}"
                # In a shared menu the rule holds for each member who does not eat every
                # food: a protein (vegetable) of the meal that they eat themselves, not one
                # only the others eat (a member eats every menu food they may; add_meal_links).
                for m, member in enumerate(model.spec.members):
                    if member.allowed is None or len(model.spec.members) == 1:
                        continue
                    own = [y for f, y in menu[d, slot] if category[f] in group and f in member.allowed]
                    if own:
                        model.prob += pulp.lpSum(own) >= 1, f"main_meal_{label}:{d}:{slot}:{m}"


def add_spread_carriers(model: MealModel) -> None:
    """Σ_{g ∈ carriers m eats} y[d,s,g] ≥ y[d,s,f] for each nut or seed butter f that member m
    eats in meal (d, s), when m is a young child (Targets.portion_scale ≤ THIN_SPREAD_SCALE,
    under 4): the meal has a grain or fruit (SPREAD_CARRIER_CATEGORIES) on the child's own
    plate to spread the butter on. In a shared menu a member eats every food of a meal they
    may (add_meal_links), so the carriers are the meal's foods the child may eat: review found
    a 2-year-old's butter counted as spread on her father's popcorn, which she may not have.
    And Σ_{f spread} x[m,d,s,f] ≤ 1: one butter in a meal of such a child."""
    spec = model.spec
    young = [m for m, member in enumerate(spec.members) if member.targets.portion_scale <= THIN_SPREAD_SCALE]
    if not young:
        return
    spreads = {f.ndb_no for f in spec.foods if is_nut_or_seed_spread(f)}
    carriers = {f.ndb_no for f in spec.foods if f.category in SPREAD_CARRIER_CATEGORIES}
    for m in young:
        plates: dict[tuple[int, str], list[pulp.LpVariable]] = {}
        for (mm, d, s, f) in model.x:
            if mm == m and f in carriers:
                plates.setdefault((d, s), []).append(model.y[d, s, f])
        butters: dict[tuple[int, str], list[pulp.LpVariable]] = {}
        for (mm, d, s, f), x in model.x.items():
            if mm == m and f in spreads:
                name = f"spread_carrier:{d}:{s}:{f}" if len(spec.members) == 1 else f"spread_carrier:{m}:{d}:{s}:{f}"
                model.prob += model.y[d, s, f] <= pulp.lpSum(plates.get((d, s), [])), name
                butters.setdefault((d, s), []).append(x)
        # One butter a meal (QA, a pediatric dietitian: a 2-year-old's breakfast had almond
        # and sunflower seed butter, 197 kcal): each is at most a half serving a day (scaled_caps).
        for (d, s), xs in butters.items():
            if len(xs) > 1:
                model.prob += pulp.lpSum(xs) <= 1, f"one_spread_a_meal:{m}:{d}:{s}"


def main_meal_gaps(foods: tuple[Food, ...]) -> list[str]:
    """What lunch and dinner go without, because no food left for them belongs to the group
    (add_meal_structure then drops that rule): ["a protein food (legumes, soy, fish, poultry,
    eggs)"] after --exclude legumes --diet vegan, say."""
    gaps = []
    for label, group in (("a protein food", PROTEIN_CATEGORIES), ("a vegetable", VEGETABLE_CATEGORIES)):
        if not any(f.category in group and set(f.slots) & set(MAIN_MEALS) for f in foods):
            gaps.append(f"{label} ({', '.join(sorted(group))})")
    return gaps


def add_food_caps(model: MealModel) -> None:
    """Per-food caps are variable bounds (see _cap_half_servings); nothing more to add."""


def add_category_caps(model: MealModel) -> None:
    """Σ_{f ∈ k} Σ_s x[m,d,s,f] ≤ 2·cap_k for each capped category k."""
    spec = model.spec
    if not spec.category_caps:
        return
    category = {f.ndb_no: f.category for f in spec.foods}
    for m, d in _members_days(model):
        for cat, cap in spec.category_caps.items():
            xs = [v for (mm, dd, _s, f), v in model.x.items() if mm == m and dd == d and category[f] == cat]
            if xs:
                model.prob += pulp.lpSum(xs) <= 2 * cap, f"category_cap:{m}:{d}:{cat}"


def add_variety(model: MealModel) -> None:
    """Σ_d z[d,f] ≤ k_f (ModelSpec.days_for);  Σ_f z[d,f] ≥ n_foods;
    Σ_k c[d,k] ≥ n_categories with c[d,k] ≤ Σ_{f∈k} z[d,f];
    consecutive days differ in at least one food: Σ_f w[d,f] ≥ 1 with
    w[d,f] ≤ z[d,f] + z[d+1,f] and w[d,f] ≤ 2 − z[d,f] − z[d+1,f].

    The forms F of one food (forms_of_foods: raw and cooked spinach) count as one food: one
    form a day, Σ_{f∈F} z[d,f] ≤ 1, so that over the days Σ_d Σ_{f∈F} z[d,f] ≤ k_F counts
    the days the food is eaten in any form (k_F: days_for_forms)."""
    spec, prob, variety = model.spec, model.prob, model.spec.variety
    days = spec.days
    if days > 1:
        for food in spec.foods:
            k = spec.days_for(food.ndb_no)
            zs = [model.z[d, food.ndb_no] for d in range(days) if (d, food.ndb_no) in model.z]
            if len(zs) > k:
                prob += pulp.lpSum(zs) <= k, f"days_per_food:{food.ndb_no}"
    for raw, forms in forms_of_foods(spec).items():
        for d in range(days):
            zs = [model.z[d, f] for f in forms if (d, f) in model.z]
            if len(zs) > 1:
                prob += pulp.lpSum(zs) <= 1, f"one_form_a_day:{d}:{raw}"
        zs = [model.z[d, f] for d in range(days) for f in forms if (d, f) in model.z]
        most = days_for_forms(spec, forms)
        if days > 1 and len(zs) > most:
            prob += pulp.lpSum(zs) <= most, f"days_per_forms:{raw}"
    add_variety_windows(model)
    categories = sorted({f.category for f in spec.foods})
    for d in range(days):
        day_foods = pulp.lpSum(v for (dd, _f), v in model.z.items() if dd == d)
        prob += day_foods >= variety.min_foods_per_day, f"min_foods:{d}"
        if variety.min_categories_per_day > 1:
            present = []
            for cat in categories:
                c = model.c[d, cat] = prob.add_variable(f"c_{d}_{cat}", lowBound=0, upBound=1)
                zs = [model.z[d, f.ndb_no] for f in spec.foods if f.category == cat and (d, f.ndb_no) in model.z]
                prob += c <= pulp.lpSum(zs), f"category_present:{d}:{cat}"
                present.append(c)
            prob += pulp.lpSum(present) >= variety.min_categories_per_day, f"min_categories:{d}"
    for i, other in enumerate(spec.differ_from):
        # Day 0 differs from a given day (its neighbour, planned separately):
        # Σ_{f∉other} z[0,f] + Σ_{f∈other} (1 − z[0,f]) ≥ 1.
        prob += (
            pulp.lpSum((1 - z) if f in other else z for (d, f), z in model.z.items() if d == 0)
            + sum(1 for f in other if (0, f) not in model.z)
            >= 1,
            f"differs_from_neighbour:{i}",
        )
    if variety.distinct_consecutive_days:
        for d in range(days - 1):
            differs = []
            for food in spec.foods:
                if (d, food.ndb_no) not in model.z:
                    continue
                a, b = model.z[d, food.ndb_no], model.z[d + 1, food.ndb_no]
                w = model.w[d, food.ndb_no] = prob.add_variable(f"w_{d}_{food.ndb_no}", lowBound=0, upBound=1)
                prob += w <= a + b, f"differs_lo:{d}:{food.ndb_no}"
                prob += w <= 2 - a - b, f"differs_hi:{d}:{food.ndb_no}"
                differs.append(w)
            prob += pulp.lpSum(differs) >= 1, f"consecutive_days_differ:{d}"


def rule_breaches(spec: ModelSpec, portions: Mapping[Key, int]) -> list[str]:
    """The rules of add_variety, add_variety_windows and add_required, and the banned and
    forced foods, that ``portions`` (half-servings by Key) break, each as a phrase; read off
    the portions, not the solver's indicator variables (planner.verify: a plan is checked
    against every rule it claims, as its nutrient totals are)."""
    names = {f.ndb_no: f.name for f in spec.foods}
    category = {f.ndb_no: f.category for f in spec.foods}
    eaten: list[set[str]] = [set() for _ in range(spec.days)]
    for (_m, d, _s, f), n in portions.items():
        if n > 0:
            eaten[d].add(f)

    def days_of(foods: tuple[str, ...], days: range) -> int:
        return sum(f in eaten[d] for d in days for f in foods)

    every_day = range(spec.days)
    out: list[str] = []
    if spec.days > 1:
        out += [
            f"{names[f.ndb_no]} on {n} days, more than {k}"
            for f in spec.foods
            if (n := days_of((f.ndb_no,), every_day)) > (k := spec.days_for(f.ndb_no))
        ]
    for raw, forms in forms_of_foods(spec).items():
        out += [f"two forms of {names.get(raw, raw)} on day {d + 1}" for d in every_day
                if days_of(forms, range(d, d + 1)) > 1]  # fmt: skip
        if spec.days > 1 and (n := days_of(forms, every_day)) > (k := days_for_forms(spec, forms)):
            out.append(f"{names.get(raw, raw)} (in any form) on {n} days, more than {k}")
    out += [f"{names[foods[0]]} on {n} of days {w.start + 1}–{w.stop}, more than {most}"
            for foods, w, n, most in window_overruns(spec, dict(enumerate(eaten)))]  # fmt: skip
    variety = spec.variety
    for d, on_day in enumerate(eaten):
        if len(on_day) < variety.min_foods_per_day:
            out.append(f"{len(on_day)} foods on day {d + 1}, fewer than {variety.min_foods_per_day}")
        if variety.min_categories_per_day > 1 and (n := len({category[f] for f in on_day})) < (
            least := variety.min_categories_per_day
        ):
            out.append(f"{n} food categories on day {d + 1}, fewer than {least}")
    if variety.distinct_consecutive_days:
        out += [f"days {d + 1} and {d + 2} alike" for d in range(spec.days - 1) if eaten[d] == eaten[d + 1]]
    out += ["day 1 like its neighbour" for other in spec.differ_from if eaten[0] == other]
    for f, times in spec.required.items():
        if (n := days_of((f,), every_day)) < min(times, spec.days):
            out.append(f"{names.get(f, f)} on {n} days, fewer than the {min(times, spec.days)} required")
    out += [f"{names[f]}, which is left out, on day {d + 1}" for d in every_day for f in sorted(eaten[d] & spec.banned)]
    out += [f"{names.get(f, f)}, required every day, missing on day {d + 1}" for d in every_day
            for f in sorted(spec.forced - eaten[d])]  # fmt: skip
    return out


def add_variety_windows(model: MealModel) -> None:
    """In a plan longer than WINDOW_DAYS: Σ_{d∈W} z[d,f] ≤ k_W for every run W of WINDOW_DAYS
    days in a row (ModelSpec.window_for), for each food, for the forms of one food together
    and for a shared food with a member's private copy of it."""
    spec, prob = model.spec, model.prob
    windows = spec.windows()
    if not windows:
        return
    for name, foods, most in window_groups(spec):
        for start, window in enumerate(windows):
            zs = [model.z[d, f] for d in window for f in foods if (d, f) in model.z]
            if len(zs) > most:
                prob += pulp.lpSum(zs) <= most, name.format(start)


def window_overruns(spec: ModelSpec, eaten: Mapping[int, Collection[str]]
                    ) -> Iterator[tuple[tuple[str, ...], range, int, int]]:  # fmt: skip
    """(foods, run, days of the run they are on, the most they may be) for each group of
    window_groups over its most in a run of WINDOW_DAYS days, with ``eaten`` the foods of each
    day given (a day not given counts as eating none of them)."""
    runs = spec.windows()
    for _name, foods, most in window_groups(spec) if runs else []:
        for run in runs:
            if (n := sum(f in eaten.get(d, ()) for d in run for f in foods)) > most:
                yield foods, run, n, most


def window_groups(spec: ModelSpec) -> list[tuple[str, tuple[str, ...], int]]:
    """What the window rule limits (add_variety_windows), each as (its row's name with {} for
    the run's start, its foods, counted together, the most days of a run they may have): each
    food, the forms of one food together, and a shared food with a member's private copy."""
    groups: list[tuple[str, tuple[str, ...], int]] = []
    for food in spec.foods:
        if (most := spec.window_for(food.ndb_no)) is not None:
            groups.append((f"days_in_window:{{}}:{food.ndb_no}", (food.ndb_no,), most))
    for raw, forms in forms_of_foods(spec).items():
        if all((most := spec.window_for(f)) is not None for f in forms) and most is not None:
            groups.append((f"forms_in_window:{{}}:{raw}", forms, most))
    for copy, (f, m) in sorted(spec.swaps.items()):
        if (most := spec.window_for(f)) is not None:
            groups.append((f"swap_in_window:{m}:{{}}:{copy}", (f, copy), most))
    return groups


def add_required(model: MealModel) -> None:
    """Σ_d z[d,f] ≥ n_f for each required food (n_f = every day by default). A required food
    with no z (not allowed any portion) keeps the row on a variable fixed at 0, so the model
    is infeasible rather than the row dropped as a constant one."""
    for ndb_no, times in model.spec.required.items():
        zs = [model.z[d, ndb_no] for d in range(model.spec.days) if (d, ndb_no) in model.z]
        if not zs:
            zs = [model.prob.add_variable(f"unplannable_{ndb_no}", lowBound=0, upBound=0)]
        model.prob += pulp.lpSum(zs) >= min(times, model.spec.days), f"required:{ndb_no}"


def add_budget(model: MealModel) -> None:
    """Σ price_f/100 · grams_f ≤ budget over the whole plan and every member."""
    spec = model.spec
    if spec.budget is None:
        return
    grams = {f.ndb_no: f.serving_grams / 2 for f in spec.foods}
    cost = pulp.lpSum(
        spec.prices_per_100g[f] / 100 * grams[f] * var
        for (_m, _d, _s, f), var in model.x.items()
        if f in spec.prices_per_100g
    )
    model.prob += cost <= spec.budget, "budget"


def add_swaps(model: MealModel) -> None:
    """Private items ("swaps") of shared meals, for each member m with private copies p of foods f:

    * Σ_{p of m} y[d,s,p] ≤ Σ_{f shared, m may not eat f} y[d,s,f]: a member has a private item
      only in a meal where they miss a shared food, one for each food missed;
    * y[d,s,f] + y[d,s,p] ≤ 1: the copy of a food is not on a meal that already has the food;
    * Σ_s x[m,d,s,f] + Σ_s x[m,d,s,p] ≤ 2·cap_f: the food's daily cap holds over both;
    * Σ_d z[d,f] + Σ_d z[d,p] ≤ k: the member eats the food on at most k days.

    Everything else (targets, meal shares, categories, budget) counts a copy as the food it
    copies, since the copy carries the same nutrients and category.
    """
    spec, prob = model.spec, model.prob
    if not spec.swaps:
        return
    private: dict[tuple[int, int, str], list[pulp.LpVariable]] = {}
    shared: dict[tuple[int, str], list[tuple[str, pulp.LpVariable]]] = {}
    for (d, s, p), y in model.y.items():
        if p not in spec.swaps:
            shared.setdefault((d, s), []).append((p, y))
            continue
        f, m = spec.swaps[p]
        private.setdefault((m, d, s), []).append(y)
        if (d, s, f) in model.y:
            prob += model.y[d, s, f] + y <= 1, f"swap_distinct:{m}:{d}:{s}:{p}"
    for (m, d, s), ys in sorted(private.items()):
        allowed = spec.members[m].allowed
        missed = [y for f, y in shared.get((d, s), []) if allowed is not None and f not in allowed]
        prob += pulp.lpSum(ys) <= pulp.lpSum(missed), f"swap:{m}:{d}:{s}"
    foods = model.foods
    k = spec.variety.days_per_food(spec.days)
    by_member_day: dict[tuple[int, int, str], list[pulp.LpVariable]] = {}
    for (m, d, _s, g), v in model.x.items():
        by_member_day.setdefault((m, d, g), []).append(v)
    for p, (f, m) in sorted(spec.swaps.items()):
        if f not in foods:
            continue
        cap = member_caps(spec, foods[f], m)[0]
        for d in range(spec.days):
            as_shared, as_own = by_member_day.get((m, d, f), []), by_member_day.get((m, d, p), [])
            if as_shared and as_own:
                prob += pulp.lpSum(as_shared + as_own) <= cap, f"swap_day_cap:{m}:{d}:{p}"
        if spec.days > 1:
            zs = [model.z[d, g] for d in range(spec.days) for g in (f, p) if (d, g) in model.z]
            if len(zs) > k:
                prob += pulp.lpSum(zs) <= k, f"swap_days_per_food:{m}:{p}"


def density_scores(spec: ModelSpec) -> dict[str, float]:
    """score_f = clip(log2((mg/kcal of f) / (RDA/kcal target)), DENSITY_SCORE_RANGE):
    0 is a food exactly as magnesium-dense as the day must be on average; averaged over
    members."""
    low, high = DENSITY_SCORE_RANGE.low, DENSITY_SCORE_RANGE.high
    scores: dict[str, float] = {}
    for food in spec.foods:
        kcal = food.per_100g["energy_kcal"] or 0.0
        mg = food.per_100g["magnesium_mg"] or 0.0
        values = []
        for member in spec.members:
            needed = member.targets.magnesium_mg / member.targets.kcal
            ratio = math.inf if kcal <= 0 else mg / kcal / needed
            values.append(high if ratio == math.inf else low if ratio <= 0 else min(high, max(low, math.log2(ratio))))
        scores[food.ndb_no] = sum(values) / len(values)
    return scores


def objective_weights(spec: ModelSpec, *, steering: bool = False) -> dict[str, float]:
    """Points per day a food is eaten: round(POINTS_PER_DOUBLING·score_f) +
    round(POINTS_PER_DOUBLING·like_f), a whole number (see add_objective). With ``steering``,
    the spec's construction bonus is added (used while building a week, never reported)."""
    score = density_scores(spec)
    weights = {
        f: float(round(POINTS_PER_DOUBLING * score[f]) + round(POINTS_PER_DOUBLING * spec.preferences.get(f, 0.0)))
        for f in score
    }
    if steering:
        for f, extra in spec.bonus.items():
            if f in weights:
                weights[f] += extra
    return weights


def add_objective(model: MealModel) -> None:
    """Maximise Σ_d Σ_f points_f · z[d,f], points_f = round(2·score_f) + round(2·like_f).

    * score_f (see density_scores) is log2 of the food's magnesium density against the
      day's need, so 2 points are one doubling of density; it is counted per day a food is
      eaten, so a plan gains by eating several dense foods rather than a heap of one;
    * like_f is the user's weight (negative for dislikes); a like of 1 is worth a doubling;
    * the points are whole numbers, so the objective is too: a bound of 250.6 proves that
      no plan scores more than 250, which lets the solver prove optimality early.
    Among equally good plans the solver's random seed (``--seed``) picks one.
    Portions are then free within the constraints: the targets decide how much.
    """
    weight = objective_weights(model.spec, steering=True)
    model.prob += pulp.LpAffineExpression([(z, weight[f]) for (_d, f), z in model.z.items()])


def plan_objective(spec: ModelSpec, half_servings: Mapping[Key, int]) -> float:
    """The objective of add_objective recomputed from a plan's portions: Σ over the (day,
    food) pairs eaten of the food's weight. Used to report the true value of a plan that
    was assembled from solves of other (e.g. penalised) objectives."""
    weight = objective_weights(spec)
    eaten = {(d, f) for (_m, d, _s, f), n in half_servings.items() if n > 0}
    return sum(weight[f] for _d, f in eaten)


def portions_cost(spec: ModelSpec, half_servings: Mapping[Key, int]) -> float:
    """What the portions ``half_servings`` cost, as add_budget counts it (foods without a price
    cost nothing)."""
    grams = {f.ndb_no: f.serving_grams / 2 for f in spec.foods}
    return sum(spec.prices_per_100g.get(f, 0.0) / 100 * grams[f] * n for (_m, _d, _s, f), n in half_servings.items())


def start_values(model: MealModel, half_servings: Mapping[Key, int]) -> list[tuple[pulp.LpVariable, float]]:
    """Every variable's value in the plan ``half_servings`` (keys outside the model are
    ignored), for handing the plan to a solver as its first solution."""
    on_menu = {(d, s, f) for (m, d, s, f), n in half_servings.items() if n > 0 and (m, d, s, f) in model.x}
    eaten = {(d, f) for d, _s, f in on_menu}
    category = {f.ndb_no: f.category for f in model.spec.foods}
    present = {(d, category[f]) for d, f in eaten}
    values: list[tuple[pulp.LpVariable, float]] = []
    values += [(var, float(half_servings.get(key, 0))) for key, var in model.x.items()]
    values += [(var, float(key in on_menu)) for key, var in model.y.items()]
    values += [(var, float(key in eaten)) for key, var in model.z.items()]
    values += [(var, float(key in present)) for key, var in model.c.items()]
    values += [(var, float(((d, f) in eaten) != ((d + 1, f) in eaten))) for (d, f), var in model.w.items()]
    return values


def solution_half_servings(model: MealModel) -> dict[Key, int]:
    """The solved x as whole numbers of half servings (only the non-zero ones)."""
    out: dict[Key, int] = {}
    for key, var in model.x.items():
        value = var.value()
        if value is not None and round(value) > 0:
            out[key] = round(value)
    return out


def objective_value(model: MealModel) -> float:
    return float(pulp.value(model.prob.objective) or 0.0)

"""Property-based tests: random people, wishes and small random food tables.

For every example the planner either returns a plan or refuses with InfeasiblePlan (exit 3):

* a returned plan, as printed in JSON, meets every stated rule when recomputed here from the
  foods' per-100 g values × grams (tests/invariants.py plus the rules below), and
* a refusal is confirmed by an independent model built here with PuLP: the most magnesium any
  plan keeping all the other rules can reach is below the RDA (or no such plan exists).

The rules' parameters (meal energy shares, foods per meal, …) are imported from mealplan.model,
since they are the product's stated rules; the recomputation and the independent model are
written here, from those rules, without mealplan's code.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any

import pulp
import pytest
from hypothesis import HealthCheck, Phase, event, given, reject, settings
from hypothesis import strategies as st

from mealplan.catalog import ALLERGENS, CATEGORIES, DIETS, SLOTS, Catalog, Food
from mealplan.errors import InfeasiblePlan, InputError, SolverError
from mealplan.kinds import is_choking_hazard
from mealplan.model import (
    CATEGORY_PER_MEAL_EXCEPTIONS,
    MAIN_MEALS,
    MAX_FOODS_PER_MEAL,
    MAX_SERVINGS_PER_MEAL,
    MEAL_ENERGY_SHARE,
    MIN_SERVINGS_BY_CATEGORY,
    PROTEIN_CATEGORIES,
    VEGETABLE_CATEGORIES,
    Variety,
)
from mealplan.planner import plan_week
from mealplan.preferences import ALLERGEN_ALIASES, Preferences
from mealplan.report.common import plan_dict
from mealplan.solver import SolveOptions
from mealplan.targets import Balance, Profile, targets_for
from tests.invariants import (
    NUTRIENTS,
    assert_day_meets_targets,
    assert_portions_are_realistic,
    is_spread,
    portion_share,
)

# Examples of the plan property: about 45 s on 2 cores; the figure is reported in
# docs/reliability.md. PLAN_EXAMPLES=2000 runs a longer search locally.
PLAN_EXAMPLES = int(os.environ.get("PLAN_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=PLAN_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # No shrinking: a failure is reported as generated, so a failing run stays short in CI.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOL = 1e-6


def days_required(times: int | None, days: int) -> int:
    """`--require FOOD=N` is N days a week; a plan of other length gets it pro rata, rounded up."""
    return days if times is None else min(days, math.ceil(times * days / 7 - 1e-9))


def most_days(ex: Example, ndb_no: str) -> int:
    """Days a food may be eaten on: the variety limit k, or more for a food the user requires on
    more days (their wish wins over the default rule)."""
    wished = [days_required(times, ex.days) for name, times in ex.preferences.require.items()
              if any(f.name == name and f.ndb_no == ndb_no for f in ex.foods)]  # fmt: skip
    return max([ex.variety.days_per_food(ex.days), *wished])


def plan_budget(weekly: float, days: int) -> float:
    """`--budget` is money a week; a plan of other length gets it pro rata."""
    return weekly * days / 7
# The rules do not depend on how close to optimal a plan is, so a looser gap keeps two-day
# plans quick (the week strategy is slow on some tables: being fixed on another branch).
SOLVE_OPTIONS = SolveOptions(gap=0.05, time_limit_s=3)

# ----------------------------------------------------------------------------- generation


# Kinds of food, per 100 g: protein, fat, carbohydrate, fiber (g), magnesium, sodium (mg), the
# categories they may carry, and a serving in grams. Each synthetic food is one of these with
# every value scaled at random, so tables are random yet look like food.
ARCHETYPES = (
    (13.0, 6.5, 68.0, 10.0, 138.0, 6.0, ("grains",), 40.0),
    (9.0, 0.5, 21.0, 7.0, 45.0, 240.0, ("legumes", "soy"), 130.0),
    (3.0, 0.4, 5.0, 2.5, 60.0, 60.0, ("vegetables", "greens"), 90.0),
    (20.0, 50.0, 20.0, 10.0, 270.0, 5.0, ("nuts", "seeds"), 28.0),
    (22.0, 8.0, 0.0, 0.0, 30.0, 60.0, ("fish", "poultry", "eggs"), 85.0),
    (1.0, 0.3, 20.0, 2.6, 27.0, 1.0, ("fruit",), 120.0),
    (3.5, 3.0, 5.0, 0.0, 11.0, 45.0, ("dairy", "beverages"), 245.0),
    (8.0, 43.0, 46.0, 11.0, 228.0, 20.0, ("cocoa", "other"), 28.0),
)
# Strategies built once: hypothesis validates each new strategy object, which is slow.
ARCHETYPE = st.sampled_from(ARCHETYPES)
SCALE = st.integers(50, 150).map(lambda percent: percent / 100)
# Magnesium: usually scaled from the archetype, sometimes numerically odd (tiny or huge).
MAGNESIUM_SCALE = st.one_of(
    st.integers(1, 300).map(lambda percent: percent / 100), st.sampled_from([1e-8, 1e-5, 10.0, 300.0])
)
ALLERGEN_SETS = st.frozensets(st.sampled_from(ALLERGENS), max_size=2)
DIET_SETS = st.frozensets(st.sampled_from(DIETS))
SLOT_SETS = st.one_of(st.just(frozenset(SLOTS)), st.frozensets(st.sampled_from(SLOTS), min_size=1))


@st.composite
def foods_tables(draw: st.DrawFn) -> tuple[Food, ...]:
    """8–14 synthetic foods with random but sane values per 100 g (energy from the macros)."""
    count = draw(st.integers(8, 14))
    foods = []
    for i in range(count):
        protein, fat, carbohydrate, fiber, magnesium, sodium, categories, serving = draw(ARCHETYPE)
        protein, fat, carbohydrate = (round(v * draw(SCALE), 1) for v in (protein, fat, carbohydrate))
        total = protein + fat + carbohydrate
        if total > 100:
            protein, fat, carbohydrate = (round(v * 100 / total, 1) for v in (protein, fat, carbohydrate))
        per_100g: dict[str, float | None] = {
            "energy_kcal": round(4 * protein + 9 * fat + 4 * carbohydrate, 1),
            "protein_g": protein,
            "fat_g": fat,
            "carbohydrate_g": carbohydrate,
            "fiber_g": round(min(carbohydrate, fiber * draw(SCALE)), 1),
            "magnesium_mg": min(100_000.0, magnesium * draw(MAGNESIUM_SCALE)),
            "sodium_mg": round(sodium * draw(SCALE), 1),
        }
        for column in ("sugars_g", "water_g", "potassium_mg", "calcium_mg", "phosphorus_mg", "iron_mg", "zinc_mg"):
            per_100g[column] = 0.0
        category = draw(st.sampled_from(categories))
        # One draw of the set (a draw per slot made some foods of no slot, which a Catalog,
        # as a foods file, refuses).
        slots = draw(SLOT_SETS)
        foods.append(
            Food(
                ndb_no=f"{90000 + i:05d}",
                # Drinks are coffee, so that their caffeine rules apply (the pool's drinks are coffee and tea).
                name=f"coffee {i}" if category == "beverages" else f"food {i}",
                category=category,
                serving_grams=round(serving * draw(SCALE), 1),
                serving_measure="1 serving",
                allergens=draw(ALLERGEN_SETS),
                diets=draw(DIET_SETS),
                slots=tuple(s for s in SLOTS if s in slots),
                max_servings_day=draw(st.integers(1, 3)),
                per_100g=per_100g,
            )
        )
    return tuple(foods)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    age = draw(st.integers(1, 100))
    sex = draw(st.sampled_from(["female", "male"]))
    pregnant = lactating = False
    trimester = None
    if sex == "female" and 14 <= age <= 50:
        stage = draw(st.sampled_from(["none", "none", "pregnant", "lactating"]))
        pregnant, lactating = stage == "pregnant", stage == "lactating"
        if pregnant:
            trimester = draw(st.sampled_from([None, 1, 2, 3]))
    calories = draw(st.one_of(st.none(), st.integers(800, 3500).map(float)))
    # An activity level only for the estimate: Profile refuses one with calories.
    activity = "moderate" if calories is not None else draw(st.sampled_from(["sedentary", "moderate", "active"]))
    return Profile(age=age, sex=sex, pregnant=pregnant, lactating=lactating, calories=calories,
                   activity=activity, trimester=trimester)  # fmt: skip


@dataclass(frozen=True)
class Example:
    foods: tuple[Food, ...]
    profile: Profile
    days: int
    weekly_average: bool
    balance: Balance
    variety: Variety
    preferences: Preferences
    excluded: frozenset[str]  # ndb_no, computed here from the wishes


def excluded_here(foods: tuple[Food, ...], exclude: list[str], diets: list[str]) -> frozenset[str]:
    """What --exclude and --diet must leave out, by the documented rules (README, "Exclusions"):
    each --exclude name is an allergen (with its aliases: "dairy" is the milk allergen), a
    category, or a food, and a word that is both an allergen and a category (soy, fish, dairy,
    eggs) leaves out both; "nuts" also means the tree-nut and peanut allergens, and "legumes"
    the soy foods and peanuts; a --diet leaves out every food without that diet's tag. (The
    model once took such a word for its allergen only, and expected the soy category's one
    protein food at lunch after --exclude soy.)"""
    also = {"nuts": ({"tree_nuts", "peanuts"}, set()), "legumes": ({"peanuts"}, {"soy"})}
    out = set()
    for name in exclude:
        allergen = ALLERGEN_ALIASES.get(name.replace("_", " "))
        allergens, categories = also.get(name, (set(), set()))
        allergens = allergens | ({allergen} if allergen is not None else set())
        for food in foods:
            if (food.allergens & allergens or food.category in categories | {name} or food.name == name):
                out.add(food.ndb_no)
    for food in foods:
        if any(diet not in food.diets for diet in diets):
            out.add(food.ndb_no)
    return frozenset(out)


@st.composite
def examples(draw: st.DrawFn) -> Example:
    foods = draw(foods_tables())
    names = [f.name for f in foods]
    days = draw(st.integers(1, 2))
    exclude = draw(st.lists(st.sampled_from(names + list(CATEGORIES) + list(ALLERGENS)), max_size=2, unique=True))
    diets = draw(st.lists(st.sampled_from(DIETS), max_size=1))
    excluded = excluded_here(foods, exclude, diets)
    kept = [f for f in foods if f.ndb_no not in excluded]
    require: dict[str, int | None] = {}
    if kept and draw(st.booleans()):
        food = draw(st.sampled_from(kept))
        require[food.name] = draw(st.one_of(st.none(), st.integers(1, days)))
    like = {n: float(draw(st.integers(1, 10))) for n in draw(st.lists(st.sampled_from(names), max_size=2, unique=True))}
    dislike = {
        n: float(draw(st.integers(1, 10))) for n in draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    }
    max_servings = {
        n: draw(st.integers(0, 6)) / 2
        for n in draw(st.lists(st.sampled_from(names + ["nuts", "grains", "fruit"]), max_size=2, unique=True))
    }
    prices: dict[str, float] = {}
    budget = None
    if draw(st.integers(0, 4)) == 0:
        prices = {f.ndb_no: draw(st.integers(0, 300)) / 100 for f in foods}
        budget = float(draw(st.integers(1, 40)) * days)
    preferences = Preferences(
        exclude=tuple(exclude), diets=tuple(diets), require=require, like=like, dislike=dislike,
        max_servings=max_servings, prices_per_100g=prices, budget=budget,
    )  # fmt: skip
    balance = Balance(
        macros=draw(st.booleans()), fiber=draw(st.booleans()), sodium=draw(st.booleans()),
        kcal_tolerance=draw(st.sampled_from([0.05, 0.1, 0.25])),
    )  # fmt: skip
    variety = Variety(
        max_days_per_food=draw(st.one_of(st.none(), st.integers(1, days))),
        min_foods_per_day=draw(st.integers(1, 7)),
        min_categories_per_day=draw(st.integers(1, 4)),
    )
    example = Example(foods, draw(profiles()), days, days > 1 and draw(st.booleans()), balance, variety,
                      preferences, excluded)  # fmt: skip
    # Drawn last, so that the examples drawn before upper intake levels existed stay the same:
    # whether they apply, and enough zinc and iron in the foods that they bind in some tables
    # (a young child's zinc UL is 7 mg a day).
    if not draw(st.booleans()):
        example = replace(example, balance=replace(balance, upper_limits=False))
    else:
        minerals = [{"zinc_mg": draw(st.integers(0, 40)) / 10, "iron_mg": draw(st.integers(0, 100)) / 10}
                    for _ in foods]  # fmt: skip
        foods = tuple(replace(f, per_100g={**f.per_100g, **m}) for f, m in zip(foods, minerals, strict=True))
        example = replace(example, foods=foods)
    # Drawn last too: at times two foods are forms of one (cooked names raw as its raw_ndb_no),
    # with the raw one's nutrients, so that a plan would often take both were it not for the rule.
    if draw(st.integers(0, 2)) == 0:
        cooked, raw = draw(st.lists(st.integers(0, len(foods) - 1), min_size=2, max_size=2, unique=True))
        formed = list(example.foods)
        formed[cooked] = replace(formed[cooked], raw_ndb_no=formed[raw].ndb_no, per_100g=formed[raw].per_100g)
        example = replace(example, foods=tuple(formed))
    return example


# ----------------------------------------------------------------------------- the rules, recomputed


def day_cap_half_servings(food: Food, ex: Example) -> int:
    """Half servings of ``food`` allowed a day: its own cap, lowered by --max-servings for it
    or (separately) for its category, and scaled down for a young child (never under one
    half serving, unless capped at 0)."""
    cap = float(food.max_servings_day)
    if food.name in ex.preferences.max_servings:
        cap = min(cap, ex.preferences.max_servings[food.name])
    adult = int(math.floor(cap * 2 + 1e-9))
    if adult >= 1 and ex.profile.age < 4 and is_spread({"name": food.name, "usda_description": food.usda_description,
                                                        "category": food.category}):  # fmt: skip
        return 1  # a thinly spread tablespoon of each nut or seed butter under 4
    return 0 if adult < 1 else max(1, math.floor(adult * portion_share(ex.profile.age) + 1e-9))


def meal_cap_half_servings(food: Food, ex: Example) -> int:
    """Half servings of ``food`` allowed in one meal: 2 servings (scaled for a young child) and
    its day's cap."""
    share = portion_share(ex.profile.age)
    return min(day_cap_half_servings(food, ex), max(1, math.floor(2 * MAX_SERVINGS_PER_MEAL * share + 1e-9)))


def least_half_servings(food: Food, ex: Example) -> int:
    """Fewest half servings of ``food`` in a meal (fish and poultry a serving, scaled for a
    young child), never more than the day allows (QA: 4–8-year-olds could not have fish)."""
    least = 2 * MIN_SERVINGS_BY_CATEGORY.get(food.category, 0) or 1
    return min(day_cap_half_servings(food, ex), max(1, math.ceil(least * portion_share(ex.profile.age) - 1e-9)))


def allowed(ex: Example) -> list[Food]:
    unpriced = {
        f.ndb_no
        for f in ex.foods
        if ex.preferences.budget is not None and f.ndb_no not in ex.preferences.prices_per_100g
    }
    # Caffeinated drinks are never planned for children under 14, nor choking hazards under 4
    # (mealplan.planner.for_age).
    too_young = {f.ndb_no for f in ex.foods if ex.profile.age < 14 and f.category == "beverages"}
    too_young |= {f.ndb_no for f in ex.foods if ex.profile.age < 4 and is_choking_hazard(f)}
    return [f for f in ex.foods if f.ndb_no not in ex.excluded | unpriced | too_young]


def forms(ex: Example) -> list[list[str]]:
    """Allowed foods that are forms of one food (by raw_ndb_no), none of them required: on one
    day at most one of them, and together on at most k days (mealplan.model.forms_of_foods)."""
    groups: dict[str, list[Food]] = {}
    for f in allowed(ex):
        groups.setdefault(f.raw_ndb_no or f.ndb_no, []).append(f)
    return [[f.ndb_no for f in group] for group in groups.values()
            if len(group) > 1 and not any(f.name in ex.preferences.require for f in group)]  # fmt: skip


def caffeine_servings(profile: Profile) -> float:
    """Most servings of coffee a day, written out from the sources (FDA adults 400 mg, CDC
    breastfeeding 300 mg, ACOG pregnancy 200 mg, AAP none for children and few for teens)."""
    if profile.age < 14:
        return 0.0
    if profile.pregnant or profile.age < 18:
        return 1.0
    return 2.0 if profile.lactating else 3.0


def check_plan(ex: Example, data: dict[str, Any]) -> None:
    """Every stated rule, on the plan as printed in JSON, recomputed from per-100 g values × grams."""
    by_ndb = {f.ndb_no: f for f in ex.foods}
    usda = {f.ndb_no: {n: "" if f.per_100g[n] is None else repr(f.per_100g[n]) for n in NUTRIENTS} for f in ex.foods}
    pool = {f.ndb_no: {"slots": ";".join(f.slots), "serving_grams": repr(f.serving_grams),
                       "max_servings_day": str(f.max_servings_day), "name": f.name, "category": f.category,
                       "usda_description": f.usda_description} for f in ex.foods}  # fmt: skip
    member = data["members"][0]
    targets = member["targets"]
    assert data["solver"]["status"] in ("optimal", "feasible")
    assert len(member["days"]) == ex.days
    day_foods: list[set[str]] = []
    magnesium_total = 0.0
    cost = 0.0
    allowed_ndb = {f.ndb_no for f in allowed(ex)}
    for day in member["days"]:
        totals = assert_day_meets_targets(day, targets, usda, magnesium=not ex.weekly_average)
        assert_portions_are_realistic(day, pool, data["request"]["profile"]["age"])
        magnesium_total += totals["magnesium_mg"]
        kcal = totals["energy_kcal"]
        half_servings: Counter[str] = Counter()
        category_half_servings: Counter[str] = Counter()
        coffee = sum(i["servings"] for meal in day["meals"] for i in meal["items"]
                     if by_ndb[i["ndb_no"]].category == "beverages")  # fmt: skip
        assert coffee <= caffeine_servings(ex.profile) + TOL, ("caffeinated servings", coffee)
        for meal in day["meals"]:
            items = meal["items"]
            meal_kcal = sum(by_ndb[i["ndb_no"]].per_100g["energy_kcal"] * i["grams"] / 100 for i in items)  # type: ignore[operator]
            share = MEAL_ENERGY_SHARE[meal["slot"]]
            slack = TOL * max(1.0, kcal)
            assert share.low * kcal - slack <= meal_kcal <= share.high * kcal + slack, (meal["slot"], meal_kcal, kcal)
            assert 1 <= len(items) <= MAX_FOODS_PER_MEAL[meal["slot"]]
            categories = Counter(by_ndb[i["ndb_no"]].category for i in items)
            for category, n in categories.items():
                assert n <= CATEGORY_PER_MEAL_EXCEPTIONS.get(category, 1), (meal["slot"], category)
            for item in items:
                food = by_ndb[item["ndb_no"]]
                assert food.ndb_no in allowed_ndb, f"{food.name} was excluded"
                assert item["servings"] * 2 <= meal_cap_half_servings(food, ex)
                assert item["servings"] * 2 >= least_half_servings(food, ex)
                half_servings[food.ndb_no] += round(item["servings"] * 2)
                category_half_servings[food.category] += round(item["servings"] * 2)
                cost += ex.preferences.prices_per_100g.get(food.ndb_no, 0.0) * item["grams"] / 100
            if meal["slot"] in MAIN_MEALS:
                for group in (PROTEIN_CATEGORIES, VEGETABLE_CATEGORIES):
                    offered = [f for f in allowed(ex) if f.category in group and meal["slot"] in f.slots
                               and day_cap_half_servings(f, ex) >= 1]  # fmt: skip
                    if offered:
                        assert any(by_ndb[i["ndb_no"]].category in group for i in items), (meal["slot"], group)
        for ndb_no, n in half_servings.items():
            assert n <= day_cap_half_servings(by_ndb[ndb_no], ex), by_ndb[ndb_no].name
        for category, cap in ex.preferences.max_servings.items():
            if category in CATEGORIES:
                assert category_half_servings[category] <= cap * 2
        eaten = set(half_servings)
        assert len(eaten) >= ex.variety.min_foods_per_day
        assert len({by_ndb[f].category for f in eaten}) >= ex.variety.min_categories_per_day
        day_foods.append(eaten)
    if ex.weekly_average:
        assert magnesium_total / ex.days >= targets["magnesium_mg"] - TOL
    if ex.days > 1:
        assert day_foods[0] != day_foods[1], "consecutive days must differ"
        for ndb_no, n in Counter(f for foods in day_foods for f in foods).items():
            assert n <= most_days(ex, ndb_no), by_ndb[ndb_no].name
    for group in forms(ex):
        assert all(len(foods & set(group)) <= 1 for foods in day_foods), "two forms of one food on a day"
        assert sum(len(foods & set(group)) for foods in day_foods) <= max(most_days(ex, f) for f in group)
    for name, times in ex.preferences.require.items():
        ndb_no = next(f.ndb_no for f in ex.foods if f.name == name)
        assert sum(ndb_no in foods for foods in day_foods) >= days_required(times, ex.days), name
    if ex.preferences.budget is not None:
        assert cost <= plan_budget(ex.preferences.budget, ex.days) + TOL


def magnesium_reachable(ex: Example, targets: dict[str, Any], *, maximise: bool) -> float | None:
    """Magnesium on the worst day (or on average with weekly_average) of a plan keeping every
    rule, found by a model built here; None when no such plan exists.

    With ``maximise`` the magnesium floor is dropped and the most magnesium reachable is
    returned; without, the floor (the RDA) is kept and any plan will do (a quicker question).
    The model counts half servings n[d,s,f] with menu flags, written from the rules without
    mealplan's model code, and is solved through PuLP's own HiGHS interface.
    """
    foods = [f for f in allowed(ex) if day_cap_half_servings(f, ex) >= 1]
    days = range(ex.days)
    prob = pulp.LpProblem("independent", pulp.LpMaximize)
    n: dict[tuple[int, str, str], Any] = {}
    on: dict[tuple[int, str, str], Any] = {}
    eaten: dict[tuple[int, str], Any] = {}
    for d in days:
        for f in foods:
            eaten[d, f.ndb_no] = pulp.LpVariable(f"e_{d}_{f.ndb_no}", cat="Binary")
            for s in f.slots:
                key = (d, s, f.ndb_no)
                top = meal_cap_half_servings(f, ex)
                n[key] = pulp.LpVariable(f"n_{d}_{s}_{f.ndb_no}", 0, top, cat="Integer")
                on[key] = pulp.LpVariable(f"on_{d}_{s}_{f.ndb_no}", cat="Binary")
                least = least_half_servings(f, ex)
                prob += n[key] <= top * on[key]
                prob += n[key] >= least * on[key]
                prob += eaten[d, f.ndb_no] >= on[key]
            prob += eaten[d, f.ndb_no] <= pulp.lpSum(on[d, s, f.ndb_no] for s in f.slots)
            prob += pulp.lpSum(n[d, s, f.ndb_no] for s in f.slots) <= day_cap_half_servings(f, ex)

    cache: dict[tuple[int, str, str | None], Any] = {}

    def amount(d: int, nutrient: str, slot: str | None = None) -> Any:
        if (d, nutrient, slot) not in cache:
            cache[d, nutrient, slot] = pulp.lpSum(
                (f.per_100g[nutrient] or 0.0) * f.serving_grams / 200 * n[d, s, f.ndb_no]
                for f in foods for s in f.slots if slot in (None, s)
            )  # fmt: skip
        return cache[d, nutrient, slot]

    worst = pulp.LpVariable("worst_day_magnesium")
    kcal_low = targets["kcal"] * (1 - targets["kcal_tolerance"])
    kcal_high = targets["kcal"] * (1 + targets["kcal_tolerance"])
    for d in days:
        energy = amount(d, "energy_kcal")
        prob += energy >= kcal_low
        prob += energy <= kcal_high
        if not ex.weekly_average:
            prob += worst <= amount(d, "magnesium_mg")
        for nutrient, key, factor in (("protein_g", "protein_pct", 4), ("fat_g", "fat_pct", 9),
                                      ("carbohydrate_g", "carbohydrate_pct", 4)):  # fmt: skip
            if targets[key] is not None:
                prob += factor * amount(d, nutrient) >= targets[key]["low"] * energy
                prob += factor * amount(d, nutrient) <= targets[key]["high"] * energy
        if targets["fiber_g_per_1000kcal"] is not None:
            prob += amount(d, "fiber_g") >= targets["fiber_g_per_1000kcal"] / 1000 * energy
        if targets["sodium_max_mg"] is not None:
            prob += amount(d, "sodium_mg") <= targets["sodium_max_mg"]
        for nutrient, limit in targets.get("upper_limits_mg", {}).items():
            prob += amount(d, nutrient) <= limit
        for slot in SLOTS:
            prob += amount(d, "energy_kcal", slot) >= MEAL_ENERGY_SHARE[slot].low * energy
            prob += amount(d, "energy_kcal", slot) <= MEAL_ENERGY_SHARE[slot].high * energy
            menu = [(f, on[d, slot, f.ndb_no]) for f in foods if slot in f.slots]
            prob += pulp.lpSum(v for _f, v in menu) >= 1
            prob += pulp.lpSum(v for _f, v in menu) <= MAX_FOODS_PER_MEAL[slot]
            for category in CATEGORIES:
                prob += pulp.lpSum(v for f, v in menu if f.category == category) <= CATEGORY_PER_MEAL_EXCEPTIONS.get(
                    category, 1
                )
            if slot in MAIN_MEALS:
                for group in (PROTEIN_CATEGORIES, VEGETABLE_CATEGORIES):
                    if any(f.category in group for f, _v in menu):
                        prob += pulp.lpSum(v for f, v in menu if f.category in group) >= 1
        for category, cap in ex.preferences.max_servings.items():
            if category in CATEGORIES:
                prob += (
                    pulp.lpSum(n[d, s, f.ndb_no] for f in foods if f.category == category for s in f.slots) <= 2 * cap
                )
        prob += pulp.lpSum(eaten[d, f.ndb_no] for f in foods) >= ex.variety.min_foods_per_day
        if ex.variety.min_categories_per_day > 1:
            present = {c: pulp.LpVariable(f"c_{d}_{c}", 0, 1) for c in {f.category for f in foods}}
            for c, var in present.items():
                prob += var <= pulp.lpSum(eaten[d, f.ndb_no] for f in foods if f.category == c)
            prob += pulp.lpSum(present.values()) >= ex.variety.min_categories_per_day
    if ex.weekly_average:
        prob += worst <= pulp.lpSum(amount(d, "magnesium_mg") for d in days) / ex.days
    for group in forms(ex):
        for d in days:
            prob += pulp.lpSum(eaten[d, f] for f in group if (d, f) in eaten) <= 1
        prob += pulp.lpSum(eaten[d, f] for d in days for f in group if (d, f) in eaten) <= max(
            most_days(ex, f) for f in group)
    if ex.days > 1:
        for f in foods:
            prob += pulp.lpSum(eaten[d, f.ndb_no] for d in days) <= most_days(ex, f.ndb_no)
        # Day 1 and day 2 differ in at least one food: some food is eaten on exactly one of them.
        differs = {f.ndb_no: pulp.LpVariable(f"w_{f.ndb_no}", 0, 1) for f in foods}
        for f in foods:
            a, b = eaten[0, f.ndb_no], eaten[1, f.ndb_no]
            prob += differs[f.ndb_no] <= a + b
            prob += differs[f.ndb_no] <= 2 - a - b
        prob += pulp.lpSum(differs.values()) >= 1
    food_by_name = {f.name: f for f in ex.foods}
    for name, times in ex.preferences.require.items():
        f = food_by_name[name]
        need = days_required(times, ex.days)
        if (0, f.ndb_no) not in eaten:
            return None  # a required food that may not be eaten at all
        prob += pulp.lpSum(eaten[d, f.ndb_no] for d in days) >= need
    if ex.preferences.budget is not None:
        prob += pulp.lpSum(
            ex.preferences.prices_per_100g[f.ndb_no] * f.serving_grams / 200 * n[d, s, f.ndb_no]
            for d in days for f in foods for s in f.slots
        ) <= plan_budget(ex.preferences.budget, ex.days)  # fmt: skip
    if maximise:
        prob += worst
    else:
        prob += worst >= targets["magnesium_mg"]
        prob += 0 * worst
    prob.solve(pulp.HiGHS(msg=False, gapRel=1e-9))
    if pulp.LpStatus[prob.status] == "Infeasible":
        return None
    assert pulp.LpStatus[prob.status] == "Optimal", pulp.LpStatus[prob.status]
    return float(worst.value())


# ----------------------------------------------------------------------------- the properties

OUTCOMES: Counter[str] = Counter()


def run(ex: Example) -> tuple[dict[str, Any] | None, InfeasiblePlan | None]:
    """The plan as printed in JSON, or the refusal. A solver stopped by the time limit before it
    found any plan is neither (an honest exit 4, see test_faults.py): that example is skipped."""
    try:
        plan = plan_week(ex.profile, days=ex.days, foods=Catalog(ex.foods, "synthetic"), balance=ex.balance,
                         variety=ex.variety, preferences=ex.preferences, weekly_average=ex.weekly_average,
                         solve_options=SOLVE_OPTIONS)  # fmt: skip
    except InfeasiblePlan as exc:
        return None, exc
    except InputError as exc:
        # Contradictory wishes (a required food an exclusion also covers, a child's required
        # caffeinated drink or choking hazard) are refused as input, exit 2; nothing to check.
        reasons = ("conflicts with", "caffeinated drink", "choking hazard", "every food is excluded")
        assert any(why in str(exc) for why in reasons), str(exc)
        event("refused as input")
        reject()
    except SolverError as exc:
        assert "found no plan within the time limit" in str(exc), str(exc)
        OUTCOMES["time limit"] += 1
        event("time limit")
        reject()
    return plan_dict(plan), None


@SETTINGS
@given(examples())
def test_a_plan_keeps_every_rule_and_a_refusal_is_confirmed_independently(ex: Example) -> None:
    data, refusal = run(ex)
    if data is not None:
        OUTCOMES["plan"] += 1
        event("plan")
        check_plan(ex, data)
        # The plan is a witness, so the independent model must find a plan too: a check that
        # the model below is no stricter than the rules, which the refusals rely on.
        targets = data["members"][0]["targets"]
        assert magnesium_reachable(ex, targets, maximise=False) is not None, "independent model finds no plan"
        return
    assert refusal is not None and refusal.exit_code == 3
    OUTCOMES["refusal"] += 1
    event("refusal")
    targets = asdict(targets_for(ex.profile, ex.balance))
    assert magnesium_reachable(ex, targets, maximise=False) is None, "refused, yet a plan keeping every rule exists"
    # The explanation's "most magnesium reachable" is a one-day maximum under every other rule,
    # so it is compared with the independent maximisation on one-day examples.
    explanation = getattr(refusal, "explanation", None)
    if explanation is not None and ex.days == 1 and not explanation.incomplete:
        OUTCOMES["refusal with a checked maximum"] += 1
        reachable = magnesium_reachable(ex, targets, maximise=True)
        if explanation.max_magnesium_mg is None:
            assert reachable is None, f"explanation says no day exists, yet one reaches {reachable} mg"
        else:
            assert reachable is not None
            assert explanation.max_magnesium_mg == pytest.approx(reachable, rel=1e-3, abs=0.5)


def test_outcomes_are_mixed() -> None:
    """The generator must produce both plans and refusals, or the property tests little."""
    if not OUTCOMES:
        pytest.skip("run together with the property test")
    print(f"property outcomes: {dict(sorted(OUTCOMES.items()))}")  # shown with pytest -s
    total = OUTCOMES["plan"] + OUTCOMES["refusal"]
    # (At least a twentieth each: the caffeine cap made some drink-heavy examples refusals, and
    # a young child's smaller portions many of the children's, which hypothesis draws often:
    # 10 of the 100 examples of CI are plans, 26 on the commit before the portions. Each
    # refusal is confirmed by the independent model above, so the refusals are real; the
    # floor only checks that both kinds are tested.)
    assert OUTCOMES["plan"] >= total / 20 and OUTCOMES["refusal"] >= total / 20, OUTCOMES
    assert OUTCOMES["time limit"] <= total / 20, OUTCOMES

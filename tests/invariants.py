"""Checks of a plan's JSON against the data, recomputed without mealplan's code."""

from __future__ import annotations

import math
from typing import Any

import pytest

# A young child's share of an adult's portions (mealplan.targets.PORTION_SCALE_BY_AGE),
# written out here: (below this age, share).
PORTION_SHARES = ((4.0, 0.5), (9.0, 0.75))


def portion_share(age: float) -> float:
    return next((share for below, share in PORTION_SHARES if age < below), 1.0)


# Tolerable Upper Intake Levels (mg a day) of the minerals whose UL counts food, written out
# here from the IOM reports (calcium 2011, phosphorus 1997, iron and zinc 2001):
# (life stage, first age, last age) → calcium, iron, phosphorus, zinc.
UPPER_LIMITS = {
    ("general", 1, 3): (2500, 40, 3000, 7),
    ("general", 4, 8): (2500, 40, 3000, 12),
    ("general", 9, 13): (3000, 40, 4000, 23),
    ("general", 14, 18): (3000, 45, 4000, 34),
    ("general", 19, 50): (2500, 45, 4000, 40),
    ("general", 51, 70): (2000, 45, 4000, 40),
    ("general", 71, 200): (2000, 45, 3000, 40),
    ("pregnancy", 14, 18): (3000, 45, 3500, 34),
    ("pregnancy", 19, 50): (2500, 45, 3500, 40),
    ("lactation", 14, 18): (3000, 45, 4000, 34),
    ("lactation", 19, 50): (2500, 45, 4000, 40),
}
MINERALS = ("calcium_mg", "iron_mg", "phosphorus_mg", "zinc_mg")


def expected_upper_limits(profile: dict[str, Any]) -> dict[str, float]:
    """The ULs for a JSON plan's ``request.profile`` (age in years, pregnant, lactating)."""
    stage = "pregnancy" if profile.get("pregnant") else "lactation" if profile.get("lactating") else "general"
    age = math.floor(profile["age"])
    [limits] = [v for (s, low, high), v in UPPER_LIMITS.items() if s == stage and low <= age <= high]
    return dict(zip(MINERALS, map(float, limits), strict=True))


NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "magnesium_mg", "sodium_mg", *MINERALS)
TOLERANCE = 1e-6


def recompute_day(day: dict[str, Any], usda: dict[str, dict[str, str]]) -> dict[str, float]:
    totals = dict.fromkeys(NUTRIENTS, 0.0)
    for meal in day["meals"]:
        for item in meal["items"]:
            row = usda[item["ndb_no"]]
            for nutrient in NUTRIENTS:
                value = row[nutrient]
                assert value != "" or nutrient != "magnesium_mg", f"{item['ndb_no']} has no magnesium value"
                totals[nutrient] += float(value or 0) * item["grams"] / 100
    return totals


def assert_day_meets_targets(
    day: dict[str, Any], targets: dict[str, Any], usda: dict[str, dict[str, str]], *, magnesium: bool = True
) -> dict[str, float]:
    t = recompute_day(day, usda)
    kcal = t["energy_kcal"]
    low, high = targets["kcal"] * (1 - targets["kcal_tolerance"]), targets["kcal"] * (1 + targets["kcal_tolerance"])
    where = f"day {day['day']}"
    if magnesium:
        assert t["magnesium_mg"] >= targets["magnesium_mg"] - TOLERANCE, where
    assert low - TOLERANCE <= kcal <= high + TOLERANCE, (where, kcal, low, high)
    for nutrient, key, factor in (("protein_g", "protein_pct", 4), ("fat_g", "fat_pct", 9),
                                  ("carbohydrate_g", "carbohydrate_pct", 4)):  # fmt: skip
        if targets[key] is not None:
            share = factor * t[nutrient] / kcal
            assert targets[key]["low"] - TOLERANCE <= share <= targets[key]["high"] + TOLERANCE, (
                where,
                nutrient,
                share,
            )
    if targets.get("protein_min_g") is not None:  # since schema 1.7: --protein, grams a day
        assert t["protein_g"] >= targets["protein_min_g"] - TOLERANCE, (where, t["protein_g"])
    if targets["fiber_g_per_1000kcal"] is not None:
        assert t["fiber_g"] >= targets["fiber_g_per_1000kcal"] * kcal / 1000 - TOLERANCE, where
    if targets["sodium_max_mg"] is not None:
        assert t["sodium_mg"] <= targets["sodium_max_mg"] + TOLERANCE, where
    for nutrient, limit in targets.get("upper_limits_mg", {}).items():
        assert t[nutrient] <= limit + TOLERANCE, (where, nutrient, t[nutrient], limit)
    return t


def assert_portions_are_realistic(day: dict[str, Any], pool: dict[str, dict[str, str]], age: float = 30.0) -> None:
    """Whole half servings of USDA measures, in the food's slots, no food twice in a meal, and
    at most the food's servings a day and 2 a meal, scaled down for a young child of ``age``
    (whole half servings, never under one)."""
    share = portion_share(age)
    meal_cap = max(1, math.floor(4 * share + 1e-9)) / 2
    servings_by_food: dict[str, float] = {}
    for meal in day["meals"]:
        assert meal["items"], f"day {day['day']}: {meal['slot']} is empty"
        seen = set()
        for item in meal["items"]:
            row = pool[item["ndb_no"]]
            assert item["ndb_no"] not in seen, "a food twice in one meal"
            seen.add(item["ndb_no"])
            assert meal["slot"] in row["slots"].split(";"), (item["name"], meal["slot"])
            half_servings = item["servings"] * 2
            assert half_servings == int(half_servings) and half_servings >= 1
            assert item["servings"] <= meal_cap, (item["name"], meal["slot"], item["servings"], age)
            assert item["grams"] == pytest.approx(float(row["serving_grams"]) * item["servings"], abs=0.005)
            servings_by_food[item["ndb_no"]] = servings_by_food.get(item["ndb_no"], 0) + item["servings"]
    for ndb_no, servings in servings_by_food.items():
        day_cap = max(1, math.floor(2 * int(pool[ndb_no]["max_servings_day"]) * share + 1e-9)) / 2
        if age < 4 and is_spread(pool[ndb_no]):
            day_cap = 0.5  # a thinly spread tablespoon of each nut or seed butter under 4
        assert servings <= day_cap, (ndb_no, servings, age)


def is_spread(row: dict[str, str]) -> bool:
    """A nut or seed butter or paste, by its category and words (peanut butter, tahini)."""
    text = f"{row.get('name', '')} {row.get('usda_description', '')}".lower()
    return row["category"] in ("nuts", "seeds") and any(word in text for word in ("butter", "tahini", "paste"))

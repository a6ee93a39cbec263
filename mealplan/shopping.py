"""The shopping list: grams summed over days and members, turned into purchase amounts."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import CATEGORIES, Food
from .plan import MemberPlan, household_measure

# A serving measured as a piece ("1 medium", "1 large", "1 fruit") is bought by the piece;
# brewed drinks are counted in cups; everything else in grams.
COUNTABLE = re.compile(r"\b(medium|large|small|whole|fruit|egg|banana|potato|artichoke|container|can)\b")
CUP_COUNTED_CATEGORIES = frozenset({"beverages"})


@dataclass(frozen=True)
class ShoppingItem:
    """One food to buy: the exact grams the plan uses, and what to buy."""

    food: Food
    grams: float
    servings: float

    @property
    def measure(self) -> str:
        return household_measure(self.food.serving_measure, self.servings)

    @property
    def purchase(self) -> str:
        """A practical amount to buy, rounded up: pieces for countable foods, otherwise
        grams to the next 50 g (or 0.1 kg from 1 kg on)."""
        measure = self.food.serving_measure.lower()
        countable = COUNTABLE.search(measure) and "cup" not in measure
        if countable or self.food.category in CUP_COUNTED_CATEGORIES:
            return f"{math.ceil(self.servings - 1e-9)} × {self.food.serving_measure}"
        return format_grams(self.purchase_grams)

    @property
    def purchase_grams(self) -> float:
        if self.grams >= 1000:
            return math.ceil(self.grams / 100 - 1e-9) * 100
        return math.ceil(self.grams / 50 - 1e-9) * 50


def format_grams(grams: float) -> str:
    return f"{grams / 1000:.1f} kg" if grams >= 1000 else f"{grams:.0f} g"


def shopping_list(members: Iterable[MemberPlan]) -> list[ShoppingItem]:
    """Every food of the plan with its grams summed over days and members, by category."""
    grams: dict[str, float] = {}
    servings: dict[str, float] = {}
    foods: dict[str, Food] = {}
    for member in members:
        for day in member.days:
            for item in day.items:
                key = item.food.ndb_no
                foods[key] = item.food
                grams[key] = grams.get(key, 0.0) + item.food.serving_grams * item.servings
                servings[key] = servings.get(key, 0.0) + item.servings
    items = [ShoppingItem(foods[k], grams[k], servings[k]) for k in foods]
    items.sort(key=lambda i: (CATEGORIES.index(i.food.category), i.food.name))
    return items

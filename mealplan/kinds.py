"""What kind of food a pool food is, for the rules that depend on it: caffeinated drinks
(capped a day, and none for children), alcoholic drinks and the choking hazards of the
youngest (see planner.AGE_RULES and targets.caffeine_limit). Judged from the food's
category and its name and USDA description, so that a food added from USDA is judged too."""

from __future__ import annotations

import re

from .catalog import Food

# Nut and seed foods that are spreads or powders, not whole pieces.
_NOT_WHOLE = ("butter", "tahini", "paste", "flour", "meal", "ground", "oil", "milk")
_CAFFEINATED = re.compile(r"\b(coffee|espresso|tea|cola|energy drink|mate)\b")
_CAFFEINE_FREE = re.compile(r"\b(decaf\w*|herb\w*|chamomile|peppermint)\b")


def is_choking_hazard(food: Food) -> bool:
    """Whether ``food``, as eaten, is on the AAP's list of choking hazards for children
    under 4: whole nuts and seeds, popcorn, and dried fruit (raisins). Nut and seed butters
    are not (served thinly spread, which the plan's note says)."""
    text = f"{food.name} {food.usda_description}".lower()
    if food.category in ("nuts", "seeds"):
        return not any(word in text for word in _NOT_WHOLE)
    if "popcorn" in text:
        return True
    return food.category == "fruit" and ("dried" in text or "raisin" in text)


def is_caffeinated(food: Food) -> bool:
    """Whether ``food`` is a drink with caffeine: coffee, tea, cola, energy drinks (not
    decaffeinated or herbal ones). The pool's drinks are coffee and tea; a drink added from
    USDA (a juice, say) is judged by its name."""
    text = f"{food.name} {food.usda_description}".lower()
    return food.category == "beverages" and bool(_CAFFEINATED.search(text)) and not _CAFFEINE_FREE.search(text)


def is_alcoholic(food: Food) -> bool:
    """Whether ``food`` is an alcoholic drink (USDA names them "Alcoholic beverage, …"); none
    is in the pool, but one can be added from USDA."""
    return "alcoholic beverage" in f"{food.name} {food.usda_description}".lower()

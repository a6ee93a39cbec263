"""What the user wants in or out of a plan, resolved against a catalog of foods.

Exclusions are hard: an excluded food is removed from the pool before the model is built,
so it cannot appear in any output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .catalog import ALLERGENS, CATEGORIES, DIETS, Catalog, Food, normalize_name
from .errors import InputError

# Names users type for allergens and diets, normalised (see normalize_name) → canonical.
ALLERGEN_ALIASES: Mapping[str, str] = {
    "milk": "milk", "dairy": "milk", "lactose": "milk",
    "egg": "egg", "eggs": "egg",
    "fish": "fish", "finfish": "fish",
    "shellfish": "shellfish", "crustacean": "shellfish", "crustaceans": "shellfish", "mollusc": "shellfish",
    "mollusk": "shellfish", "mollusks": "shellfish",
    "tree nuts": "tree_nuts", "tree nut": "tree_nuts", "treenuts": "tree_nuts", "treenut": "tree_nuts",
    "peanut": "peanuts", "peanuts": "peanuts",
    "wheat": "wheat", "soy": "soy", "soya": "soy", "soybean": "soy", "soybeans": "soy",
    "sesame": "sesame", "sesame seeds": "sesame",
}  # fmt: skip
DIET_ALIASES: Mapping[str, str] = {
    "vegan": "vegan", "vegetarian": "vegetarian", "veggie": "vegetarian", "pescatarian": "pescatarian",
    "pescetarian": "pescatarian", "gluten free": "gluten-free", "glutenfree": "gluten-free",
    "gluten": "gluten-free", "coeliac": "gluten-free", "celiac": "gluten-free",
    "dairy free": "dairy-free", "dairyfree": "dairy-free", "lactose free": "dairy-free",
}  # fmt: skip


def canonical_allergen(name: str) -> str | None:
    return ALLERGEN_ALIASES.get(normalize_name(name))


def canonical_diet(name: str) -> str:
    key = normalize_name(name)
    if key in DIET_ALIASES:
        return DIET_ALIASES[key]
    raise InputError(f"unknown diet {name!r}; choose one of: {', '.join(DIETS)}")


def canonical_category(name: str) -> str | None:
    key = normalize_name(name)
    for category in CATEGORIES:
        if key in (category, category.rstrip("s")):
            return category
    return None


def _named_food(name: str, catalog: Catalog, option: str, allergens: bool = False) -> Food:
    """The food ``--option name`` means, once the name is known to be no category (nor allergen).

    When nothing is close to ``name``, the message lists what else the option accepts.
    """
    kinds = "a food, a category or an allergen" if allergens else "a food or a category"
    if not name.strip():
        raise InputError(f"--{option} '': give {kinds}")
    try:
        return catalog.find(name)
    except InputError as exc:
        if "did you mean" in str(exc):
            raise
    categories = f"a category ({', '.join(CATEGORIES)})"
    what = f"a food, {categories} or an allergen ({', '.join(ALLERGENS)})" if allergens else f"a food or {categories}"
    raise InputError(f"--{option} {name!r} is not {what}; run `mealplan foods` to list the foods")


@dataclass(frozen=True)
class Preferences:
    """Wishes as the user typed them (names are resolved by :func:`resolve`)."""

    exclude: tuple[str, ...] = ()  # food names or ndb_no, categories, allergens
    diets: tuple[str, ...] = ()
    require: Mapping[str, int | None] = field(default_factory=dict)  # food → times a week (None: daily)
    like: Mapping[str, float] = field(default_factory=dict)  # food → weight (> 0)
    dislike: Mapping[str, float] = field(default_factory=dict)  # food → weight (> 0)
    max_servings: Mapping[str, float] = field(default_factory=dict)  # food or category → servings a day
    prices_per_100g: Mapping[str, float] = field(default_factory=dict)  # ndb_no → price per 100 g
    budget: float | None = None  # for the whole plan (all days, all members)


@dataclass(frozen=True)
class Resolved:
    """Preferences turned into ndb_nos and categories of one catalog."""

    foods: tuple[Food, ...]
    excluded: Mapping[str, str]  # ndb_no → why it was excluded
    required: Mapping[str, int]
    weights: Mapping[str, float]
    food_caps: Mapping[str, float]
    category_caps: Mapping[str, float]
    prices_per_100g: Mapping[str, float]
    budget: float | None
    diets: tuple[str, ...]
    allergens: tuple[str, ...]


def resolve(prefs: Preferences, catalog: Catalog, days: int) -> Resolved:
    """Resolve every name in ``prefs`` against ``catalog``; unknown names raise InputError."""
    excluded: dict[str, str] = {}
    allergens: list[str] = []
    diets = tuple(dict.fromkeys(canonical_diet(d) for d in prefs.diets))
    for name in prefs.exclude:
        allergen = canonical_allergen(name)
        category = canonical_category(name)
        if allergen is not None:
            allergens.append(allergen)
            for food in catalog:
                if allergen in food.allergens:
                    excluded.setdefault(food.ndb_no, f"allergen {allergen}")
        elif category is not None:
            for food in catalog:
                if food.category == category:
                    excluded.setdefault(food.ndb_no, f"category {category}")
        else:
            food = _named_food(name, catalog, "exclude", allergens=True)
            excluded.setdefault(food.ndb_no, f"excluded by name ({name})")
    for diet in diets:
        for food in catalog:
            if diet not in food.diets:
                excluded.setdefault(food.ndb_no, f"not {diet}")
    required: dict[str, int] = {}
    for name, times in prefs.require.items():
        food = catalog.find(name)
        if food.ndb_no in excluded:
            why = excluded[food.ndb_no]
            raise InputError(
                f"--require {name!r} conflicts with the exclusions: {food.name} is {why}; drop one of the two"
            )
        if times is not None and not (1 <= times <= days):
            plural = "day" if days == 1 else "days"
            raise InputError(f"--require {name}={times}: the plan has {days} {plural}; give 1 to {days}")
        required[food.ndb_no] = days if times is None else times
    weights: dict[str, float] = {}
    for sign, table in ((1.0, prefs.like), (-1.0, prefs.dislike)):
        for name, weight in table.items():
            if not (0 < weight <= 10):
                raise InputError(f"weight {weight:g} for {name!r} is out of range; give 0 to 10")
            weights[catalog.find(name).ndb_no] = sign * weight
    food_caps: dict[str, float] = {}
    category_caps: dict[str, float] = {}
    for name, cap in prefs.max_servings.items():
        if not (0 <= cap <= 10) or cap * 2 != int(cap * 2):
            raise InputError(f"--max-servings {name}={cap:g}: give a whole or half number from 0 to 10")
        category = canonical_category(name)
        if category is not None:
            category_caps[category] = cap
        else:
            food_caps[_named_food(name, catalog, "max-servings").ndb_no] = cap
    if prefs.budget is not None and not prefs.prices_per_100g:
        raise InputError("--budget needs prices; give --prices FILE")
    if prefs.budget is not None and not (0 < prefs.budget < 1e7):
        raise InputError(f"budget {prefs.budget:g} is out of range; give a positive amount")
    if prefs.budget is not None:
        # Under a budget every planned food must have a price, or the cost is unknown.
        for food in catalog:
            if food.ndb_no not in prefs.prices_per_100g:
                excluded.setdefault(food.ndb_no, "no price")
    foods = tuple(f for f in catalog if f.ndb_no not in excluded)
    return Resolved(
        foods=foods,
        excluded=excluded,
        required=required,
        weights=weights,
        food_caps=food_caps,
        category_caps=category_caps,
        prices_per_100g=dict(prefs.prices_per_100g),
        budget=prefs.budget,
        diets=diets,
        allergens=tuple(dict.fromkeys(allergens)),
    )

"""What the user wants in or out of a plan, resolved against a catalog of foods.

Exclusions are hard: an excluded food is removed from the pool before the model is built,
so it cannot appear in any output.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalog import (
    ALLERGENS,
    CATEGORIES,
    DIETS,
    Catalog,
    Food,
    close_names,
    hint_for,
    normalize_name,
    padded_ndb_no,
    singular_name,
    suggest,
    usda_foods,
)
from .errors import InputError, UnknownName, is_number, quoted
from .errors import listed as and_list  # "listed" names the parts a list option was given as, below
from .errors import typed as typed_flag  # "typed" names what a user typed, below
from .frozen import FrozenDict
from .kinds import food_text, has_added_sugars, is_caffeinated

# Names users type for allergens and diets, normalised (see normalize_name) → canonical.
ALLERGEN_ALIASES: Mapping[str, str] = {
    "milk": "milk", "dairy": "milk", "lactose": "milk",
    "egg": "egg", "eggs": "egg",
    "fish": "fish", "finfish": "fish",
    "shellfish": "shellfish", "crustacean": "shellfish", "crustaceans": "shellfish", "mollusc": "shellfish",
    "mollusk": "shellfish", "mollusks": "shellfish",
    # Foods of an allergen that are not in the pool: excluding one means its allergen (the
    # safe side; a shrimp allergy is a crustacean allergy, and mussels are left out too).
    "shrimp": "shellfish", "prawn": "shellfish", "crab": "shellfish", "lobster": "shellfish",
    "crayfish": "shellfish", "scallop": "shellfish", "clam": "shellfish", "oyster": "shellfish",
    "squid": "shellfish", "octopus": "shellfish",
    "cows milk": "milk", "cow's milk": "milk", "whey": "milk", "casein": "milk",
    "tree nuts": "tree_nuts", "tree nut": "tree_nuts", "treenuts": "tree_nuts", "treenut": "tree_nuts",
    "peanut": "peanuts", "peanuts": "peanuts",
    "wheat": "wheat", "soy": "soy", "soya": "soy", "soybean": "soy", "soybeans": "soy",
    "sesame": "sesame", "sesame seeds": "sesame", "sesame seed": "sesame",
    # Kinds of wheat that are not in the pool (bulgur is, by name): a spelt allergy is a
    # wheat allergy, so excluding one leaves out every food that holds wheat.
    "spelt": "wheat", "durum": "wheat", "semolina": "wheat", "farro": "wheat", "kamut": "wheat",
    "einkorn": "wheat", "emmer": "wheat", "couscous": "wheat",
}  # fmt: skip
DIET_ALIASES: Mapping[str, str] = {
    "vegan": "vegan", "vegetarian": "vegetarian", "veggie": "vegetarian", "pescatarian": "pescatarian",
    "pescetarian": "pescatarian", "gluten free": "gluten-free", "glutenfree": "gluten-free",
    "gluten": "gluten-free", "coeliac": "gluten-free", "celiac": "gluten-free",
    "dairy free": "dairy-free", "dairyfree": "dairy-free", "lactose free": "dairy-free",
}  # fmt: skip


WEEK_DAYS = 7  # --require FOOD=N and --budget are per week; other plan lengths get them pro rata
# What a --require FOOD=N out of range or not whole is told (options reads N, resolve checks it).
REQUIRE_DAYS_HINT = f"give a whole number of days a week from 1 to {WEEK_DAYS}"
MAX_BUDGET = 1e7  # a week's --budget must be below this (a larger one is surely a typo)

# Names that, given to --exclude, mean a diet rather than a food (gluten is not an
# allergen tag: wheat is, and gluten-free also leaves out rye and ordinary oats).
# Gluten grains that no pool food is by name, but that breads and cereals may hold (barley
# malt): the data lists no such ingredient, so excluding one leaves out every food that is
# not gluten-free, the safe side (QA: --exclude barley was refused as an unknown food).
GLUTEN_GRAINS = ("barley", "malt", "triticale")
EXCLUDE_DIET_ALIASES: Mapping[str, str] = {"gluten": "gluten-free", "meat": "pescatarian"} | dict.fromkeys(
    GLUTEN_GRAINS, "gluten-free"
)
# The words that make a food one of gluten, by its name or USDA description, whatever its
# diets say (--exclude gluten; QA: a foods file's pearl barley tagged gluten-free was planned).
GLUTEN_WORDS = ("gluten", "wheat", "rye", *GLUTEN_GRAINS)
# Allergens that food labels declare (sulfites in the US, Canada and the EU) but that the
# data does not tag: --exclude says so rather than guess at a food name.
UNTAGGED_ALLERGENS = frozenset({"sulfites", "sulfite", "sulphites", "sulphite", "sulfur dioxide", "sulphur dioxide"})
# What USDA says of a food treated with sulfites (SR28: 18 dried apples, apricots, peaches and
# pears, "Apricots, dried, sulfured, uncooked"); not "unsulfured".
_SULFURED = re.compile(r"\bsulf(?:ur|it)ed\b|\bsulph(?:ur|it)ed\b")
# USDA names that hold "meat" but are no meat: a coconut's flesh (and the milk and cream pressed
# from it), the soy "Meat extender" (checked against every SR28 description with the word).
NOT_MEAT = r"\bcoconut\b|\bmeat extender\b"
# Words for both fish and shellfish, which are two allergens.
SEAFOOD_WORDS = frozenset({"seafood", "sea food", "seafoods"})
# How an allergen is written in sentences.
ALLERGEN_WORDS: Mapping[str, str] = {a: a.replace("_", " ") for a in ALLERGENS}
# Categories that, given to --exclude, also mean allergens: "nuts" is the word most people
# with a tree-nut or peanut allergy type, and a food added from USDA may hold nuts in
# another category (peanut butter is a USDA legume, trail mix is "other").
CATEGORY_ALLERGENS: Mapping[str, tuple[str, ...]] = {"nuts": ("tree_nuts", "peanuts")}
# Categories that, given to --exclude, also leave out foods of other categories that are
# the same kind botanically: soy foods and peanuts are legumes (a legume-free diet leaves
# them out), though the pool keeps them in categories of their own.
CATEGORY_ALSO: Mapping[str, tuple[tuple[str, str], ...]] = {
    "legumes": (("category", "soy"), ("allergen", "peanuts"), ("botany", "legumes")),
}
# Words that make a food a legume when they name it at the head of its USDA description
# ("Peas, green, cooked"; "Beans, snap, green"): green peas are the plant that split peas
# are dried from, and green beans the species of kidney and black beans (QA: --exclude
# legumes kept both). Foods added from USDA are judged the same way (edamame, lupins).
LEGUME_WORDS = frozenset({
    "bean", "beans", "pea", "peas", "lentil", "lentils", "chickpea", "chickpeas", "cowpea", "cowpeas",
    "soybean", "soybeans", "peanut", "peanuts", "lupin", "lupins", "edamame", "broadbeans", "hummus",
})  # fmt: skip


def is_legume(food: Food) -> bool:
    """Whether ``food`` is a legume by the head of its USDA description (see LEGUME_WORDS)."""
    head = food.usda_description.split(",")[0].casefold()
    return any(word in LEGUME_WORDS for word in re.findall(r"[a-z]+", head))


def _alias(name: str, table: Mapping[str, str]) -> str | None:
    """``name`` looked up in ``table`` ignoring case, dashes, spaces, a plural and the
    punctuation around it (trimmed_name)."""
    key = normalize_name(trimmed_name(name))
    squashed = {k.replace(" ", ""): v for k, v in table.items()}
    for candidate in (key, singular_name(key)):
        if candidate in table:
            return table[candidate]
        if candidate.replace(" ", "") in squashed:
            return squashed[candidate.replace(" ", "")]
    return None


@dataclass(frozen=True)
class FoodKind:
    """A kind of food that --exclude, --like and --dislike take by name, judged by a rule of
    kinds.py, so that a food added from USDA is judged too."""

    words: frozenset[str]  # the names it is taken by, normalised (normalize_name)
    holds: Callable[[Food], bool]
    why: str  # a food of the kind, said of it: "has added sugars"
    foods_word: str  # its foods, said together: "the foods with added sugars"

    def named(self, name: str) -> bool:
        return normalize_name(name) in self.words

    def foods(self, catalog: Catalog) -> dict[str, str]:
        """The foods of ``catalog`` of this kind, ndb_no → why."""
        return {f.ndb_no: self.why for f in catalog if self.holds(f)}


# The foods with sugars added to them (kinds.has_added_sugars): QA's diabetic user could keep
# bran cereal out of a plan by name only. The caffeinated drinks (kinds.is_caffeinated, the
# rule the per-day caffeine cap counts): QA's `--exclude caffeine` said "leaves out caffeine"
# and planned espresso and black tea, as no pool food's USDA name holds the word; a drink added
# from USDA (a cola) goes too and a decaffeinated one stays.
ADDED_SUGARS = FoodKind(
    frozenset(map(normalize_name, {"added sugars", "added sugar", "added-sugars", "sugar", "sugars", "sweets",
                                   "sugary foods"})),
    has_added_sugars, "has added sugars", "the foods with added sugars",
)  # fmt: skip
CAFFEINE = FoodKind(
    frozenset(map(normalize_name, {"caffeine", "caffeinated", "caffeinated drinks", "caffeinated beverages",
                                   "caffeine drinks"})),
    is_caffeinated, "is a caffeinated drink", "the caffeinated drinks",
)  # fmt: skip
FOOD_KINDS = (ADDED_SUGARS, CAFFEINE)


def food_kind(name: str) -> FoodKind | None:
    """The kind of food ``name`` names, or None."""
    return next((kind for kind in FOOD_KINDS if kind.named(name)), None)


# "Decaf" is how people say USDA's "decaffeinated" (QA: --exclude decaf was an unknown food).
DECAF_WORDS = frozenset({"decaf", "decafs", "decaffeinated", "decaffeinated drinks"})
_DECAF = re.compile(r"\bdecaf\w*")


# Meats the pool has none of, which a user may still keep out (a food added from USDA is judged
# by its name and USDA description): pork also in ham, bacon and the like; red meat is all.
_PORK = r"pork|ham|bacon|lard|prosciutto|pepperoni|salami|chorizo"
_RED_MEAT = rf"{_PORK}|beef|lamb|mutton|veal|game meat|venison|goat"
MEATS: Mapping[str, re.Pattern[str]] = {
    "pork": re.compile(rf"\b({_PORK})\b"), "beef": re.compile(r"\bbeef\b"),
    "lamb": re.compile(r"\b(lamb|mutton)\b"), "veal": re.compile(r"\bveal\b"),
    "red meat": re.compile(rf"\b({_RED_MEAT})\b"),
}  # fmt: skip


# The words --exclude takes for a group, beyond the categories and allergens' own, that a typo
# is suggested (allergy QA: "cafeine" was asked "did you mean: casein?", a milk protein;
# "caffiene" coffee; "glutten" nothing): an allergen's other names, the diets' words (gluten,
# barley, meat), the kinds' (caffeine, sugar), decaf and the meats.
# One word of each singular, and none that is a category's or an allergen's own word but for
# its plural ("peanut": peanuts is suggested already).
EXCLUDE_GROUP_WORDS = tuple({singular_name(word): word for word in sorted({
    *ALLERGEN_ALIASES, *EXCLUDE_DIET_ALIASES, *MEATS, *DECAF_WORDS, *(w for kind in FOOD_KINDS for w in kind.words)
}, reverse=True) if " " not in word and singular_name(word) not in {
    singular_name(w) for w in (*CATEGORIES, *ALLERGEN_WORDS.values())}}.values())  # fmt: skip


def excluded_diet(name: str) -> str | None:
    """The diet an --exclude name means ('gluten' → 'gluten-free'); None when it means none."""
    return _alias(name, EXCLUDE_DIET_ALIASES)


def canonical_allergen(name: str) -> str | None:
    """'Tree-Nuts', 'treenuts', 'tree nut' → 'tree_nuts'; None when not an allergen."""
    return _alias(name, ALLERGEN_ALIASES)


# The longest run of words of a name that phrase_allergens reads as one allergen's name ("tree nut").
_ALLERGEN_NAME_WORDS = max(len(key.split(" ")) for key in ALLERGEN_ALIASES)


def phrase_allergens(name: str) -> tuple[str, ...]:
    """The allergens named inside ``name``, a name of several words that is itself no allergen
    or category: each run of its words, longest first, that ALLERGEN_ALIASES takes as an
    allergen ('egg white': egg; 'milk protein': milk; 'tree nut oil': tree nuts), or a
    category that means allergens (CATEGORY_ALLERGENS: 'nut milk' is tree nuts, peanuts and
    milk); then each allergen a word of its list names (ALLERGEN_FOOD_WORDS: 'almond milk' is
    milk and tree nuts, 'smoked salmon' fish), but in the phrases NOT_ALLERGEN_FOODS sets aside
    ('cocoa butter' is no milk). () for a name that names none, or is an allergen or category
    itself."""
    words = normalize_name(name).split(" ")
    if len(words) < 2 or canonical_allergen(name) is not None or canonical_category(name) is not None:
        return ()
    found: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(_ALLERGEN_NAME_WORDS, len(words) - start), 0, -1):
            run = " ".join(words[start : start + size])
            allergen = canonical_allergen(run)
            category = canonical_category(run)
            held = [allergen] if allergen is not None else list(CATEGORY_ALLERGENS.get(category or "", ()))
            if held:
                found += held
                start += size
                break
        else:
            start += 1
    for allergen, listed in ALLERGEN_FOOD_WORDS.items():
        listed = listed - PHRASE_WORDS_SET_ASIDE
        text = _set_aside(normalize_name(name.replace("&", " and ")), allergen)  # "half & half" is half and half
        phrase = ALLERGEN_FOOD_PHRASES.get(allergen)
        if _name_words(text) & {_word_key(word) for word in listed} or (phrase and phrase.search(text)):
            found.append(allergen)
    return tuple(dict.fromkeys(found))


# What may stand around a name as typed, and is no part of it: a sentence's full stop, a shell's
# or a list's quotes, a bracket, a wildcard (QA: --exclude 'soy.' planned tofu, said "no pool
# food's USDA name holds 'soy.'"; 'milk.', '(milk)', milk*, "'soy'" and wheat. likewise).
_AROUND_NAME = " \t\r\n.,;:!?*'\"`´‘’“”«»"
_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _balanced(text: str) -> bool:
    depth = dict.fromkeys(_BRACKETS, 0)
    for char in text:
        for open_, close in _BRACKETS.items():
            depth[open_] += (char == open_) - (char == close)
            if depth[open_] < 0:
                return False
    return not any(depth.values())


# Words of ALLERGEN_FOOD_WORDS that a phrase holds as often for another food (QA: "butter
# lettuce" left out every milk food, "water chestnuts" every tree nut): phrase_allergens does
# not read them, though a food's name or USDA description holding them still counts.
PHRASE_WORDS_SET_ASIDE = frozenset({"butter", "cream", "custard", "chestnut", "pine"})


def trimmed_name(name: str) -> str:
    """``name`` without the punctuation, quotes and brackets around it ("soy.", "'soy'",
    "(milk)", "milk*" → the word); a bracket that belongs to the name stays ("spinach (raw)")."""
    text = name
    while True:
        before = text
        text = text.strip(_AROUND_NAME)
        for open_, close in _BRACKETS.items():
            if text.startswith(open_) and text.endswith(close) and _balanced(text[1:-1]):
                text = text[1:-1]
            elif text.endswith(close) and text.count(close) > text.count(open_):
                text = text[:-1]
            elif text.startswith(open_) and text.count(open_) > text.count(close):
                text = text[1:]
        if text == before:
            return text


def canonical_diet(name: str) -> str:
    """'Gluten free', 'veggie' → the diet tag; raises InputError with suggestions."""
    diet = _alias(name, DIET_ALIASES)
    if diet is not None:
        return diet
    listed = _listed(name, lambda part: _alias(part, DIET_ALIASES) is not None, option="diet")
    if listed:
        raise InputError(f"--diet {name!r} is a list; give one diet per --diet: {listed}")
    # "soy-free", "nut free", "no eggs": an exclusion written as a diet. The closest diet
    # name ("dairy-free") would plan with the soy (QA), so the message points to --exclude.
    free = re.fullmatch(r"(.+?)[ -]*free|no[ -]+(.+)", normalize_name(name))
    if free is not None:
        typed = (free.group(1) or free.group(2)).strip()
        allergen = canonical_allergen(typed)
        word = canonical_category(typed) or (ALLERGEN_WORDS[allergen] if allergen is not None else None)
        if word is None and food_kind(typed) is not None:
            word = typed  # "caffeine-free", "sugar free": --exclude takes the kind by that word
        if word is not None:
            option = f"--exclude {word!r}" if " " in word else f"--exclude {word}"
            raise InputError(f"unknown diet {name!r}; to leave out {word}, use {option}")
    raise InputError(f"unknown diet {name!r}{suggest(normalize_name(name), DIETS)}")


def canonical_category(name: str) -> str | None:
    """'Nut', 'LEGUMES' → the category; None when not a category."""
    return _alias(name, {c: c for c in CATEGORIES} | {c.rstrip("s"): c for c in CATEGORIES})


# Names of ALLERGEN_ALIASES that are foods of an allergen, not the allergen: --require shrimp
# is a food the pool lacks, not a wish for "an allergen".
_ALIASED_FOODS = frozenset({"shrimp", "prawn", "crab", "lobster", "crayfish", "scallop", "clam", "oyster", "squid",
                            "octopus", "whey", "casein", "spelt", "durum", "semolina", "farro", "kamut", "einkorn",
                            "emmer", "couscous"})  # fmt: skip


def _group_named(name: str, catalog: Catalog) -> tuple[str, str, tuple[Food, ...]] | None:
    """What ``name`` is when it is a group, not a food: ("category" | "allergen" | "diet" |
    "kind", the group's own word, its foods of ``catalog``, the most magnesium a serving
    first); None when it is none. A "kind" is one of the kinds --exclude takes (caffeine, added
    sugars). For the messages of the options that take no such group (QA: --require fish said
    "did you mean: dried figs?")."""
    def richest(foods: Iterable[Food]) -> tuple[Food, ...]:
        # A food made from another (almond butter) is a poorer example than its source.
        return tuple(sorted(foods, key=lambda f: (bool(f.made_from), -(f.per_serving("magnesium_mg") or 0.0), f.name)))

    category = canonical_category(name)
    if category is not None:
        return "category", category, richest(f for f in catalog if f.category == category)
    allergen = canonical_allergen(name)
    if allergen is not None and singular_name(name) not in _ALIASED_FOODS:
        return "allergen", ALLERGEN_WORDS[allergen], richest(f for f in catalog if allergen in f.allergens)
    diet = _alias(name, DIET_ALIASES)
    if diet is not None and normalize_name(name) != "gluten":  # "gluten" asks for no diet
        return "diet", diet, ()
    if (kind := food_kind(name)) is not None:
        return "kind", kind.foods_word, richest(f for f in catalog if kind.holds(f))
    return None


def _not_a_food(option: str, name: str, catalog: Catalog, *, categories: bool = False) -> InputError | None:
    """The one-line error for ``option name`` when ``name`` is a group ``option`` does not take
    (--require takes a food; --max-servings a food or a category), saying what it takes; None
    when ``name`` is no group, and a did-you-mean is the message (a typo)."""
    group = _group_named(name, catalog)
    if group is None or (categories and group[0] == "category"):
        return None
    kind, word, foods = group
    typed = name.strip()
    said = f"names {word}" if kind == "kind" else f"is {'an' if kind == 'allergen' else 'a'} {kind}"
    takes = f"{option} takes a food or a category; {typed} {said}" if categories else (
        f"{option} takes a food, and {typed} {said}")
    if kind == "diet":
        return InputError(f"{takes}: keep to it with --diet {word}")
    if categories and kind == "kind":
        if not foods:
            return InputError(f"{takes}, of which the pool has none: nothing to cap")
        return InputError(f"{takes}: cap them one by one ({', '.join(f.name for f in foods)})")
    if categories:
        held = list(dict.fromkeys(f.category for f in foods))
        if not held:
            return InputError(f"{takes}, which no food of the pool holds: nothing to cap")
        return InputError(f"{takes}: cap the categor{'y' if len(held) == 1 else 'ies'} {and_list(held)}")
    if not foods:
        none = {"category": "is in", "allergen": "holds"}.get(kind, "is one of them")
        return InputError(f"{takes}, which no food of the pool {none}: require a food")
    of = {"category": "one of its foods", "allergen": "one of the foods that hold it"}.get(kind, "one of them")
    return InputError(f"{takes}: require {of}, such as {foods[0].name}, or --like {typed if kind == 'kind' else word}")


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
    require: Mapping[str, int | None] = field(default_factory=dict)  # food → days a week (None: every day)
    like: Mapping[str, float] = field(default_factory=dict)  # food → weight (> 0)
    dislike: Mapping[str, float] = field(default_factory=dict)  # food → weight (> 0)
    max_servings: Mapping[str, float] = field(default_factory=dict)  # food or category → servings a day
    prices_per_100g: Mapping[str, float] = field(default_factory=dict)  # ndb_no → price per 100 g
    budget: float | None = None  # money a week (7 days; scaled to the plan's days), all members

    def __post_init__(self) -> None:
        # Read-only and hashable, so that Preferences, like Profile, can be a cache key (API QA);
        # what is not a mapping is left for check_types to name.
        for key in ("require", "like", "dislike", "max_servings", "prices_per_100g"):
            if isinstance(value := getattr(self, key), Mapping) and not isinstance(value, FrozenDict):
                object.__setattr__(self, key, FrozenDict(value))


@dataclass(frozen=True)
class Exclusion:
    """Why a food is left out: the option that did it, and a phrase about the food."""

    option: str  # '--exclude nuts', '--diet vegan', '--budget'
    reason: str  # 'is in the category nuts', 'is not vegan', 'has no price'


@dataclass(frozen=True)
class Resolved:
    """Preferences turned into ndb_nos and categories of one catalog."""

    foods: tuple[Food, ...]
    excluded: Mapping[str, Exclusion]  # ndb_no → why it was left out (first reason; a sure one beats unknown tags)
    required: Mapping[str, int]  # ndb_no → days
    weights: Mapping[str, float]
    food_caps: Mapping[str, float]
    category_caps: Mapping[str, float]
    prices_per_100g: Mapping[str, float]
    budget: float | None
    diets: tuple[str, ...]
    allergens: tuple[str, ...]
    notes: tuple[str, ...] = ()  # wishes that weigh nothing, said as warnings (see resolve)
    # ndb_no → the name (or ndb_no) the user required it by, for messages that say it back
    required_as: Mapping[str, str] = field(default_factory=dict)
    # ndb_no → the name the user liked it by (a food or family named, not a category)
    liked_as: Mapping[str, str] = field(default_factory=dict)
    # each --exclude name (trimmed) → what it means in words (exclusion_words), as it was
    # resolved against this catalog, for the lines that say what a plan keeps to
    excluded_as: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# Why a food added from USDA by ndb_no is left out under an allergen exclusion or a diet.
UNKNOWN_TAGS = "added from USDA, which does not list allergens or diets"
# Why a food is left out under an allergen its generic food does not hold (Food.may_contain).
MAY_CONTAIN = "many packaged products do; read the label"


def not_disliked(foods: Iterable[Food], resolved: Resolved) -> list[Food]:
    """``foods`` but those ``resolved`` weighs below 0 (disliked), for advice that names foods
    (QA: the calcium note offered sardines to a woman who had said --dislike fish)."""
    return [f for f in foods if resolved.weights.get(f.ndb_no, 0.0) >= 0]


def _not_in_diet(food: Food, diet: str) -> str:
    return f"is not {diet}" if food.tags_known else f"is not known to be {diet} ({UNKNOWN_TAGS})"


def added_food_warnings(resolved: Resolved, catalog: Catalog) -> list[str]:
    """A warning for each food the user added from USDA that is left out all the same: by
    their exclusions or diets (its tags are unknown), or by a rule for their age or
    pregnancy (planner.AGE_RULES). They asked for it, so they should hear why. Then the
    wishes that weigh no food (Resolved.notes)."""
    return [
        *(f"{food.name} [{food.ndb_no}] {why.reason} and is left out ({why.option})"
          for food in catalog
          if not food.tags_known and (why := resolved.excluded.get(food.ndb_no)) is not None),
        *resolved.notes,
    ]  # fmt: skip


def group_foods(name: str, catalog: Catalog, *, traces: bool) -> tuple[dict[str, str], tuple[str, ...]] | None:
    """The foods of ``catalog`` that the group ``name`` covers, when it is a category or an
    allergen: (ndb_no → reason phrase, the allergens it names); None when it is neither.

    The one resolution of a group word, for --exclude and for --like/--dislike (QA:
    --dislike legumes weighed no soy food, which --exclude legumes leaves out): the foods
    that contain the allergen, by their tags or their names (see _named_allergen), and the
    category's foods with those of its kind in other categories (CATEGORY_ALSO). With
    ``traces`` (an exclusion, the safe side) also those whose packaged forms may contain
    the allergen and those whose tags are unknown; a like or dislike is taste, and a trace
    does not count.
    """
    category, allergen, allergens = _group_allergens(name)
    if not allergens and category is None:
        return None
    # Every allergen of the group is found by name too (QA: a foods file's almonds, untagged
    # and in category other, were kept by --exclude nuts and left out by --exclude "tree nuts").
    named = {each: name if each == allergen else ALLERGEN_WORDS[each] for each in allergens}
    return _group_of(category, allergens, named, catalog, traces=traces), allergens


def _group_allergens(name: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The category ``name`` names, the allergen it names, and the allergens of the group: that
    allergen and the category's (CATEGORY_ALLERGENS: nuts are tree nuts and peanuts)."""
    category = canonical_category(name)
    allergen = canonical_allergen(name)
    allergens = tuple(dict.fromkeys(
        ([allergen] if allergen is not None else []) + list(CATEGORY_ALLERGENS.get(category or "", ()))
    ))  # fmt: skip
    return category, allergen, allergens


def _group_of(category: str | None, allergens: tuple[str, ...], named: Mapping[str, str], catalog: Catalog, *,
              traces: bool) -> dict[str, str]:
    """group_foods' foods of a category and allergens; ``named`` maps the allergens whose foods
    are also found by name (see _named_allergen) to the name typed for them."""  # fmt: skip
    out: dict[str, str] = {}
    for each in allergens:
        for food in catalog:
            if each in food.allergens:
                out.setdefault(food.ndb_no, f"contains {ALLERGEN_WORDS[each]}")
            elif traces and each in food.may_contain:
                out.setdefault(food.ndb_no, f"may contain {ALLERGEN_WORDS[each]} ({MAY_CONTAIN})")
    for each, typed in named.items():
        for ndb_no, reason in _named_allergen(typed, each, catalog).items():
            out.setdefault(ndb_no, reason)
    for each in allergens if traces else ():
        for food in catalog:
            if not food.tags_known:
                out.setdefault(food.ndb_no, f"may contain {ALLERGEN_WORDS[each]} ({UNKNOWN_TAGS})")
    if category is not None:
        for food in catalog:
            if food.category == category:
                out.setdefault(food.ndb_no, f"is in the category {category}")
        for kind, value in CATEGORY_ALSO.get(category, ()):
            for food in catalog:
                if kind == "botany":
                    if is_legume(food):
                        out.setdefault(food.ndb_no, f"is one of the {category} botanically")
                elif (food.category == value) if kind == "category" else (value in food.allergens):
                    out.setdefault(food.ndb_no, f"is one of the {category} ({ALLERGEN_WORDS.get(value, value)})")
    return out


def _free_word(name: str) -> str | None:
    """X of "X-free" or "X free" (normalised), or None."""
    free = re.fullmatch(r"(.+?)[ -]*free", normalize_name(name))
    return None if free is None else free.group(1).strip()


def _free_of_allergen(name: str) -> str | None:
    """For "X-free" or "X free" where X is an allergen or a word that means allergens (milk,
    nuts, tree nut), or a kind of food (caffeine, sugar: FOOD_KINDS), X; None for any other
    name, and for a diet's name (dairy-free, gluten-free). QA: "sugar-free" left out no food
    ("leaves out sugar-free") and "caffeine-free" was an unknown food."""
    typed = _free_word(name)
    if typed is None or _alias(name, DIET_ALIASES) is not None:
        return None
    return typed if _group_allergens(typed)[2] or food_kind(typed) is not None else None


def _free_kind(name: str) -> FoodKind | None:
    """The kind of food "X-free" names ("caffeine-free": CAFFEINE), or None."""
    typed = _free_word(name)
    return None if typed is None else food_kind(typed)


def exclusion_words(name: str, allergens_taken: Iterable[str] = ()) -> tuple[str, ...]:
    """What ``--exclude name`` means, in words, for the lines that say what a plan keeps to:
    the allergens of "X-free" or of an allergen's other names ('peanut-free': peanuts; 'nut
    free': tree nuts and peanuts; 'Tree Nuts', 'shrimp': tree nuts, shellfish), a category
    ('Legumes': legumes), a kind of food ('caffeine': caffeinated drinks); for any other name,
    ``allergens_taken``, the allergens exclusion_foods took it as against a catalog ('marzipan':
    tree nuts; 'pesto': tree nuts and milk; 'wheat bread': wheat; resolve records the words in
    Resolved.excluded_as), or else the name trimmed and in lower case. Allergy QA: "keeps to:
    leaves out peanut-free, nut free, milk-free" said the opposite of the plan, and "leaves out
    marzipan" hid that every tree nut was left out."""
    typed = trimmed_name(name)
    if (free_of := _free_of_allergen(typed)) is not None:
        return exclusion_words(free_of)
    if (kind := food_kind(typed)) is not None:
        return (kind.foods_word.removeprefix("the "),)
    category, _allergen, allergens = _group_allergens(typed)
    if category is not None and category not in CATEGORY_ALLERGENS:
        return (category,)
    if allergens:
        return tuple(ALLERGEN_WORDS[a] for a in allergens)
    if taken_as := tuple(allergens_taken):
        return tuple(ALLERGEN_WORDS[a] for a in taken_as)
    return (normalize_name(typed),)


def exclusion_foods(name: str, catalog: Catalog) -> tuple[dict[str, str], tuple[str, ...]]:
    """What ``--exclude name`` leaves out: (ndb_no → reason phrase, the allergens it names).

    A name that is both an allergen and a category (fish, soy, eggs, dairy) leaves out
    both, the safe side: ``--exclude fish`` also drops mussels, which are shellfish; so does
    ``--exclude nuts`` (tree nuts and peanuts, see CATEGORY_ALLERGENS) and ``--exclude
    legumes`` (soy foods and peanuts too, see CATEGORY_ALSO). A food excluded by name takes
    the foods made from it along (almonds: almond butter; see Food.made_from).
    """
    if not name.strip():
        raise InputError("--exclude '': give a food, a category or an allergen")
    if (named_kind := food_kind(name)) is not None:
        return _with_products(named_kind.foods(catalog), catalog), ()
    if normalize_name(name) in DECAF_WORDS:
        decaf = {f.ndb_no: "is decaffeinated" for f in catalog if _DECAF.search(food_text(f))}
        return _with_products(decaf, catalog), ()
    if (group := group_foods(name, catalog, traces=True)) is not None:
        out, allergens = group
        return _with_products(out, catalog), allergens
    if (free_of := _free_of_allergen(name)) is not None:
        # "milk-free", "nut free": what --exclude of the word leaves out, before USDA's names are
        # read (QA: "milk-free" left out skim milk only, USDA's "Milk, ... fat free or skim").
        return exclusion_foods(free_of, catalog)
    diet = excluded_diet(name)
    out = {}
    if diet is not None:
        key = normalize_name(name)
        grain = next((g for g in (key, singular_name(key)) if g in GLUTEN_GRAINS), None)
        for food in catalog:
            if diet not in food.diets:
                why = _not_in_diet(food, diet)
                out.setdefault(food.ndb_no, why if grain is None else f"may contain {grain} ({why})")
        # And the foods named by the word, whatever their diets say, as other exclusions go by
        # name (QA: a foods file's "pearl barley", wrongly tagged gluten-free, was planned under
        # --exclude barley); not those that say they are free of it ("gluten-free bread").
        # "gluten" names no food: the grains that hold it do.
        words = ((*GLUTEN_WORDS, *sorted(ALLERGEN_FOOD_WORDS["wheat"])) if diet == "gluten-free" and grain is None
                 else (name.strip(),))  # fmt: skip
        for word in words:
            free = re.compile(rf"\b({re.escape(normalize_name(name))}|{re.escape(word)})[ -]?free\b"
                              + (f"|{NOT_MEAT}" if diet == "pescatarian" else ""))  # fmt: skip
            for food in _named_by_words(word, catalog):
                if not free.search(food_text(food)):
                    out.setdefault(food.ndb_no, f"is excluded (its name holds {word!r})")
            for ndb_no in _described_by(word, catalog):
                if not free.search(food_text(catalog.find(ndb_no))):
                    out.setdefault(ndb_no, f"is excluded (its USDA name holds {word!r})")
        return _with_products(out, catalog), ()
    meat = MEATS.get(singular_name(normalize_name(name)))
    if meat is not None:  # QA: "no pork" could not be kept in a profile, as the pool has none
        return _with_products({f.ndb_no: f"is {normalize_name(name)}" for f in catalog
                               if meat.search(food_text(f))}, catalog), ()  # fmt: skip
    try:
        foods = catalog.find_all(name)
    except InputError:
        foods = _named_by_words(name, catalog)
        in_category, category, rest = _named_in_category(name, catalog)
        if foods or in_category:
            out = {f.ndb_no: f"is excluded (its name holds {name.strip()!r})" for f in foods}
            for food in in_category:
                out.setdefault(food.ndb_no, f"is excluded (one of the {category}, and its name holds {rest!r})")
            # And the foods whose USDA name holds it (review: with a foods file of grits,
            # "Cereals, corn grits", and tortilla chips of "white corn", --exclude corn kept
            # both, since sweet corn and popcorn matched by name).
            for ndb_no, reason in _described_by(name, catalog).items():
                out.setdefault(ndb_no, reason)
            if foods and (held := _name_allergens(name, foods)):
                # A name that holds an allergen's word and is no pool food's own name is that
                # allergen, the safe side, as the README says (allergy QA: "wheat bread" kept
                # rye bread, "whole wheat" shredded wheat and bulgur); resolve says how to
                # leave out just the foods it names.
                return _with_allergens(out, held, catalog)
            # Pool foods by their names' words are what was meant ("nut butter": the two nut
            # butters; QA: adding the phrase's allergens then left out every nut and peanut).
            return _with_products(out, catalog), ()
        as_diet = _alias(name, DIET_ALIASES)
        if as_diet is not None:
            raise InputError(f"--exclude {name}: {as_diet} is a diet, not a food; use --diet {as_diet}") from None
        if normalize_name(name) in SEAFOOD_WORDS:
            raise InputError(f"--exclude {name}: exclude each allergen, --exclude fish --exclude shellfish") from None
        listed = _listed(name, lambda part: _known_exclusion(part, catalog))
        if listed:
            raise InputError(f"--exclude {name!r} is a list; give one name per --exclude: {listed}") from None
        if described := _described_by(name, catalog):
            # USDA's name for a pool food (review: --exclude filberts kept hazelnuts, garbanzo
            # kept chickpeas; salt kept peanut butter with salt).
            held = _name_allergens(name, [catalog.find(ndb_no) for ndb_no in described])
            return _with_allergens(described, held, catalog)
        if phrase_allergens(name) and not _misspelt(name, catalog):
            # A name no food has that holds an allergen's word is that allergen, the safe side
            # (QA: --exclude "egg white" planned eggs, "milk protein" yogurt, "wheat flour" every
            # wheat food, under "leaves out …"); resolve says how it was taken.
            return _with_phrase_allergens({}, name, catalog)
        if set(normalize_name(name).split(" ")) & SEAFOOD_WORDS or "sea food" in normalize_name(name):
            raise InputError(f"--exclude {name}: seafood is two allergens; exclude each, --exclude fish --exclude "
                             "shellfish") from None  # fmt: skip
        if held := list_word_allergens(name):
            # A food of an allergen's list that the pool does not have is that allergen, as
            # shrimp is shellfish (allergy QA: marzipan, almond paste, kept every nut); resolve
            # says how it was taken.
            return _with_allergens({}, held, catalog)
        if _usda_food_word(name) or _listed_food_word(name) or _same_foods(name):
            # A food USDA has and the pool does not (QA: an allergy to coconut was refused with
            # "did you mean: cocoa"): nothing of the pool to leave out, and no typo (resolve
            # says so).
            return {}, ()
        if normalize_name(name) in UNTAGGED_ALLERGENS:
            # QA: `foods --exclude sulfites` said "did you mean: split peas?"
            tagged = ", ".join(ALLERGEN_WORDS.values())
            # Those USDA names as sulfured (QA: dried apricots are, "Apricots, dried, sulfured").
            sulfured = [f for f in catalog if _SULFURED.search(food_text(f))]
            # By number where a name (USDA's, of a food added) holds commas, which --exclude splits.
            typed = [f.ndb_no if "," in f.name else repr(f.name) if " " in f.name else f.name for f in sulfured]
            said = "" if not sulfured else (
                f"; USDA's names mark as sulfured: {and_list([f.name for f in sulfured])} ("
                + " ".join(f"--exclude {t}" for t in typed) + ")")
            raise InputError(f"--exclude {name}: the food data does not tag {normalize_name(name)} (it tags {tagged})"
                             f"{said}; exclude by name the foods that hold them") from None  # fmt: skip
        # The words of our lists too, which --exclude takes (a typo of anchovy is no "unknown food"),
        # but those that are a pool food's name ("almond" for almonds).
        named = {singular_name(f.name) for f in catalog}
        known = [f.name for f in catalog] + list(CATEGORIES) + list(ALLERGEN_WORDS.values()) + [
            w for w in _LISTED_WORDS if _word_key(w) not in named] + list(EXCLUDE_GROUP_WORDS)  # fmt: skip
        close = close_names(normalize_name(name), known)
        # QA: "mushrooms", in no pool food, said only "unknown food"
        hint = (hint_for(close, known) if close else
                "; no food of the pool has that name: check its spelling (`mealplan foods` lists them), or drop it")
        # An UnknownName, as every unknown food name raises, with the near names (API QA).
        raise UnknownName(f"unknown food {quoted(name)}{hint}", tuple(close)) from None
    out = {f.ndb_no: "is excluded" for f in foods}
    # A food added from USDA whose description names the excluded food is that food too
    # (QA: --exclude almonds kept "nuts, almonds, dry roasted", added by its ndb_no).
    for ndb_no, reason in _described_by(name, [f for f in catalog if not f.tags_known]).items():
        out.setdefault(ndb_no, reason)
    return _with_products(out, catalog), ()


# Words of a food's name or USDA description that say it holds an allergen, beyond the
# allergen's own word: for a food whose tags are blank in a user's foods file (review: with
# blank cells, --exclude tree nuts kept almonds and cashews, shellfish mussels, milk yogurt).
# Single words, matched whole and singular; none names a pool food the pool's tags keep
# (tests/test_exclusions.py), and none is a word of other foods ("butter": peanut butter).
ALLERGEN_FOOD_WORDS: Mapping[str, frozenset[str]] = {
    # Marzipan is almond paste, pralines pecans or hazelnuts; pignoli are pine nuts; pesto holds
    # pine nuts (or other nuts) and cheese.
    "tree_nuts": frozenset({"almond", "brazilnut", "cashew", "chestnut", "filbert", "hazelnut", "macadamia", "marzipan",
                            "pecan", "pesto", "pignoli", "pine", "pinyon", "pistachio", "praline", "walnut"}),
    # Calamari is squid; scampi and langoustines are a lobster, crawfish crayfish.
    "shellfish": frozenset({"abalone", "calamari", "clam", "cockle", "conch", "crab", "crawfish", "crayfish",
                            "crustacean", "langoustine", "lobster", "mollusk", "mussel", "octopus", "oyster", "prawn",
                            "scallop", "scampi", "shrimp", "squid", "whelk"}),
    # Butter, cream and custard but in the phrases of NOT_ALLERGEN_FOODS (peanut butter, coconut
    # cream, custard apple).
    "milk": frozenset({"butter", "buttermilk", "casein", "cheddar", "cheese", "cream", "custard", "feta", "ghee",
                       "kefir", "paneer", "parmesan", "pesto", "whey", "yoghurt", "yogurt"}),
    "wheat": frozenset({"bulgur", "couscous", "durum", "farina", "seitan", "semolina", "spelt"}),
    "soy": frozenset({"edamame", "miso", "natto", "soya", "soybean", "soymilk", "tempeh", "tofu"}),
    # Halva is made of tahini; benne is the sesame seed's name in the US South.
    "sesame": frozenset({"benne", "halva", "halvah", "tahini"}),
    # Worcestershire sauce is made with anchovies.
    "fish": frozenset({"anchovy", "cod", "haddock", "halibut", "herring", "mackerel", "pollock", "salmon", "sardine",
                       "tilapia", "trout", "tuna", "worcestershire"}),
    "egg": frozenset(),
    # Groundnuts and monkey nuts are peanuts' other names.
    "peanuts": frozenset({"groundnut"}),
}  # fmt: skip
# Foods of an allergen named in more than one word (ALLERGEN_FOOD_WORDS' are single words),
# matched in a food's name and USDA description as normalize_name writes them. Mixed nuts are
# tree nuts, and peanuts too but where USDA says "without peanuts" (commercial mixes hold them).
ALLERGEN_FOOD_PHRASES: Mapping[str, re.Pattern[str]] = {
    "milk": re.compile(r"\bhalf and half\b|\bclarified butter\b"),
    "tree_nuts": re.compile(r"\bmixed nuts?\b"),
    "peanuts": re.compile(r"\bmonkey ?nuts?\b|\bmixed nuts?\b(?!.*\bwithout peanuts?\b)"),
}


# How alike (difflib's ratio) a name must be to a food's name to be read as a typo of it:
# "peanut buter" (0.96) is peanut butter misspelt, and is refused with it as a suggestion;
# "peanut oil" (0.71 to peanuts) and "sesame seed oil" (0.82 to sesame seeds) are other foods.
TYPO_SIMILARITY = 0.85


def _misspelt(name: str, catalog: Catalog) -> bool:
    """Whether ``name`` reads as a typo of a food's name of ``catalog`` (TYPO_SIMILARITY)."""
    key = normalize_name(name)
    return any(difflib.SequenceMatcher(None, key, normalize_name(f.name)).ratio() >= TYPO_SIMILARITY for f in catalog)


# Phrases in which a word of an allergen's list (ALLERGEN_FOOD_WORDS) names another food, set
# aside before a food's words are matched against the list (QA: a foods file's "Butter,
# salted", sour cream and "Butter oil, anhydrous", ghee, with blank allergen cells were kept
# by --exclude milk): the butters of nuts, seeds, cocoa, shea and fruit, butter beans,
# bread-and-butter pickles and a "non-dairy butter flavor"; coconut cream, cream of wheat, rice
# or tartar, cream-style corn, cream soda, marshmallow cream and agutuk ("Alaskan ice cream").
# Checked against every SR28 description that holds "butter" or "cream" (the commit that added
# them lists the counts).
NOT_ALLERGEN_FOODS: Mapping[str, re.Pattern[str]] = {
    "milk": re.compile(
        r"\b(?:(?:pea)?nuts?|almonds?|cashews?|hazelnuts?|filberts?|pecans?|walnuts?|pistachios?|macadamias?|"
        r"seeds?|sesame|sunflower|soy|soynuts?|pumpkin|cocoa|cacao|shea|nutmeg|ucuhuba|fruit|apples?|coconut|mango)"
        r"[ -]butters?\b|\bbutter[ -]?beans?\b|\bbread[ -]and[ -]butter\b|\bnon-?dairy butter\b"
        r"|\bcoconut creams?\b|\bcreams? of (?:wheat|rice|tartar)\b|\bcream[ -]style\b|\bcream soda\b"
        r"|\bmarshmallow creams?\b|\balaskan ice cream\b|\bcustard[ -]apples?\b"
        # An industrial fat "uses similar to 95 degree hard butter", a "basis for ice cream coatings".
        r"|\b(?:similar to|basis for)\b[^,]*"
    ),
}


def _set_aside(text: str, allergen: str) -> str:
    """``text`` without the phrases NOT_ALLERGEN_FOODS sets aside for ``allergen``."""
    other = NOT_ALLERGEN_FOODS.get(allergen)
    return text if other is None else other.sub(" ", text)


def _allergen_list_text(food: Food, allergen: str) -> str:
    """``food``'s name and USDA description as ``allergen``'s list is matched against them:
    without the phrases NOT_ALLERGEN_FOODS sets aside for it, normalised (normalize_name)."""
    return normalize_name(_set_aside(f"{food.name} {food.usda_description}".lower(), allergen))


def _named_allergen(name: str, allergen: str, catalog: Catalog) -> dict[str, str]:
    """The foods whose name or USDA description holds the allergen's word, as typed or as the
    allergen's own ('peanuts' for 'peanut'), each with its reason: whatever their tags say,
    "contains" (QA: with a foods file whose allergens cell was blank, --exclude peanuts kept
    the foods named peanuts and peanut butter; an added food of unknown tags was said to be
    left out for --exclude shellfish when its USDA name was peanut flour). The pool's tags
    already leave out every food this finds (tests/test_exclusions.py)."""
    out: dict[str, str] = {}
    what = ALLERGEN_WORDS[allergen]
    for word in dict.fromkeys((name.strip(), what)):
        for food in _named_by_words(word, catalog):
            out.setdefault(food.ndb_no, f"contains {what} (its name holds {word!r})")
        for ndb_no in _described_by(word, catalog):
            out.setdefault(ndb_no, f"contains {what} (its USDA name holds {word!r})")
    # Each word as _name_words makes a food's words (QA: "couscous" became "couscou" there, so
    # --exclude wheat kept a foods file's couscous); said back as the list writes it.
    kinds = {_word_key(w): w for w in ALLERGEN_FOOD_WORDS.get(allergen, frozenset())}
    phrase = ALLERGEN_FOOD_PHRASES.get(allergen)
    for food in catalog:
        if food.ndb_no in out:
            continue
        text = _allergen_list_text(food, allergen)
        if held := sorted(kinds[k] for k in kinds.keys() & _name_words(text)):
            out[food.ndb_no] = f"contains {what} (its name holds {held[0]!r})"
        elif phrase is not None and (found := phrase.search(text)):
            out[food.ndb_no] = f"contains {what} (its name holds {found.group()!r})"
    return out


# Words of USDA descriptions that name no food: a name made of them only is not taken as USDA's
# name of a food (review: --exclude and, the, dry or boiled was accepted).
USDA_FILLER_WORDS = frozenset({
    "a", "all", "and", "as", "at", "by", "for", "from", "in", "made", "of", "on", "or", "other", "the", "to", "type",
    "with", "without", "baked", "boiled", "braised", "brewed", "canned", "chopped", "cooked", "diced", "drained",
    "dried", "dry", "fat", "fresh", "fried", "frozen", "grilled", "heat", "mature", "plain", "prepared", "raw",
    "ready", "regular", "roasted", "solids", "steamed", "style", "whole",
})  # fmt: skip


def _food_words(name: str) -> set[str]:
    """The words of ``name`` matched against USDA descriptions; none when they are all filler."""
    words = _name_words(name)
    return set() if words <= _FILLER_KEYS else words


# Names of one food, one of which USDA writes: ghee is "Butter oil, anhydrous" there (QA:
# --exclude ghee was an unknown food, and a foods file's butter oil would have been kept).
SAME_FOODS = (("ghee", "clarified butter", "butter oil"),)


def _same_foods(name: str) -> tuple[str, ...]:
    """The other names of the food ``name`` is (SAME_FOODS), or ()."""
    key = singular_name(normalize_name(name))
    return next((tuple(n for n in names if n != key) for names in SAME_FOODS if key in names), ())


def _described_by(name: str, foods: Iterable[Food]) -> dict[str, str]:
    """The foods whose USDA description holds every word of ``name`` (not filler words only),
    or of another name of the same food (SAME_FOODS), each with its reason."""
    out: dict[str, str] = {}
    foods = list(foods)
    for each in (name.strip(), *_same_foods(name)):
        if not (words := _food_words(each)):
            continue
        said = repr(each) if each == name.strip() else f"{each!r}, which is {name.strip()}"
        for food in foods:
            if words <= _name_words(_WITHOUT.sub("", food.usda_description.lower())):
                out.setdefault(food.ndb_no, f"is excluded (its USDA name holds {said})")
    return out


# "without salt", "without salt and fat", "without added salt", "no salt added": what a USDA
# description says a food does not hold (QA: --exclude salt left out corn tortillas "without
# added salt").
_WITHOUT = re.compile(r"\b(?:without|no)\s+(?:added\s+)?[a-z]+(?:\s+(?:and|or)\s+[a-z]+)*")


# USDA foods whose descriptions must name a word before --exclude takes it as a food the pool
# lacks: one could be a brand's spelling ("LUNA BAR, NUTZ OVER CHOCOLATE" for a typo of nuts).
USDA_NAMES_MIN = 3


def _usda_food_word(name: str) -> bool:
    """Whether USDA_NAMES_MIN USDA foods' descriptions name ``name`` word for word, not filler
    words only (a real food, not a typo)."""
    if not (words := _food_words(name)):
        return False
    hits = (1 for food in usda_foods().values() if words <= _name_words(food.description))
    return sum(itertools.islice(hits, USDA_NAMES_MIN)) >= USDA_NAMES_MIN


def _listed_words() -> list[str]:
    return sorted({*itertools.chain.from_iterable(ALLERGEN_FOOD_WORDS.values()), *LEGUME_WORDS, *COMPOUND_WORDS})


def _listed_food_word(name: str) -> bool:
    """Whether ``name`` is one word of the project's own lists of foods (ALLERGEN_FOOD_WORDS,
    LEGUME_WORDS, COMPOUND_WORDS): a food, not a typo, though few USDA names hold it (QA:
    --exclude anchovy, a word of the fish list, was refused as an unknown food, and so a
    profile that excluded it could plan nothing)."""
    words = _name_words(name)
    return len(re.findall(r"[a-z]+", normalize_name(name))) == 1 and bool(words & _LISTED_KEYS)


# Words that join two food words, read as both too: --exclude corn leaves out popcorn (QA: a
# corn allergy kept it). Only where the part is the food: buckwheat is no wheat, a peanut no pea.
COMPOUND_WORDS: Mapping[str, tuple[str, ...]] = {
    "popcorn": ("pop", "corn"), "cornmeal": ("corn", "meal"), "cornstarch": ("corn", "starch"),
    "cornflake": ("corn", "flake"), "cornbread": ("corn", "bread"), "oatmeal": ("oat", "meal"),
    "flaxseed": ("flax", "seed"),
}  # fmt: skip


def _word_key(word: str) -> str:
    """One word as _name_words keeps it: lower case and singular ('Sardines' → 'sardine'; the
    crude rule makes 'couscous' 'couscou'). A word list is matched by its words' keys, so that
    every entry matches its own word, whatever the rule does to it (QA: couscous)."""
    return singular_name(word)


def _name_words(text: str) -> set[str]:
    words = {_word_key(w) for w in re.findall(r"[a-z]+", normalize_name(text))}
    return words.union(*(_COMPOUND_KEYS.get(w, ()) for w in words))


_FILLER_KEYS = frozenset(_word_key(w) for w in USDA_FILLER_WORDS)  # "solids" is "solid" there
_COMPOUND_KEYS = {_word_key(k): tuple(_word_key(p) for p in parts) for k, parts in COMPOUND_WORDS.items()}
_LISTED_WORDS = _listed_words()
_LISTED_KEYS = frozenset(map(_word_key, _LISTED_WORDS))


def _named_by_words(name: str, catalog: Catalog) -> tuple[Food, ...]:
    """The foods whose names hold every word of ``name`` ('rice': brown, white and wild
    rice; 'beans': black, kidney, green… beans). An exclusion is hard, so a word that names
    several foods leaves them all out, the safe side (QA: --exclude rice was refused with a
    list of the rices to type one by one)."""
    words = _name_words(name)
    if not words:
        return ()
    return tuple(food for food in catalog if words <= _name_words(food.name))


def _named_in_category(name: str, catalog: Catalog) -> tuple[tuple[Food, ...], str, str]:
    """For a name of a category's word and others ('nut butter'), the foods of that category
    whose names hold the other words (almond butter and peanut butter: a peanut is no nut by
    its word, but it is one of the nuts to a user, QA), the category and the other words;
    ((), "", "") when it is no such name. Not a word that is also an allergen's (dairy, fish,
    soy, eggs: a name of one is read as the allergen), nor "other"."""
    words = re.findall(r"[a-z]+", normalize_name(name))
    for index, word in enumerate(words):
        category = canonical_category(word)
        if category is None or category == "other" or canonical_allergen(word) is not None:
            continue
        rest = " ".join(words[:index] + words[index + 1 :])
        if not (keys := _food_words(rest)):
            continue
        return tuple(f for f in catalog if f.category == category and keys <= _name_words(f.name)), category, rest
    return (), "", ""


def _with_phrase_allergens(out: dict[str, str], name: str, catalog: Catalog) -> tuple[dict[str, str], tuple[str, ...]]:
    """``out``, the foods a name no pool food has matches by its words or USDA's, with every food
    of the allergens the name's words name (phrase_allergens), and those allergens: the safe
    side (QA: "fish oil" left out sardines only and planned salmon, "smoked salmon" nothing,
    "milk fat" two milks and planned yogurt, "almond milk" milk only and planned almonds)."""
    return _with_allergens(out, phrase_allergens(name), catalog)


def _name_allergens(name: str, found: Iterable[Food]) -> tuple[str, ...]:
    """The allergens a name that is no pool food's own, but whose words or USDA's hold ``found``,
    stands for: those its words name (phrase_allergens); or, for a word of an allergen's list
    (list_word_allergens), its allergen when only foods added from USDA hold it (anchovy with
    15002 added, as without it), not when it is USDA's name of a food of the pool's (filberts:
    hazelnuts)."""
    if held := phrase_allergens(name):
        return held
    return () if any(f.tags_known for f in found) else list_word_allergens(name)


def list_word_allergens(name: str) -> tuple[str, ...]:
    """The allergens whose lists (ALLERGEN_FOOD_WORDS) hold ``name``, a single word that is no
    allergen's or category's own ('marzipan': tree nuts; 'pesto': tree nuts and milk;
    'anchovy': fish); () for any other name."""
    if len(re.findall(r"[a-z]+", normalize_name(name))) != 1 or _group_allergens(name)[2]:
        return ()
    keys = _name_words(name)
    return tuple(a for a, words in ALLERGEN_FOOD_WORDS.items() if keys & {_word_key(w) for w in words})


def _with_allergens(out: dict[str, str], held: tuple[str, ...], catalog: Catalog) -> tuple[dict[str, str],
                                                                                          tuple[str, ...]]:
    """``out`` with every food of the allergens ``held`` (traces too, the safe side), and them."""
    by_word = {each: ALLERGEN_WORDS[each] for each in held}
    for ndb_no, reason in _group_of(None, held, by_word, catalog, traces=True).items():
        out.setdefault(ndb_no, reason)
    return _with_products(out, catalog), held


def _with_products(out: dict[str, str], catalog: Catalog) -> dict[str, str]:
    """``out`` and the foods made from a food in it (almonds: almond butter; see
    Food.made_from), whatever left that food out: QA's --exclude seeds kept hummus, which is
    made from sesame seeds and tahini."""
    names = {f.ndb_no: f.name for f in catalog}
    for food in catalog:
        source = next((ndb for ndb in sorted(food.made_from) if ndb in out), None)
        if source is not None:
            out.setdefault(food.ndb_no, f"is made from {names.get(source, source)}")
    return out


def _known_exclusion(name: str, catalog: Catalog) -> bool:
    """Whether ``--exclude name`` names something (see exclusion_foods)."""
    try:
        exclusion_foods(name, catalog)
    except InputError:
        return False
    return True


def _listed(name: str, known: Callable[[str], bool], option: str = "exclude") -> str:
    """For a name that is a list written as one ("milk,egg"), the options to give instead
    ("--exclude milk --exclude egg"); "" when it is not one (some part is not ``known``)."""
    parts = [trimmed_name(part) for part in re.split(r"[,;/]| and | & ", name)]
    # One known part is enough to tell a list (QA: "fish,mushrooms", whose second part is
    # in no food, got "unknown food" without the hint); " and " needs all (a food's name).
    # "/" and "&" join a list too (QA: --exclude 'eggs/milk' left out nothing).
    enough = all if re.search(r" and | & ", name) and not re.search(r"[,;/]", name) else any
    # A name that repeats a part is no list ("half & half").
    if len(parts) < 2 or not all(parts) or len(set(parts)) < len(parts) or not enough(known(part) for part in parts):
        return ""
    return " ".join(f"--{option} {part!r}" if " " in part else f"--{option} {part}" for part in parts)


def _several_foods(name: str, catalog: Catalog, *, category: bool = False) -> InputError | None:
    """For a word that names several foods and no one of them ('rice': brown, white and wild
    rice), an error that lists them and asks for one (or, with ``category``, their category's
    cap); None for any other name. QA: --require rice and --max-servings rice=1 said "unknown
    food 'rice'", where --require spinach names its two foods and --exclude rice leaves out
    the three rices."""
    several = _named_by_words(name, catalog)
    if len(several) < 2:
        return None
    names = ", ".join(f.name for f in several)
    categories = sorted({f.category for f in several})
    also = f", or cap their category (--max-servings {categories[0]}=N)" if category and len(categories) == 1 else ""
    return InputError(f"{name!r} is {len(several)} foods ({names}); name one of them{also}")


def _liked_foods(name: str, catalog: Catalog) -> tuple[tuple[Food, ...], bool]:
    """The foods ``--like``/``--dislike name`` weighs, and whether ``name`` is a group: a
    category or an allergen covers the foods --exclude leaves out for it (group_foods: legumes
    are soy foods, peanuts, green peas and beans too), but traces (a dislike is taste) and the
    foods made from them. QA: a grandfather who does not care for fish could only exclude it."""
    if (kind := food_kind(name)) is not None:
        return tuple(f for f in catalog if kind.holds(f)), True
    try:
        return catalog.find_all(name), False
    except InputError as exc:
        if (group := group_foods(name, catalog, traces=False)) is not None:
            return tuple(f for f in catalog if f.ndb_no in group[0]), True
        # A word that names several foods weighs them all, as it excludes them all (QA: --dislike
        # beans was refused, where --exclude beans left out the six beans).
        named = {f.ndb_no for f in (*_named_by_words(name, catalog), *_named_in_category(name, catalog)[0])}
        if named:
            return tuple(f for f in catalog if f.ndb_no in named), True
        if described := _described_by(name, catalog):  # USDA's name for pool foods (garbanzo)
            return tuple(f for f in catalog if f.ndb_no in described), True
        if not isinstance(exc, UnknownName):
            raise
        # A near miss of a category or allergen is a typo too (QA review: --dislike fsh was a
        # warning that no food is called that).
        # A kind's word too (allergy QA: --dislike cafeine weighed nothing, with a warning).
        groups = [*CATEGORIES, *ALLERGEN_WORDS.values(),
                  *(w for kind in FOOD_KINDS for w in kind.words if " " not in w)]  # fmt: skip
        close = close_names(name, [*(f.name for f in catalog), *groups])
        if not any(c in groups for c in close):
            raise
        raise UnknownName(f"unknown food, category or allergen {quoted(name)}{hint_for(close, groups)}",
                          tuple(close)) from None  # fmt: skip


# The weight of a dislike given without one (--dislike coffee): more doublings than any food's
# density earns (model.DENSITY_SCORE_RANGE tops at 3), so a disliked food counts against a plan
# and is planned only where the targets need it. QA: at a weight of 1, coffee (score 3) was
# still planned for a grandfather who disliked it.
DISLIKE_WEIGHT = 4.0

# Most a price per 100 g may be (as the prices file's rows: prices.load_prices).
MAX_PRICE_PER_100G = 10_000.0


def _is_finite(value: object) -> bool:
    return is_number(value) and math.isfinite(value)


def check_types(prefs: Preferences) -> None:
    """Wishes of the wrong type, as the Python API can give them, as one InputError each
    (the command line and profile files check theirs as they read them): a text where a
    list of names goes ("peanuts" would be read as the names 'p', 'e', …), a list where a
    mapping goes, a weight or price that is not a finite number, a negative price."""
    for key in ("exclude", "diets"):
        value = getattr(prefs, key)
        if isinstance(value, str) or not isinstance(value, (tuple, list)):
            # QA: exclude=None was told "give e.g. exclude=(None,)", itself refused.
            example = repr((value,)) if isinstance(value, str) else "('peanuts',)" if key == "exclude" else "('vegan',)"
            raise InputError(f"{key} must be a list of names, not {value!r}; give e.g. {key}={example}")
        for name in value:
            if not isinstance(name, str):
                raise InputError(f"{key} holds {name!r}, not a name; give names as text")
    for key in ("require", "like", "dislike", "max_servings", "prices_per_100g"):
        table = getattr(prefs, key)
        if not isinstance(table, Mapping):
            raise InputError(f"{key} must map names to numbers, not {table!r}; give e.g. {key}={{'oats': 1}}")
        for name, number in table.items():
            if not isinstance(name, str):
                raise InputError(f"{key} holds the key {name!r}, not a name; give names as text")
            if not (_is_finite(number) or (key == "require" and number is None)):
                raise InputError(f"{key}[{name!r}] is {number!r}, not a number; give a finite number")
    for ndb_no, price in prefs.prices_per_100g.items():
        if not 0 <= price <= MAX_PRICE_PER_100G:
            raise InputError(f"prices_per_100g[{ndb_no!r}] is {price:g}; give 0 to {MAX_PRICE_PER_100G:,.0f}")
    if prefs.budget is not None and not _is_finite(prefs.budget):
        raise InputError(f"budget {prefs.budget!r} is not a number; give money a week, e.g. budget=60")


def _prices_by_ndb_no(prices: Mapping[str, float], catalog: Catalog) -> dict[str, float]:
    """Prices keyed by ndb_no: a key that is a food's name is found as --require finds one
    (QA: the Python API ignored Preferences(prices_per_100g={"black tea": 0.05}) without a
    word); an unknown name is refused. An ndb_no the catalog lacks is kept: it prices nothing."""
    out: dict[str, float] = {}
    for key, price in prices.items():
        if key.isdigit():
            out[padded_ndb_no(key)] = price
            continue
        found = catalog.find_all(key)
        if len(found) > 1:
            raise InputError(f"prices_per_100g names {quoted(key)}, which is {len(found)} foods; price each by name")
        out[found[0].ndb_no] = price
    return out


def _trimmed(prefs: Preferences) -> Preferences:
    """``prefs`` with every name trimmed of the punctuation around it (trimmed_name), so that
    each option takes "soy." as soy, and says it back as soy."""
    def keys(table: Mapping[str, Any]) -> dict[str, Any]:
        return {trimmed_name(name): value for name, value in table.items()}

    return dataclasses.replace(
        prefs, exclude=tuple(map(trimmed_name, prefs.exclude)), diets=tuple(map(trimmed_name, prefs.diets)),
        require=keys(prefs.require), like=keys(prefs.like), dislike=keys(prefs.dislike),
        max_servings=keys(prefs.max_servings))  # fmt: skip


def _only_these(name: str, catalog: Catalog) -> str:
    """For a name taken as its allergen whose words name pool foods ("wheat bread": whole-wheat
    bread), how to leave out just those foods; "" when it names none."""
    named = [f.name for f in _named_by_words(name, catalog)]
    if not named:
        return ""
    options = " ".join(typed_flag("--exclude", n) for n in named)
    return f"; to leave out only {and_list(named)}, {options}"


def resolve(prefs: Preferences, catalog: Catalog, days: int) -> Resolved:
    """Resolve every name in ``prefs`` against ``catalog``; unknown names, values of the wrong
    type (check_types) and wishes that contradict each other raise InputError."""
    check_types(prefs)
    prefs = _trimmed(prefs)
    excluded: dict[str, Exclusion] = {}
    allergens: list[str] = []
    diets = tuple(dict.fromkeys(canonical_diet(d) for d in prefs.diets))
    excluded_notes: list[str] = []
    excluded_as: dict[str, tuple[str, ...]] = {}
    for name in prefs.exclude:
        left_out, its_allergens = exclusion_foods(name, catalog)
        allergens.extend(its_allergens)
        excluded_as[name] = exclusion_words(name, its_allergens)
        if its_allergens and (phrase_allergens(name) or list_word_allergens(name)):
            words = [ALLERGEN_WORDS[a] for a in its_allergens]
            excluded_notes.append(
                f"--exclude {name}: no pool food is called {name.strip()!r}, so it is taken as the "
                f"{and_list(words)} allergen{'s' if len(words) > 1 else ''}, the safe side: every food that holds "
                f"{and_list(words, 'or')} is left out{_only_these(name, catalog)}")  # fmt: skip
        if (kind := _free_kind(name)) is not None:
            excluded_notes.append(f"--exclude {name}: taken as {kind.foods_word}, which are left out")
        if not left_out and not its_allergens:
            excluded_notes.append(f"--exclude {name}: no pool food's USDA name holds {name.strip()!r}, so no plan "
                                  "holds it by name (the ingredients of packaged foods are not checked)")  # fmt: skip
        for ndb_no, reason in left_out.items():
            # A certain reason replaces a guess from unknown tags (QA: peanut flour, added from
            # USDA, was said to be left out as it "may contain shellfish").
            known = excluded.get(ndb_no)
            if known is None or (UNKNOWN_TAGS in known.reason and UNKNOWN_TAGS not in reason):
                excluded[ndb_no] = Exclusion(f"--exclude {name}", reason)
    for diet in diets:
        for food in catalog:
            if diet not in food.diets:
                excluded.setdefault(food.ndb_no, Exclusion(f"--diet {diet}", _not_in_diet(food, diet)))
    if prefs.budget is not None and not prefs.prices_per_100g:
        raise InputError("--budget needs prices; give --prices FILE")
    if prefs.budget is not None and not (0 < prefs.budget < MAX_BUDGET):
        raise InputError(f"--budget {prefs.budget:g} is out of range; give more than 0 and less than "
                         f"{MAX_BUDGET:,.0f} a week")  # fmt: skip
    prices = _prices_by_ndb_no(prefs.prices_per_100g, catalog)
    if prefs.budget is not None:
        # Under a budget every planned food must have a price, or the cost is unknown.
        for food in catalog:
            if food.ndb_no not in prices:
                excluded.setdefault(food.ndb_no, Exclusion("--budget", "has no price in the prices file"))
        if not any(f.ndb_no in prices for f in catalog):
            raise InputError("--budget: no food of the pool has a price in the prices file; price the foods "
                             "to plan with, or drop --budget")  # fmt: skip

    def conflict(option: str, name: str, food: Food) -> InputError:
        why = excluded[food.ndb_no]
        return InputError(f"{option} {name} conflicts with {why.option}: {food.name} {why.reason}; drop one of the two")

    def weighed_twice(wish: str, other: str, food: Food) -> InputError:
        return InputError(f"{wish} conflicts with {other}: both weigh {food.name}; drop one of the two")

    def foods_named(option: str, name: str, *, categories: bool = False) -> tuple[Food, ...]:
        try:
            return catalog.find_all(name)
        except InputError:
            if not categories:
                raise
            if (wrong := _not_a_food(option, name, catalog, categories=True)) is not None:
                raise wrong from None  # QA: --max-servings "tree nuts=1": "did you mean: greens, pine nuts?"
            # A cap on each of the three rices is not a cap on rice: which is meant is asked.
            if (several := _several_foods(name, catalog, category=True)) is not None:
                raise several from None
            known = [f.name for f in catalog] + list(CATEGORIES)
            close = close_names(normalize_name(name), known)
            message = f"unknown food or category {quoted(name)}{hint_for(close, known)}"
            raise UnknownName(message, tuple(close)) from None

    required: dict[str, int] = {}
    required_as: dict[str, str] = {}  # ndb_no → the --require name that asks for it
    for name, times in prefs.require.items():
        try:
            food = catalog.find(name)
        except UnknownName:
            # QA: --require fish said "did you mean: dried figs?", nuts "pine nuts, brazil nuts?"
            if (wrong := _not_a_food("--require", name, catalog)) is not None:
                raise wrong from None
            if (several := _several_foods(name, catalog)) is not None:
                raise several from None
            raise
        required_as.setdefault(food.ndb_no, name)
        if food.ndb_no in excluded:
            raise conflict("--require", name, food)
        if times is not None and not (1 <= times <= WEEK_DAYS):
            raise InputError(f"--require {name}={times}: {REQUIRE_DAYS_HINT}")
        # N days of a week; a plan of another length gets it pro rata, rounded up.
        required[food.ndb_no] = days if times is None else min(days, math.ceil(times * days / WEEK_DAYS - 1e-9))
    weights: dict[str, float] = {}
    liked: dict[str, str] = {}  # ndb_no → the --like name that covers it
    notes: list[str] = list(excluded_notes)
    by_name: list[tuple[float, str, str, float, tuple[Food, ...]]] = []
    grouped: list[tuple[float, str, str, float, tuple[Food, ...]]] = []
    for sign, option, table in ((1.0, "--like", prefs.like), (-1.0, "--dislike", prefs.dislike)):
        for name, weight in table.items():
            if not (0 < weight <= 10):
                raise InputError(f"{option} {name}={weight:g}: the weight is out of range; give more than 0, up to 10")
            try:
                weighed, group = _liked_foods(name, catalog)
            except UnknownName as exc:
                # A dislike of a food the pool does not have weighs nothing, and is no reason
                # to stop (QA: dislike = ["mushrooms"] ended the run); a near miss of a pool
                # name may be a typo and still is; a food USDA or our lists name is not (review: coconut).
                if sign > 0 or (exc.close and not (_usda_food_word(name) or _listed_food_word(name))):
                    raise
                notes.append(f"--dislike {name}: no food of the pool is called that, so no plan holds any")
                continue
            if group:
                grouped.append((sign, option, name, weight, weighed))
            else:
                by_name.append((sign, option, name, weight, weighed))
    # A group (fish, nuts) weighs its foods that are not left out; a food named on its own
    # weighs as named, whatever its group's weight ("--dislike fish --like salmon").
    by_group: dict[str, tuple[float, str]] = {}  # ndb_no → the sign and "--like nuts" that weigh it
    for sign, option, name, weight, weighed in grouped:
        kept = [f for f in weighed if f.ndb_no not in excluded]
        if sign > 0 and weighed and not kept:  # QA review: --like nuts --exclude nuts did nothing, silently
            raise conflict(option, name, weighed[0]) from None
        for food in kept:
            other = by_group.get(food.ndb_no)
            if other is not None and other[0] != sign:  # QA review: --like fish --dislike fish, silently
                raise weighed_twice(f"{option} {name}", other[1], food)
            by_group[food.ndb_no] = (sign, f"{option} {name}")
            weights[food.ndb_no] = sign * weight
    for sign, option, name, weight, weighed in by_name:
        for food in weighed:
            if sign > 0 and food.ndb_no in excluded:
                raise conflict(option, name, food)
            if sign < 0 and food.ndb_no in liked:
                raise weighed_twice(f"--dislike {name}", f"--like {liked[food.ndb_no]}", food)
            if sign < 0 and food.ndb_no in required:  # QA: planned without a word
                raise InputError(f"--dislike {name} conflicts with --require {required_as[food.ndb_no]}: "
                                 f"{food.name} is both required and disliked; drop one of the two")  # fmt: skip
            if sign > 0:
                liked[food.ndb_no] = name
            weights[food.ndb_no] = sign * weight
    food_caps: dict[str, float] = {}
    category_caps: dict[str, float] = {}
    for name, cap in prefs.max_servings.items():
        if not (0 <= cap <= 10) or cap * 2 != int(cap * 2):
            raise InputError(f"--max-servings {name}={cap:g}: give a whole or half number from 0 to 10")
        category = canonical_category(name)
        if category is not None:
            category_caps[category] = cap
            held = next((f for f in catalog if f.category == category and f.ndb_no in required), None)
            if cap == 0 and held is not None:
                raise InputError(f"--require {required_as[held.ndb_no]} conflicts with --max-servings {name}=0: "
                                 f"{held.name} is in the category {category}, which may then not be eaten at all; "
                                 "drop one of the two")  # fmt: skip
        else:
            for food in foods_named("--max-servings", name, categories=True):
                food_caps[food.ndb_no] = cap
                if cap == 0 and food.ndb_no in required:
                    # A food capped at nothing has no portion to plan: requiring it cannot be kept.
                    raise InputError(f"--require {required_as[food.ndb_no]} conflicts with --max-servings {name}=0: "
                                     f"{food.name} may then not be eaten at all; drop one of the two")  # fmt: skip
    foods = tuple(f for f in catalog if f.ndb_no not in excluded)
    if not foods:
        options = list(dict.fromkeys(why.option for why in excluded.values()))
        named = ", ".join(options[:3]) + (f" and {len(options) - 3} more" if len(options) > 3 else "")
        raise InputError(f"every food is excluded ({named}); exclude fewer")
    return Resolved(
        foods=foods,
        excluded=excluded,
        required=required,
        weights=weights,
        food_caps=food_caps,
        category_caps=category_caps,
        prices_per_100g=prices,
        budget=prefs.budget,
        diets=diets,
        allergens=tuple(dict.fromkeys(allergens)),
        notes=tuple(notes),
        required_as=required_as,
        liked_as=liked,
        excluded_as=excluded_as,
    )

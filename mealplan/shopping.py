"""The shopping list: grams summed over days and members, turned into purchase amounts.

The exact grams (servings × serving grams, unrounded) are summed over every day and member
first; only the total is rounded up, to a unit a shop sells: cans, loaves, quarts, tea bags,
pieces, or grams. The rounding never buys less than the plan uses.

A food the pool holds as cooked (quinoa, lentils, cooked spinach) is eaten by cooked weight
but sold dry or raw. When the pool names its raw counterpart (``Food.raw_ndb_no``), the
list buys that instead, weighed by keeping the dry matter (everything but water) of the
cooked grams::

    raw_g = cooked_g × (100 − water_cooked) / (100 − water_raw)

with both water values (g per 100 g) from USDA SR28. This is an approximation: cooking can
also lose some solids (into the water of boiled greens, as fat from fish). Fish and poultry
keep their protein instead when that says more, and a boiled vegetable or green, whose lost
solids made it seem to gain weight, is bought at least at the weight eaten.

USDA weighs the edible part; a food bought by weight also comes with its refuse (a squash's
rind, a spinach's stems), which USDA gives as a percent of the food as bought
(``Food.refuse_pct``, of the raw counterpart when there is one)::

    bought_g = edible_g / (1 − refuse_pct / 100)

where ``edible_g`` is the grams eaten, or the raw grams above. Unknown refuse counts as 0 and
the list says nothing of it. Counted units (pieces, cans, loaves) are whole as sold, and nuts
and seeds are sold shelled, so no refuse is added to them. The list's grams stay the grams
eaten; only what to buy changes.

A plan that eats a food both raw and cooked (the pool's "spinach (raw)" and "spinach (cooked)",
whose ``raw_ndb_no`` is the raw one) buys it once: the raw food's line covers the cooked food's
raw grams too, rounded up once, and says how much of it is eaten cooked (``ShoppingItem.cooked``)::

    bought_g = (raw_eaten_g + cooked_g × raw_g_per_cooked_g) / (1 − refuse_pct / 100)
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from .catalog import CATEGORIES, Food, usda_portions
from .errors import InputError
from .kinds import BY_WEIGHT_CATEGORIES, is_cooked
from .plan import MEASURE_AMOUNT, MemberPlan, Plan, food_measure, household_measure, measure_amount
from .resources import data_file

# The pool's beans are USDA's boiled without salt, so they are bought dry, as lentils are
# (QA: bought canned, black beans bring 384 mg of sodium per 100 g instead of 1, and half the
# magnesium, so the plan's totals would not be what was cooked).
# A 1-lb (454 g) sliced loaf: at USDA's 32 g a slice, 14 slices.
LOAF_G = 453.6
LOAVES = frozenset({"18075", "18060"})
# Eggs come in cartons of a dozen (or half).
EGGS_PER_DOZEN = 12
# Drinks bought as what they are brewed from (USDA: "Beverages, coffee, brewed, …").
_BREWED = re.compile(r"\b(brewed|coffee|espresso|tea)\b", re.IGNORECASE)
# One tea bag brews one cup.
TEA = frozenset({"14355", "14278"})
# A US liquid quart, in millilitres (a unit conversion, not food data).
QUART_ML = 946
# Grains and pulses are sold dry; their USDA "raw" entry is the dry one.
DRY_CATEGORIES = frozenset({"grains", "legumes", "soy"})
# Animal muscle: cooking loses fat as well as water, and keeps the protein (raw_grams_per_cooked_gram).
MUSCLE_CATEGORIES = frozenset({"fish", "poultry"})
# Vegetables and greens, boiled, lose solids into the water, so by dry matter alone they seemed to
# gain weight (QA: 144 g of kale leaves for 228 g cooked, okra +40%), and the list under-bought:
# they are bought at least at the weight eaten (a floor, not a yield).
PLANT_CATEGORIES = frozenset({"vegetables", "greens"})

# Serving measures that name a piece ("1 medium", "1 container (6 oz)", "2 tortilla") are
# bought by the piece; nuts, seeds and cocoa are bought by weight whatever their measure.
PIECE_WORDS = re.compile(
    r"\b(small|medium|large|whole|fruit|container|can|ear|tortilla|breast|avocado|artichoke|potato)\b"
)
# USDA's refuse of a nut or seed is its shell or hull (almonds 60%, sunflower seeds 46%), but
# the pool's nuts and seeds are kernels, sold shelled: none is added to what to buy.
SHELLED_CATEGORIES = frozenset({"seeds", "nuts"})


# Every unit a purchase is counted in; docs/plan.schema.json and docs/json.md list them.
PURCHASE_UNITS = ("g", "can", "loaf", "quart", "tea bag", "piece", "serving", "block", "half dozen", "dozen")


@dataclass(frozen=True)
class Purchase:
    """What to buy: ``quantity`` of ``unit`` (one of PURCHASE_UNITS) covering ``grams`` of the
    food as planned (as eaten: for a food bought dry or raw, the cooked grams it makes)."""

    quantity: float
    unit: str
    grams: float
    text: str
    # For a purchase by weight: the percent of it that is refuse (USDA), added to the grams
    # eaten, and what it is. None when the purchase is counted or the refuse is unknown.
    refuse_pct: float | None = None
    refuse_desc: str = ""

    def __post_init__(self) -> None:
        if self.unit not in PURCHASE_UNITS:  # the JSON schema lists them (QA: "block" was not)
            raise ValueError(f"purchase unit {self.unit!r} is not one of PURCHASE_UNITS")


@dataclass(frozen=True)
class ShoppingItem:
    """One food to buy: the exact grams the plan uses, and what to buy.

    ``cooked``: the same food eaten cooked (a food whose ``raw_ndb_no`` is this one), bought
    with it as raw grams: ``grams``, ``servings`` and ``measure`` stay this food's as eaten raw,
    and the purchase covers both (QA: "spinach (raw)" and "spinach (cooked)" were two lines, two
    roundings, of one bag of spinach)."""

    food: Food
    grams: float
    servings: float
    cooked: ShoppingItem | None = None

    @property
    def measure(self) -> str:
        return food_measure(self.food, self.servings)

    @property
    def cooked_weight(self) -> bool:
        """True when the grams are of the food as eaten after cooking."""
        return is_cooked(self.food)

    @cached_property
    def buy(self) -> Purchase:
        """A practical amount to buy, rounded up (never less than the plan uses)."""
        if self.cooked is not None:
            return _bought_with_cooked(self.food, self.grams, self.cooked)
        return purchase_for(self.food, self.grams, self.servings)

    @property
    def purchase(self) -> str:
        return self.buy.text

    @property
    def purchase_grams(self) -> float:
        return self.buy.grams


def purchase_for(food: Food, grams: float, servings: float) -> Purchase:
    """The unit a shop sells this food in, and how many of them cover ``grams``.

    Checked in order: the pool's loaves and tea; a serving that is a piece
    (counted); a canned food USDA measures by the can; a food USDA measures by the quart;
    a brewed drink (by the cup); a cooked food with a raw counterpart (its dry or raw grams,
    see :func:`raw_grams_per_cooked_gram`); otherwise grams. Grams bought by weight include
    the refuse (:func:`refuse_pct`): ``edible_g / (1 − refuse_pct/100)``, and the text says
    how much is refuse. Grams are rounded up to the next 50 g (or 100 g from 1 kg on). A
    count of cans, loaves or quarts says the size of one ("3 cans (15 oz, about 260 g
    drained each)").
    """
    if food.ndb_no in LOAVES:
        return _counted(grams, LOAF_G, "loaf", "loaves", "1 lb sliced")
    if food.ndb_no in TEA:
        bags = _ceil(servings)
        return Purchase(bags, "tea bag", bags * food.serving_grams, f"{bags} tea bag{'s' if bags != 1 else ''}")
    block = _usda_grams(food, "block")
    if block is not None:  # tofu is sold by the block (QA: "buy 950 g")
        return _counted(grams, block, "block", "blocks", f"about {block:.0f} g")
    piece = _piece(food)
    if piece is not None and food.category == "eggs":
        # Eggs are sold by the half dozen and the dozen (QA: "11 × eggs (large)").
        per_serving, label = piece
        eggs = _ceil(servings * per_serving)
        each = food.serving_grams / per_serving
        kind = f"{label} eggs".strip()
        if eggs <= EGGS_PER_DOZEN // 2:
            return Purchase(1, "half dozen", EGGS_PER_DOZEN // 2 * each, f"half a dozen {kind}")
        return _counted(grams, EGGS_PER_DOZEN * each, "dozen", "dozen", f"{EGGS_PER_DOZEN} {kind}")
    if piece is not None:
        per_serving, label = piece
        if re.fullmatch(r"cans?", label):
            # Counted in cans, as canned tuna is (QA: "4 × sardines (can)" had the unit "piece").
            can_g = food.serving_grams / per_serving
            return _counted(grams, can_g, "can", "cans", f"{can_g:g} g")
        pieces = _ceil(servings * per_serving)
        text = f"{pieces} × {food.name}" + (f" ({label})" if label else "")
        return Purchase(pieces, "piece", pieces * food.serving_grams / per_serving, text)
    can = _usda_grams(food, "can")
    if can is not None and "canned" in food.usda_description.lower():
        return _counted(grams, can, "can", "cans", f"{can:g} g")
    quart = _quart_grams(food)
    if quart is not None:
        return _counted(grams, quart, "quart", "quarts", f"{QUART_ML} ml")
    if food.category == "beverages":
        cups = _ceil(servings)
        # QA: mineral water added from USDA was "enough to brew 8 fl oz"; only coffee and tea brew.
        verb = "to brew" if _BREWED.search(food.usda_description or food.name) else "for"
        return Purchase(cups, "serving", cups * food.serving_grams,
                        f"enough {verb} {household_measure(food.serving_measure, cups)}")  # fmt: skip
    refuse = refuse_pct(food)
    edible_share = 1.0 - (refuse or 0.0) / 100.0
    refuse_desc = food.refuse_desc if refuse else ""
    refuse_notes = [refuse_note(refuse, refuse_desc)] if refuse else []
    per_cooked_gram = raw_grams_per_cooked_gram(food)
    if per_cooked_gram is not None:
        raw = _round_up_grams(grams * per_cooked_gram / edible_share)
        notes = "; ".join([f"for {format_grams(grams)} cooked", *refuse_notes])
        text = f"{format_grams(raw)} {raw_form(food)} ({notes})"
        return Purchase(raw, "g", raw * edible_share / per_cooked_gram, text, refuse, refuse_desc)
    rounded = _round_up_grams(grams / edible_share)
    notes = "; ".join((["cooked weight"] if is_cooked(food) else []) + refuse_notes)
    text = format_grams(rounded) + (f" ({notes})" if notes else "")
    return Purchase(rounded, "g", rounded * edible_share, text, refuse, refuse_desc)


def _bought_with_cooked(food: Food, grams: float, cooked: ShoppingItem) -> Purchase:
    """``food`` by raw weight for ``grams`` eaten raw and ``cooked`` (see the module docstring):
    "600 g raw (for 150 g raw and 270 g cooked; 28% is large stems and roots)". The purchase's
    grams are what it leaves to eat raw once the cooked food's raw grams are taken."""
    per_cooked_gram = raw_grams_per_cooked_gram(cooked.food)
    if per_cooked_gram is None:  # pragma: no cover - shopping_list pairs only foods that have one
        raise ValueError(f"{cooked.food.name} has no raw grams per cooked gram")
    refuse = refuse_pct(food)
    edible_share = 1.0 - (refuse or 0.0) / 100.0
    cooked_as_raw = cooked.grams * per_cooked_gram
    bought = _round_up_grams((grams + cooked_as_raw) / edible_share)
    refuse_desc = food.refuse_desc if refuse else ""
    notes = "; ".join([f"for {format_grams(grams)} raw and {format_grams(cooked.grams)} cooked",
                       *([refuse_note(refuse, refuse_desc)] if refuse else [])])  # fmt: skip
    return Purchase(bought, "g", bought * edible_share - cooked_as_raw, f"{format_grams(bought)} raw ({notes})",
                    refuse, refuse_desc)  # fmt: skip


def _bought_raw_by_weight(food: Food, grams: float, servings: float) -> bool:
    """Whether ``food`` eaten raw is bought by its grams (not counted in pieces, cans …), as the
    raw grams of its cooked form are: only then can the two be one purchase."""
    return not is_cooked(food) and purchase_for(food, grams, servings).unit == "g"


def refuse_pct(food: Food) -> float | None:
    """The percent of the food as bought by weight that is refuse (USDA: peel, rind, stems,
    pits, bones), or None when unknown. None too for nuts and seeds, sold shelled: USDA's
    refuse for them is the shell. (A foods file is checked for 0 ≤ refuse_pct < 100; a value
    outside, which would leave nothing to eat, counts as unknown.)"""
    pct = food.refuse_pct
    if food.category in SHELLED_CATEGORIES or pct is None or not 0 <= pct < 100:
        return None
    return pct


def refuse_note(pct: float, desc: str) -> str:
    """How the list says it: "24% is rind"; "25% is not eaten: bone 14%, skin 11%" when
    USDA's description has figures of its own; "8% is not eaten" without a description.
    USDA capitalises at random ("Bone and Connective tissue"), so the description is lowercased."""
    what = " ".join(desc.split()).lower()
    if not what:
        return f"{pct:g}% is not eaten"
    if any(c.isdigit() for c in what):
        return f"{pct:g}% is not eaten: {what}"
    return f"{pct:g}% is {what}"


def raw_grams_per_cooked_gram(food: Food) -> float | None:
    """Grams of the food's raw or dry counterpart that make one gram of it cooked.

    Approximation from USDA SR28 values per 100 g: cooking is taken to keep the dry matter,
    ``(100 − water_cooked) / (100 − water_raw)``; for fish and poultry, whose fat also drips
    out, to keep the protein, ``protein_cooked / protein_raw``, when that is more. Farmed
    salmon has as much water raw as cooked (64.89 and 64.75 g), so dry matter said that
    600 g raw make 595 g cooked; its protein (20.42 → 22.1 g) says 645 g. For halibut and
    cod the two agree. A vegetable or green is bought at least at the weight eaten
    (PLANT_CATEGORIES). None when the food is not cooked, names no counterpart
    (``raw_ndb_no``), or either water value is unknown.
    """
    if not food.raw_ndb_no or not is_cooked(food):
        return None
    water_cooked = food.per_100g.get("water_g")
    water_raw = usda_water_g().get(food.raw_ndb_no)
    if water_cooked is None or water_raw is None or max(water_cooked, water_raw) >= 100:
        return None
    ratio = (100.0 - water_cooked) / (100.0 - water_raw)
    protein_cooked = food.per_100g.get("protein_g")
    protein_raw = usda_protein_g().get(food.raw_ndb_no)
    if food.category in MUSCLE_CATEGORIES and protein_cooked and protein_raw:
        ratio = max(ratio, protein_cooked / protein_raw)
    if food.category in PLANT_CATEGORIES:
        ratio = max(ratio, 1.0)
    return ratio


def raw_form(food: Food) -> str:
    """How the counterpart is sold, for the list: "dry" (grains and pulses), "frozen" or "raw"."""
    if "frozen" in usda_descriptions().get(food.raw_ndb_no, "").lower():
        return "frozen"
    return "dry" if food.category in DRY_CATEGORIES else "raw"


def usda_water_g() -> dict[str, float]:
    """Water in g per 100 g of every SR28 food that has a value, by ``ndb_no``.

    Read on its own (not through ``catalog.usda_foods``), as it is wanted for a few foods
    on every plan and the whole table takes far longer to load.
    """
    return _usda_grams_per_100g()["water_g"]


def usda_protein_g() -> dict[str, float]:
    """Protein in g per 100 g of every SR28 food that has a value, by ``ndb_no`` (see usda_water_g)."""
    return _usda_grams_per_100g()["protein_g"]


@cache
def _usda_grams_per_100g() -> dict[str, dict[str, float]]:
    """The water and protein columns of the USDA nutrients table, read in one pass."""
    with data_file("usda", "nutrients.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    columns = ("water_g", "protein_g")
    return {col: {row["ndb_no"]: float(row[col]) for row in rows if row[col].strip()} for col in columns}


@cache
def usda_descriptions() -> dict[str, str]:
    """Every SR28 food's description, by ``ndb_no``."""
    return _usda_column("foods.csv", "description")


def _usda_column(table: str, column: str) -> dict[str, str]:
    with data_file("usda", table).open(encoding="utf-8") as fh:
        return {row["ndb_no"]: row[column].strip() for row in csv.DictReader(fh)}


def _round_up_grams(grams: float) -> float:
    step = 100.0 if grams > 1000 else 50.0
    return max(step, _ceil(grams / step) * step)


def _ceil(value: float) -> int:
    # 1e-9 absorbs float noise, so 3 × (1/3 serving) is 1 piece, not 2.
    return max(1, math.ceil(value - 1e-9))


def _counted(grams: float, unit_grams: float, one: str, many: str, size: str) -> Purchase:
    """``n`` units covering ``grams``; ``size`` is of one unit, so past one it says "each"
    ("2 quarts (946 ml each)", never "2 quarts (946 ml)", which reads as the total)."""
    n = _ceil(grams / unit_grams)
    text = f"{n} {one} ({size})" if n == 1 else f"{n} {many} ({size} each)"
    return Purchase(n, one, n * unit_grams, text)


def _piece(food: Food) -> tuple[float, str] | None:
    """(pieces in one serving, size label) when the serving measure is a countable piece."""
    if food.category in BY_WEIGHT_CATEGORIES:
        return None
    match = MEASURE_AMOUNT.match(food.serving_measure)
    if not match:
        return None
    amount_text, rest = match.groups()
    noun = re.sub(r"\(.*?\)", "", rest).strip(" ,")
    if not PIECE_WORDS.search(noun.lower()) or "cup" in noun.lower():
        return None
    amount = float(measure_amount(amount_text))
    words = [w for w in re.split(r"[\s,]+", noun) if w]
    # Keep the size or container ("medium", "container"), drop words that repeat the name.
    label = " ".join(w for w in words if w.lower() not in food.name.lower() and w.lower() != "fruit")
    label = re.split(r"\bNS as to\b", label)[0].strip(" ,")
    return amount, label


def _usda_grams(food: Food, measure: str) -> float | None:
    """Grams in 1 ``measure`` of the food, from USDA's household measures (a row of another
    amount is scaled: tofu's "0.25 block, 81 g" is a block of 324 g)."""
    rows = [(amount, grams) for amount, name, grams in usda_portions().get(food.ndb_no, [])
            if name == measure and amount > 0 and grams > 0]  # fmt: skip
    rows.sort(key=lambda row: row[0] != 1)
    return rows[0][1] / rows[0][0] if rows else None


def _quart_grams(food: Food) -> float | None:
    """Grams in a quart: USDA's household measure, or 4 cups for a milk served by the cup."""
    quart = _usda_grams(food, "quart")
    if quart is not None:
        return quart
    if "milk" in food.name.lower() and food.serving_measure == "1 cup":
        return 4 * food.serving_grams
    return None


def format_grams(grams: float) -> str:
    return f"{grams / 1000:.1f} kg" if grams >= 1000 else f"{grams:.0f} g"


def shopping_list(members: Plan | Iterable[MemberPlan]) -> list[ShoppingItem]:
    """Every food of the plan with its exact grams summed over days and members, by category.
    Takes a Plan, or its members (QA: shopping_list(plan) raised "'Plan' object is not
    iterable", though render and render_shopping take a Plan)."""
    if isinstance(members, Plan):
        members = members.members
    elif not isinstance(members, Iterable) or isinstance(members, str | bytes | Mapping):
        raise InputError(f"shopping_list takes a Plan or its members, not {type(members).__name__}")
    members = tuple(members)
    if not all(isinstance(m, MemberPlan) for m in members):
        raise InputError("shopping_list takes a Plan or its members (MemberPlan), not " +
                         ", ".join(sorted({type(m).__name__ for m in members if not isinstance(m, MemberPlan)})))
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
    # A cooked food whose raw form is eaten too goes onto the raw food's line (ShoppingItem.cooked).
    # One cooked form a raw food (a second, say one added from USDA, keeps a line of its own).
    cooked_of: dict[str, str] = {}
    for k, food in foods.items():
        raw = food.raw_ndb_no
        if (raw in foods and raw not in cooked_of.values() and raw_grams_per_cooked_gram(food) is not None
                and _bought_raw_by_weight(foods[raw], grams[raw], servings[raw])):  # fmt: skip
            cooked_of[k] = raw
    with_cooked = {raw: ShoppingItem(foods[k], grams[k], servings[k]) for k, raw in cooked_of.items()}
    items = [ShoppingItem(foods[k], grams[k], servings[k], with_cooked.get(k)) for k in foods if k not in cooked_of]
    items.sort(key=lambda i: (_category_rank(i.food.category), i.food.name))
    return items


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)

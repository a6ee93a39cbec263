"""What a plan is: members × days × meals × items, with totals recomputed from USDA data.

Every total here is recomputed from the foods' USDA values × grams, never read back from
the solver, so what is printed is what the data says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .catalog import SLOTS, Food
from .errors import InputError
from .frozen import FrozenDict
from .kinds import is_caffeinated, measured_state
from .nutrients import KCAL_PER_G, NUTRIENT_COLUMNS
from .solver import SolveResult
from .targets import Profile, Targets

# Plans reach several times the RDA (magnesium-dense foods are the objective; a toddler's
# 80 mg is reached by a spoon of nut butter), which users took for an overdose in QA. The same
# foods are rich in potassium and phosphorus (QA: 5–9 g of potassium a day, phosphorus near
# 4,000 mg for older adults), a bigger risk than magnesium with kidney disease or medicines
# that raise potassium (ACE inhibitors, ARBs, potassium-sparing diuretics).
CARE_NOTE = (
    "This plan is not medical advice. Magnesium above the RDA is expected here: its upper limit "
    "is for supplements and medicines only, not for magnesium in food (IOM 1997). People with "
    "kidney disease, or who take medicines that raise potassium, should ask their doctor before "
    "following a plan rich in magnesium, potassium and phosphorus."
)


# Plan.request["mode"] of a household planned as one menu for all (household.plan_household).
SHARED_MODE = "shared meals"
TOPUP_NOTE = (
    "Only magnesium and calories are planned: the rest of your diet is unknown, so a top-up has no "
    "macronutrient, fiber, sodium or meal-split targets."
)


@dataclass(frozen=True)
class Item:
    """A food in a meal: how much, and what it brings."""

    slot: str
    food: Food
    half_servings: int

    @property
    def servings(self) -> float:
        """Servings of the food: a multiple of ½."""
        return self.half_servings / 2

    @property
    def grams(self) -> float:
        """Exact grams: serving grams (0.1 g) × a multiple of ½, so at most two decimals."""
        return self.food.serving_grams * self.servings

    @property
    def measure(self) -> str:
        """The servings as a household measure: '3/4 cup, cooked' (see :func:`food_measure`)."""
        return food_measure(self.food, self.servings)

    def amount(self, nutrient: str) -> float | None:
        """Amount of ``nutrient`` (a NUTRIENT_COLUMNS name) in the item; None when USDA did not measure it."""
        check_nutrient(nutrient)
        return self.food.amount(nutrient, self.food.serving_grams * self.servings)

    @property
    def kcal(self) -> float:
        """Energy in kcal; 0 when unmeasured."""
        return self.amount("energy_kcal") or 0.0

    @property
    def magnesium_mg(self) -> float:
        """Magnesium in mg; 0 when unmeasured."""
        return self.amount("magnesium_mg") or 0.0


@dataclass(frozen=True)
class Day:
    """One day of one member's plan."""

    index: int
    items: tuple[Item, ...]

    def meal(self, slot: str) -> tuple[Item, ...]:
        """The items of meal ``slot`` (breakfast, lunch, dinner or snack); () for an empty meal."""
        check_slot(slot)
        return tuple(i for i in self.items if i.slot == slot)

    def total(self, nutrient: str) -> float:
        """Sum over the day's items; a food with the nutrient unmeasured adds nothing."""
        check_nutrient(nutrient)
        return sum(i.amount(nutrient) or 0.0 for i in self.items)

    @property
    def totals(self) -> dict[str, float]:
        """Every tracked nutrient's total, by NUTRIENT_COLUMNS name."""
        return {n: self.total(n) for n in NUTRIENT_COLUMNS}

    @property
    def unmeasured(self) -> dict[str, list[str]]:
        """For each tracked nutrient that some of the day's foods have no USDA value for, those
        foods' names (once each, in the day's order): their totals count them as nothing, so
        the true amount may be higher (QA: amaranth's sugars, unmeasured, went unsaid)."""
        out: dict[str, list[str]] = {}
        for n in NUTRIENT_COLUMNS:
            names = [i.food.name for i in self.items if i.amount(n) is None]
            if names:
                out[n] = list(dict.fromkeys(names))
        return out

    def energy_share(self, nutrient: str) -> float:
        """Share of the day's energy from protein_g, fat_g or carbohydrate_g (Atwater factor × grams / kcal)."""
        if nutrient not in KCAL_PER_G:
            raise InputError(f"nutrient {nutrient!r} is not one of: {', '.join(KCAL_PER_G)}")
        kcal = self.total("energy_kcal")
        return KCAL_PER_G[nutrient] * self.total(nutrient) / kcal if kcal else 0.0

    def meal_kcal(self, slot: str) -> float:
        """Energy of meal ``slot`` in kcal."""
        return sum(i.kcal for i in self.meal(slot))

    def foods(self) -> frozenset[str]:
        """The ndb_no of every food eaten that day."""
        return frozenset(i.food.ndb_no for i in self.items)


@dataclass(frozen=True)
class Swap:
    """A meal of a shared menu that one member does not eat whole: the menu's foods they may
    not eat (``skipped``), and their own foods in that place (``instead``, empty when they
    eat more of the meal's other foods), with why. ``day`` counts from 0, as Day.index."""

    day: int
    meal: str
    skipped: tuple[Food, ...]
    instead: tuple[Food, ...]
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        """``day 2 dinner: lentils [16070] instead of salmon [15237] (diet vegetarian: …)``: the
        ndb_nos in brackets make the line checkable against the menu."""
        skipped = ", ".join(f"{f.name} [{f.ndb_no}]" for f in self.skipped)
        if self.instead:
            text = ", ".join(f"{f.name} [{f.ndb_no}]" for f in self.instead) + f" instead of {skipped}"
        else:
            text = f"no {skipped}; more of the meal's other foods"
        return f"day {self.day + 1} {self.meal}: {text} ({'; '.join(self.reasons)})"


@dataclass(frozen=True)
class MemberPlan:
    """One member's days, with their profile and targets."""

    profile: Profile
    targets: Targets
    days: tuple[Day, ...]
    swaps: tuple[Swap, ...] = ()

    def average(self, nutrient: str) -> float:
        """The daily total of ``nutrient`` averaged over the member's days."""
        return sum(d.total(nutrient) for d in self.days) / len(self.days)


@dataclass(frozen=True)
class Check:
    """One constraint checked on a recomputed total."""

    member: str
    day: int | None
    name: str
    value: float
    low: float | None
    high: float | None

    @property
    def ok(self) -> bool:
        tolerance = 1e-6 * max(1.0, abs(self.value))
        return (self.low is None or self.value >= self.low - tolerance) and (
            self.high is None or self.value <= self.high + tolerance
        )


@dataclass(frozen=True)
class TopupInfo:
    """What a top-up plan adds to: the person's usual intake, against their RDA."""

    rda_mg: float
    current_intake_mg: float
    kcal_budget: float

    @property
    def gap_mg(self) -> float:
        return max(0.0, self.rda_mg - self.current_intake_mg)

    def no_topup_message(self, who: str) -> str:
        """The sentence for a usual intake that already meets the RDA (``who``: 'a 52-year-old female')."""
        return (
            f"No top-up needed: your usual {self.current_intake_mg:g} mg of magnesium a day already meets "
            f"the RDA of {self.rda_mg:g} mg for a {who}."
        )


class ReadOnlyDict(FrozenDict[str, Any]):
    """A plan's request (read_only): a FrozenDict whose refusal says how to get a copy to
    change. A dict still, unlike types.MappingProxyType: ``json.dumps``, ``pickle`` and ``**``
    take it as they took the dict it replaces (a Plan is pickled to cross processes; a caller
    dumps its request)."""

    read_only_message = ("a plan's request is read-only: it records how the plan was asked; change a copy, "
                         "mealplan.plan.as_plain_data(plan.request)")  # fmt: skip


def read_only(value: Any) -> Any:
    """``value`` with every mapping in it a ReadOnlyDict copy and every list a tuple, so that
    nothing reached through it can be changed (texts and numbers are already)."""
    if isinstance(value, Mapping):
        return ReadOnlyDict({key: read_only(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(read_only(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(read_only(item) for item in value)
    return value


def as_plain_data(value: Any) -> Any:
    """``value`` (a read_only record) as a dict of dicts and lists again, for JSON or editing."""
    if isinstance(value, Mapping):
        return {key: as_plain_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_plain_data(item) for item in value]
    return value


@dataclass(frozen=True)
class Plan:
    """A solved plan: members' days, how it was solved, and what it was asked.

    ``request`` is read-only all the way down (read_only): it is the plan's record of how it
    was asked, which the JSON prints and "Asked with" reads, and a caller that changed it
    after the fact (API QA: ``plan.request["days"] = 3``) made the plan say what it was not.
    ``Profile(**plan.request["profile"])`` asks again; ``as_plain_data`` gives an editable copy.
    """

    members: tuple[MemberPlan, ...]
    solve: SolveResult
    method: str
    request: Mapping[str, Any]
    data_version: str
    weekly_average: bool = False
    warnings: tuple[str, ...] = field(default=())
    # Remarks that need no action (QA: an adult's plan that met all 84 targets ended in
    # two "Warning:" lines, one only that USDA counts food unsalted): sodium under its AI,
    # a young child's magnesium well over the supplements' upper level, a budget's split.
    notes: tuple[str, ...] = field(default=())
    topup: TopupInfo | None = None  # set for a top-up plan (the rest of the diet is unknown)
    cost: float | None = None  # what the plan's foods cost, when the user gave prices for all of them
    budget: float | None = None  # the money the plan may cost (the weekly budget, pro rata)
    # Each exclusion's name → what it was taken as, in words (preferences.Resolved.excluded_as),
    # which only the catalog tells ('marzipan': tree nuts), for the lines that say what a plan keeps to.
    excluded_as: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "request", read_only(self.request))
        object.__setattr__(self, "excluded_as", read_only(self.excluded_as))

    @property
    def days(self) -> int:
        """Number of days planned (the same for every member)."""
        return len(self.members[0].days)

    def checks(self) -> list[Check]:
        """Every target the plan claims, recomputed from USDA values × grams."""
        return [c for m in self.members for c in member_checks(m, self.weekly_average)]


_NUTRIENTS = frozenset(NUTRIENT_COLUMNS)


def check_nutrient(nutrient: str) -> None:
    """Raise InputError unless ``nutrient`` is a tracked column: a misspelt name would
    otherwise read as a nutrient USDA did not measure."""
    if nutrient not in _NUTRIENTS:
        raise InputError(f"nutrient {nutrient!r} is not one of: {', '.join(NUTRIENT_COLUMNS)}")


def check_slot(slot: str) -> None:
    """Raise InputError unless ``slot`` is a meal slot: a misspelt one would read as an empty meal."""
    if slot not in SLOTS:
        raise InputError(f"meal {slot!r} is not one of: {', '.join(SLOTS)}")


def member_checks(member: MemberPlan, weekly_average: bool) -> list[Check]:
    who = member.profile.name or member.profile.describe()
    t = member.targets
    out: list[Check] = []
    if weekly_average:
        out.append(
            Check(who, None, "magnesium_mg (weekly average)", member.average("magnesium_mg"), t.magnesium_mg, None)
        )
    for day in member.days:
        d = day.index
        if not weekly_average:
            out.append(Check(who, d, "magnesium_mg", day.total("magnesium_mg"), t.magnesium_mg, None))
        kcal = day.total("energy_kcal")
        out.append(Check(who, d, "energy_kcal", kcal, t.kcal_range.low, t.kcal_range.high))
        for nutrient, share in (("protein_g", t.protein_pct), ("fat_g", t.fat_pct),
                                ("carbohydrate_g", t.carbohydrate_pct)):  # fmt: skip
            if share is not None:
                out.append(
                    Check(who, d, f"{nutrient} share of energy", day.energy_share(nutrient), share.low, share.high)
                )
        if t.protein_min_g is not None:
            out.append(Check(who, d, "protein_g", day.total("protein_g"), t.protein_min_g, None))
        if t.fiber_g_per_1000kcal is not None:
            out.append(Check(who, d, "fiber_g", day.total("fiber_g"), t.fiber_g_per_1000kcal * kcal / 1000, None))
        if t.sodium_max_mg is not None:
            out.append(Check(who, d, "sodium_mg", day.total("sodium_mg"), None, t.sodium_max_mg))
        for nutrient, limit in t.upper_limits_mg.items():
            out.append(Check(who, d, f"{nutrient} (upper limit)", day.total(nutrient), None, limit))
        if t.caffeinated_servings_max is not None:
            servings = sum(item.servings for item in day.items if is_caffeinated(item.food))
            out.append(Check(who, d, "caffeinated drink servings", servings, None, t.caffeinated_servings_max))
    return out


def mineral_mg_text(value: float) -> str:
    """A day's mineral near its upper level, as the day line and the supplement note print it:
    whole milligrams from 100, else to 0.1 (iron 44.98 mg reads 45.0, not a bound's 45)."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def plan_cost(days: tuple[Day, ...], prices_per_100g: Mapping[str, float]) -> float | None:
    """Σ price per 100 g × grams / 100 over the days' items; None without prices, or when
    a planned food has no price (a partial sum would understate the cost)."""
    items = [item for day in days for item in day.items]
    if not prices_per_100g or any(i.food.ndb_no not in prices_per_100g for i in items):
        return None
    return sum(prices_per_100g[i.food.ndb_no] * i.grams / 100 for i in items)


# Most unpriced foods a warning names (the rest are counted).
UNPRICED_SHOWN = 5


def unpriced_warning(days: Iterable[Day], prices_per_100g: Mapping[str, float]) -> tuple[str, ...]:
    """The warning of a plan made with prices that lack some of its foods, so that it gives
    no cost (plan_cost); none without prices. QA: a prices file for oats alone gave no cost
    line and no word why."""
    if not prices_per_100g:
        return ()
    names = sorted({i.food.name for day in days for i in day.items if i.food.ndb_no not in prices_per_100g})
    if not names:
        return ()
    shown = ", ".join(names[:UNPRICED_SHOWN])
    if len(names) > UNPRICED_SHOWN:
        shown += f" and {len(names) - UNPRICED_SHOWN} more"
    return (f"no cost is given: the prices file has no price for {shown}, which the plan eats; price every food "
            "to see the cost",)  # fmt: skip


def food_measure(food: Food, servings: float) -> str:
    """``servings`` of ``food`` as a household measure, with the state a cup of it is measured
    in when its name does not say ('1 cup, cooked' of quinoa, '1/2 cup, dry' of oats;
    kinds.measured_state)."""
    text = household_measure(food.serving_measure, servings)
    state = measured_state(food)
    return f"{text}, {state}" if state else text


def household_measure(serving_measure: str, servings: float) -> str:
    """The USDA measure of one serving, scaled to ``servings``, in plain English:
    '1/2 cup' × 1.5 → '3/4 cup'; '1 cup (8 fl oz)' × 0.5 → '1/2 cup (4 fl oz)';
    '1 oz (23 whole kernels)' × 2 → '2 oz (46 whole kernels)'; '2 kernel' × 1 → '2 kernels';
    '1 can (3.75 oz)' × 2 → '2 cans (3.75 oz each)'.

    A size in the brackets ('1 medium (3" dia)') is not scaled. When the measure does not
    start with an amount: '1 1/2 × large'.
    """
    match = MEASURE_AMOUNT.match(serving_measure)
    if not match:
        return serving_measure if servings == 1 else f"{_fraction_text(Fraction(servings))} × {serving_measure}"
    amount_text, unit = match.groups()
    amount = measure_amount(amount_text)
    total = (amount * Fraction(servings)).limit_denominator(16)
    if total.denominator not in (1, 2, 3, 4, 8):
        return f"{_fraction_text(Fraction(servings))} × {serving_measure}"
    unit = _plain_usda_words(unit)
    if unit == "tbsp" and total >= TBSP_PER_CUP / 2:
        # "64 1/2 tbsp" of seeds in a week's shopping list: say it in cups.
        cups = (total / TBSP_PER_CUP).limit_denominator(4)
        about = "" if cups * TBSP_PER_CUP == total else "about "
        return f"{about}{_fraction_text(cups)} cup{'s' if cups > 1 else ''}"
    head, bracket, rest = unit.partition("(")
    words = head.split(" ", 1)
    if total > 1:
        words[0] = _plural(words[0])
    text = " ".join(words)
    if bracket:
        inner, _close, after = rest.partition(")")
        scaled = _scaled_bracket(inner, total / amount, container=words[0].rstrip(",") in _CONTAINERS)
        count = re.match(r"(?:about )?(\d+) ", scaled)
        # "12 1/2 oz (about 288 whole kernels)": past MAX_BRACKET_COUNT nobody counts.
        uncounted = count is not None and int(count.group(1)) > MAX_BRACKET_COUNT
        text = text.rstrip() + after if uncounted else f"{text}({scaled}){after}"
    text = re.sub(r"\b(potato|potatoes|ear|ears) (small|medium|large)\b", r"\2 \1", text)
    return f"{_fraction_text(total)} {text}"


# 16 tablespoons make a US cup.
TBSP_PER_CUP = 16
# A count in a measure's brackets above this is left out ("about 288 whole kernels").
MAX_BRACKET_COUNT = 100


def _plain_usda_words(unit: str) -> str:
    """A USDA measure without its survey jargon: "avocado, NS as to Florida or California"
    (NS: not specified) is "avocado"; "cup (1 NLEA serving)" is "cup" (the FDA's label
    serving says nothing to a cook)."""
    unit = re.sub(r",\s*NS as to [^(]*", "", unit)
    unit = re.sub(r"\s*\([^)]*\bNLEA serving[^)]*\)", "", unit)
    return unit.strip()


# A measure's leading amount ("1 1/2", "1/4", "3.75") and the rest.
MEASURE_AMOUNT = re.compile(r"^\s*(\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?)\s+(.*)$")
# Words of a USDA measure that read the same for more than one ("2 oz", "2 tbsp", "2 large").
_SAME_PLURAL = frozenset({"oz", "fl", "tbsp", "tsp", "lb", "g", "ml", "large", "medium", "small", "whole"})
# Measures that are a package: the brackets give the size of one ("2 cans (3.75 oz each)").
_CONTAINERS = frozenset({"can", "cans", "container", "containers"})
# Units in brackets that are amounts, where a fraction reads well ("1/2 NLEA serving", "4 fl oz");
# other units there are counts ("23 whole kernels"), said as a whole number.
_FRACTIONAL_UNITS = frozenset({"oz", "fl", "NLEA", "cup", "tbsp", "tsp"})


def measure_amount(text: str) -> Fraction:
    """The amount MEASURE_AMOUNT found: '1 1/2' → 3/2."""
    if " " in text:
        whole, frac = text.split()
        return Fraction(int(whole)) + Fraction(frac)
    return Fraction(text)


def _plural(word: str) -> str:
    """'cup' → 'cups', 'potato,' → 'potatoes,'; units such as 'oz' and sizes stay as they are."""
    bare, comma = (word[:-1], ",") if word.endswith(",") else (word, "")
    if not bare.isalpha() or bare in _SAME_PLURAL or bare.endswith("s"):
        return word
    if bare.endswith(("ch", "sh", "x")) or bare in ("potato", "tomato"):
        return f"{bare}es{comma}"
    return f"{bare}s{comma}"


def _scaled_bracket(inner: str, factor: Fraction, *, container: bool) -> str:
    """The bracket of a measure for ``factor`` servings: an amount in it is scaled, a size
    (inches) or a package's contents is not."""
    match = MEASURE_AMOUNT.match(inner)
    if match is None or '"' in inner:
        return inner
    if container:
        return f"{inner} each" if factor > 1 else inner
    number_text, unit = match.groups()
    value = measure_amount(number_text) * factor
    words = unit.split(" ")
    if value.denominator == 1:
        number = str(value.numerator)
    elif words[0] in _FRACTIONAL_UNITS and value.limit_denominator(16).denominator in (2, 4):
        number = _fraction_text(value.limit_denominator(16))
    else:
        number = f"about {max(1, round(value))}"
    if value > 1:
        words[-1] = _plural(words[-1])
    return f"{number} {' '.join(words)}"


def _fraction_text(value: Fraction) -> str:
    whole, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return str(whole)
    frac = f"{rest}/{value.denominator}"
    return f"{whole} {frac}" if whole else frac


def day_slots() -> tuple[str, ...]:
    return SLOTS


def items_from(half_servings: Mapping[tuple[int, int, str, str], int], foods: Mapping[str, Food],
               member: int, days: int) -> tuple[Day, ...]:  # fmt: skip
    """Days of one member from the solver's half servings, items in slot then name order."""
    out = []
    for d in range(days):
        items = [
            Item(slot, foods[f], n)
            for (m, dd, slot, f), n in half_servings.items()
            if m == member and dd == d and n > 0
        ]
        items.sort(key=lambda i: (SLOTS.index(i.slot), i.food.category, i.food.name))
        out.append(Day(d, tuple(items)))
    return tuple(out)

"""Pieces every renderer shares: the plan as plain data, and its summary sentences."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..catalog import Food
from ..errors import listed
from ..nutrients import NUTRIENTS
from ..plan import (
    CARE_NOTE,
    SHARED_MODE,
    TOPUP_NOTE,
    Check,
    Day,
    Item,
    MemberPlan,
    Plan,
    Swap,
    TopupInfo,
    as_plain_data,
    day_slots,
)
from ..preferences import exclusion_words, trimmed_name
from ..shopping import ShoppingItem, shopping_list
from ..targets import NEAR_UPPER_LIMIT, Targets, profile_record

SCHEMA_ID = "https://mealplan.invalid/schema/plan/3.0"
SCHEMA_VERSION = "3.0"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def cost_text(plan: Plan) -> str | None:
    """What the plan's foods cost against its budget, when the user gave prices for all of them.
    Prices are per 100 g as eaten, and the budget holds the food eaten: the shopping list
    rounds up to what a shop sells, which can cost more (QA priced a list at 36.83 under a
    budget of 31), so the line says what it counts."""
    if plan.cost is None:
        return None
    budget = "" if plan.budget is None else f" (budget {plan.budget:,.2f})"
    span = "the day" if plan.days == 1 else f"the {plan.days} days"
    count = len(plan.members)
    whom = "" if count == 1 else ", both members" if count == 2 else f", all {count} members"  # QA: "all 2 members"
    return (f"Cost: {plan.cost:,.2f} for {span}{whom}{budget}, at the prices given: the food eaten, priced per "
            "100 g as eaten (whole packs on the shopping list can cost more)")  # fmt: skip


def _score(value: float) -> str:
    """An objective or bound: whole numbers as such ("474", QA found "474.000" noise), others
    to 3 decimals."""
    return f"{value:.0f}" if abs(value - round(value)) < 5e-4 else f"{value:.3f}"


def gap_text(plan: Plan) -> str:
    s = plan.solve
    gap = "gap unknown" if s.gap is None else f"gap {s.gap * 100:.2f}%"
    if s.gap and s.objective is not None and s.bound is not None and s.objective <= 0:
        # QA: "gap 266.67%, objective -3 (bound 5)": a share of a score at or under 0 (a
        # budget's cheap foods score below 0) says little; the points say it.
        points, score = _score(abs(s.bound - s.objective)), _score(s.objective)
        gap = f"gap {points} points (the plan scores {score}, at or under 0, so a percentage says little)"
    proof = (
        "certified optimal within the gap asked"
        if s.status == "optimal"
        else "feasible, NOT proven within the gap asked"
    )
    objective = "" if s.objective is None else f", objective {_score(s.objective)}"
    # A top-up minimises (a weighted count of items), so its bound is a lower bound.
    kind = "lower bound" if plan.topup is not None else "bound"
    bound = "" if s.bound is None else f" ({kind} {_score(s.bound)})"
    return f"{s.solver}, {proof}: {gap}{objective}{bound}, {s.seconds:.2f} s ({plan.method})"


def target_lines(t: Targets) -> list[str]:
    lines = [
        f"magnesium ≥ {t.magnesium_mg:.0f} mg a day — {t.magnesium_basis}",
        f"energy {t.kcal_range.low:.0f}–{t.kcal_range.high:.0f} kcal (target {t.kcal:.0f} ± "
        f"{t.kcal_tolerance * 100:.0f}%) — {t.kcal_basis}",
    ]
    if t.protein_pct and t.fat_pct and t.carbohydrate_pct:
        lines.append(
            f"protein {percent(t.protein_pct.low)}–{percent(t.protein_pct.high)}, fat {percent(t.fat_pct.low)}–"
            f"{percent(t.fat_pct.high)}, carbohydrate {percent(t.carbohydrate_pct.low)}–"
            f"{percent(t.carbohydrate_pct.high)} of energy (AMDR, IOM 2005; grams × 4, 9, 4 kcal over the day's "
            "kcal, so with fiber counted in carbohydrate the three can add up to more than 100%)"
        )
    if t.protein_min_g is not None:
        lines.append(f"protein ≥ {t.protein_min_g:g} g a day — {t.protein_basis}")
    if t.fiber_g_per_1000kcal is not None:
        lines.append(f"fiber ≥ {t.fiber_g_per_1000kcal:g} g per 1,000 kcal (IOM 2005)")
    if t.sodium_max_mg is not None:
        lines.append(f"sodium ≤ {t.sodium_max_mg:,.0f} mg (CDRR, NASEM 2019)")
    if t.upper_limits_mg:
        limits = ", ".join(f"{n.removesuffix('_mg')} ≤ {v:,.0f} mg" for n, v in t.upper_limits_mg.items())
        lines.append(f"{limits} (upper intake levels, which count food; IOM 1997, 2001, 2011)")
    if t.caffeinated_servings_max is not None:
        lines.append(caffeine_line(t.caffeinated_servings_max, t.caffeine_basis))
    return lines


def caffeine_line(servings: float, basis: str) -> str:
    if servings == 0:
        return f"no caffeinated drinks ({basis})"
    plural = "" if servings == 1 else "s"
    # Millilitres too (QA, a metric user): a US cup is 236.6 ml, a US fluid ounce 29.57 ml.
    return (f"caffeinated drinks ≤ {servings:g} serving{plural} a day, a serving being 1 cup (237 ml) of coffee or "
            f"tea or 2 fl oz (59 ml) of espresso ({basis})")  # fmt: skip


def member_name(member: MemberPlan) -> str:
    return member.profile.name or member.profile.describe()


def topup_target_lines(member: MemberPlan, topup: TopupInfo) -> list[str]:
    """A top-up's targets: the gap it closes (with the RDA it comes from), its calorie
    allowance, and what it does not plan. Every format says these, where a plan says
    target_lines (a top-up's own Targets hold the gap as their magnesium)."""
    # QA: a top-up not needed said "add ≥ 0 mg … RDA 320 mg minus your usual 400 mg".
    need = (f"add ≥ {topup.gap_mg:.0f} mg of magnesium a day: RDA {topup.rda_mg:g} mg minus your usual "
            f"{topup.current_intake_mg:g} mg" if topup.gap_mg > 0 else
            f"add no magnesium: your usual {topup.current_intake_mg:g} mg meets the RDA of {topup.rda_mg:g} mg")
    return [
        f"{need} — {member.targets.sources[0]}",
        f"add ≤ {topup.kcal_budget:g} kcal a day",
        TOPUP_NOTE,
    ]


def topup_day_text(day: Day, topup: TopupInfo) -> str:
    """A top-up day's outcome: the usual intake with the day's top-up, against the RDA."""
    with_usual = topup.current_intake_mg + day.total("magnesium_mg")
    return (
        f"with your usual {topup.current_intake_mg:g} mg: {with_usual:.0f} mg, {percent(with_usual / topup.rda_mg)} "
        f"of RDA {topup.rda_mg:g} mg; {day.total('energy_kcal'):.0f} of {topup.kcal_budget:g} kcal allowed"
    )


def topup_average_text(member: MemberPlan) -> str:
    return (
        f"Average top-up: {member.average('energy_kcal'):.0f} kcal, {member.average('magnesium_mg'):.0f} mg "
        "magnesium a day"
    )


def plan_title(plan: Plan) -> str:
    """'3-day plan for 34-year-old female', or for a household '3-day plan for Rivera family
    (4 people, shared meals)': printed reports name the household and its meal mode."""
    days = f"{plan.days}-day"
    household = plan.request.get("household")
    if plan.topup is not None:
        return f"{days} magnesium top-up for {member_name(plan.members[0])}"
    if household is None:
        who = member_name(plan.members[0]) if len(plan.members) == 1 else f"{len(plan.members)} people"
        return f"{days} plan for {who}"
    people = f"{len(plan.members)} {'person' if len(plan.members) == 1 else 'people'}"
    detail = ", ".join(str(part) for part in (people, plan.request.get("mode")) if part)
    return f"{days} plan for {household} ({detail})"


def texts_of(value: object) -> list[str]:
    """A record's list value as texts: one text, a list or tuple of them, or none."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def excluded_words(names: list[str], taken_as: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The exclusions ``names`` as typed, said by what they mean, each once: 'peanut-free',
    'nut free', 'Milk' → 'peanuts, tree nuts and milk'. ``taken_as`` is the plan's
    ``excluded_as``, how each name was resolved against its foods ('marzipan': tree nuts);
    a name it lacks is read by its words alone (preferences.exclusion_words)."""
    taken_as = taken_as or {}

    def words(name: str) -> tuple[str, ...]:
        return taken_as.get(trimmed_name(name)) or exclusion_words(name)

    return listed(dict.fromkeys(word for name in names for word in words(name)))


LABELS_NOTE = "Read the labels of packaged foods."


def labels_note(plan: Plan) -> str | None:
    """LABELS_NOTE for a plan that keeps diets or exclusions, under every shopping list: QA
    (a coeliac buying millet and popcorn) found it only in the separate shopping-list file."""
    return LABELS_NOTE if wishes_lines(plan) else None


def wishes_lines(plan: Plan) -> list[str]:
    """'Keeps to: …' for each member whose plan keeps diets or exclusions (named in a
    household), for the documents that have no targets section: a CSV's stderr and the
    shopping list, the page most likely handed to whoever does the shopping."""
    lines = []
    for index, member in enumerate(plan.members):
        if wishes := member_wishes(plan, index):
            who = "" if len(plan.members) == 1 else f"{member_name(member)}: "
            lines.append(f"Keeps to: {who}{wishes}")
    return lines


def member_wishes(plan: Plan, index: int) -> str:
    """The diets and exclusions member ``index``'s plan keeps, as the request gave them
    ('vegan diet; leaves out peanuts and milk'), '' when none: a plan handed to a caregiver
    must say what it was made to avoid, each exclusion by what it means (excluded_words)."""
    request = plan.request
    if "members" in request:  # a household: its own wishes, then the member's
        members = request.get("members") or []
        sources = [request.get("settings") or {}]
        if index < len(members):
            sources.append(members[index].get("options") or {})
    else:
        sources = [request.get("preferences") or {}]
    diets: list[str] = []
    excluded: list[str] = []
    for source in sources:
        diets += [d.strip().lower() for d in texts_of(source.get("diets", source.get("diet")))]  # QA: "VEGAN diet"
        excluded += texts_of(source.get("exclude"))
    parts = []
    if diets:
        parts.append(f"{', '.join(dict.fromkeys(diets))} diet")
    if excluded:
        parts.append(f"leaves out {excluded_words(excluded, plan.excluded_as)}")
    return "; ".join(parts)


@dataclasses.dataclass(frozen=True)
class Coverage:
    """A day's total against its target: ``ratio`` is value / target, and the day meets it
    when ``low ≤ value ≤ high`` (a bound that is None does not apply that day)."""

    label: str
    value: float
    target: float
    unit: str
    low: float | None
    high: float | None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.target if self.target else 0.0

    @property
    def limit(self) -> bool:
        """A ceiling (sodium), not a floor."""
        return self.low is None and self.high is not None

    @property
    def ok(self) -> bool:
        tolerance = 1e-6 * max(1.0, abs(self.value))
        return (self.low is None or self.value >= self.low - tolerance) and (
            self.high is None or self.value <= self.high + tolerance
        )

    @property
    def value_text(self) -> str:
        """The value in whole units, or to one decimal where whole units would read as a bound
        it is not at (HTML QA: iron at 44.73 mg read "45 mg (≤ 45 mg)", the text "44.7")."""
        for bound in (self.low, self.high):
            if bound is not None and round(self.value) == round(bound) and abs(self.value - bound) >= 0.05:
                return f"{self.value:,.1f}"
        return f"{self.value:,.0f}"

    @property
    def target_text(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:,.0f}–{self.high:,.0f} {self.unit}"
        if self.high is not None:
            return f"≤ {self.high:,.0f} {self.unit}"
        return f"≥ {self.target:,.0f} {self.unit}" + (f" ({self.note})" if self.note else "")

    @property
    def reference_text(self) -> str:
        """What ``ratio`` is of: "the 48 g minimum", "the 2,000 kcal target", "the 2,300 mg
        limit". QA: a day's protein read "224%" under "Of target" beside its range 48–168 g,
        where it is of the range's floor, the grams the day must reach."""
        amount = f"{self.target:,.0f} {self.unit}"
        if self.limit:
            return f"the {amount} limit"
        if self.low is not None and self.high is not None and not math.isclose(self.target, self.low):
            return f"the {amount} target"  # energy: the estimate its window is around
        return f"the {amount} minimum" + (f" ({self.note})" if self.note else "")


def coverage(day: Day, t: Targets, *, weekly_average: bool = False) -> list[Coverage]:
    """Magnesium, energy, protein and fiber against their targets, sodium against its limit.

    Energy's target is the window around the estimate; protein's the AMDR range in grams at
    the day's energy (4 kcal/g; its floor raised to the grams a day asked); fiber's 14 g per
    1,000 kcal eaten. With ``weekly_average``
    magnesium is a target on the average, so no single day has to meet it.
    """
    kcal = day.total("energy_kcal")
    mg_low = None if weekly_average else t.magnesium_mg
    out = [
        Coverage("Magnesium", day.total("magnesium_mg"), t.magnesium_mg, "mg", mg_low, None,
                 "on average" if weekly_average else ""),
        Coverage("Energy", kcal, t.kcal, "kcal", t.kcal_range.low, t.kcal_range.high),
    ]  # fmt: skip
    floors = [t.protein_pct.low * kcal / 4] if t.protein_pct is not None else []
    floors += [t.protein_min_g] if t.protein_min_g is not None else []
    if floors:  # the AMDR's share of the day's energy, or the grams a day asked, whichever is more
        floor = max(floors)
        # And the AMDR's top share as grams (QA: "≥ 48 g" read as though protein had no ceiling).
        ceiling = t.protein_pct.high * kcal / 4 if t.protein_pct is not None else None
        out.append(Coverage("Protein", day.total("protein_g"), floor, "g", floor, ceiling))
    if t.fiber_g_per_1000kcal is not None:
        floor = t.fiber_g_per_1000kcal * kcal / 1000
        out.append(Coverage("Fiber", day.total("fiber_g"), floor, "g", floor, None))
    if t.sodium_max_mg is not None:
        out.append(Coverage("Sodium", day.total("sodium_mg"), t.sodium_max_mg, "mg", None, t.sodium_max_mg))
    return out


def protein_grams_text(day: Day) -> str:
    """The day's protein in grams: "protein 104 g". A day's line showed protein only as a share
    of energy, where an older adult's clinical target is in g/kg (QA, a dietitian)."""
    return f"protein {day.total('protein_g'):,.0f} g"


def energy_shares_text(day: Day, carbohydrate: str = "carbohydrate") -> str:
    """'energy from protein 23%, fat 33%, carbohydrate 52%' (``carbohydrate`` names the last)."""
    names = (("protein", "protein_g"), ("fat", "fat_g"), (carbohydrate, "carbohydrate_g"))
    shares = ", ".join(f"{name} {percent(day.energy_share(col))}" for name, col in names)
    return f"energy from {shares}"


def shows_protein_grams(cover: list[Coverage]) -> bool:
    """Whether a day's totals table has protein's grams: it has a Protein row when protein has
    a target (the AMDR's range or a floor in grams); else the day's line must say them."""
    return any(c.label == "Protein" for c in cover)


# An upper intake level a day reaches this share of is shown beside the day's totals.
NEAR_LIMIT = NEAR_UPPER_LIMIT


def near_limits(day: Day, t: Targets) -> list[Coverage]:
    """The minerals whose upper intake level (Targets.upper_limits_mg) the day comes within
    NEAR_LIMIT of. They are checked every day, but the day lines showed none of them: QA's
    dietitian found iron at 44.95 mg against 45 only in the JSON, under "84 of 84 targets met"."""
    out = []
    for nutrient, limit in t.upper_limits_mg.items():
        value = day.total(nutrient)
        if value >= NEAR_LIMIT * limit:
            name = nutrient.removesuffix("_mg")
            out.append(Coverage(f"{name.capitalize()} (upper limit)", value, limit, "mg", None, limit))
    return out


def member_notes(plan: Plan, index: int) -> list[tuple[str, str]]:
    """A household's warnings and notes about member ``index`` ('for Lily (under 4): …'), each
    as ('warning' or 'note', the text without the 'for NAME' that the member's own section
    makes plain): shown there, where a parent reads (QA: a toddler's serving advice was on the
    last of 31 pages), and in the plan's warnings and notes too (review: a calcium warning
    read "note:" in the member's section)."""
    if "members" not in plan.request:
        return []
    name = member_name(plan.members[index])
    names = [member_name(m) for m in plan.members]
    # 'for NAME: …' or 'for NAME (under 4): …', NAME exactly (QA: 'Sam' got 'Sam (Jr)''s notes).
    about = re.compile(rf"for {re.escape(name)}(?: \(under \d+\))?: ")
    found = []
    for kind, texts in (("warning", plan.warnings), ("note", plan.notes)):
        for text in texts:
            if match := about.match(text):
                found.append((kind, text[match.end() :]))
            elif text.startswith("for "):
                # said once for several members ('for Daniel and Leo: …', household.merged_by_member);
                # QA: such a warning was in neither member's own section. A name may hold ': '.
                for colon in (m.start() for m in re.finditer(": ", text)):
                    if name in (_listed_names(text[len("for ") : colon], names) or ()):
                        found.append((kind, text[colon + 2 :]))
                        break
    return found


def _listed_names(head: str, names: Sequence[str]) -> list[str] | None:
    """The names of ``names`` that ``head`` lists as errors.listed does ('Ann', 'Ann and Bob',
    'Ann, Bob and Cy'), or None when it is not such a list of them."""
    for name in sorted(names, key=len, reverse=True):
        if head == name:
            return [name]
        for joint in (", ", " and "):
            if head.startswith(name + joint) and (rest := _listed_names(head[len(name + joint) :], names)):
                return [name, *rest]
    return None


# The shared menu's heading and, in the Markdown and HTML tables, what the columns hold.
MENU_TITLE = "Shared menu: what to cook for everyone"
# QA: a member's swap is a line of its own, "not for" everyone else, who eat the menu's food it
# replaces; the note said "not for" meant a member eating a swap.
MENU_NOTE = ("Grams as eaten, for everyone; each person's portion in their column, or \"not for\" them where they "
             "do not eat it: a food they eat a swap for, or another member's swap")


def not_for(name: str) -> str:
    """A shared menu's cell for a member who does not eat the line's food: in words, not a
    dash (QA with a screen reader: a dash is skipped, so the cell of a coeliac's gluten cereal
    sounded empty; on paper a faint dash was the only sign)."""
    return f"not for {name}"


@dataclasses.dataclass(frozen=True)
class MenuLine:
    """A food of a shared meal: what each member eats of it (None: not for them, see their swaps)."""

    food: Food
    portions: tuple[Item | None, ...]

    @property
    def grams(self) -> float:
        """Grams to cook for everyone, as eaten."""
        return sum(item.grams for item in self.portions if item is not None)

    @property
    def label(self) -> str:
        """The food with what its portions' measures share ('amaranth, cooked'), said once."""
        return f"{self.food.name}{self._tail()}"

    @property
    def amounts(self) -> tuple[str | None, ...]:
        """Each member's portion without the shared part of the measures ('3/4 cup')."""
        cut = len(self._tail())
        return tuple(None if item is None else item.measure[: len(item.measure) - cut] for item in self.portions)

    @property
    def served(self) -> tuple[str | None, ...]:
        """Each member's portion as the menu prints it: the amount and its grams ('3/4 cup (140 g)',
        '1 cup (8 fl oz; 237 g)'; QA: a metric cook splitting the pot had only cups and fluid
        ounces)."""
        return tuple(None if item is None or amount is None else with_grams(amount, item.grams)
                     for item, amount in zip(self.portions, self.amounts, strict=True))  # fmt: skip

    def _tail(self) -> str:
        """The longest end every portion's measure shares, from a comma, a bracket or the space
        after a unit, that leaves each an amount and a unit: ', cooked' of '3/4 cup, cooked'
        and '1 cup, cooked'; ' slices, cooked' of '1/4 cup slices, cooked'."""
        measures = [item.measure for item in self.portions if item is not None]
        first = measures[0]
        for i in range(len(first)):
            tail = first[i:]
            after_unit = tail.startswith(" ") and first[:i].rsplit(" ", 1)[-1] in _CUT_AFTER
            if not (tail.startswith((", ", " (")) or after_unit):
                continue
            # An amount in brackets is each portion's own ('1 cup (8 fl oz)'): not the label's (QA
            # review: 'coffee (4 fl oz)' over 237 g to cook). A size may go ('(1" pieces)').
            bracket = tail[2:].split(")", 1)[0] if tail.startswith(" (") else ""
            if re.search(r"\d", bracket) and '"' not in bracket:
                continue
            if all(m.endswith(tail) and _has_unit(m[: len(m) - len(tail)]) for m in measures):
                return tail
        return ""


# Units a measure may be cut after at a space ('1 cup' | ' slices, cooked'); not 'fl' of 'fl oz'.
_CUT_AFTER = frozenset({"cup", "cups", "tbsp", "tsp", "oz", "g"})


def _has_unit(measure: str) -> bool:
    """Whether a measure's start holds a word besides its amount ('1 1/2 cups', not '1 1/2')."""
    return any(not re.fullmatch(r"[\d/.]+", word) for word in measure.split())


@dataclasses.dataclass(frozen=True)
class MenuMeal:
    day: int
    slot: str
    lines: tuple[MenuLine, ...]


def shared_menu(plan: Plan) -> list[MenuMeal]:
    """A shared menu as a cook reads it (QA: a family cook had to put dinner together from five
    members' plans): every meal of every day, each food once, with every member's portion side
    by side. [] unless ``plan`` is a household's shared menu of two or more members."""
    if plan.request.get("mode") != SHARED_MODE or len(plan.members) < 2:
        return []
    meals = []
    for d in range(plan.days):
        for slot in day_slots():
            eaten = [{item.food.ndb_no: item for item in m.days[d].meal(slot)} for m in plan.members]
            foods: dict[str, Food] = {}
            for own in eaten:
                foods.update({ndb_no: item.food for ndb_no, item in own.items() if ndb_no not in foods})
            lines = tuple(MenuLine(food, tuple(own.get(ndb_no) for own in eaten)) for ndb_no, food in foods.items())
            if lines:
                meals.append(MenuMeal(d, slot, lines))
    return meals


def grams_number(grams: float) -> str:
    """An item's grams as a person reads them: whole grams, or a tenth under one gram (QA:
    "basil — 1/2 tsp, leaves" weighed "0 g")."""
    return f"{grams:,.0f}" if round(grams) >= 1 else f"{grams:.1f}"


def with_grams(amount: str, grams: float) -> str:
    """'3/4 cup (140 g)'; in the brackets an amount ends with: '1 cup (8 fl oz; 237 g)'."""
    weight = f"{grams_number(grams)} g"
    return f"{amount[:-1]}; {weight})" if amount.endswith(")") else f"{amount} ({weight})"


def portions_text(line: MenuLine, names: list[str], *, separator: str = " · ", space: str = " ") -> str:
    """'Ana 1 cup · Leo 1/2 cup; not for Daniel': each member's portion of a menu line
    (``space`` joins the words within a portion)."""
    eaten = [f"{name} {amount}" for name, amount in zip(names, line.served, strict=True) if amount]
    missed = [name for name, amount in zip(names, line.served, strict=True) if amount is None]
    text = separator.join(portion.replace(" ", space) for portion in eaten)
    return text + (f"; not for {', '.join(missed)}" if missed else "")


def magnesium_by_category(member: MemberPlan) -> dict[str, float]:
    """Magnesium (mg) over all of the member's days, by food category, largest first."""
    totals: dict[str, float] = {}
    for day in member.days:
        for item in day.items:
            totals[item.food.category] = totals.get(item.food.category, 0.0) + item.magnesium_mg
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def finite(value: float) -> float | None:
    """JSON has no infinity: a food with 0 kcal has no magnesium density."""
    return value if math.isfinite(value) else None


NO_DENSITY = "–"


def density_text(food: Food, thousands: bool = True) -> str:
    """A food's magnesium per 100 kcal as a person reads it, whole mg: "–" for a food with no
    energy (mineral water), whose density is infinite (QA: the table and Markdown printed "inf",
    where HTML printed "–" and JSON null). ``thousands`` puts commas in, as the format's other numbers."""
    density = food.magnesium_mg_per_100kcal
    if not math.isfinite(density):
        return NO_DENSITY
    return f"{density:,.0f}" if thousands else f"{density:.0f}"


def item_share(item: Item, day: Day) -> float:
    total = day.total("magnesium_mg")
    return item.magnesium_mg / total if total else 0.0


def item_dict(item: Item, day: Day) -> dict[str, Any]:
    return {
        "slot": item.slot,
        "ndb_no": item.food.ndb_no,
        "name": item.food.name,
        "category": item.food.category,
        "usda_description": item.food.usda_description,
        "servings": item.servings,
        "serving_measure": item.food.serving_measure,
        "measure": item.measure,
        "grams": round(item.grams, 2),
        "kcal": round(item.kcal, 1),
        "magnesium_mg": round(item.magnesium_mg, 1),
        "magnesium_mg_per_100kcal": finite(round(item.food.magnesium_mg_per_100kcal, 1)),
        "magnesium_share_of_day": round(item_share(item, day), 4),
        "nutrients": {n.column: _round(item.amount(n.column)) for n in NUTRIENTS},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def check_dict(c: Check) -> dict[str, Any]:
    return {"name": c.name, "value": round(c.value, 4), "low": c.low, "high": c.high, "ok": c.ok}


def shopping_dict(i: ShoppingItem) -> dict[str, Any]:
    return {
        "ndb_no": i.food.ndb_no,
        "name": i.food.name,
        "category": i.food.category,
        "grams": round(i.grams, 1),
        "servings": i.servings,
        "measure": i.measure,
        "cooked_weight": i.cooked_weight,
        "purchase": i.purchase,
        "purchase_quantity": i.buy.quantity,
        "purchase_unit": i.buy.unit,
        "purchase_grams": round(i.purchase_grams, 1),
        "refuse_pct": None if i.buy.refuse_pct is None else round(i.buy.refuse_pct, 1),
        "refuse_desc": i.buy.refuse_desc or None,
        "eaten_cooked": None if i.cooked is None else {
            "ndb_no": i.cooked.food.ndb_no, "name": i.cooked.food.name, "grams": round(i.cooked.grams, 1),
            "servings": i.cooked.servings, "measure": i.cooked.measure,
        },
    }  # fmt: skip


def day_dict(day: Day, checks: list[Check]) -> dict[str, Any]:
    return {
        "day": day.index + 1,
        "meals": [
            {"slot": slot, "kcal": round(day.meal_kcal(slot), 1), "items": [item_dict(i, day) for i in day.meal(slot)]}
            for slot in ("breakfast", "lunch", "dinner", "snack")
        ],
        "totals": {n.column: round(day.total(n.column), 2) for n in NUTRIENTS},
        "unmeasured": day.unmeasured,
        "energy_shares": {n: round(day.energy_share(n), 4) for n in ("protein_g", "fat_g", "carbohydrate_g")},
        "checks": [check_dict(c) for c in checks if c.day == day.index],
    }


def member_dict(member: MemberPlan, plan: Plan) -> dict[str, Any]:
    who = member_name(member)
    checks = [c for c in plan.checks() if c.member == who]
    return {
        "name": who,
        "profile": profile_record(member.profile),
        "targets": dataclasses.asdict(member.targets),
        "days": [day_dict(d, checks) for d in member.days],
        "average": {n.column: round(member.average(n.column), 2) for n in NUTRIENTS},
        "week_totals": {n.column: round(sum(d.total(n.column) for d in member.days), 2) for n in NUTRIENTS},
        "magnesium_by_category": {k: round(v, 1) for k, v in magnesium_by_category(member).items()},
        "checks": [check_dict(c) for c in checks if c.day is None],
        "swaps": [str(swap) for swap in member.swaps],
        "swap_items": [swap_dict(swap) for swap in member.swaps],
    }


def swap_dict(swap: Swap) -> dict[str, Any]:
    """A swap's parts, for a program to read without parsing its line (since 1.5)."""
    return {
        "day": swap.day + 1,
        "meal": swap.meal,
        "skipped": [{"ndb_no": f.ndb_no, "name": f.name} for f in swap.skipped],
        "instead": [{"ndb_no": f.ndb_no, "name": f.name} for f in swap.instead],
        "reasons": list(swap.reasons),
    }


def _topup_dict(plan: Plan) -> dict[str, Any]:
    topup = plan.topup
    assert topup is not None
    return {
        "topup": {
            "rda_mg": topup.rda_mg,
            "current_intake_mg": topup.current_intake_mg,
            "gap_mg": topup.gap_mg,
            "kcal_budget": topup.kcal_budget,
            "note": TOPUP_NOTE,
        }
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data, following docs/plan.schema.json."""
    from .. import __version__

    s = plan.solve
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "mealplan", "version": __version__},
        "data_version": plan.data_version,
        "request": as_plain_data(plan.request),
        "solver": {
            "name": s.solver,
            "status": s.status,
            "objective": s.objective,
            "bound": s.bound,
            "mip_gap": s.gap,
            "seconds": round(s.seconds, 3),
            "method": plan.method,
            "timed_out": s.timed_out,
        },  # fmt: skip
        "days": plan.days,
        "weekly_average": plan.weekly_average,
        "members": [member_dict(m, plan) for m in plan.members],
        "shopping_list": [shopping_dict(i) for i in shopping_list(plan.members)],
        "all_checks_ok": all(c.ok for c in plan.checks()),
        "cost": None if plan.cost is None else {"total": round(plan.cost, 2), "budget": plan.budget},
        **(_topup_dict(plan) if plan.topup is not None else {}),
        "warnings": list(plan.warnings),
        "notes": list(plan.notes),
        "note": CARE_NOTE,
    }

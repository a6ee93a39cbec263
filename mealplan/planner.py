"""Use cases: plan a day or a week for one person.

Each function validates its inputs, builds the model, solves it, and returns a
:class:`~mealplan.plan.Plan` whose every claimed target has been rechecked on totals
recomputed from USDA values × grams. It never prints.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .catalog import Catalog, Food, given_or_default
from .errors import InfeasiblePlan, InputError, SolverError, is_whole, listed
from .kinds import (
    has_added_sugars,
    holds_cocoa,
    is_alcoholic,
    is_brazil_nut,
    is_caffeinated,
    is_choking_hazard,
    is_energy_drink,
    is_fish,
    is_good_choice_fish,
    is_high_mercury_fish,
    is_liver,
    is_milk_not_for_under_2,
    is_raw_animal_food,
    is_raw_sprout,
    is_ready_to_eat_listeria_risk,
    is_soft_cheese,
)
from .model import Key, Member, ModelSpec, Variety, main_meal_gaps, rule_breaches
from .nutrients import KCAL_PER_G, NUTRIENTS
from .plan import MemberPlan, Plan, items_from, mineral_mg_text, plan_cost, unpriced_warning
from .preferences import (
    CAFFEINE,
    Exclusion,
    Preferences,
    Resolved,
    added_food_warnings,
    not_disliked,
    resolve,
)
from .solver import SolveOptions, SolveResult, check_seed, for_days
from .strategy import MIN_DAY_S, solve_spec
from .targets import (
    AMDR_ADULT_FROM_Y,
    CAFFEINE_ADULT_AGE_Y,
    CAFFEINE_CHILD_AGE_Y,
    CALCIUM_SOURCE,
    FIBER_G_PER_1000_KCAL,
    NEAR_UPPER_LIMIT,
    PREGNANCY_PROTEIN_RDA_G,
    PROTEIN_SOURCE,
    SODIUM_AI_SOURCE,
    Balance,
    Profile,
    Targets,
    calcium_rda_mg,
    energy_target,
    macro_ranges,
    magnesium_dri_row,
    protein_excess,
    sodium_ai_mg,
    targets_for,
)

MAX_DAYS = 28
BUDGET_DAYS = 7  # --budget is money for a week; a plan of other length gets it pro rata
DATA_RELEASE = "USDA SR28"


def plan_day(
    profile: Profile,
    *,
    foods: Catalog | None = None,
    balance: Balance | None = None,
    variety: Variety | None = None,
    preferences: Preferences | None = None,
    seed: int = 0,
    solve_options: SolveOptions | None = None,
) -> Plan:
    """One day for ``profile``; the keywords mean what they mean for :func:`plan_week`."""
    # The keywords are spelt out, not **options, so that a type checker catches a misspelt one (QA).
    return plan_week(profile, days=1, foods=foods, balance=balance, variety=variety, preferences=preferences,
                     seed=seed, solve_options=solve_options)  # fmt: skip


@dataclass(frozen=True)
class PlanInputs:
    """Everything one person's plan is made from, validated (see :func:`plan_inputs`)."""

    profile: Profile
    days: int
    catalog: Catalog
    balance: Balance
    variety: Variety
    preferences: Preferences
    weekly_average: bool
    seed: int
    solve_options: SolveOptions


@dataclass(frozen=True)
class BuiltSpec:
    """The model spec of some inputs, and what went into it."""

    spec: ModelSpec
    resolved: Resolved
    targets: Targets
    warnings: tuple[str, ...]


def plan_inputs(
    profile: Profile,
    *,
    days: int = 7,
    foods: Catalog | None = None,
    balance: Balance | None = None,
    variety: Variety | None = None,
    preferences: Preferences | None = None,
    weekly_average: bool = False,
    seed: int = 0,
    solve_options: SolveOptions | None = None,
) -> PlanInputs:
    """The inputs of :func:`plan_week` with defaults filled in, types and ranges checked.

    The seed may be given here or in ``solve_options`` (both, only if they agree): it is the
    plan's seed either way, and the request records it once."""
    _check_types(profile, days, foods, balance, variety, preferences, weekly_average, solve_options)
    if not (1 <= days <= MAX_DAYS):
        raise InputError(f"days {days} is out of range; give 1 to {MAX_DAYS}")
    variety = variety or Variety()
    check_variety(variety, days)
    check_seed(seed)
    solve_options = solve_options or SolveOptions()
    if seed and solve_options.seed and seed != solve_options.seed:
        raise InputError(f"seed {seed} and SolveOptions(seed={solve_options.seed}) disagree; give one seed")
    seed = seed or solve_options.seed
    return PlanInputs(
        profile=profile, days=days, catalog=given_or_default(foods), balance=balance or Balance(),
        variety=variety, preferences=preferences or Preferences(), weekly_average=weekly_average, seed=seed,
        solve_options=dataclasses.replace(solve_options, seed=seed),
    )  # fmt: skip


def _check_types(profile: object, days: object, foods: object, balance: object, variety: object,
                 preferences: object, weekly_average: object, solve_options: object) -> None:  # fmt: skip
    """plan_week's arguments of the wrong type (from the Python API) as one InputError each."""
    if not isinstance(profile, Profile):
        raise InputError(f"profile must be a Profile, not {type(profile).__name__}; e.g. Profile(34, 'female')")
    if not is_whole(days):
        raise InputError(f"days {days!r} is not a whole number; give 1 to {MAX_DAYS}")
    if not isinstance(weekly_average, bool):
        raise InputError(f"weekly_average {weekly_average!r} is not true or false")
    expected = {"foods": (foods, Catalog), "balance": (balance, Balance), "variety": (variety, Variety),
                "preferences": (preferences, Preferences), "solve_options": (solve_options, SolveOptions)}  # fmt: skip
    for key, (value, kind) in expected.items():
        if value is not None and not isinstance(value, kind):
            raise InputError(f"{key} must be a {kind.__name__} or None, not {type(value).__name__}")


def wishes_and_targets(preferences: Preferences, catalog: Catalog, days: int, profile: Profile,
                       balance: Balance) -> tuple[Resolved, Targets]:  # fmt: skip
    """A person's wishes resolved on ``catalog`` for their age, and their targets (with no cap
    on caffeinated drinks their own wishes leave none of: caffeine_as_wished); InputError when
    a wish cannot be kept (check_required_measured)."""
    wished = resolve(preferences, catalog, days)
    targets = caffeine_as_wished(targets_for(profile, balance), wished.foods)
    resolved = for_age(wished, profile)
    check_required_measured(resolved, targets)
    return resolved, targets


def build_spec(inputs: PlanInputs) -> BuiltSpec:
    """The model spec for ``inputs``: targets, the foods left after exclusions, and the
    preferences as weights, caps and a budget for the plan's days (``--budget`` is a week's)."""
    resolved, targets = wishes_and_targets(inputs.preferences, inputs.catalog, inputs.days, inputs.profile,
                                           inputs.balance)  # fmt: skip
    usable, warnings = usable_foods(resolved.foods, targets)
    warnings = [*added_food_warnings(resolved, inputs.catalog), *required_days_notes(resolved, inputs.variety),
                *low_calorie_notes(inputs.profile), *warnings, *main_meal_notes(usable)]  # fmt: skip
    spec = ModelSpec(
        foods=usable,
        members=(Member("0", targets),),
        days=inputs.days,
        variety=inputs.variety,
        weekly_average=inputs.weekly_average,
        preferences=resolved.weights,
        required=resolved.required,
        food_caps=resolved.food_caps,
        category_caps=resolved.category_caps,
        prices_per_100g=resolved.prices_per_100g,
        budget=None if resolved.budget is None else resolved.budget * inputs.days / BUDGET_DAYS,
        seed=inputs.seed,
    )
    return BuiltSpec(spec, resolved, targets, tuple(warnings))


# Calories given this far below the DGA estimate get a caution for those who are growing,
# pregnant or breastfeeding (for them, eating much less than their needs is a medical matter).
LOW_CALORIE_SHARE = 0.8
# For a child or teen, ``--calories`` over this share of the estimate also gets a caution: a
# 1-year-old given 2,500 kcal (3 times the estimate) was planned 2 cups of milk and 2 of
# soymilk at one breakfast without a word.
HIGH_CALORIE_SHARE = 1.25
# An adult's --calories under this share of the estimate gets a caution too: a deficit of a
# fifth is an ordinary diet, but QA planned 900 kcal for a 78-year-old woman (estimate
# 1,800) without a word, while the infeasibility advice flags far less (explain.FAR_BELOW).
ADULT_LOW_CALORIE_SHARE = 0.6


def low_calorie_notes(profile: Profile, who: str | None = None) -> list[str]:
    """A caution when ``--calories`` is under LOW_CALORIE_SHARE of the DGA estimate for a
    person who is pregnant, breastfeeding or under 18 (ADULT_LOW_CALORIE_SHARE for other
    adults), or over HIGH_CALORIE_SHARE of it for a person under 18."""
    if profile.calories is None:
        return []
    growing = profile.pregnant or profile.lactating or profile.age < 18
    try:
        estimate, _basis = energy_target(dataclasses.replace(profile, calories=None))
    except InputError:
        return []
    whom = "" if who is None else f"for {who}: "
    if profile.age < 18 and profile.calories > HIGH_CALORIE_SHARE * estimate:
        return [f"{whom}{profile.calories:,.0f} kcal a day is well over the {estimate:,.0f} kcal the Dietary "
                "Guidelines estimate for their age; ask a doctor or dietitian before planning this much"]  # fmt: skip
    if profile.calories >= (LOW_CALORIE_SHARE if growing else ADULT_LOW_CALORIE_SHARE) * estimate:
        return []
    state = ("in pregnancy" if profile.pregnant else "while breastfeeding" if profile.lactating else
             "for their age" if growing else f"for their age, sex and activity ({profile.activity})")  # fmt: skip
    return [f"{whom}{profile.calories:,.0f} kcal a day is well under the {estimate:,.0f} kcal the Dietary Guidelines "
            f"estimate {state}; ask a doctor or dietitian before eating this little"]  # fmt: skip


def required_days_notes(resolved: Resolved, variety: Variety) -> list[str]:
    """A note for each food required on more days than a --max-days-per-food the user gave:
    the requirement wins for that food (the limit holds for every other), and says so."""
    most = variety.max_days_per_food
    if most is None:
        return []
    return [
        f"{food.name} is required on {resolved.required[food.ndb_no]} days, more than --max-days-per-food "
        f"{most}: the requirement wins for {food.name}"
        for food in resolved.foods
        if resolved.required.get(food.ndb_no, 0) > most
    ]


def plan_week(
    profile: Profile,
    *,
    days: int = 7,
    foods: Catalog | None = None,
    balance: Balance | None = None,
    variety: Variety | None = None,
    preferences: Preferences | None = None,
    weekly_average: bool = False,
    seed: int = 0,
    solve_options: SolveOptions | None = None,
) -> Plan:
    """A plan of ``days`` days for ``profile`` that meets every target each day
    (or magnesium on average with ``weekly_average``), with the variety rules of ``variety``.

    Raises InputError for bad input, InfeasiblePlan (with ``.explanation``, see
    :mod:`mealplan.explain`) when no plan exists, SolverError when the solver fails or
    finds no plan in time.
    """
    inputs = plan_inputs(
        profile, days=days, foods=foods, balance=balance, variety=variety, preferences=preferences,
        weekly_average=weekly_average, seed=seed, solve_options=solve_options,
    )  # fmt: skip
    return plan_from_inputs(inputs)


LikedSaidFor = Literal["flags", "file", "shared menu"]


def plan_from_inputs(inputs: PlanInputs, built: BuiltSpec | None = None, *,
                     liked_said_for: LikedSaidFor = "flags") -> Plan:  # fmt: skip
    """Plan ``inputs`` (see :func:`plan_week`); ``built`` is their build_spec when the caller
    has it already. ``liked_said_for``: how a liked food left out is told to be had
    (liked_not_planned; a household member's plan says it in the file's keys)."""
    built = built or build_spec(inputs)
    # A household member's notes say their fixes in the file's keys (asked_as).
    in_member = None if liked_said_for == "flags" else inputs.profile.name or None
    solution = solve_spec(built.spec, inputs.solve_options)
    _raise_unless_plan(solution.result, inputs, built)
    foods_by_ndb = {f.ndb_no: f for f in built.spec.foods}
    members = (
        MemberPlan(inputs.profile, built.targets, items_from(solution.half_servings, foods_by_ndb, 0, inputs.days)),
    )
    plan = Plan(
        members=members,
        solve=solution.result,
        method=solution.method,
        request=request_record(inputs),
        data_version=f"{DATA_RELEASE}; foods {inputs.catalog.source} sha256:{inputs.catalog.version}",
        # Over one day the average is that day: the plan holds the RDA every day, and says so.
        weekly_average=inputs.weekly_average and inputs.days > 1,
        warnings=(
            *inputs.catalog.warnings,
            *built.warnings,
            *overrun_warning(solution.result, inputs.solve_options, inputs.days),
            *timing_warning(solution.result, inputs.days > 1),
            *age_notes(inputs.profile),
            *nutrient_notes(members[0], not_disliked(built.spec.foods, built.resolved)),
            *unpriced_warning(members[0].days, built.resolved.prices_per_100g),
            *solution.notes,
            *liked_not_planned(built.resolved, built.spec.foods, members[0], said_for=liked_said_for),
            *trace_notes(built.resolved.diets, (i.food for day in members[0].days for i in day.items)),
            *pregnancy_food_notes(members[0], in_member=in_member),
            *caffeine_exclusion_notes(members[0], built.resolved, in_member=in_member),
            *diet_notes(built.resolved.diets, eaten=(i.food for day in members[0].days for i in day.items),
                        foods=not_disliked(built.spec.foods, built.resolved), in_member=in_member),
        ),
        notes=plan_notes(members[0]),
        cost=plan_cost(members[0].days, built.resolved.prices_per_100g),
        budget=built.spec.budget,
        excluded_as=built.resolved.excluded_as,
    )
    verify(plan, built.spec, solution.half_servings)
    return plan


@dataclass(frozen=True)
class AgeRule:
    """Foods left out of every plan for a person younger than ``below_age_y`` (and, with
    ``in_pregnancy`` or ``in_lactation``, for a pregnant or breastfeeding person of any age)."""

    below_age_y: float
    applies: Callable[[Food], bool]
    what: str  # what such a food is: 'a caffeinated drink'
    whom: str  # who does not get it: 'children under 14'
    in_pregnancy: bool = False
    in_lactation: bool = False
    # The food stays when the user asks for it (--require, or --like): it is only not chosen
    # for them.
    unless_asked: bool = False

    def rules_out(self, profile: Profile) -> bool:
        return (profile.age < self.below_age_y or (self.in_pregnancy and profile.pregnant)
                or (self.in_lactation and profile.lactating))  # fmt: skip


# Coffee and tea are in the pool for their magnesium, but caffeine is not for children.
# Under 4, whole nuts and seeds, popcorn and dried fruit are choking hazards (American
# Academy of Pediatrics, "Prevention of Choking Among Children", Pediatrics 2010).
# Under 2, no added sugars (Dietary Guidelines for Americans 2020–2025, key recommendation 3).
# Alcohol: the US minimum legal drinking age is 21 (National Minimum Drinking Age Act,
# 1984), and no amount is known to be safe in pregnancy (CDC).
# Pregnancy: FDA, "Food Safety for Pregnant Women and Their Unborn Babies" (raw sprouts; raw
# meat, poultry, fish, shellfish and eggs), FDA/EPA "Advice about Eating Fish" (2021: the
# high-mercury fish), and liver for its preformed vitamin A (NHS, "Foods to avoid in
# pregnancy"). None of these is in the pool; each can be added from USDA (--add-food).
# The FDA/EPA fish advice is also for those breastfeeding and for children (it gives
# servings by age up to 11 and over); QA's 2-year-old, 6-year-old and breastfeeding mother
# were planned king mackerel. The plan keeps it from anyone under 18 as well.
# Brazil nuts: NIH ODS, "Selenium: Fact Sheet for Health Professionals": 1 oz (6–8 nuts)
# holds 544 µg of selenium, and the upper levels (IOM 2000) are 90 µg a day at 1–3 years,
# 150 µg at 4–8, 280 µg at 9–13 and 400 µg from 14. So one nut (about 5 g, some 90 µg) is
# about the UL under 4 and over half of it at 4–8, before the rest of the day's food
# (selenium is not in the SR28 extract, so the plan cannot count it). QA (a dietitian): a
# 6-year-old was planned a Brazil nut a day. From 9 the pool's daily cap (one serving of 2
# nuts, some 190 µg) is two thirds of the UL of 280 µg or less.
CHOKING_MIN_AGE_Y = 4
SELENIUM_MIN_AGE_Y = 9
MERCURY_FISH_MIN_AGE_Y = 18
ADDED_SUGARS_MIN_AGE_Y = 2
ALCOHOL_MIN_AGE_Y = 21
PREGNANT = "anyone pregnant"
AGE_RULES: tuple[AgeRule, ...] = (
    AgeRule(CAFFEINE_CHILD_AGE_Y, is_caffeinated, "a caffeinated drink", f"children under {CAFFEINE_CHILD_AGE_Y}"),
    # Not even when asked for, unlike coffee and tea at 14–18 (QA: a 15-year-old's required
    # Red Bull was planned): energy drinks "are not appropriate for children and adolescents
    # and should never be consumed" (AAP, "Sports Drinks and Energy Drinks for Children and
    # Adolescents: Are They Appropriate?", Pediatrics 2011;127:1182).
    AgeRule(CAFFEINE_ADULT_AGE_Y, is_energy_drink, "an energy drink", f"anyone under {CAFFEINE_ADULT_AGE_Y}"),
    # From 14 to 18 and in pregnancy a caffeinated drink is allowed (one serving a day,
    # targets.caffeine_limit) but not chosen unasked: the objective scores a drink of almost no
    # energy at the top (model.DENSITY_SCORE_RANGE), so QA's pregnant 16-year-old was planned
    # coffee or tea every day for 4–7 mg of magnesium each, and ACOG and the AAP advise
    # limiting caffeine, not taking it up.
    AgeRule(CAFFEINE_ADULT_AGE_Y, is_caffeinated, "a caffeinated drink, planned at 14–18 and in pregnancy only "
            "when asked for", f"anyone under {CAFFEINE_ADULT_AGE_Y} or pregnant", in_pregnancy=True,
            unless_asked=True),  # fmt: skip
    AgeRule(CHOKING_MIN_AGE_Y, is_choking_hazard, "a choking hazard for young children",
            f"children under {CHOKING_MIN_AGE_Y}"),  # fmt: skip
    AgeRule(SELENIUM_MIN_AGE_Y, is_brazil_nut, "a Brazil nut, so high in selenium that one nut is over half a "
            "young child's upper level", f"children under {SELENIUM_MIN_AGE_Y}"),  # fmt: skip
    AgeRule(ADDED_SUGARS_MIN_AGE_Y, has_added_sugars, "a food with added sugars",
            f"children under {ADDED_SUGARS_MIN_AGE_Y}"),  # fmt: skip
    AgeRule(ADDED_SUGARS_MIN_AGE_Y, is_milk_not_for_under_2, "a milk other than whole cow's milk or fortified soy milk",
            f"children under {ADDED_SUGARS_MIN_AGE_Y}"),  # fmt: skip
    AgeRule(ALCOHOL_MIN_AGE_Y, is_alcoholic, "an alcoholic drink",
            f"anyone under {ALCOHOL_MIN_AGE_Y} or pregnant", in_pregnancy=True),  # fmt: skip
    AgeRule(0, is_raw_sprout, "a raw sprout", PREGNANT, in_pregnancy=True),
    AgeRule(MERCURY_FISH_MIN_AGE_Y, is_high_mercury_fish, "a fish high in mercury",
            f"anyone under {MERCURY_FISH_MIN_AGE_Y}, pregnant or breastfeeding", in_pregnancy=True,
            in_lactation=True),  # fmt: skip
    AgeRule(0, is_liver, "liver, high in vitamin A", PREGNANT, in_pregnancy=True),
    AgeRule(0, is_raw_animal_food, "raw meat, fish or egg", PREGNANT, in_pregnancy=True),
)
# The plan's note for a child under CHOKING_MIN_AGE_Y: how to serve what is planned.
# The AAP's list also names chunks of cheese and meat and raw vegetables, which cutting or
# cooking makes safe (QA: cheese had no word), and whole grapes (QA: a 2-year-old was planned
# a cup of grapes, added from USDA, under advice that did not name them).
CHOKING_ADVICE = (
    "spread nut and seed butters thinly, serve fruit and vegetables soft-cooked or cut into small pieces (grapes "
    "and cherry tomatoes in quarters), and "
    "cheese, fish and poultry in small pieces (whole nuts and seeds, popcorn and dried fruit are left out as "
    "choking hazards)"
)
CHOKING_NOTE = f"for a child under {CHOKING_MIN_AGE_Y}: {CHOKING_ADVICE}"
# How the warning for liked foods an age rule leaves out begins (see for_age).
LIKED_LEFT_OUT_START = "not planned for "


def for_age(resolved: Resolved, profile: Profile) -> Resolved:
    """``resolved`` less what the person's age (or pregnancy) rules out (AGE_RULES):
    caffeinated drinks for children, choking hazards for the youngest, added sugars under 2,
    alcohol under 21 and in pregnancy, and the foods advised against in pregnancy.

    Applied after the user's wishes, so a child's liked coffee is not planned, and a warning
    (Resolved.notes) says so; a required one is refused, since the plan could not keep that
    promise. A rule marked ``unless_asked`` (caffeine at 14–18 and in pregnancy) keeps a food
    the user requires or likes."""
    excluded = dict(resolved.excluded)
    kept = []
    # Rule (by its place in AGE_RULES) → the liked foods it leaves out (QA: a 6-year-old's
    # --like "brazil nuts" was dropped without a word). A food added from USDA already gets
    # its warning from added_food_warnings.
    liked_out: dict[int, list[str]] = {}
    for food in resolved.foods:
        rule = next((r for r in AGE_RULES if r.rules_out(profile) and r.applies(food)), None)
        asked = food.ndb_no in resolved.required or resolved.weights.get(food.ndb_no, 0.0) > 0
        if rule is None or (rule.unless_asked and asked):
            kept.append(food)
            continue
        if food.ndb_no in resolved.required:
            # Said back as the user required it (QA: "drop --require fish, swordfish, cooked,
            # dry heat" for a food required as 15111), and worded for any name ("raisins is").
            typed = resolved.required_as.get(food.ndb_no, food.name)
            raise InputError(
                f"mealplan does not plan {food.name} for {rule.whom} ({rule.what}); drop --require {typed}"
            )
        why = (f"age under {rule.below_age_y:g}" if profile.age < rule.below_age_y
               else "pregnancy" if rule.in_pregnancy and profile.pregnant else "breastfeeding")  # fmt: skip
        excluded[food.ndb_no] = Exclusion(why, f"is {rule.what}")
        if asked and food.tags_known:
            liked_out.setdefault(AGE_RULES.index(rule), []).append(food.name)
    notes = [
        f"{LIKED_LEFT_OUT_START}{AGE_RULES[i].whom}, though liked: {listed(sorted(names))} "
        f"({'it is' if len(names) == 1 else 'each is'} {AGE_RULES[i].what})"
        for i, names in sorted(liked_out.items())
    ]
    return dataclasses.replace(resolved, foods=tuple(kept), excluded=excluded, notes=(*resolved.notes, *notes))


# Under this age the upper level of magnesium (supplements only) is below the RDA, and a
# child's plan reads 500% of the RDA or more: QA's parent of a 2-year-old, who had read of a
# 65 mg limit, took it for an overdose.
MAGNESIUM_UL_NOTE_BELOW_Y = 9


def age_notes(profile: Profile, who: str | None = None) -> tuple[str, ...]:
    """Warnings a plan for ``profile`` carries because of their age (how to serve a young
    child's food); ``who`` names a household's member in them."""
    if profile.age < CHOKING_MIN_AGE_Y:
        return (CHOKING_NOTE if who is None else f"for {who} (under {CHOKING_MIN_AGE_Y}): {CHOKING_ADVICE}",)
    return ()


def magnesium_ul_notes(profile: Profile, who: str | None = None) -> tuple[str, ...]:
    """A plan's note (Plan.notes: nothing to act on) that a young child's magnesium from food
    may be well over the upper level, which is for supplements only."""
    ul = magnesium_dri_row(profile)["supplemental_ul_mg_per_day"]
    if profile.age >= MAGNESIUM_UL_NOTE_BELOW_Y or not ul:
        return ()
    under = MAGNESIUM_UL_NOTE_BELOW_Y
    whom = f"a child under {under}" if who is None else f"{who} (under {under})"
    return (
        f"for {whom}: magnesium from food has no upper limit; the upper level of {ul} mg a day (IOM 1997) is "
        "for supplements and medicines only, so days well above the RDA from food are expected",
    )


# Iron a day in pregnancy: the RDA (IOM 2001), which a prenatal supplement often holds.
PREGNANCY_IRON_RDA_MG = 27.0


# How the nutrient notes begin, so that a household can name the member in a member's own
# plan's notes (household._members_plan).
CALCIUM_NOTE_START = "the plan keeps calcium under its upper level but does not aim at its RDA"
IRON_NOTE_START = "iron from food and a prenatal supplement together may pass the upper level"
MERCURY_NOTE_START = "a woman who might become pregnant is advised to avoid fish high in mercury"
SOFT_CHEESE_NOTE_START = "in pregnancy, eat soft cheese only if its label says it is made with pasteurized milk"
LISTERIA_NOTE_START = ("in pregnancy, heat hot dogs, deli meats and dry sausages until steaming hot, and eat "
                       "refrigerated smoked fish only cooked in a dish")  # fmt: skip
B12_NOTE_START = "a vegan diet needs vitamin B12 from fortified foods or a supplement"
NO_ANIMAL_FOOD_NOTE_START = "the plan holds no animal food"
SODIUM_NOTE_START = "the plan's foods hold less sodium than its Adequate Intake"
PROTEIN_NOTE_START = "protein is under its RDA"
LOW_FAT_NOTE_START = "with the macronutrient ranges off (--no-macros, macros = false), a child's fat is low"
HIGH_PROTEIN_NOTE_START = ("with the macronutrient ranges off (--no-macros, macros = false), a child's protein is "
                           "high")  # fmt: skip
SODIUM_NOTE_MIN_AGE_Y = 14
FIBER_NOTE_START = "the plan's fiber is well above its Adequate Intake"
# A plan's fiber gets a note from this many times the AI (14 g per 1,000 kcal) on some day.
# IOM (2005) sets no upper level for fiber, so this is no limit, only where the advice to add
# fiber slowly starts to matter: QA found 42–77 g a day for children aged 1–8 (AI 19–25 g) and
# 117 g for a vegan teen, unremarked. The default week has 61–92 g (2.3 to 3.4 times).
FIBER_NOTE_TIMES = 2.0
FIBER_ADVICE_SOURCE = "MedlinePlus, Dietary Fiber"
# Calcium-rich foods a calcium note names, of those the plan may use.
CALCIUM_FOODS_NAMED = 3
# Animal foods the no-animal-food note names (diet_notes), of those the plan may use: these
# first, a dairy food, an egg and a fish, then the others by name, one of each category.
B12_FOODS_NAMED = 3
B12_EXAMPLES = ("yogurt", "eggs", "salmon")


def foods_to_name(foods: Iterable[Food], key: Callable[[Food], Any], count: int, *,
                  one_per: Callable[[Food], str] | None = None) -> list[str]:
    """The names of the first ``count`` of ``foods`` by ``key`` (and at most one of each
    ``one_per``), for a note's advice: ``foods`` are those the plan may use and the user does
    not dislike (not_disliked), so a note names no food they left out (QA: the calcium note
    offered sardines to a woman who had said --dislike fish; the B12 note yogurt, eggs and
    salmon to a vegetarian boy who had excluded milk and eggs)."""
    names: list[str] = []
    seen: set[str] = set()
    for food in sorted(foods, key=key):
        group = None if one_per is None else one_per(food)
        if food.name in names or (group is not None and group in seen):
            continue
        names.append(food.name)
        if group is not None:
            seen.add(group)
    return names[:count]


def nutrient_notes(member: MemberPlan, foods: Iterable[Food] = (), who: str | None = None) -> tuple[str, ...]:
    """Warnings on nutrients the plan does not aim at: calcium under its RDA (naming the richest
    of ``foods``, those the plan may use and the user does not dislike: QA's "sardines" for a
    woman who had said --dislike fish), and in pregnancy iron from food too close to its
    upper level to leave room for a prenatal supplement (QA: a pregnant 16-year-old's days
    had 44.3–45.0 mg against a UL of 45, unremarked), and protein under its RDA in pregnancy
    or breastfeeding. Sodium under its AI is a note (sodium_notes). ``who`` names a
    household's member."""
    whose = "" if who is None else f"for {who}: "
    notes = []
    rda = calcium_rda_mg(member.profile)
    short = [t for t in (day.total("calcium_mg") for day in member.days) if t < rda]
    if short:
        # QA: toddlers' days had 364–541 mg of calcium against an RDA of 700, unremarked.
        unmeasured = any(i.amount("calcium_mg") is None for day in member.days for i in day.items)
        names = foods_to_name((f for f in foods if f.per_100g.get("calcium_mg") is not None),
                              lambda f: (-(f.per_100g["calcium_mg"] or 0.0) * f.serving_grams, f.name),
                              CALCIUM_FOODS_NAMED)  # fmt: skip
        richest = f"; of the foods it may use, {listed(names)} hold the most per serving" if names else ""
        notes.append(
            f"{whose}{CALCIUM_NOTE_START}: {_on_days(len(short), len(member.days))} it is {_range(short, under=rda)}"
            f"{' or more (some foods have no calcium value)' if unmeasured else ''}, under the RDA of {rda:,.0f} mg "
            f"a day ({CALCIUM_SOURCE}){richest}"
        )
    # In the second half of pregnancy (IOM 2005: before it, the RDA of a woman who is not
    # pregnant), so not in the first trimester; and breastfeeding.
    # Not a default floor (see targets.protein_floor), and said only without a floor that
    # holds it already; plans of pregnancy seldom fall short.
    stage_needs_rda = (member.profile.pregnant and member.profile.trimester != 1) or member.profile.lactating
    if stage_needs_rda and (member.targets.protein_min_g or 0.0) < PREGNANCY_PROTEIN_RDA_G:
        under = [t for t in (day.total("protein_g") for day in member.days) if t < PREGNANCY_PROTEIN_RDA_G]
        if under:
            stage = "pregnancy" if member.profile.pregnant else "breastfeeding"
            span = _range(under, "g", under=PREGNANCY_PROTEIN_RDA_G)
            notes.append(
                f"{whose}{PROTEIN_NOTE_START} for {stage}: {_on_days(len(under), len(member.days))} it is "
                f"{span}, under {PREGNANCY_PROTEIN_RDA_G:.0f} g a day ({PROTEIN_SOURCE}); "
                f"a protein floor of {PREGNANCY_PROTEIN_RDA_G:.0f} g (--protein, or protein in a file) plans at least "
                f"that{_with_calories_for(PREGNANCY_PROTEIN_RDA_G, member.targets)}"
            )
    if member.targets.fat_pct is None and member.profile.age < AMDR_ADULT_FROM_Y:
        amdr = macro_ranges(member.profile.age)[1]
        shares = [day.total("fat_g") * KCAL_PER_G["fat_g"] / kcal * 100 for day in member.days
                  if (kcal := day.total("energy_kcal")) > 0]  # fmt: skip
        if low := [s for s in shares if s < amdr.low * 100]:
            span = _range(low, "%", under=amdr.low * 100)
            notes.append(
                f"{whose}{LOW_FAT_NOTE_START}: {_on_days(len(low), len(member.days))} fat is {span} of "
                f"energy, under the {amdr.low * 100:.0f}–{amdr.high:.0%} a child of this age needs (AMDR, IOM "
                "2005); plan with the ranges, or ask a paediatric dietitian"
            )
    # And protein over the child's range (QA: a 2-year-old with macros = false and protein = 60
    # had about 24% of energy from protein, over the 5–20% of ages 1–3, unremarked).
    if member.targets.protein_pct is None and member.profile.age < AMDR_ADULT_FROM_Y:
        amdr = macro_ranges(member.profile.age)[0]
        shares = [day.total("protein_g") * KCAL_PER_G["protein_g"] / kcal * 100 for day in member.days
                  if (kcal := day.total("energy_kcal")) > 0]  # fmt: skip
        if high := [s for s in shares if s > amdr.high * 100]:
            span = _range(high, "%", over=amdr.high * 100)
            notes.append(
                f"{whose}{HIGH_PROTEIN_NOTE_START}: {_on_days(len(high), len(member.days))} protein is "
                f"{span} of energy, over the {amdr.low * 100:.0f}–{amdr.high:.0%} for a child of this "
                "age (AMDR, IOM 2005); plan with the ranges, or ask a paediatric dietitian"
            )
    ul = member.targets.upper_limits_mg.get("iron_mg")
    # And while breastfeeding, when many keep taking the prenatal vitamin (QA: a breastfeeding
    # 30-year-old's days had 39.7–44.8 mg of iron from food, unremarked).
    if (member.profile.pregnant or member.profile.lactating) and ul is not None:
        room = ul - PREGNANCY_IRON_RDA_MG
        high = [t for t in (day.total("iron_mg") for day in member.days) if t > room]
        advice = (
            "keep taking the prenatal vitamin you were prescribed, and show your doctor or midwife this plan's iron"
            if member.profile.pregnant
            else "if you still take a prenatal vitamin, show your doctor or midwife this plan's iron"
        )
        if high:
            notes.append(
                f"{whose}{IRON_NOTE_START}: {_on_days(len(high), len(member.days))} food alone holds over {room:.0f} "
                f"mg, up to {_over(max(high), room)} mg, and a supplement with the pregnancy RDA of "
                f"{PREGNANCY_IRON_RDA_MG:.0f} mg (IOM 2001) would take those days over the upper level of {ul:.0f} mg "
                f"a day, which counts supplements too; {advice} (the upper level is not meant for iron they prescribe)"
            )
    return tuple(notes)


FISH_NOTE_START = "the plan holds more fish than FDA/EPA advise"
FISH_ADVICE_SOURCE = "FDA/EPA, Advice about Eating Fish, 2021"
# FDA/EPA's advice (for those who might become or are pregnant or breastfeeding, and children):
# a serving of fish is weighed before cooking, 4 oz for adults and children from 11, and for
# younger children by age (the first band that holds the age): 1 oz at 1–3, 2 oz at 4–7, 3 oz
# at 8–10. Children eat 1 to 2 servings a week, the others 2 to 3, of the "Best Choices";
# or 1 serving of the "Good Choices" (kinds.is_good_choice_fish). QA: a shared menu gave a
# 2-year-old the 42.5 g of halibut her father required every day, and a pregnant member 255 g
# of it in 3 days, unremarked; a 2-year-old's own week had 85 g of mackerel.
FISH_SERVING_OZ_BY_AGE: tuple[tuple[float, float], ...] = ((4, 1.0), (8, 2.0), (11, 3.0))
FISH_ADULT_SERVING_OZ = 4.0
FISH_BEST_SERVINGS = {"child": 2, "adult": 3}  # the most a week of the Best Choices
FISH_GOOD_SERVINGS = 1  # the most a week of the Good Choices
GRAMS_PER_OZ = 28.35
# Cooked fish weighs about 3/4 of what it weighed raw (4 oz raw cook to about 3 oz), so a
# cooked food's grams count 4/3 against servings weighed raw; a canned fish is weighed as is.
RAW_PER_COOKED_FISH = 4 / 3


def might_become_pregnant(profile: Profile) -> bool:
    """A woman of the ages the tool plans pregnancy for (14-50), to whom FDA/EPA's fish advice
    speaks as to those who are pregnant."""
    return profile.sex == "female" and 14 <= profile.age < 51


def fish_advice(profile: Profile) -> tuple[float, int] | None:
    """FDA/EPA's serving of fish (oz, weighed raw) and most servings a week of the Best Choices
    for ``profile``; None for those the advice is not for (men, women from 51, not pregnant)."""
    p = profile
    if not (p.age < 18 or p.pregnant or p.lactating or might_become_pregnant(p)):
        return None
    oz = next((o for below, o in FISH_SERVING_OZ_BY_AGE if p.age < below), FISH_ADULT_SERVING_OZ)
    return oz, FISH_BEST_SERVINGS["child" if p.age < 11 else "adult"]


def fish_share_per_gram(food: Food, advice: tuple[float, int]) -> float:
    """The share of a week's advised fish (fish_advice) in a gram of ``food`` as eaten: 0 for
    a food that is no fish; a Good Choice counts against its 1 serving, the others against
    the Best Choices' servings; a cooked fish's grams count RAW_PER_COOKED_FISH."""
    if not is_fish(food):
        return 0.0
    oz, best_most = advice
    return _raw_per_eaten(food) / (oz * GRAMS_PER_OZ) / (FISH_GOOD_SERVINGS if is_good_choice_fish(food) else best_most)


def _raw_per_eaten(food: Food) -> float:
    """Grams of ``food`` weighed raw in a gram as eaten: RAW_PER_COOKED_FISH for a cooked fish."""
    return RAW_PER_COOKED_FISH if "cooked" in food.usda_description.lower() else 1.0


def fish_weeks(days: int) -> float:
    """Weeks of advised fish a plan of ``days`` may hold: its days over 7 from a week on; a
    shorter plan a whole week's (it may be the week's fish days)."""
    return days / 7 if days >= 7 else 1.0


def asked_as(key: str, names: list[str], in_member: str | None = None) -> str:
    """How a note tells to ask for ``names`` with ``key`` (require, exclude), one of them: as
    flags ('--require yogurt, eggs or salmon'), or, for ``in_member`` of a household, as its
    file's key ('require = ["yogurt"], ["eggs"] or ["salmon"] in member 'Ana''), since
    `mealplan household` has no such flags. QA: household plans said "--exclude cocoa"."""
    if in_member is None:
        return f"--{key} {listed(names, 'or')}"
    return f"{key} = {listed([json.dumps([name]) for name in names], 'or')} in member {in_member!r}"


def fish_amount_notes(member: MemberPlan, who: str | None = None, *, in_member: str | None = None) -> tuple[str, ...]:
    """A warning when the plan holds more fish a week than FDA/EPA advise someone who is or might
    become pregnant, is breastfeeding, or is a child (under 18; fish_advice). Not a constraint:
    tried as one (a row of each member's fish over the plan, each day given what the others
    left), it made young children's weeks 3 to 25 times slower to plan (a 3-year-old's 3 days
    0.4 s to 4-12 s), so it waits for a formulation that costs less."""
    p = member.profile
    advice = fish_advice(p)
    if advice is None:
        return ()
    oz, best_most = advice
    items = [i for day in member.days for i in day.items if is_fish(i.food)]
    days = len(member.days)
    if sum(i.grams * fish_share_per_gram(i.food, advice) for i in items) <= fish_weeks(days) + 1e-6:
        return ()
    scale = 1 / fish_weeks(days)  # to a week's amounts
    servings = sum(i.grams * _raw_per_eaten(i.food) for i in items) / (oz * GRAMS_PER_OZ)
    whose = "" if who is None else f"for {who}: "
    held = ("a week of the plan holds" if days >= 7 else "the plan's day holds" if days == 1
            else f"the plan's {days} days hold")  # fmt: skip
    goods = sorted({i.food.name for i in items if is_good_choice_fish(i.food)})
    good_said = f" ({listed(goods)} {'is one' if len(goods) == 1 else 'are'})" if goods else ""
    stage = ("in pregnancy" if p.pregnant else "while breastfeeding" if p.lactating
             else "at this age" if p.age < 18 else "for a woman who might become pregnant")  # fmt: skip
    return (
        f"{whose}{FISH_NOTE_START}: {held} {sum(i.grams for i in items) * scale:,.0f} g of "
        f"{listed(sorted({i.food.name for i in items}))} as eaten, about {servings * scale:.1f} servings of {oz:g} oz "
        f"weighed raw, where {best_most - 1} to {best_most} servings a week of the Best Choices, or "
        f"{FISH_GOOD_SERVINGS} of the Good Choices{good_said}, are advised {stage} ({FISH_ADVICE_SOURCE}); serve fish "
        f"less often or in smaller portions, or leave it out ({asked_as('exclude', ['fish'], in_member)})",
    )


COCOA_CAFFEINE_NOTE_START = "cocoa and chocolate hold some caffeine, which the caffeine rule does not count"


def cocoa_caffeine_notes(member: MemberPlan, who: str | None = None, *,
                         in_member: str | None = None) -> tuple[str, ...]:  # fmt: skip
    """A warning when the plan of a child under 14 (no caffeinated drinks) or of a pregnant woman
    holds cocoa or chocolate (kinds.holds_cocoa): the caffeine rule counts drinks by the serving,
    as mealplan's USDA data give no caffeine values, while USDA FoodData Central lists caffeine
    for cocoa and dark chocolate. QA: a 2-year-old had cocoa powder on 4 days and dark
    chocolate on 3 under the words "none under 14". ``in_member``: the household member whose
    file table the fix is said in (asked_as)."""
    p = member.profile
    if not (p.age < CAFFEINE_CHILD_AGE_Y or p.pregnant) or not (held := _cocoa_held(member)):
        return ()
    whose = "" if who is None else f"for {who}: "
    why = "the AAP discourages caffeine for children" if p.age < CAFFEINE_CHILD_AGE_Y else "ACOG: under 200 mg a day"
    return (f"{whose}{COCOA_CAFFEINE_NOTE_START} ({why}; mealplan's USDA data give no caffeine values): the plan has "
            f"{held}; to leave them out, {asked_as('exclude', ['cocoa'], in_member)}",)  # fmt: skip


def caffeine_exclusion_notes(member: MemberPlan, resolved: Resolved, who: str | None = None, *,
                             in_member: str | None = None) -> tuple[str, ...]:  # fmt: skip
    """A warning when the user left out the caffeinated drinks (--exclude caffeine, caffeine-free:
    preferences.CAFFEINE) and the plan holds cocoa or chocolate, which hold some caffeine and
    which that exclusion keeps, at every age. Allergy QA: --exclude caffeine-free planned cocoa
    on 4 days of a 34-year-old's week, its note saying only that the drinks were left out.
    ``in_member``: as for cocoa_caffeine_notes."""
    # The user's, not an age rule's (for_age: "age under 14", same reason), which says its own.
    options = sorted({why.option for why in resolved.excluded.values()
                      if why.reason == CAFFEINE.why and why.option.startswith("--exclude ")})  # fmt: skip
    if not options or not (held := _cocoa_held(member)):
        return ()
    whose = "" if who is None else f"for {who}: "
    fix = asked_as("exclude", ["cocoa"], in_member)
    return (f"{whose}{listed(options)} leaves out the caffeinated drinks, not cocoa and chocolate, which hold some "
            f"caffeine: the plan has {held}; to leave them out too, {fix}",)  # fmt: skip


def _cocoa_held(member: MemberPlan) -> str:
    """The plan's foods that hold cocoa (kinds.holds_cocoa) and on how many days ('cocoa powder
    on 4 of its 7 days'), '' when none."""
    days = [{i.food.name for i in day.items if holds_cocoa(i.food)} for day in member.days]
    names = sorted(set().union(*days))
    if not names:
        return ""
    on = sum(1 for d in days if d)
    return listed(names) + ("" if len(member.days) == 1 else f" on {on} of its {len(member.days)} days")


def pregnancy_food_notes(member: MemberPlan, who: str | None = None, *,
                         in_member: str | None = None) -> tuple[str, ...]:  # fmt: skip
    """A warning when a pregnant person's plan holds a soft cheese (kinds.is_soft_cheese): FDA
    advises one only if made with pasteurized milk, which USDA's data does not say. QA: brie
    and queso cotija, added from USDA, were planned in pregnancy without a word. Likewise for
    hot dogs, deli meats, dry sausages and smoked fish (kinds.is_ready_to_eat_listeria_risk).

    And when the plan of a woman who might become pregnant (14–50, the ages the tool plans
    pregnancy for) holds a fish high in mercury, which FDA/EPA's "Advice about Eating Fish"
    tells her to avoid too (AGE_RULES leave it out in pregnancy, while breastfeeding and
    under 18). QA: swordfish, required, was planned daily for a 30-year-old without a word."""
    whose = "" if who is None else f"for {who}: "
    eaten = {i.food.name: i.food for day in member.days for i in day.items}
    notes = []
    cheeses = sorted(name for name, food in eaten.items() if is_soft_cheese(food))
    if member.profile.pregnant and cheeses:
        notes.append(f"{whose}{SOFT_CHEESE_NOTE_START} (FDA: listeria); the plan has {listed(cheeses)}")
    ready = sorted(name for name, food in eaten.items() if is_ready_to_eat_listeria_risk(food))
    if member.profile.pregnant and ready:
        notes.append(f"{whose}{LISTERIA_NOTE_START} (FDA: listeria); the plan has {listed(ready)}")
    fish = sorted(name for name, food in eaten.items() if is_high_mercury_fish(food))
    p = member.profile
    if fish and might_become_pregnant(p) and not (p.pregnant or p.lactating):
        notes.append(f"{whose}{MERCURY_NOTE_START} (FDA/EPA, Advice about Eating Fish, 2021); the plan has "
                     f"{listed(fish)}")  # fmt: skip
    return (*notes, *fish_amount_notes(member, who, in_member=in_member),
            *cocoa_caffeine_notes(member, who, in_member=in_member))  # fmt: skip


def diet_notes(diets: Iterable[str], who: str | None = None, eaten: Iterable[Food] | None = None,
               foods: Iterable[Food] = (), *, in_member: str | None = None) -> tuple[str, ...]:
    """A warning for a vegan plan: no plant food holds vitamin B12 unless fortified (NIH
    Office of Dietary Supplements, Vitamin B12 fact sheet), and mealplan does not track it.
    QA: a pregnant vegan 16-year-old's plan said nothing of it. Likewise for a plan of any
    diet whose ``eaten`` foods are all vegan (QA: the default weeks of a pregnant 25-year-old,
    a breastfeeding 30-year-old and a 75-year-old man held no animal food, unremarked),
    naming animal foods to require of ``foods``, those the plan may use and the user does not
    dislike (foods_to_name), or none when none of them is one; for ``in_member`` of a
    household, as its file's key (asked_as)."""
    whose = "" if who is None else f"for {who}: "
    if "vegan" in diets:
        return (f"{whose}{B12_NOTE_START} (NIH Office of Dietary Supplements); mealplan does not track it, so ask "
                "your doctor or a dietitian how much to take",)  # fmt: skip
    eaten = list(eaten or ())
    if not eaten or not all("vegan" in food.diets for food in eaten):
        return ()
    first = {name: rank for rank, name in enumerate(B12_EXAMPLES)}
    names = foods_to_name((f for f in foods if "vegan" not in f.diets),
                          lambda f: (first.get(f.name, len(first)), f.name), B12_FOODS_NAMED,
                          one_per=lambda f: f.category)  # fmt: skip
    ask = f", or ask for an animal food you eat ({asked_as('require', names, in_member)})" if names else ""
    return (f"{whose}{NO_ANIMAL_FOOD_NOTE_START}, so its vitamin B12 comes only from foods fortified with it (NIH "
            "Office of Dietary Supplements); mealplan does not track B12: eat fortified foods or take a supplement "
            f"(ask your doctor or a dietitian how much){ask}",)  # fmt: skip


def sodium_notes(member: MemberPlan, who: str | None = None) -> tuple[str, ...]:
    """A plan's note (Plan.notes) when its days hold less sodium than the AI: USDA measured the
    foods mostly unsalted, so the plan is not short of anything salt to taste does not add.
    ``who`` names a household's member."""
    sodium_ai = sodium_ai_mg(member.profile.age)
    low = [t for t in (day.total("sodium_mg") for day in member.days) if t < sodium_ai]
    # From 14 only: "salt to taste" is no advice for a child's plate (review: a 1-year-old's).
    if not low or member.profile.age < SODIUM_NOTE_MIN_AGE_Y:
        return ()
    # QA: an athlete's days had 88–229 mg of sodium, unremarked, where calcium had a note.
    limit = member.targets.sodium_max_mg
    most = f", keeping under {limit:,.0f} mg a day" if limit is not None else ""
    whose = "" if who is None else f"for {who}: "
    span = _range(low, under=sodium_ai)
    return (
        f"{whose}{SODIUM_NOTE_START}: {_on_days(len(low), len(member.days))} they hold {span}, under the "
        f"AI of {sodium_ai:,.0f} mg a day ({SODIUM_AI_SOURCE}); they are counted as USDA measured them, mostly "
        f"unsalted, so salt to taste{most} (someone who sweats heavily in sport or heat may need more: ask a "
        "dietitian)",
    )


def fiber_notes(member: MemberPlan, who: str | None = None) -> tuple[str, ...]:
    """A plan's note (Plan.notes) when some day's fiber is FIBER_NOTE_TIMES its AI or more: the
    dense foods the plan prefers are rich in fiber, which someone who eats far less now should
    add slowly. ``who`` names a household's member."""
    ai = member.targets.fiber_g_per_1000kcal or FIBER_G_PER_1000_KCAL
    days = [(day.total("fiber_g"), ai * day.total("energy_kcal") / 1000) for day in member.days]
    if not any(total >= FIBER_NOTE_TIMES * floor > 0 for total, floor in days):
        return ()
    totals = [total for total, _floor in days]
    times = [total / floor for total, floor in days if floor > 0]
    least, most = f"{min(times):.1f}", f"{max(times):.1f}"
    span = least if least == most else f"{least} to {most}"
    whose = "" if who is None else f"for {who}: "
    return (
        f"{whose}{FIBER_NOTE_START}: {_range(totals, 'g')} a day, {span} times the "
        f"{ai:g} g per 1,000 kcal (IOM 2005, which sets no upper level); if you eat much less fiber now, add it "
        f"slowly over a few weeks, since a fast rise can bring gas, bloating and cramps ({FIBER_ADVICE_SOURCE})",
    )


SUPPLEMENT_NOTE_START = "the plan's food comes near the upper level of"


def supplement_notes(member: MemberPlan, who: str | None = None) -> tuple[str, ...]:
    """A plan's note (Plan.notes) naming the minerals whose upper level (Targets.upper_limits_mg,
    which counts supplements too) some day reaches NEAR_UPPER_LIMIT of, each with its highest
    day's amount, as the day lines print it: a supplement that holds them would pass it. QA: a
    68-year-old man's iron at 44.98 mg (UL 45), a 34-year-old woman's calcium at 2,497 of 2,500
    mg, with nothing said; the note existed in pregnancy and breastfeeding only. There iron has
    its own note (nutrient_notes: a prenatal supplement), so it is not named here."""
    limits = member.targets.upper_limits_mg
    skip = {"iron_mg"} if member.profile.pregnant or member.profile.lactating else set()
    near = []
    for nutrient, limit in limits.items():
        most = max((day.total(nutrient) for day in member.days), default=0.0)
        if nutrient not in skip and most >= NEAR_UPPER_LIMIT * limit:
            up_to = "" if len(member.days) == 1 else "up to "
            near.append((nutrient.removesuffix("_mg"),
                         f"{up_to}{mineral_mg_text(most)} mg a day (upper level {limit:,.0f} mg)"))  # fmt: skip
    if not near:
        return ()
    whose = "" if who is None else f"for {who}: "
    them = "it" if len(near) == 1 else "them"
    return (
        f"{whose}{SUPPLEMENT_NOTE_START} {listed(n for n, _ in near)}, which counts supplements too: "
        f"{', '.join(f'{n} {said}' for n, said in near)}; a supplement or multivitamin that holds {them} could take "
        "such a day over the upper level: ask a doctor or pharmacist before taking one",
    )


def plan_notes(member: MemberPlan, who: str | None = None) -> tuple[str, ...]:
    """A member's plan's notes (Plan.notes): its magnesium, sodium, fiber and supplement notes."""
    return (*magnesium_ul_notes(member.profile, who), *sodium_notes(member, who), *fiber_notes(member, who),
            *supplement_notes(member, who))  # fmt: skip


def _with_calories_for(protein_g: float, targets: Targets) -> str:
    """What a protein floor of ``protein_g`` needs besides: '' when the day's energy holds it,
    else the calories it needs (QA: a breastfeeding 16-year-old at 900 kcal was told to plan
    --protein 71, which was then refused: more than the AMDR's 30% of at most 945 kcal)."""
    excess = protein_excess(protein_g, targets.kcal_range.high, targets.protein_pct)
    if excess is None or targets.kcal_window is not None:
        return ""
    share = targets.protein_pct.high if targets.protein_pct is not None else 1.0
    target = math.ceil(protein_g * KCAL_PER_G["protein_g"] / share / (1 + targets.kcal_tolerance))
    return (f", with calories of at least {target:,} kcal a day (--calories, or calories in a file): {protein_g:.0f} g "
            f"is {excess}")


def _on_days(count: int, days: int) -> str:
    """'on the plan's day', 'on 1 of the plan's 7 days' or 'on 3 of the plan's 7 days'."""
    return "on the plan's day" if days == 1 else f"on {count} of the plan's {days} days"


def _range(values: list[float], unit: str = "mg", *, under: float | None = None,
           over: float | None = None) -> str:
    """'654 mg' or '364–541 mg' ('9%', '9–12%'): each end in whole units rounded to the nearest,
    as the day lines print a day's total, so that a note and its days agree (QA: a fiber note's
    "45–64 g" beside days of 46 and 65 g). With ``under`` (``over``), the threshold the values
    are said to be under (over), an end that would round to it or past it is rounded down (up)
    instead, so the claim stays true (QA: 999.74 mg of calcium read "1,000 mg, under the RDA of
    1,000 mg")."""

    def whole(value: float) -> int:
        shown = round(value)  # as f"{value:.0f}" prints it
        if under is not None and shown >= under:
            return math.floor(value)
        if over is not None and shown <= over:
            return math.ceil(value)
        return shown

    low, high = whole(min(values)), whole(max(values))
    unit = unit if unit == "%" else f" {unit}"
    return f"{low:,}{unit}" if low == high else f"{low:,}–{high:,}{unit}"


def _over(value: float, limit: float) -> str:
    """``value``, over ``limit``, to 0.1, rounded up and never to ``limit`` itself (as _range
    keeps an end off its threshold: a value printed equal to the limit it is said to pass
    contradicts itself)."""
    shown = math.ceil(round(value * 10, 9)) / 10
    return f"{max(shown, math.floor(limit * 10) / 10 + 0.1):,.1f}"


def request_record(inputs: PlanInputs) -> dict[str, Any]:
    """What the plan was asked, as plain data, so that anyone can reproduce it."""
    return {
        # As given, so that Profile(**profile) asks it again (docs/json.md: the request echoes
        # the options); the member's record says what had a part (targets.profile_record).
        "profile": dataclasses.asdict(inputs.profile),
        "days": inputs.days,
        "weekly_average": inputs.weekly_average,
        "seed": inputs.seed,
        "balance": dataclasses.asdict(inputs.balance),
        "variety": dataclasses.asdict(inputs.variety),
        "preferences": _preferences_record(inputs.preferences),
        # The gap solved to, the default one too (QA: null when the default applied).
        "solver": dataclasses.asdict(for_days(inputs.solve_options, inputs.days)),
        "foods": inputs.catalog.described,
    }


def check_variety(variety: Variety, days: int) -> None:
    """Raise InputError for a variety rule of the wrong type or out of range for ``days``."""
    for name in ("max_days_per_food", "min_foods_per_day", "min_categories_per_day"):
        value = getattr(variety, name)  # API QA: "2" gave a raw TypeError
        if not (is_whole(value) or (value is None and name == "max_days_per_food")):
            raise InputError(f"{name} {value!r} is not a whole number; give e.g. Variety({name}=4)")
    if not isinstance(variety.distinct_consecutive_days, bool):
        raise InputError(f"distinct_consecutive_days {variety.distinct_consecutive_days!r} is not true or false")
    if variety.max_days_per_food is not None and not (1 <= variety.max_days_per_food <= days):
        raise InputError(f"max days per food {variety.max_days_per_food} is out of range; give 1 to {days}")
    if not (1 <= variety.min_foods_per_day <= 16):
        raise InputError(f"min foods per day {variety.min_foods_per_day} is out of range; give 1 to 16")
    if not (1 <= variety.min_categories_per_day <= 10):
        raise InputError(f"min categories per day {variety.min_categories_per_day} is out of range; give 1 to 10")


def main_meal_notes(foods: tuple[Food, ...]) -> list[str]:
    """A warning for each group lunch and dinner must hold (model.add_meal_structure) of
    which no food is left: the plan goes without it rather than fail. QA: a vegan plan with
    legumes, nuts and seeds left out had lunches and dinners with no protein food, and said
    nothing."""
    return [f"no food for lunch or dinner is {gap} after the exclusions, so lunch and dinner have none"
            for gap in main_meal_gaps(foods)]  # fmt: skip


# The allergens whose traces a diet forbids by its ingredients but a "may contain" label
# warns of: mealplan keeps such a food in the diet (most vegans eat bread and dark chocolate
# whose packs say "may contain milk"), and says so in the plan.
DIET_TRACES: Mapping[str, tuple[str, ...]] = {
    "vegan": ("milk", "egg", "fish", "shellfish"),
    "vegetarian": ("fish", "shellfish"),
}


def trace_notes(diets: tuple[str, ...], foods: Iterable[Food]) -> list[str]:
    """A note for each planned food that keeps a diet by its ingredients while its packaged
    forms may hold traces of what the diet leaves out (QA: a vegan plan could hold
    whole-wheat bread, which may contain milk, where --diet dairy-free leaves it out)."""
    notes = []
    for food in sorted(set(foods), key=lambda f: f.name):
        traces = [a for diet in diets for a in DIET_TRACES.get(diet, ()) if a in food.may_contain]
        if traces:
            what = " or ".join(dict.fromkeys(t.replace("_", " ") for t in traces))
            kept = " and ".join(diets)
            notes.append(f"{food.name}: packaged forms may contain traces of {what}; it keeps your {kept} diet by "
                         "its ingredients, so read the label if traces matter to you")  # fmt: skip
    return notes


def _needed(targets: Targets) -> list[str]:
    """The nutrients ``targets`` constrain, whose values a food must have to be planned."""
    needed = ["energy_kcal", "magnesium_mg"]
    if targets.protein_pct is not None:
        needed += list(KCAL_PER_G)
    if targets.fiber_g_per_1000kcal is not None:
        needed.append("fiber_g")
    if targets.sodium_max_mg is not None:
        needed.append("sodium_mg")
    needed += list(targets.upper_limits_mg)
    return needed


def check_required_measured(resolved: Resolved, targets: Targets) -> None:
    """InputError for a required food that usable_foods would leave out. QA: soymilk added
    from USDA (16222, zinc not measured) and required gave a week without it and a warning,
    and a day "no 1-day plan keeps every rule … consecutive days must differ"."""
    needed = _needed(targets)
    labels = {n.column: n.label.lower() for n in NUTRIENTS}
    for food in (f for f in resolved.foods if f.ndb_no in resolved.required):
        missing = [n for n in needed if food.per_100g.get(n) is None]
        if missing:
            typed = resolved.required_as.get(food.ndb_no, food.name)
            # Review: when only upper levels need the value, planning without them is a way out too.
            only_limits = all(n in targets.upper_limits_mg for n in missing)
            what = "the upper intake levels need" if only_limits else "the targets need"
            other = " (or plan without the upper intake levels: --no-upper-limits)" if only_limits else ""
            unknown = ", ".join(labels[n] for n in missing)
            raise InputError(f"{food.name} is required, but USDA has no value for {unknown}, which {what}, so it "
                             f"cannot be planned{other}; drop --require {typed}")  # fmt: skip


# A plan's caffeine_basis when the person's own wishes leave no caffeinated drink to cap.
NO_CAFFEINE_CAP_BASIS = "no cap: the foods asked for hold no caffeinated drink"


def caffeine_as_wished(targets: Targets, wished: Iterable[Food]) -> Targets:
    """``targets`` without their cap on caffeinated drinks when none of ``wished`` (the foods
    the person's own wishes leave: resolve's, before the age rules) is one: ``--exclude
    caffeine`` or a foods file without coffee and tea (QA: such a plan still said "caffeinated
    drinks ≤ 3 servings a day", a cap nothing could reach). The model adds no caffeine row
    without a caffeinated food either way, so plans are the same. A cap the age rules make
    (none under 14; at 14–18 and in pregnancy one, planned only when asked for) is kept: its
    line says the rule."""
    if not targets.caffeinated_servings_max or any(is_caffeinated(f) for f in wished):
        return targets
    return dataclasses.replace(targets, caffeinated_servings_max=None, caffeine_basis=NO_CAFFEINE_CAP_BASIS)


def usable_foods(foods: tuple[Food, ...], targets: Targets) -> tuple[tuple[Food, ...], list[str]]:
    """Foods whose values are known for every nutrient the targets constrain.

    A blank value is "not measured": counting it as 0 could hide sodium or overstate
    fiber, so such a food is left out with a warning instead (a required one is refused:
    check_required_measured).
    """
    needed = _needed(targets)
    kept, warnings = [], []
    for food in foods:
        missing = [n for n in needed if food.per_100g.get(n) is None]
        if missing:
            warnings.append(f"{food.name} ({food.ndb_no}) left out: USDA has no value for {', '.join(missing)}")
        else:
            kept.append(food)
    return tuple(kept), warnings


def _preferences_record(prefs: Preferences) -> dict[str, Any]:
    record = dataclasses.asdict(prefs)
    record["exclude"] = list(prefs.exclude)
    record["diets"] = list(prefs.diets)
    return record


def _unpriced_note(built: BuiltSpec) -> str:
    """A sentence for a refused plan whose budget left foods out for having no price (QA:
    one priced food and a budget gave "no change of a single option makes a plan possible",
    where the cause was the 106 foods without a price)."""
    unpriced = sum(1 for why in built.resolved.excluded.values() if why.option == "--budget")
    if not unpriced:
        return ""
    return (f" Also, with --budget the {unpriced} foods without a price in the prices file are left out; "
            "price them, or drop --budget.")  # fmt: skip


def _raise_unless_plan(result: SolveResult, inputs: PlanInputs, built: BuiltSpec) -> None:
    on_average = inputs.weekly_average and inputs.days > 1  # one day's average is that day
    if result.status == "infeasible" or (result.status == "no_solution" and on_average):
        from .explain import MG_EPS, explain_infeasible

        explanation = dataclasses.replace(explain_infeasible(inputs, built), on_average=on_average)
        # QA: a week on average whose days cannot reach the RDA, even one day at its best, ran
        # the whole time limit to "found no plan" (exit 4), where the same week asked every
        # day was explained: no day reaching it, no days average it, which is a proof.
        best = explanation.most_mg()  # proven: a day found but not proven the best is no proof
        if result.status == "infeasible" or (best is not None and best < built.targets.magnesium_mg - MG_EPS):
            raise InfeasiblePlan(explanation.text() + _unpriced_note(built), explanation)
    if result.status == "no_solution":
        options = inputs.solve_options
        budget = inputs.preferences.budget
        # QA: --budget 25 ran out of time with no word of the budget, where 27 planned and
        # 20 was explained; a week near the cheapest possible is the hard one to find.
        fix = ("raise --time-limit or relax the request" if budget is None else
               f"with --budget {budget:g} a plan may not exist, or be hard to find so near the cheapest week: try a "
               "larger --budget, or raise --time-limit")  # fmt: skip
        raise SolverError(f"{result.solver} found no plan within the time limit of {options.time_limit_s:g} s; {fix}")


LIKED_NOT_PLANNED_START = "liked but not planned: "


def liked_not_planned(resolved: Resolved, usable: Iterable[Food], member: MemberPlan, *,
                      said_for: LikedSaidFor = "flags") -> tuple[str, ...]:
    """A warning naming the foods the user liked by name of which the plan has none (QA:
    --like salmon planned no salmon and said nothing), none otherwise. A food an age rule or a
    missing value left out is told elsewhere (for_age, usable_foods). ``said_for``: the fix is
    said in flags, in a household file's keys, or for a shared menu, which weighs a food by
    the members' mean like (one member's like of 3 is 1.5 for two)."""
    planned = {item.food.ndb_no for day in member.days for item in day.items}
    kept = {f.ndb_no for f in usable}
    names: dict[str, bool] = {}
    for ndb_no, name in resolved.liked_as.items():
        if ndb_no in kept:
            names[name] = names.get(name, False) or ndb_no in planned
    missed = [name for name, eaten in names.items() if not eaten]
    if not missed:
        return ()
    example = missed[0]
    fix = {
        "flags": f"give a like more weight (--like {example}=3) or require it (--require {example})",
        "file": f'give a like more weight (like = ["{example}=3"]) or require it (require = ["{example}"])',
        "shared menu": f'the shared menu weighs a food by the members\' mean like, so like it for the whole household '
                       f'([household] like = ["{example}=3"]) or require it (require = ["{example}"])',
    }[said_for]  # fmt: skip
    return (f"{LIKED_NOT_PLANNED_START}{listed(missed)}: the plan prefers the foods richest in magnesium for their "
            f"calories, and a like of 1 counts as much as twice that richness; {fix}",)


# A plan that took more than this many times the time limit (and at least a second more)
# says so: a solver stops a little after its limit, and models are built outside it.
OVERRUN_FACTOR = 1.1


OVERRUN_START = "planning took"


def overrun_warning(result: SolveResult, options: SolveOptions, days: int) -> tuple[str, ...]:
    """A warning when planning took well beyond ``--time-limit`` (none otherwise): the user
    who asked for the limit should hear that it was not kept, and why. A week gives each
    day at least MIN_DAY_S, and a day that has no plan when its share of the limit ends
    gets the whole limit once (see strategy._solve_day), so a slow solver or a tiny limit
    can take several times the limit."""
    limit = options.time_limit_s
    if result.seconds <= max(limit * OVERRUN_FACTOR, limit + 1.0):
        return ()
    why = ""
    if days > 1:
        why = (f": a week gives each day at least {MIN_DAY_S:g} s of solving, and a day still without a plan "
               "when its share of the limit runs out gets the whole limit once")  # fmt: skip
    faster = "; --solver cbc is faster on these models" if result.solver == "highs" else ""
    return (f"{OVERRUN_START} {result.seconds:.1f} s, more than the time limit of {limit:g} s{why}{faster}",)


def timing_warning(result: SolveResult, by_days: bool = True) -> tuple[str, ...]:
    """A warning when the time limit, not the search, ended a solve or a step (see
    SolveResult.timed_out), none otherwise: such a plan depends on how fast the machine ran,
    and a user who reruns the request should know why the plan can change. ``by_days``: the
    plan was solved day by day (a plan of more than a day, strategy), each with a share."""
    if not result.timed_out:
        return ()
    # QA: read as contradicting a run of 4 s against a limit of 20 s, where a day's search of a
    # week had run out of its share; review: a one-model day has no share (QA: a 1-day plan
    # was told of "a day of a longer plan").
    share = " (a day of a longer plan gets a share of the time limit)" if by_days else ""
    return (f"a search stopped at its time{share}, not at its end, so the same request can give another plan on a "
            "busier or quieter machine; raise --time-limit (or --gap) for a plan that repeats",)  # fmt: skip


def verify(plan: Plan, spec: ModelSpec | None = None, portions: Mapping[Key, int] | None = None) -> None:
    """Recheck every claimed target on recomputed totals, the budget on the plan's cost, and
    (given the model's ``spec`` and the solution's ``portions``) every variety rule, required
    and left-out food (model.rule_breaches); a breach is a solver fault."""
    broken = next((c for c in plan.checks() if not c.ok), None)
    if broken is not None:
        day = "" if broken.day is None else f" on day {broken.day + 1}"
        fault = f"breaks {broken.name}{day} ({broken.value:.4g} outside {broken.low}–{broken.high})"
    elif plan.cost is not None and plan.budget is not None and plan.cost > plan.budget * (1 + 1e-6) + 1e-6:
        fault = f"costs {plan.cost:.2f}, over the budget of {plan.budget:.2f}"
    elif spec is not None and portions is not None and (breaches := rule_breaches(spec, portions)):
        fault = f"breaks a rule it keeps ({breaches[0]})"
    else:
        return
    other = "highs" if plan.solve.solver == "cbc" else "cbc"
    raise SolverError(f"the solver's plan {fault}; numerical trouble, try --solver {other}")


def targets_table(profile: Profile, balance: Balance | None = None) -> Mapping[str, Any]:
    """The targets of ``profile`` as plain data (for ``mealplan targets``)."""
    return dataclasses.asdict(targets_for(profile, balance))

"""Top-up mode: the snacks and add-ons to usual meals that close the gap between a
person's usual magnesium intake and their RDA, within a calorie budget, over days with
variety.

The rest of the person's diet is unknown, so none of a full plan's balance rules apply
(macronutrient ranges, fiber, sodium, the split of calories across meals). Every day d:

    Mg[d] ≥ RDA − usual intake          kcal[d] ≤ budget

in whole or half servings, at most TOPUP_MAX_ITEMS foods a day (each a snack when the
food suits one, else an add-on to a meal it suits), a food on at most k days
(TOPUP_DAYS_PER_FOOD of 7 unless --max-days-per-food), consecutive days differing, and
the user's exclusions, required foods, caps and money budget. Among such plans the model
picks the fewest items, then the fewest calories; liked foods count as less, disliked
ones as more.

It is solved by day patterns (solve_by_patterns: which sets of foods, on how many days),
which proves the optimum in about a second, or, with a money budget or past a week, as one
model of every day's portions (build_topup_model).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulp

from .catalog import Catalog, Food, given_or_default
from .errors import InfeasiblePlan, InputError, SolverError, is_number, typed
from .explain import (
    EXPLAIN_MIN_S,
    EXPLAIN_TIMES,
    HELD_BY,
    MIN_CHECK_S,
    Binding,
    Explanation,
    Relaxation,
    budget_relaxation,
    each_exclusion_dropped,
    foods_left,
    held_by,
)
from .kinds import is_caffeinated
from .model import (
    WINDOW_DAYS,
    Variety,
    day_cap_half_servings,
    days_for_food,
    forms_among,
    scaled_caps,
    window_limit,
    window_runs,
)
from .plan import Day, MemberPlan, Plan, TopupInfo, items_from, plan_cost, unpriced_warning
from .planner import (
    BUDGET_DAYS,
    DATA_RELEASE,
    MAX_DAYS,
    _preferences_record,
    age_notes,
    caffeine_as_wished,
    caffeine_exclusion_notes,
    check_required_measured,
    diet_notes,
    for_age,
    magnesium_ul_notes,
    pregnancy_food_notes,
    timing_warning,
    usable_foods,
    verify,
)
from .preferences import Preferences, Resolved, added_food_warnings, resolve
from .solver import TOPUP_DEFAULT_SOLVER, TOPUP_PROBLEM, SolveOptions, SolveResult, for_days, solve, solved_start
from .targets import Profile, Range, Targets, caffeine_limit, magnesium_target, portion_scale

# The top-up objective (minimised) counts foods: each food a day costs 1, less
# PREFERENCE_WEIGHT per unit of like, plus a seeded tie-break of at most TIE_BREAK_WEIGHT
# that picks among equally small top-ups.
PREFERENCE_WEIGHT = 0.5
TIE_BREAK_WEIGHT = 0.01

TOPUP_MAX_ITEMS = 3  # foods a day: a top-up is a snack or two, not another meal
# A gap under this share of the RDA (10 mg of 320) is noted as small: its top-up is a few
# milligrams, such as QA's 2 1/2 cups of green tea for 6 mg.
SMALL_GAP_SHARE = 0.03
# A food on at most this share of the days unless the user says otherwise: a top-up is
# small, so it should at least vary.
TOPUP_DAYS_PER_FOOD = 3 / 7
MIN_INTAKE_MG, MAX_INTAKE_MG = 0.0, 2000.0
MIN_TOPUP_KCAL, MAX_TOPUP_KCAL = 20.0, 2000.0
KCAL_WEIGHT = 0.5  # a day's whole calorie budget weighs half an item in the objective
KCAL_STEP = 10.0  # a larger calorie budget is suggested on this grid
EXPLAIN_SOLVE_S = 5.0  # the most one check of an explanation may take (see _Checks)
# The most each of the two further solves may take when a top-up search ends at its time
# limit with nothing found (see _rescue).
RESCUE_SOLVE_S = 5.0
# The plan's solver method when the usual intake already meets the RDA: nothing is solved.
NO_TOPUP_METHOD = "no top-up needed, nothing solved"


@dataclass(frozen=True)
class Topup:
    """A top-up: what it adds to, and the plan. When no top-up is needed the plan has no
    items, so a file asked for still gets a valid document a script can read."""

    info: TopupInfo
    profile: Profile
    plan: Plan

    @property
    def needed(self) -> bool:
        return self.info.gap_mg > 0

    def no_topup_message(self) -> str:
        return self.info.no_topup_message(self.profile.describe())


def plan_topup(
    profile: Profile,
    *,
    current_intake_mg: float,
    kcal_budget: float,
    days: int = 7,
    foods: Catalog | None = None,
    preferences: Preferences | None = None,
    variety: Variety | None = None,
    seed: int = 0,
    solve_options: SolveOptions | None = None,
) -> Topup:
    """The snacks and add-ons that bring ``current_intake_mg`` up to the RDA every day
    within ``kcal_budget`` kcal a day (see the module docstring).

    Raises InputError for values out of range, InfeasiblePlan (with ``.explanation``) when
    the gap cannot be closed within the budget, SolverError when the solver fails.
    """
    _check(current_intake_mg, kcal_budget, days)
    current_intake_mg += 0.0  # -0 is 0 (QA: "your usual -0 mg")
    rda, basis = magnesium_target(profile)
    info = TopupInfo(rda_mg=rda, current_intake_mg=current_intake_mg, kcal_budget=kcal_budget)
    catalog = given_or_default(foods)
    preferences = preferences or Preferences()
    # With the default k, a top-up longer than a week keeps it in any week of it too (QA: a
    # 28-day top-up alternated espresso and swiss chard, 4 of days 15–21, where help says 3 in 7).
    window = math.ceil(WINDOW_DAYS * TOPUP_DAYS_PER_FOOD) if variety is None and days > WINDOW_DAYS else None
    variety = variety or Variety(max_days_per_food=max(1, math.ceil(days * TOPUP_DAYS_PER_FOOD)))
    # The gap solved to, recorded below; HiGHS unless the caller chose (TOPUP_DEFAULT_SOLVER).
    solve_options = for_days(solve_options or SolveOptions(solver=TOPUP_DEFAULT_SOLVER), days)
    if variety.max_days_per_food is not None and not (1 <= variety.max_days_per_food <= days):
        raise InputError(f"max days per food {variety.max_days_per_food} is out of range; give 1 to {days}")
    caffeine = caffeine_limit(profile)
    wished = resolve(preferences, catalog, days)
    targets = caffeine_as_wished(topup_targets(info, basis, caffeine), wished.foods)
    resolved = for_age(wished, profile)
    request = {
        "mode": "topup",
        "profile": dataclasses.asdict(profile),
        "current_intake_mg": current_intake_mg,
        "kcal_budget": kcal_budget,
        "days": days,
        "weekly_average": False,  # the gap is closed every day
        "seed": seed,
        # No balance rule applies to a top-up (see the module docstring); the schema asks for these.
        "balance": {"macros": False, "fiber": False, "sodium": False, "upper_limits": False,
                    "kcal_tolerance": targets.kcal_tolerance},
        "variety": dataclasses.asdict(variety),
        "preferences": _preferences_record(preferences),
        "solver": dataclasses.asdict(solve_options),
        "foods": catalog.described,
    }
    if info.gap_mg <= 0:
        # Nothing to close, so nothing is solved: the top-up is empty, which is trivially the best.
        nothing = SolveResult("optimal", solve_options.solver, objective=0.0, bound=0.0, gap=0.0, seconds=0.0, nodes=0)
        empty = MemberPlan(profile, targets, tuple(Day(d, ()) for d in range(days)))
        return Topup(info, profile, _topup_plan(empty, info, nothing, NO_TOPUP_METHOD, request, catalog, resolved, ()))
    check_required_measured(resolved, targets)
    usable, warnings = usable_foods(resolved.foods, targets)
    warnings += [*added_food_warnings(resolved, catalog), *age_notes(profile)]
    if info.gap_mg < SMALL_GAP_SHARE * info.rda_mg:  # QA: 2 1/2 cups of green tea for 6 mg
        warnings.append(
            f"your usual {info.current_intake_mg:g} mg is only {_short_mg(info.gap_mg)} mg short of the RDA of "
            f"{info.rda_mg:g} mg; the top-up closes it all the same, though an estimate of a usual intake is seldom "
            "that exact"
        )
    spec = TopupSpec(usable, days, info, resolved, variety, seed, caffeinated_servings_max=caffeine[0],
                     portion_scale=portion_scale(profile.age), window=window)  # fmt: skip
    by_patterns = solve_by_patterns(spec, solve_options)
    if by_patterns is not None:
        result, solution = by_patterns
        method = PATTERN_METHOD
    else:
        result, solution = _solve_compact(spec, solve_options, warnings)
        method = "top-up model"
    if result.status == "infeasible":
        explanation = explain_topup(spec, solve_options, preferences, catalog)
        raise InfeasiblePlan(explanation.text(), explanation)
    if not result.has_plan:
        # QA: a pregnant 16-year-old's 200 kcal found none in 20 + 5 s, nor in 45 + 5 s with HiGHS,
        # and planned in 8 s with --max-days-per-food 4 or --calories 300: there may be none, and
        # more room is the likelier way out than more time.
        k = variety.days_per_food(days)
        more_days = f" or --max-days-per-food {k + 1}" if k < days else ""
        raise SolverError(
            f"{result.solver} found no top-up within the time limit of {solve_options.time_limit_s:g} s, nor in a "
            f"further {result.seconds:.1f} s, and there may be none: give it more room (a larger --calories"
            f"{more_days}), or raise --time-limit"
        )
    by_ndb = {f.ndb_no: f for f in usable}
    half_servings = {(0, d, topup_slot(by_ndb[f]), f): n for (d, f), n in solution.items()}
    member = MemberPlan(profile, targets, items_from(half_servings, by_ndb, 0, days))
    # A top-up stopped by the time limit says so, as a plan does (QA: timed_out, no warning).
    warnings += timing_warning(result, by_days=False)  # one model for all its days
    warnings += [*pregnancy_food_notes(member), *caffeine_exclusion_notes(member, resolved),
                 *diet_notes(resolved.diets), *_caffeine_notes(member, caffeine)]
    plan = _topup_plan(member, info, result, method, request, catalog, resolved, tuple(warnings),
                       magnesium_ul_notes(profile))
    verify(plan)
    _check_variety(spec, solution)
    return Topup(info, profile, plan)


def _solve_compact(spec: TopupSpec, options: SolveOptions, warnings: list[str]
                   ) -> tuple[SolveResult, dict[TopupKey, int]]:  # fmt: skip
    """The top-up MILP (build_topup_model) solved whole; when its search ends at the time limit
    with nothing found, a second try (_rescue), said in ``warnings``."""
    model = build_topup_model(spec)
    result = solve(model.prob, options)
    searched_s = result.seconds
    if result.status == "no_solution":
        result = _rescue(model, options)
        if result.has_plan:
            warnings.append(
                f"{result.solver} found no top-up within the time limit of {options.time_limit_s:g} s; this one "
                f"comes from a further {result.seconds:.1f} s that looked for any top-up first, so it may hold more "
                "items or calories than the best one: a larger --calories or --time-limit gives the solver more room"
            )
            result = dataclasses.replace(result, seconds=searched_s + result.seconds, timed_out=True)
    return result, model.solution() if result.has_plan else {}


# ------------------------------------------------------------------ by day patterns
#
# A top-up's days differ only in which foods they hold: every day has the same gap, calorie
# budget, caps and costs. So the top-up can be planned from the day patterns, the sets of at
# most TOPUP_MAX_ITEMS foods that can close the gap within the budget, each with the portions
# that cost it least: choose how many days n_S each pattern S gets,
#
#     min Σ_S cost_S·n_S   Σ_S n_S = days;   Σ_{S∋f} n_S ≤ k_f;   Σ_{S∋f} n_S ≥ required_f;
#     Σ_{S meets forms F} n_S ≤ k_F;   n_S ≤ ⌈days/2⌉ (when consecutive days must differ),
#
# and order the days so that no two in a row have the same pattern, which a multiset can be
# when no pattern is on more than half of the days (rounded up). This is the compact model's
# optimum (build_topup_model), found by a model of a few thousand integers whose LP is tight:
# QA's 7-day top-up from 0 mg within 300 kcal was proven optimal at 17.279 in 0.8 s, where
# the compact model stopped at the 20 s limit at 17.292 (HiGHS, 11.6% from its bound) or
# 17.442 (CBC, 21.8%); at 190 kcal, 23.607 in 0.3 s against 23.885 and 24.031 unproven.
#
# A pattern S is left out when a proper subset S' of it is one too and costs no more, S's
# other foods are not required, and S' holds a food on at most ⌈days/2⌉ days: any plan
# using S can use S' instead (fewer foods used, none required lost, and no pattern on more
# than half of the days). Top-ups with a money budget or a window (longer than a week) keep
# the compact model, and so does a pool with more than MAX_PATTERNS patterns left.
MAX_PATTERNS = 30_000
PATTERN_METHOD = "top-up by day patterns"


@dataclass(frozen=True)
class _Pattern:
    foods: tuple[int, ...]  # indices into the foods considered
    half_servings: tuple[int, ...]
    kcal: float
    cost: float


@dataclass(frozen=True)
class DayPatterns:
    """A top-up's day patterns, over ``foods`` (the foods of which some portion fits the
    budget), with what the choice of patterns needs of each food."""

    foods: list[Food]
    form: list[str]  # the food it is a form of (model.forms_of_foods)
    k: list[int]  # most days
    patterns: list[_Pattern]


def solve_by_patterns(spec: TopupSpec, options: SolveOptions) -> tuple[SolveResult, dict[TopupKey, int]] | None:
    """The top-up planned by day patterns (see above), or None when they do not cover it."""
    if spec.window is not None or spec.resolved.budget is not None or not spec.magnesium_floor:
        return None
    began = time.perf_counter()
    found = day_patterns(spec)
    if found is None:
        return None
    result, counts = _choose_patterns(found, spec, options)
    result = dataclasses.replace(result, seconds=time.perf_counter() - began)
    if not result.has_plan:
        return result, {}
    solution: dict[TopupKey, int] = {}
    for d, pattern in enumerate(_arranged(counts)):
        for i, n in zip(pattern.foods, pattern.half_servings, strict=True):
            solution[d, found.foods[i].ndb_no] = n
    return result, solution


def day_patterns(spec: TopupSpec) -> DayPatterns | None:
    """Every day pattern of ``spec`` that no cheaper pattern inside it makes needless (see
    above), at its cheapest portions; None past MAX_PATTERNS."""
    gap, budget, days = spec.info.gap_mg, spec.info.kcal_budget, spec.days
    required = spec.resolved.required
    item_cost = item_costs(spec)
    kcal_weight = KCAL_WEIGHT / budget
    foods: list[Food] = []
    portions: list[list[tuple[int, float, float]]] = []  # (half servings, mg, kcal) within the budget
    for food in spec.foods:
        cap, least = _caps(spec, food)
        mg, kcal = ((food.per_serving(n) or 0.0) / 2 for n in ("magnesium_mg", "energy_kcal"))
        fits = [(n, mg * n, kcal * n) for n in range(least, cap + 1) if kcal * n <= budget + 1e-9]
        if fits:
            foods.append(food)
            portions.append(fits)
    cost = [item_cost[f.ndb_no] for f in foods]
    most_mg = [max(mg for _n, mg, _k in fits) for fits in portions]
    form = [f.raw_ndb_no or f.ndb_no for f in foods]
    # One form of a food a day, as in the compact model: but for a food the user requires.
    grouped = set(forms_among(foods, required))
    k = [days_for_food(spec.variety, days, required.get(f.ndb_no, 0)) for f in foods]
    # A pattern with a food on at most half of the days (rounded up) is never on more days than
    # that itself, so it may stand in for the larger patterns that hold it (see the comment above).
    may_cover = [not spec.variety.distinct_consecutive_days or most <= math.ceil(days / 2) for most in k]
    caffeinated = [is_caffeinated(f) for f in foods]
    category_caps = {c: 2 * v for c, v in spec.resolved.category_caps.items()}
    drinks_cap = None if spec.caffeinated_servings_max is None else 2 * spec.caffeinated_servings_max

    def allowed(idx: tuple[int, ...], ns: tuple[int, ...]) -> bool:
        if drinks_cap is not None and sum(n for i, n in zip(idx, ns, strict=True) if caffeinated[i]) > drinks_cap:
            return False
        return all(sum(n for i, n in zip(idx, ns, strict=True) if foods[i].category == cat) <= most
                   for cat, most in category_caps.items())  # fmt: skip

    def cheapest(idx: tuple[int, ...]) -> tuple[tuple[int, ...], float] | None:
        """The portions of the foods ``idx`` that close the gap in the fewest kcal. For given
        portions of the others, the last food's is the least that closes the gap: more of it
        only adds kcal, servings of a capped category and caffeinated servings."""
        *first, last = idx
        least, step_mg = portions[last][0][0], portions[last][0][1] / portions[last][0][0]
        step_kcal = portions[last][0][2] / least
        best: tuple[tuple[int, ...], float] | None = None
        for choice in itertools.product(*(portions[i] for i in first)):
            short = gap - sum(c[1] for c in choice)
            n = least if short <= 1e-9 else max(least, math.ceil(short / step_mg - 1e-9)) if step_mg > 0 else None
            if n is None or n > portions[last][-1][0]:
                continue
            kcal = sum(c[2] for c in choice) + step_kcal * n
            ns = (*(c[0] for c in choice), n)
            if kcal <= budget + 1e-9 and (best is None or kcal < best[1]) and allowed(idx, ns):
                best = ns, kcal
        return best

    patterns: dict[tuple[int, ...], _Pattern] = {}
    for size in range(1, TOPUP_MAX_ITEMS + 1):
        for idx in itertools.combinations(_candidates(patterns, cost, may_cover, bool(required), size), size):
            held = [form[i] for i in idx if form[i] in grouped]
            if sum(most_mg[i] for i in idx) < gap - 1e-9 or len(set(held)) < len(held):
                continue
            floor = sum(cost[i] for i in idx)
            if any(_covers(patterns.get(sub), floor, idx, sub, foods, required, may_cover)
                   for sub in _proper_subsets(idx)):  # fmt: skip
                continue
            found = cheapest(idx)
            if found is not None:
                patterns[idx] = _Pattern(idx, found[0], found[1], floor + kcal_weight * found[1])
            if len(patterns) > MAX_PATTERNS:
                return None
    return DayPatterns(foods, form, k, list(patterns.values()))


def _candidates(patterns: Mapping[tuple[int, ...], _Pattern], cost: list[float], may_cover: list[bool],
                any_required: bool, size: int) -> list[int]:  # fmt: skip
    """The foods that sets of ``size`` are drawn from. Without required foods, a food whose
    pattern alone covers every set that holds it (_covers: it costs no more than its own cost
    plus the cheapest other food's) is left out of the larger sets, which would all be
    passed over one by one (a loose budget: 200,000 triples to look at, of which none is
    kept)."""
    everyone = list(range(len(cost)))
    if size == 1 or any_required:
        return everyone
    cheapest = min(cost)  # each other food of a set costs at least this
    alone = {key[0] for key, p in patterns.items()
             if len(key) == 1 and p.cost <= cost[key[0]] + (size - 1) * cheapest and may_cover[key[0]]}
    return [i for i in everyone if i not in alone]


def _proper_subsets(idx: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [sub for size in range(1, len(idx)) for sub in itertools.combinations(idx, size)]


def _covers(sub: _Pattern | None, floor: float, idx: tuple[int, ...], sub_idx: tuple[int, ...], foods: list[Food],
            required: Mapping[str, int], may_cover: list[bool]) -> bool:  # fmt: skip
    """Whether the pattern ``sub`` (of foods ``sub_idx``, a proper subset of ``idx``) leaves no
    reason to plan ``idx``, whose cost is at least ``floor`` (see the comment above)."""
    if sub is None or sub.cost > floor + 1e-12:
        return False
    if any(foods[i].ndb_no in required for i in idx if i not in sub_idx):
        return False
    return any(may_cover[i] for i in sub_idx)


def _choose_patterns(found: DayPatterns, spec: TopupSpec, options: SolveOptions
                     ) -> tuple[SolveResult, list[tuple[_Pattern, int]]]:  # fmt: skip
    """How many days each pattern gets: the model above, solved by the user's solver."""
    patterns, foods, form, k, days = found.patterns, found.foods, found.form, found.k, spec.days
    prob = pulp.LpProblem(TOPUP_PROBLEM, pulp.LpMinimize)
    most = math.ceil(days / 2) if spec.variety.distinct_consecutive_days and days > 1 else days
    n = [prob.add_variable(f"n_{j}", 0, most, pulp.LpInteger) for j in range(len(patterns))]
    prob += pulp.lpSum(p.cost * v for p, v in zip(patterns, n, strict=True))
    prob += pulp.lpSum(n) == days, "days"
    with_food: dict[int, list[pulp.LpVariable]] = {}
    with_form: dict[str, list[pulp.LpVariable]] = {}
    for p, v in zip(patterns, n, strict=True):
        for i in p.foods:
            with_food.setdefault(i, []).append(v)
            with_form.setdefault(form[i], []).append(v)
    for i, vs in with_food.items():
        if len(vs) * most > k[i]:
            prob += pulp.lpSum(vs) <= k[i], f"days_per_food:{foods[i].ndb_no}"
    limit = days_for_food(spec.variety, days, 0)  # a food's forms together, none required
    for raw in forms_among(foods, spec.resolved.required):
        vs = with_form.get(raw, [])
        if len(vs) * most > limit:
            prob += pulp.lpSum(vs) <= limit, f"days_per_forms:{raw}"
    index = {f.ndb_no: i for i, f in enumerate(foods)}
    for ndb_no, times in spec.resolved.required.items():
        vs = with_food.get(index[ndb_no], []) if ndb_no in index else []
        prob += pulp.lpSum(vs) >= min(times, days), f"required:{ndb_no}"
    if not patterns:
        prob += pulp.LpAffineExpression() >= 1, "no_pattern"  # nothing closes the gap: infeasible
    result = solve(prob, options)
    counts = [(p, round(v.value() or 0)) for p, v in zip(patterns, n, strict=True)] if result.has_plan else []
    return result, [(p, c) for p, c in counts if c > 0]


def _arranged(counts: list[tuple[_Pattern, int]]) -> list[_Pattern]:
    """The days in an order where no two in a row have the same pattern: each day the pattern
    with the most days left, not the day before's (the counts keep every pattern to at most
    half of the days, rounded up, which this order needs)."""
    left = {p.foods: c for p, c in counts}
    by_foods = {p.foods: p for p, _c in counts}
    order: list[_Pattern] = []
    while left:
        choices = sorted(left, key=lambda foods: (-left[foods], foods))
        pick = next((foods for foods in choices if not order or foods != order[-1].foods), choices[0])
        order.append(by_foods[pick])
        left[pick] -= 1
        if left[pick] == 0:
            del left[pick]
    return order


def _check_variety(spec: TopupSpec, solution: Mapping[TopupKey, int]) -> None:
    """Recheck the top-up's rules across days on the plan (a breach is a solver fault): a food on
    at most k days, one form of a food a day, consecutive days differing, required days."""
    eaten: dict[int, set[str]] = {d: set() for d in range(spec.days)}
    for (d, f), n in solution.items():
        if n > 0:
            eaten[d].add(f)
    required = spec.resolved.required
    foods = {f.ndb_no: f for f in spec.foods}
    problems = []
    for f in {f for day in eaten.values() for f in day}:
        on = sum(f in day for day in eaten.values())
        if on > days_for_food(spec.variety, spec.days, required.get(f, 0)):
            problems.append(f"{foods[f].name} on {on} days")
    for f, times in required.items():
        if sum(f in day for day in eaten.values()) < min(times, spec.days):
            problems.append(f"{f} on fewer days than required")
    for d in range(spec.days):
        forms = [foods[f].raw_ndb_no or f for f in eaten[d]]
        if len(set(forms)) < len(forms) and not any(f in required for f in eaten[d]):
            problems.append(f"two forms of one food on day {d + 1}")
        if spec.variety.distinct_consecutive_days and d + 1 < spec.days and eaten[d] and eaten[d] == eaten[d + 1]:
            problems.append(f"days {d + 1} and {d + 2} alike")
    if problems:
        raise SolverError(f"the solver's top-up breaks a rule it keeps ({problems[0]}); numerical trouble, try "
                          "--solver cbc")  # fmt: skip


def _rescue(model: TopupModel, options: SolveOptions) -> SolveResult:
    """A second try after a search that reached its time limit without a top-up. Close to
    the least calorie budget that allows one (which explain_topup suggests), CBC found none
    in 20 s with the objective, yet finds one in about 3 s without it (QA: 190 kcal for a
    gap of 320 mg). So: look for any top-up, then hand it to a short solve of the true
    objective as its start, which keeps it or improves on it and proves a bound. Each solve
    gets at most RESCUE_SOLVE_S. The first solves a copy of ``model``'s problem (same
    variables and constraints): PuLP gives a problem without an objective a dummy variable
    that stays in it, and CBC then refuses the problem's next file."""
    prob = model.prob
    short = dataclasses.replace(options, time_limit_s=min(RESCUE_SOLVE_S, options.time_limit_s))
    any_topup = prob.copy()
    any_topup.setObjective(pulp.LpAffineExpression())
    found = solve(any_topup, short)
    if not found.has_plan:
        return found
    start = solved_start(prob)
    improved = solve(prob, short, start=start)
    if improved.has_plan:
        return dataclasses.replace(improved, seconds=found.seconds + improved.seconds)
    for var, value in start:  # the second solve found nothing, not even its start: keep the first
        var.varValue = value
    return dataclasses.replace(found, status="feasible", objective=pulp.value(prob.objective), bound=None, gap=None,
                               seconds=found.seconds + improved.seconds)  # fmt: skip


def _caffeine_notes(member: MemberPlan, caffeine: tuple[float, str] | None) -> list[str]:
    """A warning when the top-up adds caffeinated drinks: its cap counts only what it adds, and
    the rest of the person's diet, their own coffee and tea included, is unknown (QA: 4 fl oz of
    espresso on two of three days, with no word)."""
    drinks = sorted({i.food.name for day in member.days for i in day.items if is_caffeinated(i.food)})
    if not drinks:
        return []
    servings = "" if caffeine is None else f"{caffeine[0]:g} serving{'' if caffeine[0] == 1 else 's'}"
    cap = "" if caffeine is None else f"; it keeps its own to {servings} a day ({caffeine[1]})"
    return [f"the top-up adds caffeinated drinks ({', '.join(drinks)}): count them with the coffee and tea you "
            f"already drink, which it cannot see{cap}"]  # fmt: skip


def _topup_plan(member: MemberPlan, info: TopupInfo, result: SolveResult, method: str, request: dict[str, Any],
                catalog: Catalog, resolved: Resolved, warnings: tuple[str, ...],
                notes: tuple[str, ...] = ()) -> Plan:  # fmt: skip
    """The top-up as a Plan, so it renders like any plan; its ``topup`` says what it adds to."""
    days = len(member.days)
    return Plan(
        members=(member,),
        solve=result,
        method=method,
        request=request,
        data_version=f"{DATA_RELEASE}; foods {catalog.source} sha256:{catalog.version}",
        warnings=(*catalog.warnings, *warnings, *unpriced_warning(member.days, resolved.prices_per_100g)),
        notes=notes,
        topup=info,
        cost=plan_cost(member.days, resolved.prices_per_100g),
        budget=None if resolved.budget is None else resolved.budget * days / BUDGET_DAYS,
        excluded_as=resolved.excluded_as,
    )


def _short_mg(mg: float) -> str:
    """A small gap as said: whole mg, or tenths under 10 (QA: "only 0 mg short" for 0.4 mg)."""
    return f"{mg:.0f}" if mg >= 10 else f"{mg:.1f}".removesuffix(".0")


def _check(current_intake_mg: float, kcal_budget: float, days: int) -> None:
    # QA: "230" from a script raised a bare TypeError from math.isfinite.
    for what, value, unit in (("current intake", current_intake_mg, "mg"), ("top-up calories", kcal_budget, "kcal")):
        if not is_number(value):
            raise InputError(f"{what} {value!r} is not a number; give it in {unit} a day, as a number")
    if not math.isfinite(current_intake_mg) or not (MIN_INTAKE_MG <= current_intake_mg <= MAX_INTAKE_MG):
        raise InputError(
            f"current intake {current_intake_mg:.10g} mg is out of range; give your usual magnesium from food, "
            f"{MIN_INTAKE_MG:g} to {MAX_INTAKE_MG:g} mg a day"
        )
    if not math.isfinite(kcal_budget) or not (MIN_TOPUP_KCAL <= kcal_budget <= MAX_TOPUP_KCAL):
        raise InputError(
            f"top-up calories {kcal_budget:.10g} are out of range; give the most kcal a day the top-up may add, "
            f"{MIN_TOPUP_KCAL:g} to {MAX_TOPUP_KCAL:g}"
        )
    if not (1 <= days <= MAX_DAYS):
        raise InputError(f"days {days} is out of range; give 1 to {MAX_DAYS}")


def topup_targets(info: TopupInfo, rda_basis: str, caffeine: tuple[float, str] | None = None) -> Targets:
    """The day's targets of a top-up: the gap in magnesium, 0 to the budget in kcal, and the
    person's cap on caffeinated drinks (``caffeine``, see targets.caffeine_limit), which the
    top-up alone keeps (what the usual diet holds is not known)."""
    return Targets(
        magnesium_mg=info.gap_mg,
        magnesium_basis=f"RDA {info.rda_mg:g} mg minus your usual {info.current_intake_mg:g} mg; the {rda_basis}",
        kcal=info.kcal_budget,
        kcal_basis="the most the top-up may add, given by the user",
        kcal_tolerance=0.0,
        protein_pct=None,
        fat_pct=None,
        carbohydrate_pct=None,
        fiber_g_per_1000kcal=None,
        sodium_max_mg=None,
        sources=(rda_basis,),
        kcal_window=Range(0.0, info.kcal_budget),
        caffeinated_servings_max=None if caffeine is None else caffeine[0],
        caffeine_basis="" if caffeine is None else caffeine[1],
    )


@dataclass(frozen=True)
class TopupSpec:
    """Everything the top-up model is built from."""

    foods: tuple[Food, ...]
    days: int
    info: TopupInfo
    resolved: Resolved
    variety: Variety
    seed: int = 0
    magnesium_floor: bool = True  # False only to find the most magnesium reachable
    caffeinated_servings_max: float | None = None  # the person's cap (targets.caffeine_limit)
    portion_scale: float = 1.0  # share of an adult's portions (targets.portion_scale)
    # In a top-up longer than a week with the default k: most days a food may be on in any
    # WINDOW_DAYS in a row (TOPUP_DAYS_PER_FOOD of them), None otherwise (see _add_variety).
    window: int | None = None


TopupKey = tuple[int, str]  # (day, ndb_no)


@dataclass
class TopupModel:
    """A built top-up model and its variables: x[d,f] half servings, z[d,f] food f on day d."""

    spec: TopupSpec
    prob: pulp.LpProblem
    x: dict[TopupKey, pulp.LpVariable] = field(default_factory=dict)
    z: dict[TopupKey, pulp.LpVariable] = field(default_factory=dict)
    magnesium: dict[int, pulp.LpAffineExpression] = field(default_factory=dict)
    energy: dict[int, pulp.LpAffineExpression] = field(default_factory=dict)

    def solution(self) -> dict[TopupKey, int]:
        out: dict[TopupKey, int] = {}
        for key, var in self.x.items():
            value = var.value()
            if value is not None and round(value) > 0:
                out[key] = round(value)
        return out


def topup_slot(food: Food) -> str:
    """Where a top-up food goes: a snack when it suits one, else an add-on to its first meal."""
    return "snack" if "snack" in food.slots else food.slots[0]


def _caps(spec: TopupSpec, food: Food) -> tuple[int, int]:
    """Most and fewest half servings of ``food`` a day (model.scaled_caps: a young child's are
    scaled down). A top-up food is one item a day, in one meal, so it keeps both the food's
    daily cap and a meal's (QA: 2 1/2 cups of raw spinach went into one lunch, where a plan
    holds at most 2 servings of a food a meal)."""
    day, meal, least = scaled_caps(food, day_cap_half_servings(food, spec.resolved.food_caps), spec.portion_scale)
    return min(day, meal), least


def _cap_half_servings(spec: TopupSpec, food: Food) -> int:
    return _caps(spec, food)[0]


def _most_magnesium(spec: TopupSpec, food: Food) -> float:
    return (food.per_serving("magnesium_mg") or 0.0) / 2 * _cap_half_servings(spec, food)


def build_topup_model(spec: TopupSpec) -> TopupModel:
    """The top-up MILP (see the module docstring); constraint names ``<family>:<index>``.

    least_f·z[d,f] ≤ x[d,f] ≤ cap_f·z[d,f];  Σ_f z[d,f] ≤ TOPUP_MAX_ITEMS;  Mg[d] ≥ gap;
    kcal[d] ≤ budget;  category caps;  variety;  required foods;  the money budget.
    """
    model = TopupModel(spec, pulp.LpProblem(TOPUP_PROBLEM, pulp.LpMinimize))
    prob, resolved = model.prob, spec.resolved
    foods = {f.ndb_no: f for f in spec.foods}
    for d in range(spec.days):
        for food in spec.foods:
            cap, least = _caps(spec, food)
            if cap < least:
                continue
            key = (d, food.ndb_no)
            x = model.x[key] = prob.add_variable(f"x_{d}_{food.ndb_no}", 0, cap, pulp.LpInteger)
            z = model.z[key] = prob.add_variable(f"z_{d}_{food.ndb_no}", cat=pulp.LpBinary)
            prob += x <= cap * z, f"portion_cap:{d}:{food.ndb_no}"
            prob += x >= least * z, f"portion_min:{d}:{food.ndb_no}"
    for d in range(spec.days):
        day_keys = [k for k in model.x if k[0] == d]
        model.magnesium[d] = pulp.lpSum(
            (foods[f].per_serving("magnesium_mg") or 0.0) / 2 * model.x[d, f] for (_d, f) in day_keys
        )
        model.energy[d] = pulp.lpSum(
            (foods[f].per_serving("energy_kcal") or 0.0) / 2 * model.x[d, f] for (_d, f) in day_keys
        )
        if spec.magnesium_floor:
            gap = spec.info.gap_mg
            prob += model.magnesium[d] >= gap, f"magnesium:{d}"
            # A valid cut that the LP relaxation lacks: the foods eaten must be able to
            # close the gap at their caps, Σ_f min(1, most_f/gap)·z[d,f] ≥ 1, where most_f
            # is f's magnesium at its cap. It makes the solver's bound tight at once.
            prob += (
                pulp.lpSum(min(1.0, _most_magnesium(spec, foods[f]) / gap) * model.z[d, f] for (_d, f) in day_keys)
                >= 1,
                f"closes_gap:{d}",
            )
        prob += model.energy[d] <= spec.info.kcal_budget, f"energy_max:{d}"
        prob += pulp.lpSum(model.z[k] for k in day_keys) <= TOPUP_MAX_ITEMS, f"items:{d}"
        for category, servings in resolved.category_caps.items():
            xs = [model.x[k] for k in day_keys if foods[k[1]].category == category]
            if xs:
                prob += pulp.lpSum(xs) <= 2 * servings, f"category_cap:{d}:{category}"
        drinks = [model.x[k] for k in day_keys if is_caffeinated(foods[k[1]])]
        if spec.caffeinated_servings_max is not None and drinks:
            prob += pulp.lpSum(drinks) <= 2 * spec.caffeinated_servings_max, f"caffeine:{d}"
    _add_variety(model)
    for ndb_no, times in resolved.required.items():
        zs = [model.z[d, ndb_no] for d in range(spec.days) if (d, ndb_no) in model.z]
        prob += pulp.lpSum(zs) >= min(times, spec.days), f"required:{ndb_no}"
    if resolved.budget is not None:
        prices = resolved.prices_per_100g
        cost = pulp.lpSum(
            prices[f] / 100 * foods[f].serving_grams / 2 * var for (_d, f), var in model.x.items() if f in prices
        )
        prob += cost <= resolved.budget * spec.days / BUDGET_DAYS, "budget"
    cost = item_costs(spec)
    prob += pulp.lpSum(cost[f] * z for (_d, f), z in model.z.items()) + KCAL_WEIGHT / spec.info.kcal_budget * (
        pulp.lpSum(model.energy.values())
    )
    return model


def item_costs(spec: TopupSpec) -> dict[str, float]:
    """What a food costs the objective on a day it is eaten: 1, less PREFERENCE_WEIGHT per unit
    of like, plus the seeded tie-break (the same for the whole model and the day patterns)."""
    rng = random.Random(spec.seed)
    tie = {f.ndb_no: rng.random() for f in sorted(spec.foods, key=lambda f: f.ndb_no)}
    weights = spec.resolved.weights
    return {f: 1.0 + TIE_BREAK_WEIGHT * t - PREFERENCE_WEIGHT * weights.get(f, 0.0) for f, t in tie.items()}


def _add_variety(model: TopupModel) -> None:
    """Σ_d z[d,f] ≤ k, the forms of one food as one food (_add_forms), and consecutive days
    differ in at least one food (as in mealplan.model)."""
    spec, prob = model.spec, model.prob
    if spec.days < 2:
        _add_forms(model)
        return
    required = spec.resolved.required
    ndbs = sorted({f for (_d, f) in model.z})
    for f in ndbs:
        zs = [model.z[d, f] for d in range(spec.days) if (d, f) in model.z]
        # A food required on more days than k may be eaten on those days: the requirement wins,
        # as in a plan's week (QA: a top-up requiring oats was refused).
        most = days_for_food(spec.variety, spec.days, required.get(f, 0))
        if len(zs) > most:
            prob += pulp.lpSum(zs) <= most, f"days_per_food:{f}"
        # A required food keeps as many days in a week as it is required a week, when more.
        in_window = window_limit(spec.window, required.get(f, 0), spec.days)
        for start, run in enumerate(window_runs(spec.days) if in_window is not None else ()):
            on = [model.z[d, f] for d in run if (d, f) in model.z]
            if in_window is not None and len(on) > in_window:
                prob += pulp.lpSum(on) <= in_window, f"days_in_window:{start}:{f}"
    _add_forms(model)
    if not spec.variety.distinct_consecutive_days:
        return
    for d in range(spec.days - 1):
        differs = []
        for f in ndbs:
            a, b = model.z[d, f], model.z[d + 1, f]
            w = prob.add_variable(f"w_{d}_{f}", lowBound=0, upBound=1)
            prob += w <= a + b, f"differs_lo:{d}:{f}"
            prob += w <= 2 - a - b, f"differs_hi:{d}:{f}"
            differs.append(w)
        prob += pulp.lpSum(differs) >= 1, f"consecutive_days_differ:{d}"


def _add_forms(model: TopupModel) -> None:
    """The forms of one food (raw and cooked spinach; model.forms_among) count as one food, as
    in a plan: one form a day, and on at most k days together (QA: a top-up's lunch held both
    cooked and raw spinach). A required food's forms are exempt, as in a plan."""
    spec, prob = model.spec, model.prob
    required = spec.resolved.required
    for raw, forms in forms_among(spec.foods, required).items():
        for d in range(spec.days):
            zs = [model.z[d, f] for f in forms if (d, f) in model.z]
            if len(zs) > 1:
                prob += pulp.lpSum(zs) <= 1, f"one_form_a_day:{d}:{raw}"
        zs = [model.z[d, f] for d in range(spec.days) for f in forms if (d, f) in model.z]
        most = days_for_food(spec.variety, spec.days, 0)
        if spec.days > 1 and len(zs) > most:
            prob += pulp.lpSum(zs) <= most, f"days_per_forms:{raw}"
        for start, run in enumerate(window_runs(spec.days) if spec.window is not None else ()):
            on = [model.z[d, f] for d in run for f in forms if (d, f) in model.z]
            if spec.window is not None and len(on) > spec.window:
                prob += pulp.lpSum(on) <= spec.window, f"forms_in_window:{start}:{raw}"


# ---------------------------------------------------------------------------- explanation
#
# An explanation's checks are decided alike on a busy machine and a quiet one where they can
# be: by day patterns when those cover the top-up (proven in about a second), else by the whole
# model stopped at EXPLAIN_NODES branch-and-bound nodes rather than at a time (QA: "raise the
# top-up calories to 200 kcal", where 190 planned in 0.3 s: its check took 4.2 s of its 5 s on
# a busy machine and was counted as impossible; and "raise the budget to 6" where 5 planned).
# A check that stops undecided is unknown, never impossible: no value above it is suggested,
# and the message says that some checks ran out of time. All the checks share the deadline of
# a plan's explanation (EXPLAIN_TIMES the time limit, at least EXPLAIN_MIN_S; QA: a top-up's
# explanation took 36.9 s at --time-limit 1).
EXPLAIN_NODES = 200


class _Checks:
    """The solves of one explanation, within its deadline; ``cut_short`` counts the checks
    that stopped undecided (or were not made: the deadline had come)."""

    def __init__(self, options: SolveOptions) -> None:
        self.options = dataclasses.replace(options, gap=0.0)
        self.deadline = time.perf_counter() + max(EXPLAIN_MIN_S, EXPLAIN_TIMES * options.time_limit_s)
        self.cut_short = 0

    def _options(self, seconds: float) -> SolveOptions | None:
        """The options of a solve of at most ``seconds``; None (counted) once the deadline has come."""
        left = min(seconds, self.deadline - time.perf_counter())
        if left < MIN_CHECK_S:
            self.cut_short += 1
            return None
        return dataclasses.replace(self.options, time_limit_s=left)

    def solve(self, prob: pulp.LpProblem, seconds: float = EXPLAIN_SOLVE_S) -> SolveResult | None:
        """``prob`` solved, stopped at EXPLAIN_NODES; None when the deadline has come."""
        options = self._options(seconds)
        return None if options is None else solve(prob, options, max_nodes=EXPLAIN_NODES)

    def optimal(self, prob: pulp.LpProblem) -> bool:
        """Whether ``prob`` was solved to proven optimality (a solve that stopped short is counted)."""
        result = self.solve(prob)
        if result is not None and result.status not in ("optimal", "infeasible"):
            self.cut_short += 1
        return result is not None and result.status == "optimal"

    def feasible(self, spec: TopupSpec) -> bool | None:
        """Whether ``spec`` has a top-up; None when the check stopped undecided (counted)."""
        options = self._options(EXPLAIN_SOLVE_S)
        if options is None:
            return None
        by_patterns = solve_by_patterns(spec, options)
        if by_patterns is not None:
            result = by_patterns[0]
        else:
            model = build_topup_model(spec)
            model.prob.setObjective(pulp.LpAffineExpression())
            result = solve(model.prob, options, max_nodes=EXPLAIN_NODES)
        if result.status == "infeasible":
            return False
        if result.has_plan:
            return True
        self.cut_short += 1
        return None


def explain_topup(spec: TopupSpec, options: SolveOptions, preferences: Preferences, catalog: Catalog) -> Explanation:
    """Why no top-up exists, and the smallest single changes that give one.

    * The most magnesium one day's top-up can add within the calorie budget: one day,
      magnesium floor dropped, maximised, proven optimal.
    * Relaxations, each checked by solving the whole top-up again (_Checks.feasible): the
      least calorie budget on the KCAL_STEP grid (see _least_budget); the least money budget
      (see _least_money); a food on more days; one exclusion, requirement or cap undone.
    """
    checks = _Checks(options)
    day = _daily_only(dataclasses.replace(spec, days=1, magnesium_floor=False), spec.days)
    model = build_topup_model(day)
    model.prob.sense = pulp.LpMaximize
    model.prob.setObjective(model.magnesium[0])
    best = _magnesium_of(model) if checks.optimal(model.prob) else None
    gap = spec.info.gap_mg
    relaxations: list[Relaxation] = []
    kcal = _least_budget(spec, checks)
    if kcal is not None:
        text = f"raise the top-up calories to {kcal:,.0f} kcal a day"
        relaxations.append(Relaxation("calories", "", kcal, text, f"--calories {kcal:g}"))
    budget = spec.resolved.budget
    if budget is not None:  # QA: --budget 0.5 was blamed on the calories, and 5 worked
        least = _least_money(spec, budget, checks)
        if least is not None:
            relaxations.append(budget_relaxation(least))
    k = spec.variety.days_per_food(spec.days)
    for days_per_food in range(k + 1, spec.days + 1):
        variety = dataclasses.replace(spec.variety, max_days_per_food=days_per_food)
        # --max-days-per-food replaces the window too, as in a plan (ModelSpec.window_for).
        works = checks.feasible(dataclasses.replace(spec, variety=variety, window=None))
        if works:
            text = f"allow a food on up to {days_per_food} days"
            relaxations.append(
                Relaxation("max_days_per_food", "", float(days_per_food), text, f"--max-days-per-food {days_per_food}")
            )
        if works is not False:  # found, or unknown: more days than an undecided check's are not the least
            break

    def feasible_with(wishes: Preferences) -> bool:
        resolved = resolve(wishes, catalog, spec.days)
        foods, _warnings = usable_foods(resolved.foods, topup_targets(spec.info, ""))
        return checks.feasible(dataclasses.replace(spec, foods=foods, resolved=resolved)) is True

    replace = dataclasses.replace
    for name, rest in each_exclusion_dropped(preferences.exclude):
        if feasible_with(replace(preferences, exclude=rest)):
            relaxations.append(Relaxation("exclude", name, None, f"allow {name}", f"drop {typed('--exclude', name)}"))
    # QA: a required food capped at half a serving held a top-up back, unnamed, and dropping
    # it (which planned in 35 kcal) was not offered.
    for name in preferences.require:
        if feasible_with(replace(preferences, require={k: v for k, v in preferences.require.items() if k != name})):
            relaxations.append(Relaxation("require", name, None, f"do not require {name}",
                                          f"drop {typed('--require', name)}"))  # fmt: skip
    caps = preferences.max_servings
    for name in caps:
        if feasible_with(replace(preferences, max_servings={k: v for k, v in caps.items() if k != name})):
            relaxations.append(Relaxation("max_servings", name, None, f"lift the cap on {name}",
                                          f"drop {typed('--max-servings', f'{name}={caps[name]:g}')}"))  # fmt: skip
    binding = tuple(Binding(r.kind, r.subject, held_by(r.kind, r.subject) if r.kind in HELD_BY
                            else f"the cap on {r.subject}")
                    for r in relaxations if r.kind in (*HELD_BY, "max_servings"))  # fmt: skip
    week_rules = best is not None and best >= gap - 1e-6
    return Explanation(
        magnesium_target_mg=gap, max_magnesium_mg=best, blocking=(), binding=binding, relaxations=tuple(relaxations),
        days=spec.days, topup_kcal=spec.info.kcal_budget, topup_budget=budget, week_rules=week_rules,
        week_rules_text=f"a food may appear on at most {k} of the {spec.days} days and consecutive days must "
        f"differ, with {foods_left(len(spec.foods), len(catalog))}" if week_rules else "",
        incomplete=checks.cut_short > 0,
    )  # fmt: skip


def _with_money(spec: TopupSpec, budget: float | None) -> TopupSpec:
    return dataclasses.replace(spec, resolved=dataclasses.replace(spec.resolved, budget=budget))


def _with_budget(spec: TopupSpec, kcal: float) -> TopupSpec:
    return dataclasses.replace(spec, info=dataclasses.replace(spec.info, kcal_budget=kcal))


def _least_budget(spec: TopupSpec, checks: _Checks) -> float | None:
    """The least calorie budget on the KCAL_STEP grid, above the current one, that gives a
    top-up. No budget below the least kcal with which ONE day closes the gap can work (one
    solve minimising a day's kcal), so the search starts there; a larger budget only
    loosens the model, so it gallops up from there and bisects the last step."""
    day = _daily_only(_with_budget(dataclasses.replace(spec, days=1), MAX_TOPUP_KCAL), spec.days)
    model = build_topup_model(day)
    model.prob.setObjective(model.energy[0])
    if not checks.optimal(model.prob):
        return None
    lowest = max(spec.info.kcal_budget + KCAL_STEP / 2, float(pulp.value(model.energy[0])))
    return _least_on_grid(lambda b: checks.feasible(_with_budget(spec, b)), lowest, MAX_TOPUP_KCAL, KCAL_STEP)


def _least_money(spec: TopupSpec, budget: float, checks: _Checks) -> int | None:
    """The least money budget a week, in whole units above ``budget``, that gives a top-up. One
    solve of the least the top-up's days can cost, the money budget dropped, brackets it: no
    budget under its bound works, and its top-up's cost does; what lies between is bisected.
    QA's 220 mg within 300 kcal: bound 4.67, a top-up of 4.92, so 5 at once."""
    model = build_topup_model(_with_money(spec, None))
    foods, prices = {f.ndb_no: f for f in spec.foods}, spec.resolved.prices_per_100g
    model.prob.setObjective(pulp.lpSum(prices[f] / 100 * foods[f].serving_grams / 2 * var
                                       for (_d, f), var in model.x.items() if f in prices))  # fmt: skip
    # It gets the rest of the explanation's time: HiGHS spends ~6 s at the root of QA's week.
    result = checks.solve(model.prob, seconds=checks.deadline - time.perf_counter())
    if result is None or result.status == "infeasible":
        return None  # out of time, or no money gives a top-up
    if not result.has_plan or result.objective is None:
        checks.cut_short += 1
        return None
    week = BUDGET_DAYS / spec.days
    bound = result.bound if result.bound is not None and math.isfinite(result.bound) else 0.0
    lowest = max(math.floor(budget) + 1, math.ceil(bound * week - 1e-6))
    found = max(lowest, math.ceil(result.objective * week - 1e-9))
    least = _least_on_grid(lambda b: b >= found or checks.feasible(_with_money(spec, b)), lowest, found, 1.0)
    return None if least is None else round(least)


def _least_on_grid(works: Callable[[float], bool | None], lowest: float, most: float, step: float) -> float | None:
    """The least value on the ``step`` grid, at least ``lowest`` and at most ``most``, for
    which ``works`` holds (``works`` must be monotone: once true, true above); galloping
    up from ``lowest``, then bisecting. None also when ``works`` is undecided (None) at a
    value before the least is known: a value above one not known to fail is not the least."""
    low = math.ceil(lowest / step - 1e-9)  # grid indices
    high_most = math.floor(most / step + 1e-9)
    if low > high_most:
        return None
    jump = 1
    high = low
    while not (found := works(high * step)):
        if found is None or high == high_most:
            return None
        low = high + 1
        high = min(high_most, high + jump)
        jump *= 2
    while low < high:
        middle = (low + high) // 2
        found = works(middle * step)
        if found is None:
            return None
        if found:
            high = middle
        else:
            low = middle + 1
    return float(high * step)


def _daily_only(day: TopupSpec, days: int) -> TopupSpec:
    """A one-day spec keeps only the foods required every day."""
    required = {f: 1 for f, n in day.resolved.required.items() if n >= days}
    return dataclasses.replace(day, resolved=dataclasses.replace(day.resolved, required=required))


def _magnesium_of(model: TopupModel) -> float:
    foods = {f.ndb_no: f for f in model.spec.foods}
    return sum((foods[f].per_serving("magnesium_mg") or 0.0) / 2 * n for (_d, f), n in model.solution().items())

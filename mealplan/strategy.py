"""How a plan's model is solved: directly for one day, by decomposition for a week.

One day is one small MILP, solved directly (and, for a seed other than 0, solved again for
another day as good; see _another_day). A week of a seed other than 0 is seed 0's week with
foods traded between its days (see _another_week).

A week couples its days only through a few rules (a food on at most k days, consecutive
days differ, a required food n times, a weekly budget or magnesium average). The whole-week
MILP is large and highly symmetric (any permutation of days is as good), and solvers spend
their time on it without closing the gap, so a week is solved in four steps:

1. **Bound.** Averaging any solution of the week's LP relaxation over its days gives a
   solution of one "average day" LP with  z_f ≤ k_f/days,  z_f ≥ n_f/days,  cost ≤ budget/days,
   Σ_{f∈F} z_f ≤ k_F/days for the forms F of one food (raw and cooked spinach, see
   model.forms_of_foods), Mg ≥ RDA,  and the same objective per day ("consecutive days
   differ" is dropped, which only loosens). So  week optimum ≤ days × LP(average day).
   The objective's weights are whole numbers (model.add_objective), so the bound is
   rounded down to a whole number.
   When no food's k-day limit binds (a 2-day plan), days × the proven bound of one day
   free of the couplings is tighter, and is used (see _free_day_bound).
2. **Construction.** The average-day LP says how often each food should be eaten
   (days × z_f). Foods are dealt out to days by those counts, spreading categories, and
   each day is solved as a one-day MILP that prefers the foods dealt to it and leaves the
   foods dealt elsewhere for their days, tracking the week's couplings as it goes. Days are
   planned in pairs from the days before them, so that with CBC the two solves run on two
   cores; the second is kept when it keeps the couplings with the first (it almost always
   does) and planned again otherwise.
   With CBC, and for a shared menu with HiGHS too, steps 2 and 3 run first (unless there is
   a budget) on a **kernel** of the pool (see _kernel): the foods the average-day LP eats,
   the few with the most points in each category, and the foods the user requires or likes.
   Its day models are smaller and solve several times faster, and most weeks it makes
   already meet the gap asked. When it does not, steps 2 and 3 run again on the whole pool
   (while half the time limit is left) and the better week goes on (see
   KERNEL_PER_CATEGORY for measurements).
3. **Improvement.** Each day is re-solved with the other days fixed (the couplings become
   bounds on that one day), keeping a change only when the week's objective rises, until a
   pass changes nothing or the gap asked is certified. Days are again taken in pairs; with
   CBC each starts from its current plan (so it only looks for a better one and can stop
   at the deadline without loss), and a day whose one-day model and plan are unchanged
   since it last kept its plan is not re-solved.
4. **Pairs.** While the gap asked is still not certified and time is left, two days at a
   time are re-solved together in the whole week's model with the other days fixed, so a
   food can move from one day to another under its k-day limit (see _improve_pairs).

The week returned is feasible for the whole-week model, its objective is recomputed from
its portions, and the reported gap is (bound − objective) / objective with the proven bound
of step 1, so it is a certified gap. If construction fails, the whole-week MILP is solved
directly (which also proves infeasibility when there is no week at all).

Measured alternatives (see benchmarks/RESULTS.md), before the forms of a food counted as
one (which took the default week's bound from 482 to 477 and its plan from 473 to 470) and
the pool's soymilk became the fortified one (476 and 467):
the Lagrangian dual of the k-limit at the LP's duals gave 242.632 against the LP's
242.637 on the default week, so the bound is as tight as that family gets; the whole-week
MILP needed ~6 s for its root LP alone.
Column generation over whole days (a master choosing 7 day plans under the couplings,
one-day MILPs pricing new days at its duals) was tried on the default week: after 40
pricing rounds (~100 s) its master LP stood at 481.1 against this bound of 482, so the
Dantzig–Wolfe bound cannot certify much more than step 1 does, and the best week of its
48 days scored 476, where steps 2–3 reach 474 in ~2.5 s.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import itertools
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pulp

from .errors import listed
from .model import (
    WINDOW_DAYS,
    Key,
    ModelSpec,
    as_one_day,
    build_model,
    days_for_forms,
    forms_of_foods,
    objective_value,
    objective_weights,
    plan_objective,
    portions_cost,
    rule_breaches,
    solution_half_servings,
    start_values,
    window_groups,
    window_overruns,
)
from .solver import (
    MIN_TIME_LIMIT_S,
    SEED_FLOOR_ROW,
    SolveOptions,
    SolveResult,
    asked_gap,
    for_days,
    lp_relaxation,
    relative_gap,
    solve,
)

# Extra points a day's model gives to the foods dealt to that day (steering only).
DEALT_BONUS = 1.0
# Most improvement passes over the week (each re-solves every day once).
MAX_PASSES = 3
# An improvement solve is not started with less time than this left before the deadline.
MIN_SOLVE_S = 0.2
# A household's day solve gets this fraction of (time limit / days); one person's gets the
# whole (see _share). CBC finds a household day's plan
# early and spends the rest of a long share proving it, which the improvement step does
# better with the time: at half the share, five households (examples' family of four and
# four others, shared meals, default limit) scored 2,282 in all instead of 2,280, in 51 s
# instead of 65 s. HiGHS keeps the whole share: at half, the family at --time-limit 10 left
# days without a plan when their share ended and fell from 459 (2.40 %) to 411 (14.4 %).
DAY_SHARE = {"cbc": 0.5, "highs": 1.0}
# A day's solve stops after this many branch-and-bound nodes, so that where it stops does not
# depend on the machine's speed: the same request gives the same week on a busy machine.
# Measured on 6 people's default weeks (34F, 70M, 1F, 16F pregnant vegan, 44M, 2M), CBC,
# each run quiet and then beside 3 busy loops on the 2 cores: without a node limit 3 of the
# 6 weeks changed and 4 were marked timed out; with 100 nodes and one person's day given its
# whole share, none changed (the 1-year-old's was marked timed out, same week). 20 nodes
# made weeks a point worse: the family's 44-year-old fell short of 2 % and spent 18 s on
# step 4. Nine people's weeks (those 6, 55M, 19M, 61F): the same objectives but one (2M,
# 536 against 537), 19.2 s in all against 20.3 s.
DAY_NODES = 100
# Nodes of a plan of one day, when solve_spec stops every solve by nodes (its by_nodes: a
# check of a household's shared menu of one day, household._shared_changes).
BY_NODES_DAY_NODES = 1000
# Nodes of the free day's solve that bounds a plan no food's k-day limit binds (_free_day_bound):
# more than a day of the week gets, since its bound, not a plan, is what it is for. QA: at
# DAY_NODES a gluten-free 15-year-old's free day stopped at a bound of 66.8 (1.2 s; 65 proven
# at 500 nodes, 1.3 s), so her 2-day plan's bound was 133, which its 130 could not certify, and
# it spent 7–13 s in step 4 to end "NOT proven" at 2.31%; so did a 90-year-old's without tree
# nuts (64, 65.8). Six other people's free days are proven at 100 nodes in 0.1–0.5 s either way.
FREE_DAY_NODES = 1000
# A day's solve never gets less than this, however small the time limit.
MIN_DAY_S = 1.0
# Foods of the seed-0 day tried in turn when a one-day plan is asked another seed (_another_day).
SEED_TRIES = 3
# Each of those solves stops after this many nodes without a plan and goes to the next food,
# so that where it stops does not depend on the machine's load (as DAY_NODES). QA: a pregnant
# teen's day took 22 s for --seed 3 (0.5 s for seed 0) and ran out of time proving that no
# day as good leaves out the food the seed pointed at.
SEED_NODES = 500
# Most one-day solves a week's seed spends, per day of the plan, looking for trades of foods
# between days (_another_week); each takes about 0.02–0.05 s. Seeds 1–5 of the default week
# changed all 7 days in 26–32 solves.
SEED_SOLVES_PER_DAY = 6
# Most branch-and-bound nodes a pair of step 4 gets (CBC). A pair that finds no better week
# in them seldom finds one later, and a cap, unlike the time limit, stops it at the same
# point on any machine. On 15 plans that reach step 4 (3–7 days, ages 16–52, vegan, gluten-
# free, --gap 0.01 weeks, the budget example): 108 s against 126 s uncapped, the same score
# on 10, higher on 2 (200 against 199, 492 against 490), lower on 2 (199 against 200, 198
# against 199; the uncapped ones had run out of time, so they change with the machine's
# load), and 7 of them no longer stopped by the time limit. 50 nodes scored as 200 did; 1,000
# were slower.
PAIR_NODES = 200

# Foods of each category that step 2's kernel keeps besides those the average-day LP eats
# (see _kernel), by points. Measured on 12 people's default weeks (34F, 70M, 1F, 16F pregnant
# vegan without peanuts, 44M, 2M, 55M, 19M, 61F, 30F breastfeeding gluten-free, 8M, 25M vegan
# without nuts; CBC, one run each): 17.7 s in all against 30.1 s without a kernel, the median
# week 0.8 s against 2.1 s, the same points in all (+1 on four, −1 on two, −3 on one, each
# within the 2% asked); the slowest two (19M 4.8 s, 25M 4.1 s, against 3.1 s and 2.9 s) are
# weeks whose kernel fell short of the gap and were planned again from the whole pool. With
# 1, 2 or 5 foods a category, or 3 and every food tied with the third, more kernels fell short
# (20.4, 31.1, 28.2 and 28.6 s in all). On 12 other people (29F, 40M, 3F, 12M, 15F, 33F
# pregnant, 48F vegetarian, 66M without fish, 80F, 23M active, 37F gluten-free without tree
# nuts, 58M vegan), not used to choose 3: 23.7 s against 26.8 s, the median 0.87 s against
# 2.2 s, 6 points fewer in all (each within 2%); four were slower (33F 5.4 s against 2.8 s).
# A kernel short of the gap costs its own time on top of the whole pool's.
# With HiGHS, slower than CBC on a day, one person's weeks gained little (the two sets: 120.3 s
# against 125.2 s in all) and the slowest lost most (19M 19.9 s against 12.2 s, 33F 14.8 s
# against 6.5 s; 23M no longer met 2% in 20 s), so HiGHS plans one person's week from the
# whole pool. On a shared menu the kernel pays with either solver: the family of four's week
# scored 448 (2.23%) against 441 (HiGHS) and 438 (CBC) in the default 20 s, and 444 against
# 428 and 434 in 10 s. A week with a budget keeps the old path too: review found both budget
# weeks it tried (examples/profiles/budget.toml; 40M, budget 45, pumpkin seeds required) just
# short of the gap on the kernel, so twice as slow for the same plan (9.9 s against 5.1 s).
KERNEL_PER_CATEGORY = 3
# A kernel week short of the gap asked is planned again from the whole pool only while this
# share of the time limit is left, since that construction gives each day its full share:
# the family of four's kernel week took 18.6 s of its 20, and planning it again ran to 28 s.
# A kernel that makes no week still costs its time (review: the family's 14-day shared menu
# at --time-limit 10 spent 11.7 s on one, then 36 s on the whole pool, 48 s in all against
# 36 s before the kernel). Giving up once less than this share was left took that to 41 s,
# but the benchmark's 7-day family at --time-limit 10 (HiGHS) then lost its kernel week: 428
# in 16.3 s against 444 in 10.0 s; giving up at the deadline left it at 48 s. Neither kept.
KERNEL_FULL_LEFT = 0.5

DayPlan = dict[Key, int]  # one day's portions, keyed with day index 0


@dataclass
class _Clock:
    """A week's deadline, and whether time rather than the search decided anything on the way
    (a solve stopped at its time limit, a step cut short or skipped for want of time): then
    the same request can give another week on a busier or quieter machine."""

    deadline: float
    timed_out: bool = False
    # Every solve stops at its node limit, the deadline being only a safety net (see solve_spec).
    by_nodes: bool = False

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def short(self, seconds: float = 0.0) -> bool:
        """Whether less than ``seconds`` are left before the deadline (by default: whether it
        has passed); if so, time decides what the caller skips."""
        short = self.left() < seconds
        self.timed_out = self.timed_out or short
        return short

    def note(self, result: SolveResult) -> SolveResult:
        self.timed_out = self.timed_out or result.timed_out
        return result


@dataclass(frozen=True)
class Solution:
    """Half servings per (member, day, slot, ndb_no), and what was proven about them."""

    half_servings: dict[Key, int]
    result: SolveResult
    method: str
    notes: tuple[str, ...] = ()  # for the plan's warnings (see _another_day)


# Solutions already found, by request, while ``reusing`` is on (a batch worker's households).
_STORE: contextvars.ContextVar[MutableMapping[str, Solution] | None] = contextvars.ContextVar(
    "mealplan_solutions", default=None
)
# Most solutions a store keeps; the oldest goes first. A shared-meal week of four takes about
# 48 KB in memory (381 portions), so a worker's store stays under about 25 MB.
STORE_LIMIT = 512
# A store may be shared by threads (a Dask worker runs several households at once).
_STORE_LOCK = threading.Lock()


@contextlib.contextmanager
def reusing(store: MutableMapping[str, Solution]) -> Iterator[None]:
    """Within the block, ``solve_spec`` answers a request it has answered before into
    ``store`` (the same spec and solve options, compared in full) with that solution,
    instead of solving it again: a batch of many households holds many identical requests
    (people whose ages share a life-stage band, sex and activity, with no preferences, have
    the same targets). The solution comes back with the seconds this call took and its
    method marked "(reused)". Requests the solver ran out of time on are not kept."""
    token = _STORE.set(store)
    try:
        yield
    finally:
        _STORE.reset(token)


def solve_spec(spec: ModelSpec, options: SolveOptions, *, by_nodes: bool = False) -> Solution:
    """Solve ``spec``; see the module docstring for the week's decomposition (and
    ``reusing`` for solutions kept between calls).

    ``by_nodes``: every solve stops at its node limit (a week's days at DAY_NODES, a plan of
    one day at BY_NODES_DAY_NODES), and the time limit is only a deadline for the whole: a
    solve gets what is left of it rather than its day's share, a day that has no plan at its
    node limit gets no second try with the whole limit, and a week the steps do not make is
    not sought in the whole week's model (no_solution, not timed out). So whether a plan is
    found does not depend on the machine's load unless the deadline comes first
    (``timed_out``). For the checks of an explanation (mealplan.explain), which ask only
    whether a plan exists."""
    store = _STORE.get()
    if store is None:
        return _solve_spec(spec, options, by_nodes)
    began = time.perf_counter()
    # repr is exact for the spec's plain data (strings, exact float reprs, tuples, dicts,
    # frozensets): the same text is the same request. The other way round need not hold (a
    # set may list its items in another order), which only misses a reuse.
    key = hashlib.sha256(repr((spec, options, by_nodes)).encode("utf-8")).hexdigest()
    with _STORE_LOCK:
        found = store.get(key)
    if found is not None:
        result = dataclasses.replace(found.result, seconds=_since(began))
        return Solution(dict(found.half_servings), result, f"{found.method} (reused)", found.notes)
    solution = _solve_spec(spec, options, by_nodes)
    # A plan that time cut short is not kept: the same request can do better on a quieter
    # machine, and a weak plan would spread to every identical household of a batch.
    if solution.result.status != "no_solution" and not solution.result.timed_out:
        with _STORE_LOCK:
            while len(store) >= STORE_LIMIT:
                del store[next(iter(store))]
            store[key] = solution
    return solution


def _solve_spec(spec: ModelSpec, options: SolveOptions, by_nodes: bool = False) -> Solution:
    if spec.days > 1 and spec.seed:
        clock = _Clock(time.perf_counter() + options.time_limit_s, by_nodes=by_nodes)
        first = _solve_spec(dataclasses.replace(spec, seed=0), options, by_nodes)
        return _another_week(spec, options, first, clock)
    began = time.perf_counter()
    options = for_days(dataclasses.replace(options, seed=spec.seed), spec.days)
    if spec.days == 1:
        model = build_model(spec)
        result = solve(model.prob, options, max_nodes=BY_NODES_DAY_NODES) if by_nodes else solve(model.prob, options)
        half_servings = solution_half_servings(model) if result.has_plan else {}
        solution = Solution(half_servings, _in_whole_points(spec, options, result, half_servings), "one model")
        return _another_day(spec, options, solution) if spec.seed and result.has_plan else solution
    clock = _Clock(began + options.time_limit_s, by_nodes=by_nodes)
    relaxed = average_day_relaxation(spec)
    if relaxed is None:
        # Even the LP relaxation of the week has no solution, so the week has none.
        return Solution({}, SolveResult("infeasible", options.solver, None, None, None, _since(began)), "LP relaxation")
    bound, frequency = relaxed
    bound = _free_day_bound(spec, options, bound, clock)
    bound = _window_bound(spec, bound)
    week = _kernel_week(spec, options, frequency, bound, clock)
    if week is None or not _within_gap(relative_gap(plan_objective(spec, _join(week)), bound), options):
        kernel_week, week = week, None
        if kernel_week is None or not clock.short(options.time_limit_s * KERNEL_FULL_LEFT):
            week = _construct(spec, options, frequency, clock) or _construct(spec, options, {}, clock)
            if week is not None:
                week = _improve(spec, options, week, bound, clock)
        week = _better(spec, week, kernel_week)
        if week is None:
            return _whole_week(spec, options, bound, clock, began)
    week = _improve_pairs(spec, options, week, bound, clock)
    portions = _join(week)
    if rule_breaches(spec, portions):
        # The steps keep every rule by construction; should a day's choices ever leave one
        # broken (QA: a required food forced onto too many late days of a fortnight broke the
        # window rule), the whole plan's model, which keeps them all, is solved instead.
        return _whole_week(spec, options, bound, clock, began)
    value = plan_objective(spec, portions)
    gap = relative_gap(value, bound)
    status = "optimal" if _within_gap(gap, options) else "feasible"
    result = SolveResult(status, options.solver, value, bound, gap, _since(began), timed_out=clock.timed_out)
    return Solution(portions, result, "decomposition")


def _in_whole_points(spec: ModelSpec, options: SolveOptions, result: SolveResult,
                     half_servings: Mapping[Key, int]) -> SolveResult:  # fmt: skip
    """A day's result in the objective's whole points (model.add_objective): the objective
    recomputed from the plan, the bound rounded down, and the status and gap from them.

    QA: CBC stopped by the time limit reported "objective 71 (bound 72.484), gap 2.09%, NOT
    proven within the gap asked" of 2%, where the bound proves 72 and so a gap of 1.41%; and
    HiGHS gave 71.99999999999994 for 72."""
    if not result.has_plan or result.bound is None:
        return result
    value = plan_objective(spec, half_servings)
    bound = max(value, float(math.floor(result.bound + 1e-6)))
    gap = relative_gap(value, bound)
    proven = result.status == "optimal" or _within_gap(gap, options)
    status = "optimal" if proven else "feasible"
    return dataclasses.replace(result, status=status, objective=value, bound=bound, gap=gap)


def _another_day(spec: ModelSpec, options: SolveOptions, first: Solution) -> Solution:
    """For a seed other than 0, a day as good as ``first`` without one of its foods, picked by
    the seed, when there is one (else ``first``).

    Solvers' random seeds rarely change which optimum they return (CBC gave the same day for
    seeds 0–4 even with the foods in another order), so ``--seed`` would not pick another
    plan. Here the day is solved again with its objective kept at least as high and one of
    its foods left out: SEED_TRIES foods in turn, from the one the seed points at. Each solve
    is proven like the first, so the same seed gives the same day."""
    value = plan_objective(spec, first.half_servings)
    foods = sorted(_foods(first.half_servings))
    spent = first.result.seconds
    timed_out = first.result.timed_out
    tried: list[str] = []
    for i in range(min(SEED_TRIES, len(foods))):
        left_out = foods[(spec.seed + i) % len(foods)]
        name = next(f.name for f in spec.foods if f.ndb_no == left_out)
        model = build_model(dataclasses.replace(spec, banned=spec.banned | {left_out}))
        model.prob += model.prob.objective >= value, SEED_FLOOR_ROW
        result = solve(model.prob, options, max_nodes=SEED_NODES)
        spent += result.seconds
        timed_out = timed_out or result.timed_out
        if result.has_plan:
            found = solution_half_servings(model)
            # The first solve's bound holds for this day too (the same model, one food fewer).
            bound = first.result.bound
            objective = plan_objective(spec, found)
            gap = None if bound is None else relative_gap(objective, bound)
            # Proven by the first solve's proof: this day scores at least its optimum. (The solve
            # itself may stop at SEED_NODES before proving its plan best in its own model.)
            proven = first.result.status == "optimal" and gap is not None and _within_gap(gap, options)
            solved = SolveResult("optimal" if proven else "feasible", result.solver, objective, bound, gap, spent,
                                 result.nodes, timed_out)  # fmt: skip
            return Solution(found, solved, f"one model, then again without {name} for the seed")
        if result.timed_out:
            break  # out of time: keep the first day
        tried.append(name)  # none, or none within the nodes
    # QA: --seed 3 gave seed 0's day without a word, though --help says a seed picks another plan.
    why = (f"none was found without {listed(tried, 'or')}" if len(tried) == min(SEED_TRIES, len(foods))
           else "the time limit ran out looking for one")  # fmt: skip
    note = f"seed {spec.seed} found no other day as good as seed 0's, so this is seed 0's day ({why})"
    return dataclasses.replace(first, result=dataclasses.replace(first.result, seconds=spent, timed_out=timed_out),
                               notes=(*first.notes, note))  # fmt: skip


def _another_week(spec: ModelSpec, options: SolveOptions, first: Solution, clock: _Clock) -> Solution:
    """For a seed other than 0, a week exactly as good as seed 0's week ``first``: pairs of its
    days trade two foods of equal points (day a's f for day b's g), the seed picking which.

    Each food stays on as many days and the week keeps its points, bound and gap; a trade is
    kept when both days still make a plan with their new foods (a one-day model of just those
    foods, so every target of the day holds) and the week keeps its rules (rule_breaches:
    consecutive days differ, one form of a food a day, the window rule; and the budget). A trade needs a day that
    has not traded yet, so up to every day changes. The solves stop at DAY_NODES, so the same
    seed gives the same week on any machine, unless the week's time limit (``clock``, which
    seed 0's week used first) runs out: the trades then stop, as a time-limited week's do.

    Issue 3 asks a seed to change the plan among equally good ones. A week's seed used to deal
    the foods to other days, which gave weeks of other scores (467 to 470 for seeds 1–6 of the
    default week at --time-limit 2, seed 0's 468). Re-solving each day without a food the
    seed picked, its points kept, changed 5 days of 7 but took 3–7 s more, mostly proving that
    a day had no plan as good without it; a trade's two solves take about 0.05 s."""
    if not first.half_servings:
        return first
    options = for_days(dataclasses.replace(options, seed=spec.seed), spec.days)
    began = time.perf_counter()
    week = _split(first.half_servings, spec.days)
    clock.timed_out = first.result.timed_out
    weight = objective_weights(spec)
    fixed = spec.forced | set(spec.swaps) | {f for f, _m in spec.swaps.values()}
    trades = [
        (a, b, f, g)
        for a, b in itertools.combinations(range(spec.days), 2)
        for f in _foods(week[a]) - _foods(week[b]) - fixed
        for g in _foods(week[b]) - _foods(week[a]) - fixed
        if weight[f] == weight[g]
    ]
    # Foods of one category trade first: they fill the same meals with much the same nutrients,
    # so the days more often still make a plan.
    category = {food.ndb_no: food.category for food in spec.foods}
    trades.sort(key=lambda t: (category[t[2]] != category[t[3]], _seeded(spec.seed, ":".join(map(str, t)))))
    traded: set[int] = set()
    solves = 0
    out_of_time = False
    for a, b, f, g in trades:
        if (a in traded and b in traded) or solves >= SEED_SOLVES_PER_DAY * spec.days:
            continue
        if out_of_time := clock.short(MIN_SOLVE_S):
            break
        foods = {d: set(_foods(day)) for d, day in enumerate(week)}
        # A day that traded before may no longer hold f, or hold g already (QA: a later trade
        # then lost one food of a day, and the week 6–12 points, under seed 0's objective).
        if not (f in foods[a] - foods[b] and g in foods[b] - foods[a]):
            continue
        foods[a] = foods[a] - {f} | {g}
        foods[b] = foods[b] - {g} | {f}
        # The week's rules read the days' foods only (rule_breaches), which the solves below
        # keep as they are, so they are checked before any solve.
        if rule_breaches(spec, {(0, d, "", food): 1 for d, held in foods.items() for food in held}):
            continue
        plans: dict[int, DayPlan] = {}
        for d in (a, b):
            solves += 1
            plan, result = _day_of(spec, options, frozenset(foods[d]), clock)
            if plan is None:
                break
            plans[d] = plan
        else:
            trial = [plans.get(d, day) for d, day in enumerate(week)]
            if spec.budget is None or sum(portions_cost(spec, day) for day in trial) <= spec.budget + 1e-9:
                week = trial
                traded |= {a, b}
    seconds = first.result.seconds + _since(began)
    result = dataclasses.replace(first.result, seconds=seconds, timed_out=clock.timed_out)
    if traded and plan_objective(spec, _join(week)) != plan_objective(spec, first.half_servings):
        # Each trade keeps the points, so never expected; should it ever fail, seed 0's week
        # stands, rather than a week said to score what it does not.
        traded = set()
    if not traded:
        why = ("the time limit ran out looking for one" if out_of_time
               else "no two days could trade foods of equal points")  # fmt: skip
        note = f"seed {spec.seed} found no other week as good as seed 0's, so this is seed 0's week ({why})"
        return dataclasses.replace(first, result=result, notes=(*first.notes, note))
    days = listed([str(d + 1) for d in sorted(traded)])
    return Solution(_join(week), result, f"{first.method}, then days {days} trading foods for the seed",
                    first.notes)  # fmt: skip


def _day_of(spec: ModelSpec, options: SolveOptions, foods: frozenset[str],
            clock: _Clock) -> tuple[DayPlan | None, SolveResult]:  # fmt: skip
    """A plan of one day of ``spec`` that eats exactly ``foods`` (None when there is none
    within DAY_NODES, or before the clock's deadline), and its solve's result."""
    day = as_one_day(spec, differ_from=(), bonus={}, forced=foods,
                     banned=spec.banned | {f.ndb_no for f in spec.foods} - foods)  # fmt: skip
    model = build_model(day)
    limited = dataclasses.replace(options, gap=0.0, time_limit_s=min(_share(spec, options, clock), clock.left()))
    result = clock.note(solve(model.prob, limited, max_nodes=DAY_NODES))
    return (solution_half_servings(model) if result.has_plan else None), result


def _within_gap(gap: float, options: SolveOptions) -> bool:
    """Whether ``gap`` certifies the gap asked (a hair over it is float noise, not a miss)."""
    return gap <= asked_gap(options) + 1e-12


def _since(began: float) -> float:
    return time.perf_counter() - began


def average_day_relaxation(spec: ModelSpec) -> tuple[float, dict[str, float]] | None:
    """The week's proven bound (step 1 above, rounded down) and each food's share of days
    in the average-day LP; None when that LP is infeasible."""
    day = as_one_day(
        spec, weekly_average=False, differ_from=(), bonus={},
        budget=None if spec.budget is None else spec.budget / spec.days,
    )  # fmt: skip
    model = build_model(day)
    for (_d, f), z in model.z.items():
        z.upBound = share = min(1.0, spec.days_for(f) / spec.days)
        if f in spec.required:
            z.lowBound = min(share, spec.required[f] / spec.days)
    for raw, forms in forms_of_foods(spec).items():
        zs = [model.z[0, f] for f in forms if (0, f) in model.z]
        model.prob += pulp.lpSum(zs) <= min(1.0, days_for_forms(spec, forms) / spec.days), f"average_forms:{raw}"
    relaxed = lp_relaxation(model.prob)
    if relaxed is None:
        return None
    value, values = relaxed
    frequency = {f: values[z.name] for (_d, f), z in model.z.items()}
    # Whole-number weights make every week's objective whole: round down, minus a hair for
    # the LP's own tolerance.
    return float(math.floor(value * spec.days + 1e-6)), frequency


def _free_day_bound(spec: ModelSpec, options: SolveOptions, bound: float, clock: _Clock) -> float:
    """The week's bound, or days × the proven bound of one day free of the week's couplings
    when that is lower (step 1, continued).

    Every day of a week is a plan of that free day (no required foods, no day to differ
    from, the whole budget), so the week scores at most days × its optimum. When no food's
    k-day limit binds (k ≥ days, as in a 2-day plan: k is 2), the average-day LP is this
    day's LP, and the MILP's bound is the tighter one: the default 2-day plan's bound fell
    from 145 (2 × 72.66) to 142, which its first plan reaches, where it used to spend 10 s in
    step 4 to end at 2.11 % and time out. With the weekly average a day need not reach the
    RDA, so the free day would not be a relaxation; and where k binds (a week: 482 against
    7 × 71 = 497, before the forms rule) the solve would only cost time. So would a household's:
    QA's 5-member shared household over 2 days spent its 5 s share on the free day to prove
    the 132 that the LP had already given (27.4 s in all against 21.5 s), so only one person's
    plan takes this step; it stops at FREE_DAY_NODES, so that it stops at the same point on any machine."""
    if (len(spec.members) > 1 or spec.weekly_average
            or any(spec.days_for(f.ndb_no) < spec.days for f in spec.foods)):  # fmt: skip
        return bound
    day = as_one_day(spec, differ_from=(), bonus={})
    limited = dataclasses.replace(options, gap=0.0, time_limit_s=_share(spec, options, clock))
    result = clock.note(solve(build_model(day).prob, limited, max_nodes=FREE_DAY_NODES))
    if result.bound is None or result.status == "infeasible":
        return bound
    return min(bound, float(math.floor(result.bound * spec.days + 1e-6)))


def _window_bound(spec: ModelSpec, bound: float) -> float:
    """The week's bound, or a tighter one for a plan longer than a week (step 1, continued).

    Its first WINDOW_DAYS days are a run that keeps each food to the week's k (the window
    rule), so they score at most the bound of a week, and each later day at most the LP of a
    day free of the couplings: q·B_week + r·LP_day for q runs of 7 days and r days more. The
    average-day LP cannot see the window rule (a food may be on 6 of 9 days, days 1–4 and
    8–9), so a plan of 8 or 9 days had a bound it could not come near: the 34-year-old
    woman's 9 days 630, against 620 this way. Only one person's plan without required foods,
    a budget or the weekly average, whose runs of 7 days are simply weeks."""
    if (not spec.windows() or len(spec.members) > 1 or spec.required or spec.budget is not None
            or spec.weekly_average):  # fmt: skip
        return bound
    week = average_day_relaxation(dataclasses.replace(spec, days=WINDOW_DAYS))
    day = lp_relaxation(build_model(as_one_day(spec, differ_from=(), bonus={})).prob)
    if week is None or day is None:
        return bound
    runs, rest = divmod(spec.days, WINDOW_DAYS)
    return min(bound, float(math.floor(runs * week[0] + rest * day[0] + 1e-6)))


def average_day_bound(spec: ModelSpec) -> float | None:
    """The proven upper bound of step 1 (see average_day_relaxation)."""
    relaxed = average_day_relaxation(spec)
    return None if relaxed is None else relaxed[0]


def _kernel_week(spec: ModelSpec, options: SolveOptions, frequency: Mapping[str, float], bound: float,
                 clock: _Clock) -> list[DayPlan] | None:  # fmt: skip
    """Steps 2 and 3 on the kernel of ``spec`` (see _kernel); None when there is no kernel or
    it makes no week."""
    if (options.solver == "highs" and len(spec.members) == 1) or spec.budget is not None:
        return None  # see KERNEL_PER_CATEGORY
    kernel = _kernel(spec, frequency)
    if kernel is None:
        return None
    shares = {food.ndb_no: frequency[food.ndb_no] for food in kernel.foods if food.ndb_no in frequency}
    week = _construct(kernel, options, shares, clock, patient=False)
    return None if week is None else _improve(kernel, options, week, bound, clock)


def _kernel(spec: ModelSpec, frequency: Mapping[str, float]) -> ModelSpec | None:
    """``spec`` with only the foods a good week is likely made of: those the average-day LP
    eats (``frequency`` above 0), the KERNEL_PER_CATEGORY with the most points in each
    category, and every food the user requires or likes; None when that is every food.

    Its one-day models are a third to a half the size of the whole pool's, and CBC solves
    them several times faster; the week it makes keeps every rule of ``spec`` (it only leaves
    foods out), and its objective is counted with the same points."""
    weight = objective_weights(spec)
    keep = {f for f, share in frequency.items() if share > 1e-6}
    keep |= set(spec.required) | spec.forced | {f for f, like in spec.preferences.items() if like > 0}
    by_category: dict[str, list[str]] = {}
    for food in spec.foods:
        by_category.setdefault(food.category, []).append(food.ndb_no)
    for ndb_nos in by_category.values():
        keep |= set(sorted(ndb_nos, key=lambda f: (-weight[f], f))[:KERNEL_PER_CATEGORY])
    # A member's private copy of a food (shared meals) stands or falls with the food.
    keep |= {copy for copy, (f, _m) in spec.swaps.items() if f in keep}
    keep |= {f for copy, (f, _m) in spec.swaps.items() if copy in keep}
    foods = tuple(food for food in spec.foods if food.ndb_no in keep)
    return None if len(foods) == len(spec.foods) else dataclasses.replace(spec, foods=foods)


def _better(spec: ModelSpec, week: list[DayPlan] | None, other: list[DayPlan] | None) -> list[DayPlan] | None:
    """The week of the two that scores more (``week`` on a tie); None when neither is one."""
    if week is None or other is None:
        return week or other
    return other if plan_objective(spec, _join(other)) > plan_objective(spec, _join(week)) else week


def _deal(spec: ModelSpec, frequency: Mapping[str, float]) -> list[set[str]]:
    """Foods dealt to days: food f to round(days·z_f) days, each to the days that hold the
    fewest foods of its category so far, ties broken by a rotation (a week's seed changes the
    week afterwards, see _another_week).

    A plan longer than a week, which keeps a limit in any WINDOW_DAYS days in a row, is dealt
    one week that repeats (day d gets week day d mod 7), so that every run of 7 days is
    dealt each food as often as the week is: dealt freely, a fortnight's foods bunched, the
    window rule then left them out of their own days, and the 50-year-old man's construction
    scored 832 where it had scored 865 without the rule."""
    if spec.windows():
        week = _deal(dataclasses.replace(spec, days=WINDOW_DAYS), frequency)
        return [set(week[d % WINDOW_DAYS]) for d in range(spec.days)]
    days = spec.days
    category = {f.ndb_no: f.category for f in spec.foods}
    dealt: list[set[str]] = [set() for _ in range(days)]
    per_category: Counter[tuple[int, str]] = Counter()
    order = sorted(frequency, key=lambda f: (category[f], -frequency[f], f))
    for i, food in enumerate(order):
        count = min(spec.days_for(food), round(frequency[food] * days))
        chosen = sorted(
            range(days),
            key=lambda d: (per_category[d, category[food]], len(dealt[d]), (d - i) % days),
        )[:count]
        for d in chosen:
            dealt[d].add(food)
            per_category[d, category[food]] += 1
    return dealt


def _seeded(seed: int, text: str) -> int:
    """A number that orders things (``text`` names one) the seed's own way: a hash of both, so
    that every seed has its own order."""
    digest = hashlib.blake2b(f"{seed}:{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _construct(spec: ModelSpec, options: SolveOptions, frequency: Mapping[str, float],
               clock: _Clock, *, patient: bool = True) -> list[DayPlan] | None:  # fmt: skip
    """A feasible week built two days at a time (step 2); with an empty ``frequency`` a plain
    greedy one. None when some day finds no plan. Without ``patient``, a day whose share of
    the time runs out before it has a plan is not given the whole limit once (see
    _solve_day): a kernel's week gives up, and the whole pool is planned instead.

    Days d and d+1 are both planned from the days before d, so the two solves can run at
    once (see _threaded); day d+1 is kept when it keeps the week's rules after day d (see
    _fits) and planned again after day d otherwise. Which days are kept depends only on the
    plans, so the week is the same whether the two ran side by side or one after the other.
    A budget or required foods tie a day to the one before it more tightly than _fits
    checks, so such weeks are planned one day at a time."""
    dealt = _deal(spec, frequency) if frequency else [set() for _ in range(spec.days)]
    full = {f for f, z in frequency.items() if round(z * spec.days) >= spec.days_for(f)}
    used: Counter[str] = Counter()
    week: list[DayPlan] = []

    def plan_day(d: int, fixed: dict[int, DayPlan], counts: Counter[str]) -> DayPlan | None:
        others_left = [dealt[e] for e in range(d + 1, spec.days)]
        reserved = {f for f in full if f not in dealt[d] and any(f in later for later in others_left)}
        day = _solve_day(spec, options, _day_spec(spec, d, fixed, counts, avoid=reserved, prefer=dealt[d]),
                         clock, patient=patient and not reserved)  # fmt: skip
        if day is None and reserved:
            day = _solve_day(spec, options, _day_spec(spec, d, fixed, counts, avoid=set(), prefer=dealt[d]),
                             clock, patient=patient)  # fmt: skip
        return day

    def keep(day: DayPlan) -> None:
        week.append(day)
        used.update(_foods(day))

    paired = spec.budget is None and not spec.required
    with ThreadPoolExecutor(max_workers=1) if _threaded(options) else contextlib.nullcontext() as pool:
        while (d := len(week)) < spec.days:
            # Each plan_day gets its own copy of the week so far: two at once must not share one.
            ahead: Callable[[], DayPlan | None] | None = None
            if paired and d + 1 < spec.days:
                ahead = _later(pool, plan_day, d + 1, dict(enumerate(week)), Counter(used))
            day = plan_day(d, dict(enumerate(week)), Counter(used))
            if day is None:
                return None
            keep(day)
            if ahead is not None:
                following = ahead()
                if (following is None or not _fits(spec, following, used, day)
                        or not _windows_kept(spec, {**dict(enumerate(week)), d + 1: following})):  # fmt: skip
                    following = plan_day(d + 1, dict(enumerate(week)), Counter(used))
                if following is None:
                    return None
                keep(following)
    return week


def _threaded(options: SolveOptions) -> bool:
    """Whether the two days of a pair are solved at once: CBC runs in a process of its own,
    so two solves use two cores (HiGHS runs inside this process; batch workers ask for one
    thread each and already fill the cores)."""
    return options.solver == "cbc" and options.threads != 1 and (os.cpu_count() or 1) > 1


def _later(pool: ThreadPoolExecutor | None, func: Callable[..., DayPlan | None],
           *args: Any) -> Callable[[], DayPlan | None]:  # fmt: skip
    """``func(*args)`` started on ``pool``, or computed now without one; call to get it."""
    if pool is None:
        value = func(*args)
        return lambda: value
    return pool.submit(func, *args).result


def _fits(spec: ModelSpec, day: DayPlan, used: Counter[str], previous: DayPlan) -> bool:
    """Whether ``day``, planned without knowing ``previous``, keeps the week's rules after it:
    no food beyond its k days (``used`` counts the days so far, ``previous`` included; a
    shared food and a member's swap for it count together, and so do the forms of one food)
    and, when asked, a day unlike the one before."""
    foods = _foods(day)
    after = used + Counter(foods)
    if any(after[f] > spec.days_for(f) for f in foods):
        return False
    if any(sum(after[f] for f in forms) > days_for_forms(spec, forms) for forms in forms_of_foods(spec).values()):
        return False
    k = spec.variety.days_per_food(spec.days)
    if any(after[f] + after[copy] > k for copy, (f, _m) in spec.swaps.items()):
        return False
    return not (spec.variety.distinct_consecutive_days and foods == _foods(previous))


def _improve(spec: ModelSpec, options: SolveOptions, week: list[DayPlan], bound: float,
             clock: _Clock) -> list[DayPlan]:  # fmt: skip
    """Re-solve each day with the others fixed while that raises the week (step 3).

    As in _construct, days are taken in pairs: both are re-solved against the week as it
    stands (at once, see _threaded), and the better of "both changes", "the first only" and
    "the second only" is kept when it raises the week; both only when they keep the week's
    rules together (see _fits). A budget or required foods tie the days more tightly than
    _fits checks, so such weeks re-solve one day at a time."""
    value = plan_objective(spec, _join(week))
    step = 2 if spec.budget is None and not spec.required else 1
    # Day → the day's model and plan when it was last re-solved and kept its plan: solving
    # the same model from the same plan again would only spend time.
    settled: dict[int, Hashable] = {}
    with ThreadPoolExecutor(max_workers=1) if _threaded(options) and step > 1 else contextlib.nullcontext() as pool:
        for _ in range(MAX_PASSES):
            changed = False
            for first in range(0, spec.days, step):
                if relative_gap(value, bound) <= asked_gap(options) or clock.short():
                    return week
                todo = {}
                for d in range(first, min(first + step, spec.days)):
                    day = _again(spec, week, d)
                    key = (day.banned, day.forced, day.differ_from, day.budget, frozenset(week[d].items()))
                    if settled.get(d) != key:
                        todo[d] = (day, key)
                if not todo:
                    continue
                *others, (d0, (day0, _key)) = todo.items()
                pending = {d: _later(pool, _resolve, spec, options, day, week[d], clock) for d, (day, _k) in others}
                changes = {d0: _resolve(spec, options, day0, week[d0], clock)}
                changes.update((d, result()) for d, result in pending.items())
                best, best_value = week, value
                for candidate in _candidates(spec, week, changes):
                    candidate_value = plan_objective(spec, _join(candidate))
                    if candidate_value > best_value + 1e-9:
                        best, best_value = candidate, candidate_value
                for d, (_day, key) in todo.items():
                    if best[d] is week[d]:
                        settled[d] = key
                if best is not week:
                    week, value, changed = best, best_value, True
            if not changed:
                break
    return week


def _improve_pairs(spec: ModelSpec, options: SolveOptions, week: list[DayPlan], bound: float,
                   clock: _Clock) -> list[DayPlan]:  # fmt: skip
    """Re-solve two days at once, the other days fixed, while the gap asked is not certified
    and time is left (step 4).

    Re-solving one day at a time stops where no single day can improve, but a better week can
    need a food to move from one day to another under its k-day limit, which only a joint
    solve of both days finds: on the default week at --gap 0 this step took the week from 476
    to 480 (bound 482, before the forms rule), each pair given up to 10 s. It runs on the
    whole week's model with the other days' variables replaced by their plan's values
    (_pinned), so every rule of the week (budget and required foods included) holds exactly,
    and the solver's model holds only the two days (CBC's own preprocessing, which would drop
    fixed variables, is off: see solver.CBC_SETTINGS). Against fixing the other days by their
    bounds in the whole model, on 14 people's weeks at --gap 0.01 (CBC, 20 s; 34F, 70M, 16F
    pregnant vegan without peanuts, 44M, 55M, 19M, 61F, 30F breastfeeding gluten-free, 8M, 25M
    vegan without tree nuts, 29F, 40M, 12M, 48F vegetarian): 228.8 s against 235.6 s in all,
    6,499 points against 6,497 (+1 on three, −1 on one), 5 within the gap against 4; a 44M
    pair took 1.5 s on average against 2.4 s. The 25M's default week, 1 point short of 2%
    after 20 s before, met it in 11 s. HiGHS, whose presolve drops fixed variables itself,
    gave the same weeks on the first 10 of them. Each pair gets two days'
    share of the time limit, never past the deadline; CBC starts from the current week, so a
    pair cut short loses nothing, and stops at the first better week (solver's first_better),
    after which the same pair is solved again from it until it finds nothing better (so two
    days, one pair, still end at their optimum given the time; HiGHS, given no start, solves
    each pair to its best at once). Rather than prove each pair's best before moving on, this
    tries more pairs in the time: on 16 plans (ages 1–70, 3–7 days, a pregnant vegan teen's
    seeds 0–2, CBC) it took 73 s in all against 100 s, no plan scored less, and the teen's
    weeks of seeds 1 and 2, which had run out of time (20 s) at 2.25 % and 2.02 %, reached
    1.79 % in 9 s; her 3-day plan took 11 s instead of running out of time at 16 s. The week
    is kept only when a pair raises it."""
    value = plan_objective(spec, _join(week))
    if relative_gap(value, bound) <= asked_gap(options):
        return week
    if clock.short(MIN_DAY_S):
        return week
    model = build_model(spec)
    by_day: dict[int, list[pulp.LpVariable]] = {}
    for (_m, d, _s, _f), var in model.x.items():
        by_day.setdefault(d, []).append(var)
    for (d, _s, _f), var in model.y.items():
        by_day.setdefault(d, []).append(var)
    for (d, _f), var in [*model.z.items(), *model.c.items()]:
        by_day.setdefault(d, []).append(var)
    for (d, _f), var in model.w.items():  # "day d differs from day d+1" belongs to both
        by_day.setdefault(d, []).append(var)
        by_day.setdefault(d + 1, []).append(var)
    per_pair = _share(spec, options, clock, days=2)
    current = start_values(model, _join(week))
    pairs = list(itertools.combinations(range(spec.days), 2))
    while pairs:
        a, b = pairs.pop(0)
        if relative_gap(value, bound) <= asked_gap(options) or clock.short(MIN_SOLVE_S):
            break
        left = clock.left()
        free = {id(var) for d in (a, b) for var in by_day.get(d, [])}
        pinned = {id(var): number for var, number in current if id(var) not in free}
        pair = _pinned(model.prob, pinned)
        start = [(var, number) for var, number in current if id(var) in free] if options.solver == "cbc" else []
        limited = dataclasses.replace(options, gap=0.0, time_limit_s=min(per_pair, left))
        # CBC, which starts from the week, stops a pair at PAIR_NODES (HiGHS, given no
        # start, needs its whole search to beat the week).
        nodes = PAIR_NODES if start else None
        result = clock.note(solve(pair, limited, start, first_better=True, max_nodes=nodes))
        for var, number in current:
            if id(var) in pinned:  # the other days, for solution_half_servings to read
                var.varValue = number
        if not result.has_plan:
            continue
        found = solution_half_servings(model)
        found_value = plan_objective(spec, found)
        if found_value > value + 1e-9:
            week = _split(found, spec.days)
            value = found_value
            current = start_values(model, found)
            if start:  # stopped at the first better week, which need not be the pair's best
                pairs.insert(0, (a, b))
    return week


def _pinned(prob: pulp.LpProblem, pinned: Mapping[int, float]) -> pulp.LpProblem:
    """``prob`` with the variables of ``pinned`` (by id) replaced by their values: each row
    keeps its other terms, with the pinned ones moved into its constant, and a row left with
    no term is dropped (the values keep it, as they come from a plan of the model)."""
    sub = pulp.LpProblem(prob.name, prob.sense)
    assert prob.objective is not None
    sub.setObjective(pulp.LpAffineExpression([(v, c) for v, c in prob.objective.items() if id(v) not in pinned]))
    for row in prob.constraints():
        terms = []
        constant = row.constant
        for var, coefficient in row.items():
            number = pinned.get(id(var))
            if number is None:
                terms.append((var, coefficient))
            else:
                constant += coefficient * number
        if terms:
            sub.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms, constant=constant), row.sense, row.name))
    return sub


def _again(spec: ModelSpec, week: list[DayPlan], d: int) -> ModelSpec:
    """The one-day model of day ``d`` with the other days of ``week`` fixed."""
    fixed = {e: plan for e, plan in enumerate(week) if e != d}
    return _day_spec(spec, d, fixed, _days_eaten(fixed.values()), avoid=set(), prefer=set())


def _resolve(spec: ModelSpec, options: SolveOptions, day: ModelSpec, plan: DayPlan,
             clock: _Clock) -> DayPlan | None:  # fmt: skip
    """A day solved again (``day``, see _again) from its current ``plan`` (so the solver only
    looks for a better one, and stopping it early loses nothing): it gets its share of the
    time limit, but never runs past the clock's deadline.

    Only CBC is handed the plan: HiGHS given it proved the start optimal more slowly than it
    found and proved the same plan from nothing (the default week at --gap 0.01, the same
    476 either way: 13.0 s with starts, 5.4 s without; measured again with HIGHS_SETTINGS),
    so HiGHS solves from nothing and a worse plan it returns at the deadline is not kept."""
    start = plan if options.solver == "cbc" else None
    return _solve_day(spec, options, day, clock, start=start, by_deadline=True)


def _candidates(spec: ModelSpec, week: list[DayPlan],
                changes: Mapping[int, DayPlan | None]) -> list[list[DayPlan]]:  # fmt: skip
    """The weeks that take each changed day alone, and, for two changed days, both together
    when they keep the week's rules together."""
    changed = {d: day for d, day in changes.items() if day is not None}
    weeks = [[changed.get(d, plan) if d == e else plan for d, plan in enumerate(week)] for e in changed]
    if len(changed) == 2:
        a, b = sorted(changed)
        both = [changed.get(d, plan) for d, plan in enumerate(week)]
        used = _days_eaten(plan for d, plan in enumerate(both) if d != b)
        previous = both[a] if b == a + 1 else {}
        if _fits(spec, both[b], used, previous) and _windows_kept(spec, dict(enumerate(both))):
            weeks.append(both)
    return weeks


def _day_spec(spec: ModelSpec, d: int, fixed: Mapping[int, DayPlan], used: Counter[str],
              *, avoid: set[str], prefer: set[str]) -> ModelSpec:  # fmt: skip
    """Day ``d`` as a one-day model given the ``fixed`` other days: the week's couplings
    become bounds on this day. ``avoid``/``prefer`` only steer."""
    days_after = spec.days - d - 1 - sum(1 for e in fixed if e > d)
    forced = set()
    for f, times in spec.required.items():
        if times - sum(1 for plan in fixed.values() if f in _foods(plan)) > _room_after(spec, f, d, fixed):
            forced.add(f)
    neighbours = tuple(_foods(fixed[e]) for e in (d - 1, d + 1) if e in fixed)
    used_up = {f for f, n in used.items() if n >= spec.days_for(f)}
    budget = None
    if spec.budget is not None:
        spent = sum(portions_cost(spec, plan) for plan in fixed.values())
        budget = (spec.budget - spent) / (1 + days_after)
    return as_one_day(
        spec,
        weekly_average=False,
        banned=spec.banned | used_up | ((_swaps_used_up(spec, used) | _forms_used_up(spec, used) | avoid
                                         | _window_banned(spec, d, fixed)) - forced),
        forced=spec.forced | frozenset(forced),
        differ_from=neighbours if spec.variety.distinct_consecutive_days else (),
        budget=budget,
        bonus=dict.fromkeys(prefer, DEALT_BONUS),
    )


def _room_after(spec: ModelSpec, f: str, d: int, fixed: Mapping[int, DayPlan]) -> int:
    """The most days after ``d``, of those not ``fixed``, that required food ``f`` can still be
    on: all of them, or in a plan longer than a week as many as the window rule leaves
    (ModelSpec.window_for), placed on the earliest days that keep it, which places the most.
    QA: --require salmon=3 over 14 days was forced onto the last days once they were all it
    had left, 5 of days 7–13 where 4 are allowed (and planner.verify refused the plan)."""
    later = [e for e in range(d + 1, spec.days) if e not in fixed]
    most = spec.window_for(f)
    if most is None:
        return len(later)
    on = {e for e, plan in fixed.items() if f in _foods(plan)}
    windows = spec.windows()
    placed = 0
    for e in later:
        if all(sum(x in on for x in w) < most for w in windows if e in w):
            on.add(e)
            placed += 1
    return placed


def _solve_day(spec: ModelSpec, options: SolveOptions, day: ModelSpec, clock: _Clock, *, patient: bool = False,
               start: DayPlan | None = None, by_deadline: bool = False) -> DayPlan | None:  # fmt: skip
    """The one-day model ``day`` of the week ``spec`` (see _day_spec), solved with the day's
    share of the time limit; ``clock`` notes whether time cut it short. ``patient``: the last
    try for this day (see below). ``start``: a plan of this day that keeps the couplings,
    handed to the solver as its first solution (the solver then only looks for better).
    ``by_deadline``: the solve stops at the clock's deadline, whatever the day's share, and
    with less than MIN_SOLVE_S left the day is not solved (None)."""
    model = build_model(day)
    # Each day gets a fixed share of the time limit, not "whatever is left", so that the
    # same inputs give the same week however busy the machine is, as long as every solve
    # ends within its share (the clock notes one that does not); only a day re-solved from
    # its plan, which loses nothing by stopping early, is also stopped at the deadline.
    per_day = _share(spec, options, clock)
    if by_deadline:
        if clock.short(MIN_SOLVE_S):
            return None
        per_day = min(per_day, clock.left())
    first = start_values(model, start) if start is not None else ()
    result = clock.note(solve(model.prob, dataclasses.replace(options, gap=0.0, time_limit_s=per_day), first,
                              max_nodes=DAY_NODES))  # fmt: skip
    if patient and not clock.by_nodes and result.status == "no_solution" and per_day < options.time_limit_s:
        # The share ran out before the solver had any plan (HiGHS can spend seconds in the root of
        # a household's day): on the day's last try, give it the whole limit once rather
        # than fail a week that has plans.
        result = clock.note(solve(model.prob, dataclasses.replace(options, gap=0.0, time_limit_s=options.time_limit_s)))
    if not result.has_plan:
        return None
    return solution_half_servings(model)


def _share(spec: ModelSpec, options: SolveOptions, clock: _Clock, days: int = 1) -> float:
    """Seconds a solve of ``days`` of the week ``spec`` gets: that many days' share of the
    time limit (for a household, DAY_SHARE of it per day), at least MIN_DAY_S. One person's
    day stops at DAY_NODES long before its share on a quiet machine, so the whole share is
    the margin that keeps a busy machine from stopping it earlier. By nodes (solve_spec's
    ``by_nodes``): what is left before the deadline, at least MIN_TIME_LIMIT_S."""
    if clock.by_nodes:
        return max(MIN_TIME_LIMIT_S, clock.left())
    share = 1.0 if len(spec.members) == 1 else DAY_SHARE[options.solver]
    return max(MIN_DAY_S, days * options.time_limit_s / spec.days * share)


def _window_banned(spec: ModelSpec, d: int, fixed: Mapping[int, DayPlan]) -> set[str]:
    """Foods day ``d`` may not have because some run of WINDOW_DAYS days that holds ``d``
    already has them on their most days among the ``fixed`` days (model.window_groups)."""
    windows = spec.windows()
    groups = window_groups(spec) if windows else []
    banned: set[str] = set()
    for window in windows:
        if d in window:
            eaten = _days_eaten(fixed[e] for e in window if e in fixed and e != d)
            banned.update(f for _name, foods, most in groups if sum(eaten[g] for g in foods) >= most for f in foods)
    return banned


def _windows_kept(spec: ModelSpec, plans: Mapping[int, DayPlan]) -> bool:
    """Whether the days ``plans`` (by index) keep the window rule together."""
    return next(window_overruns(spec, {d: _foods(plan) for d, plan in plans.items()}), None) is None


def _swaps_used_up(spec: ModelSpec, used: Counter[str]) -> set[str]:
    """Shared foods and members' private swaps for them whose days, counted together, have
    reached k: the whole-week model's Σ_d z[d,f] + Σ_d z[d,copy] ≤ k, kept day by day."""
    k = spec.variety.days_per_food(spec.days)
    return {g for copy, (f, _m) in spec.swaps.items() if used[f] + used[copy] >= k for g in (f, copy)}


def _forms_used_up(spec: ModelSpec, used: Counter[str]) -> set[str]:
    """The forms of a food (raw and cooked spinach) whose days, counted together, have reached
    their limit: the whole-week model's days_per_forms row, kept day by day."""
    return {f for forms in forms_of_foods(spec).values()
            if sum(used[g] for g in forms) >= days_for_forms(spec, forms) for f in forms}  # fmt: skip


def _days_eaten(plans: Iterable[DayPlan]) -> Counter[str]:
    """On how many of ``plans`` each food is eaten."""
    return Counter(f for plan in plans for f in _foods(plan))


def _foods(day: DayPlan) -> frozenset[str]:
    return frozenset(f for (_m, _d, _s, f), n in day.items() if n > 0)


def _join(week: list[DayPlan]) -> dict[Key, int]:
    return {(m, d, s, f): n for d, day in enumerate(week) for (m, _d, s, f), n in day.items()}


def _split(portions: Mapping[Key, int], days: int) -> list[DayPlan]:
    """A week's portions as one plan per day, each keyed with day index 0 (undoes _join)."""
    return [{(m, 0, s, f): n for (m, e, s, f), n in portions.items() if e == d} for d in range(days)]


def _whole_week(spec: ModelSpec, options: SolveOptions, bound: float, clock: _Clock, began: float) -> Solution:
    """The whole-week MILP, when the construction found no week. The result is marked
    timed out when time decided anything on the way here too (a construction solve cut
    short), not only when this solve ran out."""
    if clock.by_nodes:
        # Its root alone can take seconds (~6 s for the default week; 200 nodes of a week with a
        # budget took 45 s on a busy machine): not a check that ends by nodes.
        result = SolveResult("no_solution", options.solver, None, None, None, _since(began), timed_out=clock.timed_out)
        return Solution({}, result, "decomposition")
    model = build_model(spec)
    remaining = max(0.5, clock.left())
    result = clock.note(solve(model.prob, dataclasses.replace(options, time_limit_s=remaining)))
    if not result.has_plan:
        return Solution({}, dataclasses.replace(result, seconds=_since(began), timed_out=clock.timed_out), "week model")
    value = objective_value(model)
    best = min(bound, result.bound) if result.bound is not None else bound
    gap = relative_gap(value, best)
    status = "optimal" if _within_gap(gap, options) else "feasible"
    solved = SolveResult(status, options.solver, value, best, gap, _since(began), result.nodes, clock.timed_out)
    return Solution(solution_half_servings(model), solved, "week model")

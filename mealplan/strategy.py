"""How a plan's model is solved: directly for one day, by decomposition for a week.

A week couples its days only through a few rules (a food on at most k days, consecutive
days differ, a required food n times, a weekly budget or magnesium average). Dropping those
couplings leaves ``days`` copies of the same one-day model, so

    week optimum ≤ days × (proven bound of the one-day model)            (1)

and a week built day by day, each day solved to optimality given what earlier days used,
is a feasible week whose objective is a lower bound. When the two are within the gap asked,
the week is certified; otherwise the whole-week model is solved with that week as a warm
start, and the better bound of (1) and the solver's is reported. Both bounds are proven by
the solver, so the stated gap is a certified one.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass

from .model import Key, MealModel, ModelSpec, build_model, mip_start, objective_value, solution_half_servings
from .solver import SolveOptions, SolveResult, relative_gap, solve, solve_lp_relaxation

# Gap for each day of the day-by-day construction: tighter than the week's so that the
# days' small losses do not add up past it.
DAY_GAP_SHARE = 0.25


@dataclass(frozen=True)
class Solution:
    """Half servings per (member, day, slot, ndb_no), and what was proven about them."""

    half_servings: dict[Key, int]
    result: SolveResult
    method: str


def solve_spec(spec: ModelSpec, options: SolveOptions) -> Solution:
    """Solve ``spec``; see the module docstring for the week's decomposition."""
    began = time.perf_counter()
    if spec.days == 1:
        model = build_model(spec)
        result = solve(model.prob, options)
        return Solution(solution_half_servings(model) if result.has_plan else {}, result, "one model")
    week_bound = average_day_bound(spec)
    if week_bound is None:
        # Even the LP relaxation of the week has no solution, so the week has none.
        seconds = time.perf_counter() - began
        return Solution({}, SolveResult("infeasible", options.solver, None, None, None, seconds), "LP relaxation")
    greedy = _day_by_day(spec, options)
    if greedy is not None and week_bound is not None:
        portions, value = greedy
        gap = relative_gap(value, week_bound)
        if gap <= options.gap + 1e-12:
            seconds = time.perf_counter() - began
            return Solution(
                portions, SolveResult("optimal", options.solver, value, week_bound, gap, seconds), "day by day"
            )
    remaining = max(0.5, options.time_limit_s - (time.perf_counter() - began))
    model = build_model(spec)
    start = mip_start(model, greedy[0]) if greedy is not None else ()
    result = solve(model.prob, dataclasses.replace(options, time_limit_s=remaining), start)
    seconds = time.perf_counter() - began
    return _best(model, result, greedy, week_bound, seconds, options)


def _best(model: MealModel, result: SolveResult, greedy: tuple[dict[Key, int], float] | None,
          week_bound: float | None, seconds: float, options: SolveOptions) -> Solution:  # fmt: skip
    if result.status == "infeasible":
        return Solution({}, dataclasses.replace(result, seconds=seconds), "week model")
    bounds = [b for b in (result.bound, week_bound) if b is not None]
    bound = min(bounds) if bounds else None
    candidates: list[tuple[float, dict[Key, int], str]] = []
    if result.has_plan:
        candidates.append((objective_value(model), solution_half_servings(model), "week model"))
    if greedy is not None:
        candidates.append((greedy[1], greedy[0], "day by day"))
    if not candidates:
        return Solution({}, dataclasses.replace(result, seconds=seconds), "week model")
    value, portions, method = max(candidates, key=lambda c: c[0])
    gap = relative_gap(value, bound) if bound is not None else None
    status = "optimal" if gap is not None and gap <= options.gap + 1e-12 else "feasible"
    return Solution(portions, SolveResult(status, options.solver, value, bound, gap, seconds, result.nodes), method)


def average_day_bound(spec: ModelSpec) -> float | None:
    """days × the LP optimum of one "average day"; None when that LP is infeasible.

    Every day has the same constraints, and the couplings between days are symmetric in
    the days (a food on at most k days, a required food n times, a weekly budget, the
    magnesium average) except "consecutive days differ", which we drop. Averaging any
    solution of the week's LP relaxation over the days therefore gives a solution of one
    day's LP with  z_f ≤ k/days,  z_f ≥ n_f/days,  cost ≤ budget/days,  Mg ≥ RDA,  and the same
    objective per day; so the week's optimum is at most days × that LP's optimum. It is
    solved by HiGHS's simplex whichever solver plans the week.
    """
    day = dataclasses.replace(
        spec, days=1, required={}, weekly_average=False, differ_from=None,
        budget=None if spec.budget is None else spec.budget / spec.days,
    )  # fmt: skip
    model = build_model(day)
    for (_d, f), z in model.z.items():
        z.upBound = share = min(1.0, spec.days_for(f) / spec.days)
        if f in spec.required:
            z.lowBound = min(share, spec.required[f] / spec.days)
    value = solve_lp_relaxation(model.prob)
    return None if value is None else value * spec.days


def _day_by_day(spec: ModelSpec, options: SolveOptions) -> tuple[dict[Key, int], float] | None:
    """A feasible week built one day at a time, or None when a day finds no plan."""
    used: Counter[str] = Counter()
    required_left = dict(spec.required)
    previous: frozenset[str] | None = None
    portions: dict[Key, int] = {}
    total = 0.0
    budget_left = spec.budget
    day_options = dataclasses.replace(options, gap=options.gap * DAY_GAP_SHARE)
    for d in range(spec.days):
        days_left = spec.days - d
        day = dataclasses.replace(
            spec,
            days=1,
            weekly_average=False,
            required={},
            banned=spec.banned | {f for f, n in used.items() if n >= spec.days_for(f)},
            forced=spec.forced | {f for f, n in required_left.items() if n >= days_left},
            differ_from=previous if spec.variety.distinct_consecutive_days else None,
            budget=None if budget_left is None else budget_left / days_left,
        )
        model = build_model(day)
        result = solve(model.prob, day_options)
        if not result.has_plan:
            return None
        day_portions = solution_half_servings(model)
        foods = frozenset(f for (_m, _d, _s, f) in day_portions)
        for f in foods:
            used[f] += 1
            if f in required_left:
                required_left[f] -= 1
        if budget_left is not None:
            budget_left -= sum(
                spec.prices_per_100g.get(f, 0.0) / 100 * model.foods[f].serving_grams / 2 * n
                for (_m, _d, _s, f), n in day_portions.items()
            )
        for (m, _d, s, f), n in day_portions.items():
            portions[m, d, s, f] = n
        total += objective_value(model)
        previous = foods
    return portions, total

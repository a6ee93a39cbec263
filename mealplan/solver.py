"""Solving a built PuLP problem with HiGHS (in-process) or CBC, and reading back an
honest status: proven optimal, feasible within a certified gap, infeasible, or failed.

HiGHS is driven through ``highspy`` directly rather than PuLP's adapter: we hand it the
whole matrix at once (faster for our models), can give it a warm start, and can read the
certified dual bound and gap. CBC runs through PuLP's bundled command-line build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import decimal
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulp

from .errors import InputError, SolverError, is_number, is_whole
from .tempdirs import sweep_stale_dirs

SOLVERS = ("highs", "cbc")
# Defaults from benchmarks/RESULTS.md (2-core Intel Xeon, each solver with its settings
# below; the run of 2026-11-27): CBC proves the one-day model optimal in 0.19 s where HiGHS
# needs 0.33 s, plans the vegan week in 1.6 s where HiGHS needs 3.5 s (the default week:
# 3.4 s and 3.3 s, seed 0's dealing being slow for CBC; seeds 1–9 took 0.9–1.6 s), and plans
# 0.31 person-weeks per second per core in a batch where HiGHS plans 0.15, so CBC is the
# default. 2% is the gap the week's decomposition certifies in a second or two (1.93%
# on the default profile); 1% needs a week of 472 against the bound of 476 (478 against 482
# before raw and cooked forms counted as one food and soymilk was the fortified one), which
# the pair step (step 4 in mealplan/strategy.py) reached only in tens of seconds, so a
# tighter default would spend the whole time limit for a point or two. 20 s is kept: each
# day gets its share.
DEFAULT_SOLVER = "cbc"
# A shared menu's default (one model for every member), when the user names no solver. On
# the five example households (2026-11-27, 2-core machine, the default 20 s): a week with
# HiGHS scored as high as with CBC or higher on every one (couple 418 against 417, proven in
# 13.3 s against unproven at 20.3 s; grandparents 431/430; single parent 495/495 in 11.8 s
# against 16.2 s; vegan flat 448/446; family of four 441/438); one day took 9.6 s in all
# against 27 s, where CBC left the family of four's unproven at 20 s and found none in 10 s
# (CBC was faster on three days, by under a second). At --time-limit 10 the benchmark's family
# week favoured CBC (5.53% against 7.01%); since a week is planned from a kernel of the pool
# first (strategy.KERNEL_PER_CATEGORY), both scored 448 (2.23%) in 20 s and 444 in 10 s.
# Since its 6-year-old may have fish and poultry (benchmarks at 50a26d5): HiGHS 446 (2.69%)
# and CBC 448 (2.23%) in 20 s, HiGHS 444 (3.15%) and CBC 432 (6.02%) in 10 s; HiGHS kept.
SHARED_DEFAULT_SOLVER = "highs"
# A top-up's default (mealplan.topup), when the user names no solver. On 12 top-ups (QA's and
# the 58-year-old woman's below; 2026-11-28, 2-core machine, the default 20 s): HiGHS scored as
# well as CBC or better on 11 (8 better: 17.29 against 17.44 for 0 mg within 300 kcal, 23.89
# against 24.03 at 190 kcal), was proven within 2% on 6 against 5, and took 134 s in all
# against 164 s: the vegan pregnant 16-year-old's in 3.2 s against 20.5 s unproven, a 3-day one
# in 2.1 s against 12.8 s. Where neither is proven its gap was smaller every time (11.6% against
# 21.8%, 5.2% against 8.5%). CBC was better on one (7.13 against 7.21, both within 2%).
TOPUP_DEFAULT_SOLVER = "highs"
DEFAULT_GAP = 0.02
# One day is one small MILP that CBC proves optimal in about 0.2 s, so by default it
# is proven optimal; DEFAULT_GAP is the default for longer plans (see benchmarks/RESULTS.md).
ONE_DAY_GAP = 0.0
DEFAULT_TIME_LIMIT_S = 20.0
# The time limits a user may give: a tenth of a second to a day.
MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 0.1, 86_400.0
TIME_LIMIT_RANGE_TEXT = f"{MIN_TIME_LIMIT_S:g} to {MAX_TIME_LIMIT_S:g}"
# CBC's own settings that differ from its defaults, each measured on our models (the "CBC
# settings" table of benchmarks/RESULTS.md, which runs the week with and without them):
# * passF 10: the feasibility pump finds its plan within its first few passes, and CBC's
#   default of 30 only costs time (~25% of a week);
# * preprocess off: CBC's preprocessing rewrites the day model for ~0.2 s and then solves
#   it slower (a household's day: 2.9 s with it, 1.0 s without).
# * cuts off, probing on: the root's cut rounds (TwoMir made some 330 cuts on the default
#   day, none of them active at the end) moved the day's bound from 72.66 to 72.22, not
#   below the 72 that proves 71 optimal, and took a third of the solve; branching proves it
#   in a few nodes either way. On 39 one-day models (32 ages and sexes, 5 diets, pregnancy,
#   lactation; saved as MPS, CBC's CPU seconds) they took 6.1 s in all instead of 8.6 s,
#   the same optima, none more than 0.03 s slower; probing alone is kept, as it fixes
#   variables cheaply (the 55-year-old man's day: 0.54 s with it, 0.71 s without).
#   A model with a money budget keeps CBC's cuts (CBC_BUDGET_SETTINGS): the budget row is a
#   knapsack, which the cuts tighten. Without them a 2-day shared menu for a man and a
#   6-year-old under a budget of 40 a week took 93 s (limit 60) and scored 111 (gap 8.1%);
#   with them 15 s and 117 (2.6%); one person's budget weeks (27 and 40) were alike either way.
CBC_SETTINGS: tuple[str, ...] = ("passF 10", "preprocess off", "cuts off", "probing on")
CBC_BUDGET_SETTINGS: tuple[str, ...] = ("passF 10", "preprocess off")
# Without its cuts CBC can search long where a few cuts decide at once, which the upper
# intake levels (knapsack rows like the budget) made common: a 2-day plan of 114 variables
# with no plan took 185,000 nodes (16 s) to prove so, and 0.08 s with the cuts; a 4,400-kcal
# day took 3,834 nodes to find its first plan (16 s), 7 s with them. So a solve from nothing
# to the end (no start, no node limit of the caller's) stops after CBC_FIRST_NODES without
# cuts, which the usual day needs far fewer of (0–10); when that leaves it neither proven
# nor refuted, it goes on with the cuts (CBC_BUDGET_SETTINGS) for the rest of its time, from
# the plan found, if any. Nodes, not seconds, so that where it switches does not depend on
# the machine's load.
CBC_FIRST_NODES = 500
# HiGHS's options that differ from its defaults, measured the same way ("HiGHS settings" in
# benchmarks/RESULTS.md):
# * mip_pool_soft_limit 10 (default 10,000): HiGHS adds some 1,300 cuts to a day model's
#   root, which barely move its bound, and then spends most of its time on them. With a
#   pool of 10, the 37 day models of four weeks and a shared family week (saved as MPS)
#   were solved to the same optima in 22 s instead of 38 s (24.5 s instead of 41.9 s with
#   one thread); 100 or 1,000 saved little.
HIGHS_SETTINGS: tuple[tuple[str, int | float | str | bool], ...] = (("mip_pool_soft_limit", 10),)
# CBC stops at its second solution: the first is the start it was given, so the second is the
# first plan better than it (solve's first_better).
FIRST_BETTER_SETTINGS: tuple[str, ...] = ("maxSolutions 2",)


# Most threads a solver may be given (more than any machine this runs on has cores).
MAX_THREADS = 256
_EXAMPLES = {"gap": 0.01, "time_limit_s": 10, "threads": 1, "seed": 1}
# SolveOptions' numbers: (field, whether it must be whole, may be None).
_TYPES = (("gap", False, True), ("time_limit_s", False, False), ("threads", True, True), ("seed", True, False))


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: which solver, the relative gap to stop at, and a time limit."""

    solver: str = DEFAULT_SOLVER
    gap: float | None = None  # None: ONE_DAY_GAP for one day, DEFAULT_GAP for longer plans
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    # None: the solver's own (CBC: one; HiGHS: its default). CBC is given a count above one
    # only: "threads 1" takes its parallel code path with one thread, which plans otherwise
    # and slower than its serial one (8 weeks: 21.7 s against 19.0 s), so 1 means None there.
    threads: int | None = None
    seed: int = 0  # the solver's random seed: picks among equally good plans

    def __post_init__(self) -> None:
        if isinstance(self.solver, str) and self.solver.lower() in SOLVERS:
            # Any case, as --solver HIGHS on the command line (API QA).
            object.__setattr__(self, "solver", self.solver.lower())
        if not isinstance(self.solver, str) or self.solver not in SOLVERS:
            raise InputError(f"solver {self.solver!r} is not one of: {', '.join(SOLVERS)}")
        for key, whole, optional in _TYPES:
            value = getattr(self, key)
            if (value is not None or not optional) and not (is_whole(value) if whole else is_number(value)):
                what = "a whole number" if whole else "a number"
                raise InputError(f"{key} {value!r} is not {what}; give e.g. {key}={_EXAMPLES[key]}")
        if self.threads is not None and not (1 <= self.threads <= MAX_THREADS):
            raise InputError(f"threads {self.threads} is out of range; give 1 to {MAX_THREADS} (None: the solver's)")
        check_seed(self.seed)
        if self.gap is not None and not (0 <= self.gap <= 0.5):
            raise InputError(f"gap {self.gap:g} is out of range; give 0 to 0.5 (e.g. 0.01 for 1%)")
        if not (MIN_TIME_LIMIT_S <= self.time_limit_s <= MAX_TIME_LIMIT_S):
            raise InputError(
                f"time limit {self.time_limit_s:g} s is out of range; give {TIME_LIMIT_RANGE_TEXT} seconds")


@dataclass(frozen=True)
class SolveResult:
    """What the solver proved. ``status`` is one of: optimal (within the gap asked),
    feasible (a plan, stopped early, gap larger than asked), infeasible, no_solution."""

    status: str
    solver: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    nodes: int | None = None
    # The time limit, not the search, ended this solve (or, for a week, one of its solves or
    # steps): the same request can then give another plan on a busier or quieter machine.
    timed_out: bool = False

    @property
    def has_plan(self) -> bool:
        return self.status in ("optimal", "feasible")


# The largest random seed: HiGHS takes 0 to 2^31 − 1 (and silently ignores any other).
MAX_SEED = 2**31 - 1


def check_seed(seed: int) -> int:
    """``seed`` when both solvers take it; else InputError."""
    if not is_whole(seed):
        raise InputError(f"seed {seed!r} is not a whole number; give 0 to {MAX_SEED}")
    if not (0 <= seed <= MAX_SEED):
        raise InputError(f"seed {seed} is out of range; give 0 to {MAX_SEED}")
    return seed


def with_gap(options: SolveOptions, default: float) -> SolveOptions:
    """``options`` with its gap set: the user's, or ``default`` when they gave none."""
    return options if options.gap is not None else dataclasses.replace(options, gap=default)


def for_days(options: SolveOptions, days: int) -> SolveOptions:
    """``options`` with the gap a plan of ``days`` days is solved to: the user's, else
    ONE_DAY_GAP for one day and DEFAULT_GAP for longer plans."""
    return with_gap(options, ONE_DAY_GAP if days == 1 else DEFAULT_GAP)


def asked_gap(options: SolveOptions) -> float:
    """The gap of options that went through :func:`with_gap`."""
    assert options.gap is not None
    return options.gap


def relative_gap(objective: float, bound: float) -> float:
    """|bound − objective| / max(|objective|, 1e-9), HiGHS's definition."""
    return abs(bound - objective) / max(abs(objective), 1e-9)


def solve(prob: pulp.LpProblem, options: SolveOptions, start: Sequence[tuple[pulp.LpVariable, float]] = (),
          *, max_nodes: int | None = None, first_better: bool = False) -> SolveResult:  # fmt: skip
    """Solve ``prob`` in place (variable values are set only when a plan was found).

    ``max_nodes``: stop after that many branch-and-bound nodes (the plan found by then is
    kept, not proven). Unlike a time limit, it stops the search at the same point on a
    busy machine as on a quiet one.

    ``first_better``: with a ``start`` and CBC, stop at the first plan better than the start
    (CBC counts the start as its first solution; FIRST_BETTER_SETTINGS). The caller keeps
    searching elsewhere instead of proving this one best. Ignored otherwise."""
    options = with_gap(options, DEFAULT_GAP)
    if not prob.variables():
        return _solve_without_variables(prob, options.solver)
    if options.solver == "highs":
        return _solve_highs(prob, options, start, max_nodes)
    if start or max_nodes is not None or cbc_settings(prob) == CBC_BUDGET_SETTINGS:
        extra = FIRST_BETTER_SETTINGS if first_better and start else ()
        return _solve_cbc(prob, options, start, max_nodes, (*cbc_settings(prob), *extra))
    return _solve_cbc_in_two(prob, options)


def _solve_cbc_in_two(prob: pulp.LpProblem, options: SolveOptions) -> SolveResult:
    """CBC without cuts for CBC_FIRST_NODES, then with them when that decided nothing (see
    CBC_FIRST_NODES)."""
    first = _solve_cbc(prob, options, (), CBC_FIRST_NODES)
    left = options.time_limit_s - first.seconds
    if first.status in ("optimal", "infeasible") or first.timed_out or left <= 0:
        return first
    found = solved_start(prob) if first.has_plan else []
    second = _solve_cbc(prob, dataclasses.replace(options, time_limit_s=left), found, settings=CBC_BUDGET_SETTINGS)
    if not second.has_plan and first.has_plan:
        for var, value in found:  # the second solve cleared them; the first plan stands
            var.varValue = value
        second = dataclasses.replace(first, timed_out=second.timed_out)
    nodes = None if first.nodes is None or second.nodes is None else first.nodes + second.nodes
    return dataclasses.replace(second, seconds=first.seconds + second.seconds, nodes=nodes)


def _solve_without_variables(prob: pulp.LpProblem, solver: str) -> SolveResult:
    """A problem with no variables left (every food excluded) is decided by its constant
    constraints alone; HiGHS calls such a model "Empty" and CBC is not needed for it."""
    if all(c.valid(1e-9) for c in prob.constraints()):
        objective = float(prob.objective.constant) if prob.objective is not None else 0.0
        return SolveResult("optimal", solver, objective, objective, 0.0, 0.0, 0)
    return SolveResult("infeasible", solver, None, None, None, 0.0, 0)


# ------------------------------------------------------------------------ HiGHS


def _highspy() -> Any:
    """The ``highspy`` module, or a SolverError that says how to get it or what to use instead."""
    try:
        import highspy
    except ImportError:
        raise SolverError(
            "the HiGHS solver (highspy) is not installed or does not load; pip install highspy, or use --solver cbc"
        ) from None
    return highspy


def highs_available() -> bool:
    """Whether HiGHS can be used (``highspy`` imports)."""
    try:
        _highspy()
    except SolverError:
        return False
    return True


# HiGHS prints its banner once a process, when its first Highs is made, before any option can
# turn it off; it writes to file descriptor 1, past sys.stdout. Only that first making mutes
# the descriptor, once, under a lock. Muting at every making raced between threads: one thread
# saved the descriptor another had muted and restored that, so a web service planning in
# threads lost its stdout to /dev/null for the rest of the process (QA, an API user).
_BANNER_LOCK = threading.Lock()
_banner_printed = False


def _new_highs() -> Any:
    """A silent ``highspy.Highs``."""
    global _banner_printed
    highspy = _highspy()
    with _BANNER_LOCK:
        if not _banner_printed:
            with _muted_stdout():
                highspy.Highs()
            _banner_printed = True
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


@contextlib.contextmanager
def _muted_stdout() -> Iterator[None]:
    """File descriptor 1 pointed at the null device meanwhile (when there is one: a program
    started with it closed has nothing to mute)."""
    if sys.stdout is not None:
        sys.stdout.flush()
    with contextlib.ExitStack() as restore:
        with contextlib.suppress(OSError):
            saved = os.dup(1)
            restore.callback(os.close, saved)
            restore.callback(os.dup2, saved, 1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            restore.callback(os.close, devnull)
            os.dup2(devnull, 1)
        yield


def to_highs_lp(prob: pulp.LpProblem) -> tuple[Any, list[pulp.LpVariable]]:
    """The problem as a ``highspy.HighsLp`` (row-wise matrix), and the column order."""
    import numpy as np

    highspy = _highspy()

    variables = prob.variables()
    index = {id(v): i for i, v in enumerate(variables)}
    sense = -1.0 if prob.sense == pulp.LpMaximize else 1.0
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = len(variables)
    lp.col_cost_ = np.array([sense * prob.objective.get(v, 0.0) for v in variables], dtype=float)
    lp.col_lower_ = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    lp.col_upper_ = np.array([inf if v.upBound is None else v.upBound for v in variables], dtype=float)
    lp.offset_ = sense * float(prob.objective.constant)
    starts, indices, values, lower, upper = [0], [], [], [], []
    for constraint in prob.constraints():
        for var, coef in constraint.items():
            if coef:
                indices.append(index[id(var)])
                values.append(coef)
        starts.append(len(indices))
        rhs = -constraint.constant
        lower.append(rhs if constraint.sense in (pulp.LpConstraintGE, pulp.LpConstraintEQ) else -inf)
        upper.append(rhs if constraint.sense in (pulp.LpConstraintLE, pulp.LpConstraintEQ) else inf)
    lp.num_row_ = len(lower)
    lp.row_lower_ = np.array(lower, dtype=float)
    lp.row_upper_ = np.array(upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    integer = highspy.HighsVarType.kInteger
    continuous = highspy.HighsVarType.kContinuous
    lp.integrality_ = [integer if v.cat == pulp.LpInteger else continuous for v in variables]
    return lp, variables


def _solve_highs(prob: pulp.LpProblem, options: SolveOptions, start: Sequence[tuple[pulp.LpVariable, float]],
                 max_nodes: int | None = None) -> SolveResult:  # fmt: skip
    highspy = _highspy()
    began = time.perf_counter()
    highs = _new_highs()
    lp, variables = to_highs_lp(prob)
    highs.passModel(lp)
    highs.setOptionValue("mip_rel_gap", options.gap)
    highs.setOptionValue("time_limit", float(options.time_limit_s))
    highs.setOptionValue("random_seed", options.seed)
    if max_nodes is not None:
        highs.setOptionValue("mip_max_nodes", max_nodes)
    for name, value in HIGHS_SETTINGS:
        highs.setOptionValue(name, value)
    if options.threads:
        highs.setOptionValue("threads", options.threads)
        # HiGHS keeps one thread scheduler per process, sized by the first run (the week's
        # LP relaxation runs with the default); a run asking another size fails ("Not Set")
        # unless the scheduler is reset first. Resetting costs microseconds.
        highspy.Highs.resetGlobalScheduler(True)
    if start:
        position = {id(v): i for i, v in enumerate(variables)}
        values = [0.0] * len(variables)
        for var, value in start:
            values[position[id(var)]] = value
        solution = highspy.HighsSolution()
        solution.col_value = values
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    seconds = time.perf_counter() - began
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    sense = -1.0 if prob.sense == pulp.LpMaximize else 1.0
    S = highspy.HighsModelStatus
    timed_out = status == S.kTimeLimit
    if status in (S.kInfeasible, S.kUnboundedOrInfeasible):
        return SolveResult("infeasible", "highs", None, None, None, seconds)
    if not has_solution:
        if status in (S.kTimeLimit, S.kInterrupt, S.kIterationLimit, S.kSolutionLimit):
            return SolveResult("no_solution", "highs", None, None, None, seconds, timed_out=timed_out)
        raise SolverError(f"HiGHS failed ({highs.modelStatusToString(status)}); try --solver cbc")
    col_values = highs.getSolution().col_value
    for var, value in zip(variables, col_values, strict=True):
        var.varValue = value
    objective = sense * info.objective_function_value
    is_mip = any(v.cat == pulp.LpInteger for v in variables)
    bound = sense * info.mip_dual_bound if is_mip else objective
    gap = relative_gap(objective, bound) if bound is not None and math.isfinite(bound) else None
    proven = status == S.kOptimal
    return SolveResult("optimal" if proven else "feasible", "highs", objective, bound, gap if is_mip else 0.0,
                       seconds, int(info.mip_node_count) if is_mip else 0, timed_out)  # fmt: skip


def lp_relaxation(prob: pulp.LpProblem) -> tuple[float, dict[str, float]] | None:
    """Optimum of ``prob`` with integrality dropped and the values of its variables by
    name (HiGHS simplex, or CBC when HiGHS is not available); None when infeasible."""
    if not prob.variables():
        result = _solve_without_variables(prob, "highs")
        return None if result.objective is None else (result.objective, {})
    if not highs_available():
        return _cbc_lp_relaxation(prob)
    highspy = _highspy()
    highs = _new_highs()
    lp, variables = to_highs_lp(prob)
    lp.integrality_ = []
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        sense = -1.0 if prob.sense == pulp.LpMaximize else 1.0
        values = {v.name: float(x) for v, x in zip(variables, highs.getSolution().col_value, strict=True)}
        return float(sense * highs.getInfo().objective_function_value), values
    if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return None
    raise SolverError(f"HiGHS failed on the LP relaxation ({highs.modelStatusToString(status)})")


def _cbc_lp_relaxation(prob: pulp.LpProblem) -> tuple[float, dict[str, float]] | None:
    cmd = cbc_command(msg=False, mip=False)
    if not cmd.available():
        raise SolverError("neither HiGHS (highspy) nor CBC is available; pip install highspy")
    try:
        prob.solve(cmd)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"CBC failed on the LP relaxation ({exc}); pip install highspy") from None
    if prob.status == pulp.LpStatusOptimal:
        return float(pulp.value(prob.objective) or 0.0), {v.name: float(v.varValue or 0.0) for v in prob.variables()}
    if prob.status == pulp.LpStatusInfeasible:
        return None
    raise SolverError(f"CBC failed on the LP relaxation ({pulp.LpStatus[prob.status]}); pip install highspy")


# -------------------------------------------------------------------------- CBC


def cbc_command(**options: Any) -> Any:
    """PuLP's command for the CBC it ships: COIN_CMD at that CBC's path, which is what
    PULP_CBC_CMD makes, without its DeprecationWarning (PuLP 4 drops the shipped CBC): a
    service whose tests turn warnings into errors failed on every plan (QA, an API user)."""
    return pulp.COIN_CMD(path=pulp.PULP_CBC_CMD.pulp_cbc_path, **options)


_CBC_LINE = {
    "objective": re.compile(r"^Objective value:\s+(\S+)", re.M),
    # CBC prints the best bound in the problem's own sense: "Upper bound" when maximising.
    "bound": re.compile(r"^(?:Lower|Upper) bound:\s+(\S+)", re.M),
    "nodes": re.compile(r"^Enumerated nodes:\s+(\d+)", re.M),
}


def _outward(printed: str, sense: float) -> float:
    """A printed bound rounded away from the plan by half its last printed digit, since CBC
    prints as few as five significant digits and a rounded bound could cut off the optimum."""
    value = decimal.Decimal(printed)
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # "inf" or "nan": no finite bound was printed
        return float(value)
    half_unit = decimal.Decimal(5).scaleb(exponent - 1)
    return float(value - half_unit) if sense > 0 else float(value + half_unit)


# CBC's folders are named for the process that made them, so that one left behind by a
# process killed outright (SIGKILL, the out-of-memory killer) can be told and removed.
CBC_DIR_PREFIX = "mealplan-cbc-"
# A folder is removed only when its process is gone and it is older than the longest solve.
STALE_CBC_DIR_S = 2 * 86_400
_swept = False


def sweep_stale_cbc_dirs(folder: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove CBC folders left in the system's temporary folder by processes that no longer
    run (tempdirs.sweep_stale_dirs, with STALE_CBC_DIR_S). Returns what was removed; never raises."""
    return sweep_stale_dirs(CBC_DIR_PREFIX, STALE_CBC_DIR_S, folder, now=now)


def end_cbc_solves() -> None:
    """Stop this process's CBC solves and remove their folders, for a process about to end
    at once (a batch worker told to stop): its ``with`` blocks will not run, and a CBC it
    started would otherwise solve on, alone, until its time limit. Never raises.

    A program using the API that may be sent SIGTERM calls it from its handler (API QA: a
    CBC started by a week's second thread outlived the process and left its folder)::

        signal.signal(signal.SIGTERM, lambda *_: (mealplan.end_cbc_solves(), sys.exit(143)))
    """
    try:
        children = [int(pid) for task in Path("/proc/self/task").iterdir()
                    for pid in (task / "children").read_text().split()]  # fmt: skip
    except OSError:
        children = []  # not Linux: the folders at least go
    for pid in children:
        # Only CBC solves of this process: their command line names its own CBC folder (API
        # QA: every child was killed, the caller's own subprocesses and process pools too).
        if _is_own_cbc(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        for path in Path(tempfile.gettempdir()).glob(f"{CBC_DIR_PREFIX}{os.getpid()}-*"):
            shutil.rmtree(path, ignore_errors=True)


def _is_own_cbc(pid: int) -> bool:
    """Whether child ``pid`` is a CBC this process started: its command line names a file in
    one of this process's CBC folders (``CBC_DIR_PREFIX``<pid>-…)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return f"{os.sep}{CBC_DIR_PREFIX}{os.getpid()}-".encode() in command


# Rows that make a model a knapsack, which CBC's cuts tighten (see CBC_BUDGET_SETTINGS): a money
# budget (model.add_budget and the top-up's), and a floor on the objective (strategy's search
# for another day as good, for a seed). With cuts a pregnant teen's day proved that no day as
# good leaves out arugula in 3 s and 42 nodes; without them 347 nodes took the whole 20 s.
SEED_FLOOR_ROW = "as_good_as_seed_0"
KNAPSACK_ROWS = ("budget", SEED_FLOOR_ROW)
# A top-up's model (topup.build_topup_model) is knapsacks all through: each day a magnesium
# floor and a calorie ceiling over a few items, and the fewest items as its objective. With
# CBC's cuts from the start, 10 top-ups (a 58-year-old woman: usual intakes 0–250 mg,
# allowances 150–600 kcal, 3 and 7 days) took 63 s in all instead of 73 s: QA's 3-day top-up
# from 0 mg within 300 kcal was proven optimal in 12.6 s instead of stopping at its 20 s limit
# 22.6 % from the bound; the same plans on 8; of the two 7-day ones that still stop at the
# limit, one found a better plan (12.68 against 12.96) and one a worse (17.69 against 17.47).
TOPUP_PROBLEM = "topup"


def cbc_settings(prob: pulp.LpProblem) -> tuple[str, ...]:
    """CBC's settings for ``prob``: CBC_BUDGET_SETTINGS for a model with a knapsack row
    (KNAPSACK_ROWS) and for a top-up's, else CBC_SETTINGS."""
    knapsack = prob.name == TOPUP_PROBLEM or any(prob.get_constraint_by_name(row) is not None for row in KNAPSACK_ROWS)
    return CBC_BUDGET_SETTINGS if knapsack else CBC_SETTINGS


def solved_start(prob: pulp.LpProblem) -> list[tuple[pulp.LpVariable, float]]:
    """The values ``prob``'s last solve left, as a start for another solve (see _within_bounds)."""
    return [(var, _within_bounds(var)) for var in prob.variables() if var.varValue is not None]


def _within_bounds(var: pulp.LpVariable) -> float:
    """``var``'s solved value as a start: CBC's values carry float noise (−3.6e−15 for a
    binary at 0), which PuLP refuses as an initial value, so an integer is rounded and any
    value is kept within the variable's bounds."""
    value = float(var.varValue)
    if var.cat == pulp.LpInteger:
        value = float(round(value))
    if var.lowBound is not None:
        value = max(value, float(var.lowBound))
    if var.upBound is not None:
        value = min(value, float(var.upBound))
    return value


def cbc_threads(threads: int | None) -> int | None:
    """The thread count to hand CBC: None (its serial search) for None or 1 (see
    SolveOptions.threads; QA: run_batch, which asks for 1, planned otherwise than plan_day)."""
    return threads if threads is not None and threads > 1 else None


def _solve_cbc(prob: pulp.LpProblem, options: SolveOptions, start: Sequence[tuple[pulp.LpVariable, float]],
               max_nodes: int | None = None, settings: Sequence[str] | None = None) -> SolveResult:  # fmt: skip
    """CBC on ``prob`` (see _run_cbc). CBC reads the model from a file and writes its answer
    to one, in the temporary folder: a folder that is full or not writable is said as such
    (QA: "unexpected failure (OSError: [Errno 28] No space left on device); please report it",
    exit 1, and every household of a batch an "error")."""
    try:
        return _run_cbc(prob, options, start, max_nodes, settings)
    except OSError as exc:
        folder = tempfile.gettempdir()
        raise SolverError(f"CBC cannot write its files in the temporary folder {folder} "
                          f"({exc.strerror or type(exc).__name__}); free some space there or set TMPDIR to a folder "
                          "with room, or use --solver highs") from None  # fmt: skip


def _run_cbc(prob: pulp.LpProblem, options: SolveOptions, start: Sequence[tuple[pulp.LpVariable, float]],
             max_nodes: int | None = None, settings: Sequence[str] | None = None) -> SolveResult:  # fmt: skip
    global _swept
    if not _swept:
        _swept = True
        sweep_stale_cbc_dirs()
    for var, value in start:
        var.setInitialValue(value)
    with tempfile.TemporaryDirectory(prefix=f"{CBC_DIR_PREFIX}{os.getpid()}-") as tmp:
        log = Path(tmp) / "cbc.log"
        cmd = cbc_command(
            msg=False, gapRel=options.gap, timeLimit=options.time_limit_s, threads=cbc_threads(options.threads),
            warmStart=bool(start), logPath=str(log), keepFiles=False, maxNodes=max_nodes,
            options=[f"randomCbcSeed {options.seed + 1}", *(cbc_settings(prob) if settings is None else settings)],
        )  # fmt: skip
        if not cmd.available():
            raise SolverError("the CBC solver is not available in this PuLP; use --solver highs")
        # PuLP writes the model and CBC's solution next to each other in the system's temporary
        # folder and deletes them after the solve; put them in ours, which goes even when the
        # solve is interrupted (Ctrl-C left a ~500 KB pair behind in /tmp every time).
        cmd.tmpDir = tmp
        # CBC 2.10 scores a first solution with the wrong sign when it maximises ("-max" with
        # "-mips": a start worth 66 is taken for one worth −66), and then searches for plans
        # worse than it. With a start, a maximisation goes to CBC as the minimisation of the
        # negated objective instead, and comes back in the problem's own sense. (Known
        # upstream: coin-or/Cbc#296, coin-or/pulp#475, whose workaround this is.)
        own_objective, own_sense = prob.objective, prob.sense
        flipped = bool(start) and own_sense == pulp.LpMaximize and own_objective is not None
        if flipped:
            prob.objective, prob.sense = -own_objective, pulp.LpMinimize
        began = time.perf_counter()
        try:
            prob.solve(cmd)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"CBC failed ({exc}); try --solver highs") from None
        finally:
            prob.objective, prob.sense = own_objective, own_sense
        seconds = time.perf_counter() - began
        text = log.read_text(errors="replace") if log.exists() else ""
    sense = -1.0 if prob.sense == pulp.LpMaximize else 1.0
    nodes_match = _CBC_LINE["nodes"].search(text)
    nodes = int(nodes_match.group(1)) if nodes_match else None
    timed_out = "Result - Stopped on time" in text
    if prob.status == pulp.LpStatusInfeasible or "Result - Problem proven infeasible" in text:
        return SolveResult("infeasible", "cbc", None, None, None, seconds, nodes)
    # PuLP reports "Optimal" after a time limit; sol_status tells the truth:
    # 1 = proven optimal (within gapRel), 2 = feasible but not proven.
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        for var in prob.variables():
            var.varValue = None  # CBC may leave fractional, infeasible values behind
        return SolveResult("no_solution", "cbc", None, None, None, seconds, nodes, timed_out)
    objective = float(pulp.value(prob.objective) or 0.0)
    bound_match = _CBC_LINE["bound"].search(text)
    bound = None
    if bound_match:
        # The bound is printed in the sense CBC solved (see flipped above).
        bound = -_outward(bound_match.group(1), 1.0) if flipped else _outward(bound_match.group(1), sense)
    if bound is None and "Result - Optimal solution found" in text and "tolerance" not in text:
        # Proven optimal with no gap left: CBC then prints no bound line.
        bound = objective
    if bound is not None:
        # The bound is never on the wrong side of the plan it certifies.
        bound = max(bound, objective) if sense < 0 else min(bound, objective)
    gap = relative_gap(objective, bound) if bound is not None else None
    proven = prob.sol_status == pulp.LpSolutionOptimal and gap is not None and gap <= asked_gap(options) + 1e-9
    status = "optimal" if proven else "feasible"
    return SolveResult(status, "cbc", objective, bound, gap, seconds, nodes, timed_out)

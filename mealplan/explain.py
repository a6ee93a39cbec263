"""Why a request has no plan, in words a person can act on — and the same as data.

Every number here comes from a solve, and every suggestion was checked by solving. The
analysis works on ONE day with every per-day rule of the request (its targets, balance,
meal structure, variety within the day, caps, daily required foods, and the budget spread
evenly over the days); rules that tie days together are looked at only when a single
day is possible. One-day models solve in well under a second, so the whole analysis
takes a few seconds. Each check stops at a node limit (EXPLAIN_NODES), not at a time, so the
advice does not change with the machine's load; a check it leaves undecided is left out, and
the message says that some checks ran out of time.

Every suggestion of a plan longer than a day is checked twice: a day meets every target with
the change, and then the whole plan is planned with it (the rules across days can still rule
it out).

1. **Most magnesium reachable.** The day's model with the magnesium floor dropped and the
   objective "maximise the day's magnesium", solved to proven optimality (gap 0):
   ``max Mg[d]  s.t. every other per-day constraint``. A week of daily targets needs every
   day to reach the RDA, so this is exactly what the user's constraints allow; with
   ``--weekly-average`` it bounds the average.
2. **Impossible even without the magnesium target?** Then the constraint families to blame
   are found: a minimal set that cannot hold together, by dropping each family in turn
   (a deletion filter); set aside, and repeated while the rest is still impossible.
3. **What binds.** Each option the user set is relaxed fully, alone: it binds when a day
   then reaches more magnesium than the maximum (by at least BINDING_MG), or, when no day
   exists, when a day then exists. A default they can switch (macros, fiber, sodium, upper limits,
   foods and categories a day) is reported when dropping it alone is enough. Only what
   a solve proves is reported.
4. **Smallest single relaxations.** For each option whose full relaxation reaches the
   target, the least change that does, found by one solve that minimises the change with
   the magnesium floor on (calories on a 50-kcal grid; servings in halves; the budget in
   whole units; the count of foods), then verified by solving the changed request.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulp

from .errors import InfeasiblePlan, MealplanError, listed, typed
from .model import MealModel, ModelSpec, Variety, as_one_day, build_model, forms_of_foods, portions_cost, without_rows
from .planner import BUDGET_DAYS, BuiltSpec, PlanInputs, build_spec
from .preferences import (
    ALLERGEN_WORDS,
    CATEGORY_ALLERGENS,
    canonical_allergen,
    canonical_category,
    canonical_diet,
    excluded_diet,
    phrase_allergens,
    trimmed_name,
)
from .solver import SolveOptions, SolveResult, lp_relaxation, solve
from .strategy import solve_spec
from .targets import AMDR_ADULT_FROM_Y, MAX_KCAL, MIN_KCAL, MIN_PROTEIN_G, with_calories

EXPLAIN_SOLVER = "highs"
KCAL_STEP = 50.0  # calories are suggested on this grid
# A calorie suggestion below this share of the person's target is flagged as far below it.
FAR_BELOW = 0.8
MG_EPS = 1e-6  # slack when comparing recomputed magnesium with a target
# Options the user set; balance and variety defaults are reported as binding only when
# dropping one alone is enough (proving that they bind without it takes the solver long).
USER_OPTIONS = frozenset({"calories", "exclude", "diet", "max_servings", "budget", "require", "protein"})
BINDING_MG = 0.5  # an option binds when relaxing it gains at least this much magnesium a day
UNLIMITED_BUDGET = 1e6  # "no budget" for a request that keeps its prices
# Each check stops after this many branch-and-bound nodes, not at a time, so that the advice
# is the same on a busy machine as on a quiet one (QA: a household member's "lower protein"
# went missing under load, its check cut short at 5 s). A check the node limit leaves
# undecided is unproven, never taken as a proof; a week's check is planned by nodes too
# (strategy.solve_spec's by_nodes). Measured on six impossible requests (too few calories for
# a pregnant teen's RDA, a day and 3 days; a vegan week without legumes, nuts or seeds;
# --budget 10 for a week; three required seeds over a cap of one serving; a household member,
# vegan without soy or legumes, under a 150 g protein floor), against the old checks given
# 300 s each: at 1,000 nodes all six gave the same advice, at 200 the two calorie ones lost
# theirs; but two tests' advice needs more (a 3-year-old's lower calories, proven in 5,047
# nodes; a 3-day week's most magnesium a day, 1,903). At 10,000, in one run on 2 busy cores
# (load 6): 84.9 s in all against 98.3 s with the old time limits (the budget week 40.9 s
# against 61.5 s; the member 16.8 s against 9.5 s, where the old checks gave up on "lower
# protein"). The checks that decide take at most 830 nodes there, most 0 or 1.
EXPLAIN_NODES = 10_000
# A check that relaxing an option raises the magnesium: proving that it does not can take
# the solver long, and only what is proven is reported, so it stops sooner.
BINDING_NODES = 500
# All of an explanation's solves share one deadline, EXPLAIN_TIMES the plan's time limit but
# never less than EXPLAIN_MIN_S (QA: a batch household with no plan took 37 s at --time-limit
# 5): a safety net, which the node limits keep explanations well within. A check that the
# deadline cuts short is counted as unproven ("Some checks ran out of time").
EXPLAIN_TIMES = 2.0
EXPLAIN_MIN_S = 10.0
MIN_CHECK_S = 0.1  # a check is not started with less time than this left
WEEK_CHECK_GAP = 0.5  # a week check needs a plan, not a good one
# Shares of the user's calories a plan with no week is checked at, highest first (_week_calories).
WEEK_KCAL_SHARES = (0.95, 0.9, 0.85)
WEEK_BUDGET_FACTORS = (1.3, 1.6)  # larger budgets tried when the cheapest day's does not make a week
# A looser diet to try before dropping one altogether.
LOOSER_DIET = {"vegan": "vegetarian", "vegetarian": "pescatarian"}

# Constraint families of mealplan.model, by the first part of their stable names.
FAMILIES: dict[str, tuple[str, ...]] = {
    "energy": ("energy_min", "energy_max"),
    "macros": ("protein_min", "protein_max", "fat_min", "fat_max", "carbohydrate_min", "carbohydrate_max"),
    "fiber": ("fiber",),
    "protein": ("protein_g_min",),
    "sodium": ("sodium",),
    "upper_limits": ("upper_limit",),
    "caffeine": ("caffeine",),
    "meal_shares": ("meal_share_min", "meal_share_max"),
    "meal_structure": ("meal_nonempty", "meal_size", "category_per_meal", "main_meal_protein",
                       "main_meal_vegetable", "portion_min"),
    "variety": ("min_foods", "min_categories"),
    "caps": ("category_cap",),
    "required": ("required", "forced"),
    "budget": ("budget",),
}  # fmt: skip


@dataclass(frozen=True)
class Relaxation:
    """One change to the request that alone makes a plan possible (checked by solving).

    ``kind`` says which option: calories, exclude, diet, max_servings, budget, require,
    macros, fiber, sodium, upper_limits, min_foods, min_categories, max_days_per_food. ``subject`` is the
    name it applies to as the user gave it (an exclusion, a diet, a capped food or
    category, a required food), ``value`` the new number (None: the option is dropped, or
    for a diet the looser diet is in ``replacement``).
    """

    kind: str
    subject: str
    value: float | None
    text: str
    option: str
    replacement: str | None = None


# How a binding exclusion or requirement is named; Explanation.text groups several of a kind
# by these words ("the exclusions of soy, nuts and seeds").
HELD_BY = {"exclude": ("the exclusion of ", "the exclusions of "),
           "require": ("the requirement of ", "the requirements of ")}  # fmt: skip


def held_by(kind: str, name: str) -> str:
    """'the exclusion of seeds', 'the requirement of chia seeds' (kinds of HELD_BY)."""
    return HELD_BY[kind][0] + name


@dataclass(frozen=True)
class Binding:
    """An option that holds magnesium back: relaxed fully, alone, a day can reach more
    magnesium than the maximum (or, when no day exists, a day exists). Kinds as for
    :class:`Relaxation`."""

    kind: str
    subject: str
    text: str


@dataclass(frozen=True)
class Explanation:
    """Why no plan exists (see the module docstring for how each part is found)."""

    magnesium_target_mg: float
    # A day's maximum under every other rule; None: no day at all. When not ``max_proven``: the
    # magnesium of the best day a check found (a lower bound on the maximum), None when it found
    # no day, with ``max_bound_mg`` an upper bound when the check had one.
    max_magnesium_mg: float | None
    # Rules that rule out every day, even without magnesium (max is None): each a group that
    # cannot hold together ("the protein target and the meal structure"), said apart.
    blocking: tuple[str, ...]
    binding: tuple[Binding, ...]
    relaxations: tuple[Relaxation, ...]
    days: int
    week_rules: bool = False  # a day can reach the target; the rules across days cannot be kept
    week_rules_text: str = ""
    incomplete: bool = False  # some checks ran out of time and were left out
    topup_kcal: float | None = None  # set when explaining a top-up: its calorie budget
    topup_budget: float | None = None  # and its money budget a week, when it has one
    on_average: bool = False  # the RDA was asked on average over the days (--weekly-average)
    max_proven: bool = True  # max_magnesium_mg is proven (the maximum, or None: no day exists)
    max_bound_mg: float | None = None  # when not max_proven: an upper bound on a day's magnesium

    def most_mg(self) -> float | None:
        """What a day is proven to reach at most: the maximum, or the upper bound of a check
        left undecided (None: no day exists, or nothing is proven)."""
        return self.max_magnesium_mg if self.max_proven else self.max_bound_mg

    def _reach(self) -> str:
        """The opening of a message whose day was not proven the best (see max_proven): a day
        was found, or none, but the check stopped before proving what a day can reach."""
        target = self.magnesium_target_mg
        how = "on average over the days" if self.on_average else "a day"
        if self.max_magnesium_mg is None:
            return (f"no plan reaching {_mg(target)} of magnesium {how} was found, and the checks stopped before "
                    "telling whether any day keeps your other constraints")
        found = f"the best day found under your other constraints reaches {_mg(self.max_magnesium_mg)}"
        bound = self.max_bound_mg
        if bound is not None and bound < target - MG_EPS:
            return f"no plan reaches {_mg(target)} of magnesium {how}: {found}, and none more than {_mg(bound)}"
        return (f"no plan reaching {_mg(target)} of magnesium {how} was found: {found}, and the checks stopped "
                "before proving the most a day can reach")

    def text(self) -> str:
        """The explanation as one paragraph (one line) of plain words."""
        target = self.magnesium_target_mg
        parts: list[str] = []
        if self.week_rules:
            what, reach = (
                ("top-up", "a single day's top-up can add") if self.topup_kcal else ("plan", "a single day can reach")
            )
            # A day found but not proven the best is a lower bound on what a day reaches.
            parts.append(
                f"no {self.days}-day {what} keeps every rule: {reach} {'up to' if self.max_proven else 'at least'} "
                f"{_mg(self.max_magnesium_mg or 0.0)} of magnesium (target {_mg(target)}), but {self.week_rules_text}"
            )
        elif self.topup_kcal is not None:
            reach = (
                "no food can be added"
                if self.max_magnesium_mg is None
                else (f"a day's top-up adds at most {_mg(self.max_magnesium_mg)}")
            )
            money = "" if self.topup_budget is None else f" and a budget of {_number(self.topup_budget)} a week"
            parts.append(
                f"no top-up adds the {_mg(target)} a day you are short within {_kcal(self.topup_kcal)} a day{money}: "
                f"{reach}"
            )
        elif not self.max_proven:
            # QA: a check that found a day but did not prove its maximum was read as "no day at
            # all", and "no plan exists" was said of a week that a day-by-day rule blocked.
            parts.append(self._reach())
        elif self.max_magnesium_mg is None:
            blame = (
                "with the foods left, no day keeps " + ", nor ".join(self.blocking)
                if self.blocking
                else "the exclusions leave too few foods to plan a day"
            )
            parts.append(f"no plan exists even without the magnesium target of {_mg(target)} a day: {blame}")
        else:
            short = target - self.max_magnesium_mg
            how = "on average over the days" if self.on_average else "a day"
            parts.append(
                f"no plan reaches {_mg(target)} of magnesium {how}: under your other constraints a day "
                f"reaches at most {_mg(self.max_magnesium_mg)} ({_mg(short)} short)"
                + (", so no days can average it" if self.on_average else "")
            )
        if self.binding:
            held = [b.text for b in self.binding if b.kind not in HELD_BY]
            for kind in ("require", "exclude"):
                one, several = HELD_BY[kind]
                names = [b.text.removeprefix(one) for b in self.binding if b.kind == kind]
                if names:
                    held.insert(0, (several if len(names) > 1 else one) + listed(names))
            parts.append("Held back by " + listed(held))
        if self.relaxations:
            parts.append(
                "Any one of these changes makes a plan possible (each checked by solving): "
                + "; ".join(f"{r.text} ({r.option})" for r in self.relaxations)
            )
        else:
            parts.append("No change of a single option that was tried makes a plan possible; relax several of them")
        if self.incomplete:
            parts.append("Some checks ran out of time and are not shown")
        return ". ".join(parts) + "."


# The list keys whose suggested changes a file can say ("remove 'seeds' from exclude in p.toml").
FILE_LIST_KEYS = ("exclude", "require", "diet", "max_servings")


def file_names(value: Any) -> set[str]:
    """The names a file's list key holds, case-folded: a list, a table of name = number,
    "NAME=N" texts, or one name."""
    entries = value.keys() if isinstance(value, Mapping) else [value] if isinstance(value, str) else value or []
    return {str(e).split("=")[0].strip().casefold() for e in entries}


def as_file_change(r: Relaxation, where: str) -> Relaxation:
    """``r`` (of a FILE_LIST_KEYS kind) said as a change to the file part ``where`` ("p.toml",
    "member 'T' of h.toml"): the command line's "drop --exclude seeds" cannot undo a file's
    exclusion, since list options add up."""
    if r.kind == "diet" and r.replacement is not None:
        option = f"change diet {r.subject!r} to {r.replacement!r} in {where}"
    elif r.kind == "max_servings" and r.value is not None:
        option = f"set max_servings {r.subject}={r.value:g} in {where}"
    else:
        option = f"remove {' and '.join(repr(n) for n in subjects(r))} from {r.kind} in {where}"
    return dataclasses.replace(r, option=option)


def subjects(r: Relaxation) -> list[str]:
    """The names ``r`` applies to, case-folded: one, or several (see _fewer_requirements)."""
    return [n.strip().casefold() for n in r.subject.split("\n")]


def restated(exc: InfeasiblePlan, change: Callable[[Relaxation], Relaxation],
              held: Callable[[Binding], Binding] = lambda b: b) -> InfeasiblePlan:  # fmt: skip
    """``exc`` with each suggested change passed through ``change`` and each option that holds
    magnesium back through ``held`` (and its text made again)."""
    explanation = exc.explanation
    if explanation is None or not (explanation.relaxations or explanation.binding):
        return exc
    explained = dataclasses.replace(explanation, relaxations=tuple(change(r) for r in explanation.relaxations),
                                    binding=tuple(held(b) for b in explanation.binding))  # fmt: skip
    return InfeasiblePlan(explained.text(), explained)


def foods_left(count: int, pool: int) -> str:
    """'the 104 foods left', or 'the pool's 108 foods' when none was left out (QA: "with the
    108 foods left" where nothing was excluded)."""
    return f"the pool's {count} foods" if count >= pool else f"the {count} foods left"


def _mg(value: float) -> str:
    return f"{value:,.1f} mg".replace(".0 mg", " mg")


def _kcal(value: float) -> str:
    return f"{value:,.0f} kcal"


def _number(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------------------- models


def one_day(spec: ModelSpec) -> ModelSpec:
    """The per-day part of ``spec``: one day, the budget spread evenly over the days, and
    only the required foods that must be eaten every day (as forced foods)."""
    daily = frozenset(f for f, n in spec.required.items() if n >= spec.days)
    return as_one_day(
        spec, forced=spec.forced | daily, weekly_average=False, differ_from=(),
        budget=None if spec.budget is None else spec.budget / spec.days,
    )  # fmt: skip


def _model(spec: ModelSpec, *, floor: bool, drop: Iterable[str] = ()) -> MealModel:
    """The one-day model of ``spec`` with or without the magnesium floor, without the
    constraint families named in ``drop`` (keys of FAMILIES)."""
    model = build_model(dataclasses.replace(spec, magnesium_floor=floor))
    names = {name for family in drop for name in FAMILIES[family]}
    without_rows(model, lambda name: name.split(":")[0] in names)
    return model


def _magnesium_of(model: MealModel) -> float:
    """Day 0's magnesium recomputed from the solution's whole half servings."""
    foods = model.foods
    total = 0.0
    for (m, _d, _s, f), var in model.x.items():
        if m == 0 and var.value() is not None:
            total += (foods[f].per_serving("magnesium_mg") or 0.0) / 2 * round(var.value())
    return total


@dataclass(frozen=True)
class _Most:
    """A day's most magnesium as a check found it. Proven: ``found_mg`` is the maximum, or None
    when no day exists. Not proven (the check stopped at its node limit or the deadline):
    ``found_mg`` is the magnesium of the best day found, a lower bound (None: it found none;
    not a proof that there is none), and ``bound_mg`` an upper bound when the solver had one."""

    found_mg: float | None
    proven: bool
    bound_mg: float | None = None

    def upper_mg(self) -> float | None:
        """What a day is proven to reach at most (None: no day, or unknown)."""
        return self.found_mg if self.proven else self.bound_mg


class _Solver:
    """Solves one-day models, each stopped at a node limit and all by one deadline, counting
    what it could not prove.

    Always HiGHS, whatever solver plans the request: its proofs (optimality, infeasibility)
    are read directly from the solver, and the explanation's numbers rest on them."""

    def __init__(self, options: SolveOptions, target_mg: float) -> None:
        self.options = dataclasses.replace(options, solver=EXPLAIN_SOLVER)
        self.target_mg = target_mg  # the magnesium a day must reach
        self.unproven = 0
        self.last_week: tuple[ModelSpec, Mapping[Any, int]] | None = None  # the last week a check found
        self.deadline = time.perf_counter() + max(EXPLAIN_MIN_S, EXPLAIN_TIMES * options.time_limit_s)

    def left(self) -> float:
        """The seconds left before the deadline (0 when none)."""
        return max(0.0, self.deadline - time.perf_counter())

    def lp_max_magnesium(self, model: MealModel) -> float | None:
        """The LP relaxation's maximum of day 0's magnesium: an upper bound on what any
        day can reach (None: not even the relaxation has a solution)."""
        model.prob.sense = pulp.LpMaximize
        model.prob.setObjective(model.magnesium[0, 0])
        relaxed = lp_relaxation(model.prob)
        return None if relaxed is None else relaxed[0]

    def run(self, model: MealModel, nodes: int, *, count: bool = True) -> SolveResult:
        """``model`` solved to a proof, stopped after ``nodes`` nodes or at the deadline."""
        seconds = self.left()
        if seconds < MIN_CHECK_S:  # the deadline has come: the check is not made
            result = SolveResult("no_solution", self.options.solver, None, None, None, 0.0, 0, timed_out=True)
        else:
            options = dataclasses.replace(self.options, gap=0.0, time_limit_s=seconds)
            result = solve(model.prob, options, max_nodes=nodes)
        if count and result.status in ("feasible", "no_solution"):
            self.unproven += 1
        return result

    def max_magnesium(self, model: MealModel) -> _Most:
        """Day 0's most magnesium: proven, or what the check found before it stopped."""
        model.prob.sense = pulp.LpMaximize
        model.prob.setObjective(model.magnesium[0, 0])
        result = self.run(model, EXPLAIN_NODES)
        if result.status == "infeasible":
            return _Most(None, proven=True)
        if not result.has_plan:
            return _Most(None, proven=False)
        found = _magnesium_of(model)
        if result.status == "optimal":
            return _Most(found, proven=True)
        bound = result.bound if result.bound is not None and math.isfinite(result.bound) else None
        return _Most(found, proven=False, bound_mg=bound)

    def minimum(self, model: MealModel, objective: pulp.LpAffineExpression) -> float | None:
        """The proven minimum of ``objective``; None when infeasible or unproven."""
        model.prob.sense = pulp.LpMinimize
        model.prob.setObjective(objective)
        result = self.run(model, EXPLAIN_NODES)
        return float(pulp.value(objective)) if result.status == "optimal" else None

    def feasible(self, model: MealModel, nodes: int | None = None, *, count: bool = True) -> bool | None:
        """True / False when proven, None when the solver stopped undecided (counted as an
        unproven check unless ``count`` is False); ``nodes``: EXPLAIN_NODES unless given. The
        objective is dropped: any solution will do, so the solver stops at the first."""
        model.prob.setObjective(pulp.LpAffineExpression())
        result = self.run(model, EXPLAIN_NODES if nodes is None else nodes, count=count)
        if result.status == "infeasible":
            return False
        return True if result.has_plan else None


# ---------------------------------------------------------------------------- analysis


def not_offered() -> None:
    """The change of an option that binds but is not offered (see targets.AMDR_ADULT_FROM_Y)."""
    return None


@dataclass(frozen=True)
class _Candidate:
    """An option the user can change: its full relaxation, and how to find the least change."""

    kind: str
    subject: str
    binding_text: str
    relaxed: PlanInputs  # the request with this option relaxed fully
    smallest: Callable[[], Relaxation | None]  # the least change that reaches the target, verified


def explain_infeasible(inputs: PlanInputs, built: BuiltSpec) -> Explanation:
    """Explain why ``inputs`` (whose model is ``built``) has no plan."""
    target = built.targets.magnesium_mg
    solver = _Solver(inputs.solve_options, target)
    day = one_day(built.spec)
    most = solver.max_magnesium(_model(day, floor=False))
    best = most.found_mg
    if best is not None and best >= target - MG_EPS:
        # A day found reaches the target, proven the best or not: the rules across days block.
        return _explain_week_rules(inputs, built, most, solver)
    blocking: tuple[str, ...] = ()
    if best is None and most.proven:
        # QA: two conflicts said as one list ({protein, meals} and {energy, macros, caffeine})
        # read as if more coffee would help the protein target.
        blocking = tuple(listed([_describe_family(family, built) for family in group])
                         for group in _blocking(day, solver))  # fmt: skip
    binding: list[Binding] = []
    relaxations: list[Relaxation] = []
    for candidate in _candidates(inputs, built, solver):
        found = candidate.smallest()
        if found is not None:
            relaxations.append(found)
        # A child's ranges, not offered to drop, are still named when they hold magnesium back
        # (review: they fell out of "Held back by").
        named = candidate.kind in USER_OPTIONS or candidate.smallest is not_offered
        # An option binds when relaxing it beats what a day is proven to reach at most; with
        # nothing proven (no day found, none proven impossible) only a found change tells.
        proven = most.proven or most.upper_mg() is not None
        if found is not None or (named and proven and _raises_magnesium(candidate, most.upper_mg(), solver)):
            binding.append(Binding(candidate.kind, candidate.subject, candidate.binding_text))
    if not relaxations and (fewer := _fewer_requirements(inputs, solver)) is not None:
        # QA: seven required foods at 1,200 kcal got "no change of a single option … relax
        # several", naming none; dropping two of them plans.
        relaxations.append(fewer)
        binding += [Binding("require", name, held_by("require", name)) for name in fewer.subject.split("\n")
                    if not any(b.kind == "require" and b.subject == name for b in binding)]  # fmt: skip
    return Explanation(
        magnesium_target_mg=target, max_magnesium_mg=best, blocking=blocking, binding=tuple(binding),
        relaxations=tuple(relaxations), days=inputs.days, incomplete=solver.unproven > 0, max_proven=most.proven,
        max_bound_mg=None if most.proven else most.bound_mg,
    )  # fmt: skip


def _fewer_requirements(inputs: PlanInputs, solver: _Solver) -> Relaxation | None:
    """When several required foods cannot all be eaten (and no single change helps): the
    requirements to drop, found by dropping them from the last given until a plan exists and
    then keeping each that the plan can still hold, so none is dropped that need not be; each
    step verified by solving. Its ``subject`` is the dropped names, one a line."""
    prefs = inputs.preferences
    names = list(prefs.require)
    if len(names) < 2:
        return None

    def plans(kept: list[str]) -> bool:
        require = {n: prefs.require[n] for n in kept}
        return _verified(dataclasses.replace(inputs, preferences=dataclasses.replace(prefs, require=require)), solver)

    kept = list(names)
    while kept:
        kept.pop()
        if plans(kept):
            break
    else:
        return None
    for name in names[len(kept):]:
        if plans([n for n in names if n in kept or n == name]):
            kept.append(name)
    dropped = [n for n in names if n not in kept]
    if len(dropped) < 2:
        return None  # one requirement alone was tried as a single change
    return Relaxation("require", "\n".join(dropped), None, f"require fewer foods: do not require {listed(dropped)}",
                      "drop " + " and ".join(typed("--require", n) for n in dropped))


def _blocking(day: ModelSpec, solver: _Solver) -> list[list[str]]:
    """Constraint families (magnesium aside) without which a day becomes possible, as minimal
    conflicts: find a minimal set of families that cannot hold together, set it aside, and
    repeat while the rest is still impossible."""
    aside: list[str] = []
    groups: list[list[str]] = []
    while len(aside) < len(FAMILIES):
        if solver.feasible(_model(day, floor=False, drop=aside), count=False) is not False:
            break
        conflict = _conflict(day, solver, aside)
        if not conflict:
            break
        aside += conflict
        groups.append(conflict)
    return groups


def _conflict(day: ModelSpec, solver: _Solver, aside: list[str]) -> list[str]:
    """A minimal set of the families not ``aside`` that cannot all hold: start from all of
    them and drop each whose removal leaves the day still impossible (a deletion filter,
    one solve per family). A family whose removal is not proven harmless within the time
    limit is kept, so the set is always proven impossible. Empty when the foods alone
    allow no day."""
    kept = [f for f in FAMILIES if f not in aside]
    for family in list(kept):
        rest = [f for f in kept if f != family]
        dropped = [f for f in FAMILIES if f not in rest]
        if solver.feasible(_model(day, floor=False, drop=dropped), count=False) is False:
            kept = rest
    return kept


def _raises_magnesium(candidate: _Candidate, best: float | None, solver: _Solver) -> bool:
    """Does relaxing ``candidate`` fully allow a day with more magnesium than ``best``
    (with any day at all, when there is none)? One feasibility solve."""
    if candidate.kind == "calories":
        built = build_spec(candidate.relaxed)
        model, _steps = _calories_model(candidate.relaxed, built, floor=False, direction="any")
        if model is None:
            return False
    else:
        model = _model(one_day(build_spec(candidate.relaxed).spec), floor=False)
    if best is not None:
        bound = solver.lp_max_magnesium(model)
        if bound is None or bound < best + BINDING_MG:
            return False  # proven by the LP relaxation alone
        model.prob += model.magnesium[0, 0] >= best + BINDING_MG, "magnesium_above_best"
    # Proving that a constraint does NOT bind can take the solver long; only what is
    # proven to bind is reported, so a small node limit costs no false claim.
    return solver.feasible(model, BINDING_NODES, count=False) is True


def _describe_family(family: str, built: BuiltSpec) -> str:
    t = built.targets
    return {
        "energy": f"the calorie window ({t.kcal_range.low:,.0f}–{t.kcal_range.high:,.0f} kcal)",
        "macros": "the macronutrient ranges (protein, fat, carbohydrate)",
        "fiber": f"the fiber target ({t.fiber_g_per_1000kcal or 0:g} g per 1,000 kcal)",
        "protein": f"the protein target ({t.protein_min_g or 0:g} g a day)",
        "sodium": f"the sodium limit ({t.sodium_max_mg or 0:,.0f} mg)",
        "upper_limits": "the upper intake levels of calcium, iron, phosphorus and zinc",
        "caffeine": f"the cap on caffeinated drinks ({t.caffeinated_servings_max or 0:g} servings a day)",
        "meal_shares": "the split of calories across meals",
        "meal_structure": ("the meal structure (foods per meal, one food of a category a meal or two of vegetables, "
                           "greens or fruit; a protein and a vegetable at lunch and dinner)"),
        "variety": f"the variety within a day ({built.spec.variety.min_foods_per_day} foods, "
        f"{built.spec.variety.min_categories_per_day} categories)",
        "caps": "the serving caps",
        "required": "the required foods",
        "budget": "the budget",
    }[family]


def _verified(inputs: PlanInputs, solver: _Solver) -> bool:
    """Does the changed request have a day that meets every target? Proven by solving with
    the magnesium floor on; a request whose LP relaxation cannot reach ``target`` is
    refused at once (the relaxation bounds every day)."""
    try:
        spec = build_spec(inputs).spec
    except MealplanError:
        return False  # the change does not make a valid request, so it is no suggestion
    day = one_day(spec)
    bound = solver.lp_max_magnesium(_model(day, floor=False))
    if bound is None or bound < solver.target_mg - MG_EPS:
        return False
    if solver.feasible(_model(day, floor=True)) is not True:
        return False
    # A day is not a week: the rules across days (a food on at most k days, the budget over
    # the whole plan) can still rule the change out, so a longer plan is planned whole.
    return inputs.days == 1 or _week_feasible(inputs, solver, spec)


def _candidates(inputs: PlanInputs, built: BuiltSpec, solver: _Solver) -> list[_Candidate]:
    """Every option of the request that can be relaxed, in the order they are reported."""
    prefs = inputs.preferences
    out: list[_Candidate] = []
    replace = dataclasses.replace
    t = built.targets

    # Calories: a higher target lets a day hold more food; a lower one, fewer.
    out.append(_Candidate("calories", "", f"the calorie target ({_kcal(t.kcal)} ± {t.kcal_tolerance * 100:g}%)",
                          inputs, lambda: _nearest_calories(inputs, built, solver)))  # fmt: skip

    # Exclusions, one at a time.
    for name, rest in each_exclusion_dropped(prefs.exclude):
        changed = replace(inputs, preferences=replace(prefs, exclude=rest))
        word = _exclusion_word(name)
        # An allergen's exclusion may be an allergy: say so before suggesting to drop it.
        allow = f"allow {word}" + (", if it is not an allergy" if _may_be_allergy(name) else "")
        find = _binary(changed, solver, "exclude", name, allow, f"drop {typed('--exclude', name)}")
        out.append(_Candidate("exclude", name, held_by("exclude", word), changed, find))

    # Diets: a looser one first, then none.
    for diet_name, rest in each_dropped(prefs.diets, canonical_diet):  # once, however often given
        diet = canonical_diet(diet_name)
        dropped = replace(inputs, preferences=replace(prefs, diets=rest))
        out.append(_Candidate("diet", diet_name, f"the {diet} diet", dropped,
                              _diet_step(inputs, solver, diet_name, diet, rest)))  # fmt: skip

    # Serving caps the user set.
    for name, cap in prefs.max_servings.items():
        rest_caps = {k: v for k, v in prefs.max_servings.items() if k != name}
        changed = replace(inputs, preferences=replace(prefs, max_servings=rest_caps))
        what = canonical_category(name) or name
        out.append(_Candidate("max_servings", name, f"the cap of {_number(cap)} serving{'s' if cap != 1 else ''} "
                              f"of {what} a day", changed, _cap_step(inputs, changed, solver, name)))  # fmt: skip

    # Budget.
    if prefs.budget is not None:
        # Relaxed to a budget nothing reaches rather than none: without a budget, foods
        # the prices file does not price would come back, which is not this option's doing.
        changed = replace(inputs, preferences=replace(prefs, budget=UNLIMITED_BUDGET))
        out.append(_Candidate("budget", "", f"the budget of {_number(prefs.budget)} a week", changed,
                              lambda: _smallest_budget(inputs, built, solver)))  # fmt: skip

    # Required foods.
    for name in prefs.require:
        rest_req = {k: v for k, v in prefs.require.items() if k != name}
        changed = replace(inputs, preferences=replace(prefs, require=rest_req))
        out.append(_Candidate("require", name, held_by("require", name), changed,
                              _binary(changed, solver, "require", name, f"do not require {name}",
                                      f"drop {typed('--require', name)}")))  # fmt: skip

    # Balance targets. A child's macronutrient ranges and upper levels are named when they
    # bind but not offered to drop (QA: a 1-year-old vegan was offered --no-macros, whose day
    # had 9% of its energy from fat, against 30–40% at 1–3 y; and the upper levels guard
    # against toxicity).
    balance = inputs.balance
    child = inputs.profile.age < AMDR_ADULT_FROM_Y
    for flag, label, option in (("macros", "the macronutrient ranges", "--no-macros"),
                                ("fiber", "the fiber target", "--no-fiber"),
                                ("sodium", "the sodium limit", "--no-sodium"),
                                ("upper_limits", "the upper intake levels", "--no-upper-limits")):  # fmt: skip
        if getattr(balance, flag):
            changed = replace(inputs, balance=replace(balance, **{flag: False}))
            kept = child and flag in ("macros", "upper_limits")
            out.append(_Candidate(flag, "", label, changed, not_offered if kept else
                                  _binary(changed, solver, flag, "", f"drop {label}", option)))  # fmt: skip

    if balance.protein_g is not None:
        changed = replace(inputs, balance=replace(balance, protein_g=None))
        out.append(_Candidate("protein", "", "the protein target", changed,
                              lambda: _most_protein(inputs, built, solver)))  # fmt: skip

    # Variety within a day.
    variety = inputs.variety
    if variety.min_foods_per_day > 1:
        changed = replace(inputs, variety=replace(variety, min_foods_per_day=1))
        out.append(_Candidate("min_foods", "", f"the minimum of {variety.min_foods_per_day} foods a day", changed,
                              lambda: _smallest_count(inputs, built, solver, "min_foods")))  # fmt: skip
    if variety.min_categories_per_day > 1:
        changed = replace(inputs, variety=replace(variety, min_categories_per_day=1))
        out.append(_Candidate("min_categories", "", f"the minimum of {variety.min_categories_per_day} food "
                              "categories a day", changed,
                              lambda: _smallest_count(inputs, built, solver, "min_categories")))  # fmt: skip
    return out


def each_dropped(names: Sequence[str], key: Callable[[str], str]) -> list[tuple[str, tuple[str, ...]]]:
    """(name, ``names`` without it) for each name, once however often it is given (the same
    name is the same ``key``; said as first given): a household's list and a member's add up,
    so "seeds" in both was dropped from one only, the plan stayed impossible, and the change
    that makes it possible was not offered (review)."""
    firsts = {key(name): name for name in reversed(names)}
    return [(firsts[k], tuple(n for n in names if key(n) != k)) for k in dict.fromkeys(map(key, names))]


def each_exclusion_dropped(exclude: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """each_dropped for exclusions: the same exclusion is the same allergen, category, or name
    in any case."""
    return each_dropped(exclude, lambda name: canonical_allergen(name) or canonical_category(name)
                        or trimmed_name(name).casefold())  # fmt: skip


def _exclusion_word(name: str) -> str:
    allergen = canonical_allergen(name)
    if allergen is not None:
        return ALLERGEN_WORDS[allergen]
    return canonical_category(name) or trimmed_name(name)


def _binary(changed: PlanInputs, solver: _Solver, kind: str, subject: str, text: str,
            option: str) -> Callable[[], Relaxation | None]:  # fmt: skip
    def find() -> Relaxation | None:
        return Relaxation(kind, subject, None, text, option) if _verified(changed, solver) else None

    return find


def _may_be_allergy(name: str) -> bool:
    """Whether an exclusion of ``name`` may be an allergy or coeliac disease: an allergen, a
    category that means allergens (nuts: tree nuts and peanuts), gluten (QA: "allow nuts"
    came without the caveat that "allow tree nuts" had), or a name that resolve takes as
    allergens ("nuts.", "milk-free", "almond milk": phrase_allergens)."""
    return (canonical_allergen(name) is not None or canonical_category(name) in CATEGORY_ALLERGENS
            or excluded_diet(name) == "gluten-free" or bool(phrase_allergens(trimmed_name(name))))  # fmt: skip


def _diet_step(inputs: PlanInputs, solver: _Solver, name: str, diet: str,
               rest: tuple[str, ...]) -> Callable[[], Relaxation | None]:  # fmt: skip
    """The least change of the ``diet`` (as ``name`` gave it; ``rest``: the other diets)."""
    prefs = inputs.preferences

    def find() -> Relaxation | None:
        looser = LOOSER_DIET.get(diet)
        if looser is not None:
            changed = dataclasses.replace(inputs, preferences=dataclasses.replace(prefs, diets=(*rest, looser)))
            if _verified(changed, solver):
                return Relaxation("diet", name, None, f"eat {looser} instead of {diet}",
                                  f"--diet {looser} instead of --diet {name}", replacement=looser)  # fmt: skip
        changed = dataclasses.replace(inputs, preferences=dataclasses.replace(prefs, diets=rest))
        if _verified(changed, solver):
            return Relaxation("diet", name, None, f"drop the {diet} diet", f"drop --diet {name}")
        return None

    return find


def _nearest_calories(inputs: PlanInputs, built: BuiltSpec, solver: _Solver) -> Relaxation | None:
    """The calorie target on the KCAL_STEP grid nearest the current one with a day that meets
    every target: the least above it, else the most below it (a target no pool of foods can
    fill within the meal rules, such as 5,000 kcal, is too high, not too low). One solve each
    with the target as a variable T = step·k, (1 − tol)·T ≤ E ≤ (1 + tol)·T; then verified
    with ``--calories T``."""
    for direction, verb in (("up", "raise"), ("down", "lower")):
        model, steps = _calories_model(inputs, built, floor=True, direction=direction)
        if model is None or steps is None:
            continue
        k = solver.minimum(model, steps if direction == "up" else -1 * steps)
        if k is None:
            continue
        kcal = abs(round(k)) * KCAL_STEP
        changed = dataclasses.replace(inputs, profile=with_calories(inputs.profile, kcal))
        if _verified(changed, solver):
            text = f"{verb} calories to {_kcal(kcal)} a day"
            child = inputs.profile.age < AMDR_ADULT_FROM_Y
            if kcal < FAR_BELOW * built.targets.kcal and inputs.profile.calories is None:
                # QA: 1,050 kcal offered to a man who needs 2,600 (his DGA estimate) as a plain fix.
                # Review: a child's "far below" needs a paediatric dietitian more than most.
                who = "a paediatric dietitian's" if child else "a clinician's"
                text += f", far below your {_kcal(built.targets.kcal)}: only with {who} advice"
            elif direction == "down" and child and kcal < FAR_BELOW * built.targets.kcal:
                # Review: a 2-year-old was told to "eat the other 200 kcal as food the plan leaves
                # out" of the calories a parent gave.
                text += (f", far below the {_kcal(built.targets.kcal)} asked for a child: only with a paediatric "
                         "dietitian's advice")
            elif direction == "down":
                # QA: an athlete who asked for 6,000 kcal was told that 4,400 was "only with a
                # clinician's advice"; eating less is not the advice. Review: not "the meals'
                # size" either, where a budget or an upper level is what holds energy back.
                text += (f", the most that plans with everything else as asked; eat the other "
                         f"{_kcal(built.targets.kcal - kcal)} as food the plan leaves out")
            return Relaxation("calories", "", kcal, text, f"--calories {kcal:g}")
    return None


def _calories_model(inputs: PlanInputs, built: BuiltSpec, *, floor: bool,
                    direction: str) -> tuple[MealModel | None, pulp.LpVariable | None]:  # fmt: skip
    """The one-day model with the calorie target a variable on the grid: above the current
    one (``direction`` "up"), below it ("down"), or anywhere in the range ("any")."""
    current = built.targets.kcal
    low_k = math.ceil(MIN_KCAL / KCAL_STEP - 1e-9)
    high_k = math.floor(MAX_KCAL / KCAL_STEP)
    if direction == "up":
        low_k = math.floor(current / KCAL_STEP + 1e-9) + 1
    elif direction == "down":
        high_k = math.ceil(current / KCAL_STEP - 1e-9) - 1
    if low_k > high_k:
        return None, None
    model = _model(one_day(built.spec), floor=floor, drop=["energy"])
    steps = model.prob.add_variable("kcal_steps", lowBound=low_k, upBound=high_k, cat=pulp.LpInteger)
    tol = built.targets.kcal_tolerance
    model.prob += model.energy[0, 0] >= (1 - tol) * KCAL_STEP * steps, "energy_min:0:0"
    model.prob += model.energy[0, 0] <= (1 + tol) * KCAL_STEP * steps, "energy_max:0:0"
    return model, steps


def _cap_step(inputs: PlanInputs, uncapped: PlanInputs, solver: _Solver, name: str) -> Callable[[], Relaxation | None]:
    """The least cap (in half servings) on ``name`` with a day that meets every target: one
    solve without the cap minimising c with Σ x ≤ c for the category (or for each food of
    the name); then verified with ``--max-servings name=c/2``."""

    def find() -> Relaxation | None:
        built = build_spec(uncapped)
        model = _model(one_day(built.spec), floor=True)
        category = canonical_category(name)
        if category is not None:
            groups = [[v for (_m, _d, _s, f), v in model.x.items() if model.foods[f].category == category]]
        else:
            ndbs = {f.ndb_no for f in inputs.catalog.find_all(name)}
            groups = [[v for (_m, _d, _s, f), v in model.x.items() if f == ndb] for ndb in ndbs]
        cap = model.prob.add_variable("cap_half_servings", lowBound=0, cat=pulp.LpInteger)
        for i, group in enumerate(groups):
            model.prob += pulp.lpSum(group) <= cap, f"relaxed_cap:{i}"
        least = solver.minimum(model, pulp.lpSum([cap]))
        if least is None:
            return None
        servings = round(least) / 2
        prefs = inputs.preferences
        changed = dataclasses.replace(
            inputs, preferences=dataclasses.replace(prefs, max_servings={**prefs.max_servings, name: servings})
        )
        if not _verified(changed, solver):
            return None
        what = category or name
        plural = "" if servings == 1 else "s"
        return Relaxation("max_servings", name, servings, f"allow {_number(servings)} serving{plural} of {what} a day",
                          typed("--max-servings", f"{name}={_number(servings)}"))  # fmt: skip

    return find


def _smallest_budget(inputs: PlanInputs, built: BuiltSpec, solver: _Solver) -> Relaxation | None:
    """The least weekly budget, in whole units, with a plan: one solve of the day's cheapest
    cost c (budget dropped) gives ⌈7·c⌉, below which no day is possible. A longer plan can
    need more (the cheapest day cannot be eaten every day: a food on at most k days), so a
    few larger budgets are tried on the whole plan, and the step between the last that fails
    and the first that plans is bisected in whole units (QA: --budget 21 was suggested where
    20 plans, 17 does not); a week found at a budget costs no more than the least whole budget
    at or above its cost, which plans it too, so the bisection goes on from there. A check of
    less left undecided makes it an upper estimate."""
    model = _model(one_day(built.spec), floor=True, drop=["budget"])
    prices = built.spec.prices_per_100g
    cost = pulp.lpSum(
        prices[f] / 100 * model.foods[f].serving_grams / 2 * var for (_m, _d, _s, f), var in model.x.items()
    )
    least = solver.minimum(model, cost)
    if least is None:
        return None
    prefs = inputs.preferences
    least_week = math.ceil(least * BUDGET_DAYS - 1e-6)
    budgets = [least_week, least_week + 1]
    if inputs.days > 1:
        budgets += [math.ceil(least_week * factor) for factor in WEEK_BUDGET_FACTORS]
    undecided = False

    def plans(budget: int, fails: int) -> int | None:
        """The least whole budget, above ``fails``, that the plan found at ``budget`` keeps
        to; None when none was found."""
        nonlocal undecided
        unproven = solver.unproven
        solver.last_week = None
        changed = dataclasses.replace(inputs, preferences=dataclasses.replace(prefs, budget=float(budget)))
        if not _verified(changed, solver):
            undecided |= solver.unproven > unproven
            return None
        if solver.last_week is None:
            return budget
        spec, portions = solver.last_week
        return max(fails + 1, min(budget, math.ceil(portions_cost(spec, portions) * BUDGET_DAYS / spec.days - 1e-9)))

    fails = least_week - 1  # no day is possible below least_week
    for budget in budgets:
        if (enough := plans(budget, fails)) is not None:
            # Bisected: a budget that fails lies below every one that plans (a larger one only
            # loosens the plan); one whose check was left undecided is passed over, as failing.
            budget = enough
            while budget - fails > 1:
                middle = (fails + budget) // 2
                if (enough := plans(middle, fails)) is not None:
                    budget = enough
                else:
                    fails = middle
            return budget_relaxation(budget, estimate=undecided)
        fails = budget
    return None


def budget_relaxation(budget: int, *, estimate: bool = False) -> Relaxation:
    """The relaxation "raise the budget to BUDGET a week" (a week's money, in whole units);
    ``estimate``: a check of a smaller budget ran out of time, so less may do."""
    text = f"raise the budget to {budget} a week"
    if estimate:
        text += ", an upper estimate as a check of less ran out of time"
    return Relaxation("budget", "", float(budget), text, f"--budget {budget}")


def _most_protein(inputs: PlanInputs, built: BuiltSpec, solver: _Solver, *, week: bool = False) -> Relaxation | None:
    """For a protein floor the user gave, the most protein, in whole grams, a day that meets
    every other target can hold: one solve without the floor, maximising protein; then
    verified (``week``: on the whole plan, whose rules across days can need less). A number,
    so that it is a flag that overrides a profile's (as --calories is)."""
    if inputs.balance.protein_g is None:
        return None
    model = _model(one_day(built.spec), floor=True, drop=["protein"])
    protein = pulp.lpSum((model.foods[f].per_serving("protein_g") or 0.0) / 2 * var
                         for (_m, _d, _s, f), var in model.x.items())  # fmt: skip
    most = solver.minimum(model, -protein)
    if most is None:
        return None
    grams = math.floor(-most + 1e-6)
    if grams < MIN_PROTEIN_G:
        return None
    asked = inputs.balance.protein_g
    # A day: the most it holds. A week: that or less, at the shares of the floor its calories
    # are tried at too, as the rules across days can need less protein than one day holds.
    tries = [grams] if not week else sorted({min(grams, math.floor(asked * share)) for share in WEEK_KCAL_SHARES},
                                             reverse=True)  # fmt: skip
    for grams in tries:
        if grams >= asked or grams < MIN_PROTEIN_G:
            continue  # the floor is not what stops the plan, or nothing is left of it
        changed = dataclasses.replace(inputs, balance=dataclasses.replace(inputs.balance, protein_g=float(grams)))
        if _week_feasible(changed, solver) if week else _verified(changed, solver):
            return Relaxation("protein", "", float(grams), f"lower protein to {grams} g a day", f"--protein {grams}")
    return None


def _smallest_count(inputs: PlanInputs, built: BuiltSpec, solver: _Solver, family: str) -> Relaxation | None:
    """The most distinct foods (or categories) a day can hold while meeting every target:
    one solve without that minimum maximising the count; then verified."""
    model = _model(one_day(built.spec), floor=True)
    name = f"{family}:0"
    without_rows(model, lambda row: row == name)
    if family == "min_foods":
        count = pulp.lpSum(v for (_d, _f), v in model.z.items())
    else:
        count = pulp.lpSum(v for v in model.prob.variables() if v.name.startswith("c_0_"))
    most = solver.minimum(model, -count)
    if most is None or round(-most) < 1:
        return None
    n = int(round(-most))
    variety = inputs.variety
    if family == "min_foods":
        changed = dataclasses.replace(inputs, variety=dataclasses.replace(variety, min_foods_per_day=n))
        text, option = f"plan {n} distinct foods a day instead of {variety.min_foods_per_day}", f"--min-foods {n}"
    else:
        changed = dataclasses.replace(inputs, variety=dataclasses.replace(variety, min_categories_per_day=n))
        text = f"plan {n} food categories a day instead of {variety.min_categories_per_day}"
        option = f"--min-categories {n}"
    if not _verified(changed, solver):
        return None
    return Relaxation(family, "", float(n), text, option)


# ---------------------------------------------------------------------------- week rules


def _explain_week_rules(inputs: PlanInputs, built: BuiltSpec, most: _Most, solver: _Solver) -> Explanation:
    """A day can reach the target (``most``: the best day found, proven the best or not), so
    the rules that tie the days together are to blame: a food on at most k days, consecutive
    days differ, foods required on n days. The relaxations are checked by planning the whole
    request again."""
    spec = built.spec
    k = spec.variety.days_per_food(spec.days)
    rules = [f"a food may appear on at most {k} of the {spec.days} days", "consecutive days must differ"]
    if forms_of_foods(spec):
        rules[0] += " (its raw and cooked forms together)"
    partial = {f: n for f, n in spec.required.items() if n < spec.days}
    if partial:
        rules.append("some foods are required on several days")
    if spec.budget is not None:
        rules.append("the budget must last the whole plan")
    left = foods_left(len(spec.foods), len(inputs.catalog))
    text = f"with {left} these rules across days cannot all be kept: {listed(rules)}"
    relaxations: list[Relaxation] = []
    if (protein := _most_protein(inputs, built, solver, week=True)) is not None:
        relaxations.append(protein)  # review: a week's explanation never offered to lower it
    elif inputs.balance.protein_g is None and (calories := _week_calories(inputs, built, solver)) is not None:
        # Not with a protein floor: fewer calories only make it harder to reach.
        relaxations.append(calories)
    for days_per_food in range(k + 1, spec.days + 1):
        variety = dataclasses.replace(inputs.variety, max_days_per_food=days_per_food)
        if _week_feasible(dataclasses.replace(inputs, variety=variety), solver):
            relaxations.append(
                Relaxation("max_days_per_food", "", float(days_per_food),
                           f"allow a food on up to {days_per_food} days", f"--max-days-per-food {days_per_food}")
            )  # fmt: skip
            break
    # Fewer foods or categories a day than the user raised them to (QA: --min-categories 9 was
    # offered any food on every day or soy back, where 8 categories planned). Each planned whole.
    defaults, variety = Variety(), inputs.variety
    for family, asked, default, what, flag in (
        ("min_categories", variety.min_categories_per_day, defaults.min_categories_per_day, "food categories",
         "--min-categories"),
        ("min_foods", variety.min_foods_per_day, defaults.min_foods_per_day, "distinct foods", "--min-foods"),
    ):  # fmt: skip
        for n in range(asked - 1, default - 1, -1):
            fewer = (dataclasses.replace(variety, min_categories_per_day=n) if family == "min_categories"
                     else dataclasses.replace(variety, min_foods_per_day=n))  # fmt: skip
            if _week_feasible(dataclasses.replace(inputs, variety=fewer), solver):
                relaxations.append(Relaxation(family, "", float(n), f"plan {n} {what} a day instead of {asked}",
                                              f"{flag} {n}"))  # fmt: skip
                break
    # More foods to spread over the days (QA: a 3-day plan under many exclusions was offered
    # only more days a food, where allowing fish also planned). Each is planned whole.
    relaxations += [found for c in _candidates(inputs, built, solver) if c.kind == "exclude"
                    and (found := c.smallest()) is not None]  # fmt: skip
    return Explanation(
        magnesium_target_mg=built.targets.magnesium_mg, max_magnesium_mg=most.found_mg, blocking=(), binding=(),
        relaxations=tuple(relaxations), days=inputs.days, week_rules=True, week_rules_text=text,
        incomplete=solver.unproven > 0, max_proven=most.proven, max_bound_mg=None if most.proven else most.bound_mg,
    )  # fmt: skip


def _week_calories(inputs: PlanInputs, built: BuiltSpec, solver: _Solver) -> Relaxation | None:
    """For calories the user gave, the highest of WEEK_KCAL_SHARES of them (on the KCAL_STEP
    grid) at which the whole plan has a plan, or None. QA: a vegan runner's 4,000 kcal week had
    no plan, and the only change offered was any food on every day, where 3,750 kcal planned:
    with at most k days a food, a high target runs out of energy-dense foods before magnesium."""
    if inputs.profile.calories is None:
        return None
    for share in WEEK_KCAL_SHARES:
        kcal = math.floor(built.targets.kcal * share / KCAL_STEP) * KCAL_STEP
        if kcal < MIN_KCAL:
            break
        changed = dataclasses.replace(inputs, profile=with_calories(inputs.profile, kcal))
        if _week_feasible(changed, solver):
            return Relaxation("calories", "", kcal, f"lower calories to {_kcal(kcal)} a day", f"--calories {kcal:g}")
    return None


def _week_feasible(inputs: PlanInputs, solver: _Solver, spec: ModelSpec | None = None) -> bool:
    """Whether the whole plan of ``inputs`` (whose spec is ``spec``, when the caller built it
    already) has a plan."""
    # Any plan answers the question, so the solve stops at the first week (a loose gap). Its
    # solves stop by nodes, the explanation's deadline being the safety net: a week not found
    # is unproven, as only "infeasible" is a proof that there is none.
    seconds = solver.left()
    if seconds < MIN_CHECK_S:
        solver.unproven += 1
        return False
    options = dataclasses.replace(inputs.solve_options, time_limit_s=seconds, gap=WEEK_CHECK_GAP)
    spec = build_spec(inputs).spec if spec is None else spec
    solution = solve_spec(spec, options, by_nodes=True)
    if solution.result.status == "no_solution":
        solver.unproven += 1
    if solution.result.has_plan:
        solver.last_week = (spec, solution.half_servings)
    return solution.result.has_plan

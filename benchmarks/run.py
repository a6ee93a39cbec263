"""Benchmarks of the planner's solve path on the shipped data.

    python benchmarks/run.py [--quick] [--repeat N] [--scenario NAME ...] [--solver cbc|highs ...]

Each scenario is a function returning a :class:`~mealplan.model.ModelSpec`; add one to
SCENARIOS (household, batch, CLI start-up …) and it is run for every solver. For each
(scenario, solver) the table gives the median, min and max over the repetitions of:

* build   – seconds to build the scenario's full PuLP model (``build_model``);
* solve   – seconds of ``solve_spec`` (everything it does: bounds, day solves, week model);
* gap     – the certified gap reported (bound proven by a solver, objective of the plan);
* objective – the objective of the returned plan.

It also measures the overhead of our HiGHS path against bare HiGHS on the same one-day
model written to MPS and read back by ``highspy.Highs().readModel``. The table and the
machine description are written to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mealplan.catalog import load_foods  # noqa: E402
from mealplan.model import Member, ModelSpec, build_model  # noqa: E402
from mealplan.planner import usable_foods  # noqa: E402
from mealplan.preferences import Preferences, resolve  # noqa: E402
from mealplan.solver import SolveOptions, _new_highs, solve  # noqa: E402
from mealplan.strategy import solve_spec  # noqa: E402
from mealplan.targets import Profile, targets_for  # noqa: E402

PROFILE = Profile(34, "female")
VEGAN_NO_NUTS = Preferences(diets=("vegan",), exclude=("tree nuts", "peanuts"))


def person_spec(days: int, preferences: Preferences | None = None, weekly_average: bool = False) -> ModelSpec:
    """The ModelSpec plan_week builds for PROFILE (same steps, without solving)."""
    catalog = load_foods()
    targets = targets_for(PROFILE)
    resolved = resolve(preferences or Preferences(), catalog, days)
    usable, _warnings = usable_foods(resolved.foods, targets)
    return ModelSpec(
        foods=usable, members=(Member("0", targets),), days=days, weekly_average=weekly_average,
        preferences=resolved.weights, required=resolved.required, food_caps=resolved.food_caps,
        category_caps=resolved.category_caps, prices_per_100g=resolved.prices_per_100g, budget=resolved.budget,
    )  # fmt: skip


def one_day() -> ModelSpec:
    return person_spec(1)


def one_week() -> ModelSpec:
    return person_spec(7)


def vegan_week() -> ModelSpec:
    return person_spec(7, VEGAN_NO_NUTS)


def weekly_average_week() -> ModelSpec:
    return person_spec(7, weekly_average=True)


@dataclass(frozen=True)
class Scenario:
    name: str
    spec: Callable[[], ModelSpec]
    quick: bool  # part of --quick


SCENARIOS = (
    Scenario("one day", one_day, True),
    Scenario("one week", one_week, False),
    Scenario("vegan, no nuts week", vegan_week, False),
    Scenario("weekly-average week", weekly_average_week, False),
)


@dataclass(frozen=True)
class Run:
    build_s: float
    solve_s: float
    gap: float | None
    objective: float | None
    status: str
    method: str


def run_once(spec: ModelSpec, solver: str, time_limit_s: float | None) -> Run:
    began = time.perf_counter()
    build_model(spec)
    build_s = time.perf_counter() - began
    options = SolveOptions(solver=solver)
    if time_limit_s is not None:
        options = SolveOptions(solver=solver, time_limit_s=time_limit_s)
    began = time.perf_counter()
    solution = solve_spec(spec, options)
    solve_s = time.perf_counter() - began
    result = solution.result
    return Run(build_s, solve_s, result.gap, result.objective, result.status, solution.method)


def _stats(values: list[float], fmt: str) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):{fmt}} [{min(values):{fmt}}–{max(values):{fmt}}]"


def overhead_ratio(spec: ModelSpec, repeat: int) -> tuple[float, float, float]:
    """(our HiGHS seconds, bare HiGHS seconds, ratio), medians, on the same model."""
    ours, bare = [], []
    with tempfile.TemporaryDirectory(prefix="mealplan-bench-") as tmp:
        path = str(Path(tmp) / "model.mps")
        for _ in range(repeat):
            model = build_model(spec)
            began = time.perf_counter()
            solve(model.prob, SolveOptions(solver="highs"))
            ours.append(time.perf_counter() - began)
            model.prob.writeMPS(path, with_objsense=True)
            highs = _new_highs()
            highs.readModel(path)
            highs.setOptionValue("mip_rel_gap", SolveOptions().gap)
            highs.setOptionValue("random_seed", 0)
            began = time.perf_counter()
            highs.run()
            bare.append(time.perf_counter() - began)
    our, raw = statistics.median(ours), statistics.median(bare)
    return our, raw, our / raw


def machine() -> list[str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    packages = ", ".join(f"{p} {version(p)}" for p in ("pulp", "highspy", "numpy"))
    return [
        f"- nproc: {os.cpu_count()}",
        f"- CPU: {cpu}",
        f"- Python: {platform.python_version()} ({platform.platform()})",
        f"- packages: {packages}",
        f"- load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other jobs share this machine)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1 repetition of the smallest scenarios")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per scenario and solver (default 5)")
    parser.add_argument("--scenario", action="append", help="run only this scenario (repeatable)")
    parser.add_argument("--solver", action="append", choices=("cbc", "highs"), help="only this solver (repeatable)")
    parser.add_argument("--time-limit", type=float, default=None, help="time limit per solve (default: the solver's)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md", help="where to write")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)
    scenarios = [s for s in SCENARIOS if (not args.quick or s.quick) and (not args.scenario or s.name in args.scenario)]
    solvers = args.solver or ["cbc", "highs"]
    header = "| scenario | solver | build s | solve s | gap % | objective | status (method) |"
    rows = [header, "|---|---|---|---|---|---|---|"]
    print(header)
    for scenario in scenarios:
        spec = scenario.spec()
        for solver in solvers:
            runs = [run_once(spec, solver, args.time_limit) for _ in range(repeat)]
            gaps = [100 * r.gap for r in runs if r.gap is not None]
            objectives = [r.objective for r in runs if r.objective is not None]
            statuses = ", ".join(sorted({f"{r.status} ({r.method})" for r in runs}))
            row = (
                f"| {scenario.name} | {solver} | {_stats([r.build_s for r in runs], '.3f')} | "
                f"{_stats([r.solve_s for r in runs], '.2f')} | {_stats(gaps, '.2f')} | "
                f"{_stats(objectives, '.2f')} | {statuses} |"
            )
            rows.append(row)
            print(row, flush=True)
    ours, bare, ratio = overhead_ratio(one_day(), repeat)
    overhead = (
        f"HiGHS overhead on the one-day model: our solve path {ours:.3f} s, bare HiGHS on the MPS "
        f"{bare:.3f} s, ratio {ratio:.2f}"
    )
    print(overhead)
    text = "\n".join([
        "# Benchmark results", "",
        f"`python benchmarks/run.py {' '.join(sys.argv[1:] if argv is None else argv)}`; "
        f"median [min–max] of {repeat} run(s); profile {PROFILE.describe()}.", "",
        "## Machine", "", *machine(), "", "## Scenarios", "", *rows, "", "## Overhead", "", overhead, "",
    ])  # fmt: skip
    args.output.write_text(text)


if __name__ == "__main__":
    main()

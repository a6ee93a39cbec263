"""Solver faults: a missing or failing solver, a time limit, a solver's wrong answer and
numerically odd food tables each end in a clear message and exit code; a plan is printed
only when it keeps every target, and one that is not proven optimal says so everywhere."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pulp
import pytest
from typer.testing import CliRunner

from mealplan import planner, solver, strategy
from mealplan.catalog import load_foods
from mealplan.cli import app
from mealplan.model import Member, ModelSpec, build_model
from mealplan.planner import overrun_warning, plan_week, timing_warning
from mealplan.report import render
from mealplan.report.common import plan_dict
from mealplan.solver import DEFAULT_GAP, DEFAULT_SOLVER, SolveOptions, SolveResult
from mealplan.targets import Profile, targets_for
from mealplan.tempdirs import alive
from tests.invariants import assert_day_meets_targets
from tests.proc_helpers import never_outlives, processes_mentioning

REPO = Path(__file__).resolve().parents[1]
DAY = ["day", "--age", "34", "--sex", "female"]
DAY_CBC = [*DAY, "--solver", "cbc"]  # CBC is the quicker of the two on this day
runner = CliRunner()


def refused(args: list[str], code: int) -> str:
    """The one-line message of a run that must fail with ``code`` and print nothing on stdout."""
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert result.stdout == "", "nothing may be printed as a plan"
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ----------------------------------------------------------------------------- missing or failing solvers


def test_without_highspy_highs_is_refused_with_the_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "highspy", None)  # `import highspy` now raises ImportError
    assert refused([*DAY, "--solver", "highs"], 4) == (
        "Error: the HiGHS solver (highspy) is not installed or does not load; pip install highspy, or use --solver cbc"
    )


def test_without_highspy_cbc_still_plans_a_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "highspy", None)
    result = runner.invoke(app, DAY_CBC)
    assert result.exit_code == 0, result.output
    assert "Solver: cbc, certified optimal" in result.stdout


def test_without_highspy_the_week_bound_comes_from_cbc(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ModelSpec(foods=load_foods().foods, members=(Member("0", targets_for(Profile(34, "female"))),))
    with_highs = solver.lp_relaxation(build_model(spec).prob)
    monkeypatch.setitem(sys.modules, "highspy", None)
    with_cbc = solver.lp_relaxation(build_model(spec).prob)
    assert with_highs is not None and with_cbc is not None
    assert with_cbc[0] == pytest.approx(with_highs[0], rel=1e-6)


def test_cbc_missing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulp.COIN_CMD, "available", lambda self: False)
    assert refused(DAY_CBC, 4) == "Error: the CBC solver is not available in this PuLP; use --solver highs"


def test_cbc_crashing_is_a_solver_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: pulp.LpProblem, *args: Any, **kwargs: Any) -> None:
        raise pulp.PulpSolverError("Pulp: Error while executing cbc")

    monkeypatch.setattr(pulp.LpProblem, "solve", crash)
    assert refused(DAY_CBC, 4) == "Error: CBC failed (Pulp: Error while executing cbc); try --solver highs"


class BrokenHighs:
    """A real Highs object whose run() gives up with a solve error and no solution."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def run(self) -> None:
        return None

    def getModelStatus(self) -> Any:  # noqa: N802 - highspy's name
        import highspy

        return highspy.HighsModelStatus.kSolveError


def test_highs_failing_is_a_solver_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_new = solver._new_highs
    monkeypatch.setattr(solver, "_new_highs", lambda: BrokenHighs(real_new()))
    assert refused([*DAY, "--solver", "highs"], 4) == "Error: HiGHS failed (Solve error); try --solver cbc"


def test_a_plan_breaking_a_target_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the solver claims, the recomputed plan is checked: here it 'returns' half portions."""
    real = strategy.solution_half_servings

    def halved(model: Any) -> dict[Any, int]:
        return {k: n // 2 for k, n in real(model).items() if n // 2}

    monkeypatch.setattr(strategy, "solution_half_servings", halved)
    message = refused(DAY_CBC, 4)
    assert message.startswith("Error: the solver's plan breaks ")
    assert message.endswith("; numerical trouble, try --solver highs")


def test_a_plan_over_its_budget_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget is rechecked on the plan's cost, as the targets are: here the cost is
    'recomputed' 10 over whatever the plan costs."""
    real = planner.plan_cost
    monkeypatch.setattr(planner, "plan_cost", lambda days, prices: (real(days, prices) or 0.0) + 10.0)
    message = refused([*DAY_CBC, "--prices", str(REPO / "data" / "prices.csv"), "--budget", "70"], 4)
    assert re.fullmatch(r"Error: the solver's plan costs \d+\.\d\d, over the budget of 10\.00; numerical trouble, "
                        r"try --solver highs", message), message  # fmt: skip


def test_a_week_breaking_a_variety_rule_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules are rechecked on the solution's portions (model.rule_breaches), as the
    targets are: here the 'solver' serves day 1's foods again on day 2."""
    real = planner.solve_spec

    def repeated(spec: Any, options: Any) -> strategy.Solution:
        solution = real(spec, options)
        first = {(m, s, f): n for (m, d, s, f), n in solution.half_servings.items() if d == 0}
        portions = {(m, d, s, f): n for d in (0, 1) for (m, s, f), n in first.items()}
        return dataclasses.replace(solution, half_servings=portions)

    monkeypatch.setattr(planner, "solve_spec", repeated)
    assert refused(["week", "--age", "34", "--sex", "female", "--days", "2", "--gap", "0.05"], 4) == (
        "Error: the solver's plan breaks a rule it keeps (days 1 and 2 alike); numerical trouble, "
        "try --solver highs"
    )


# ----------------------------------------------------------------------------- time limits


def stopped_early(monkeypatch: pytest.MonkeyPatch, status: str) -> None:
    """Make every solve report ``status`` as if the time limit had stopped it (same portions)."""
    real_solve = strategy.solve

    def solve(prob: pulp.LpProblem, options: SolveOptions, *args: Any) -> SolveResult:
        result = real_solve(prob, options, *args)
        if status == "no_solution":
            return SolveResult("no_solution", result.solver, None, None, None, options.time_limit_s)
        # Five points above the plan: a whole number, as every bound of the objective is.
        bound = None if result.objective is None else result.objective + 5
        gap = None if result.objective is None else 5 / result.objective
        return dataclasses.replace(result, status=status, bound=bound, gap=gap)

    monkeypatch.setattr(strategy, "solve", solve)


def test_no_plan_within_the_time_limit_is_exit_4(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped_early(monkeypatch, "no_solution")
    assert refused([*DAY_CBC, "--time-limit", "0.1"], 4) == (
        "Error: cbc found no plan within the time limit of 0.1 s; raise --time-limit or relax the request"
    )


def test_no_plan_within_the_time_limit_under_a_budget_names_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in QA: --budget 25 ran out of time without a word of the budget (27 planned)."""
    stopped_early(monkeypatch, "no_solution")
    prices = Path(__file__).resolve().parents[1] / "data" / "prices.csv"
    assert refused([*DAY_CBC, "--time-limit", "0.1", "--prices", str(prices), "--budget", "25"], 4) == (
        "Error: cbc found no plan within the time limit of 0.1 s; with --budget 25 a plan may not exist, or be hard "
        "to find so near the cheapest week: try a larger --budget, or raise --time-limit"
    )


def test_a_plan_not_proven_optimal_says_so_in_every_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stopped_early(monkeypatch, "feasible")
    table = runner.invoke(app, DAY_CBC)
    assert table.exit_code == 0, table.output
    out = tmp_path / "plan.json"
    as_json = runner.invoke(app, [*DAY_CBC, "--output", str(out)])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["solver"]["status"] == "feasible"
    objective = data["solver"]["objective"]
    assert (data["solver"]["bound"], data["solver"]["mip_gap"]) == (objective + 5, pytest.approx(5 / objective))
    [solver_line] = [line for line in table.stdout.splitlines() if line.startswith("Solver: ")]
    assert solver_line.startswith(f"Solver: cbc, feasible, NOT proven within the gap asked: gap {500 / objective:.2f}%")
    assert "certified" not in table.stdout


def test_a_real_time_limit_on_a_week_gives_an_honest_answer() -> None:
    """With 0.1 s a week is either not found (exit 4, said so) or printed with its true status."""
    result = runner.invoke(app, ["week", "--age", "34", "--sex", "female", "--time-limit", "0.1", "--format", "json"])
    assert "Traceback" not in result.output
    if result.exit_code == 4:
        assert result.stderr == (
            f"Error: {DEFAULT_SOLVER} found no plan within the time limit of 0.1 s; raise --time-limit or relax the request\n"
        )
        return
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["solver"]["status"] in ("optimal", "feasible")
    if data["solver"]["status"] == "optimal":
        assert data["solver"]["mip_gap"] <= DEFAULT_GAP + 1e-12
    # Each day gets at least a second, so the week outlasts 0.1 s, and says so when it does.
    # The JSON's seconds are rounded to 3 decimals: within that of the 1.1 s threshold either
    # answer is right (CI once read 1.1 beside a warning, for a true 1.1004 or so).
    seconds = data["solver"]["seconds"]
    told = any(w.startswith("planning took") and "time limit of 0.1 s" in w for w in data["warnings"])
    if abs(seconds - 1.1) > 0.0005:
        assert told == (seconds > 1.1), (seconds, data["warnings"])


def test_a_plan_that_outlasts_its_time_limit_says_so() -> None:
    def took(seconds: float, solver: str = "cbc") -> SolveResult:
        return SolveResult("optimal", solver, 70.0, 70.0, 0.0, seconds)

    ten = SolveOptions(time_limit_s=10)
    assert overrun_warning(took(10.9), ten, 7) == ()
    assert overrun_warning(took(29.3, "highs"), ten, 7) == (
        "planning took 29.3 s, more than the time limit of 10 s: a week gives each day at least 1 s of solving, "
        "and a day still without a plan when its share of the limit runs out gets the whole limit once; "
        "--solver cbc is faster on these models",
    )
    # A small limit is allowed a second for building the models; one day has no shares.
    tiny = SolveOptions(time_limit_s=0.1)
    assert overrun_warning(took(1.0), tiny, 1) == ()
    assert overrun_warning(took(1.5), tiny, 1) == ("planning took 1.5 s, more than the time limit of 0.1 s",)


def test_text_and_json_agree_on_the_status_of_a_time_limited_plan() -> None:
    plan = plan_week(Profile(34, "female"), days=2, solve_options=SolveOptions(time_limit_s=0.1))
    text = render(plan, "table")
    data = plan_dict(plan)
    assert data["solver"]["status"] == plan.solve.status
    assert ("NOT proven" in text) == (plan.solve.status == "feasible")
    assert ("certified optimal" in text) == (plan.solve.status == "optimal")


@pytest.mark.parametrize("name", ["cbc", "highs"])
def test_a_solve_says_whether_its_time_limit_ended_it(name: str) -> None:
    """A day proven optimal is not timed out; the same day given a few milliseconds is."""
    model = build_model(ModelSpec(foods=load_foods().foods, members=(Member("0", targets_for(Profile(34, "female"))),)))
    assert not solver.solve(model.prob, SolveOptions(solver=name, gap=0.0)).timed_out
    cut = solver.solve(model.prob, SolveOptions(solver=name, gap=0.0, time_limit_s=0.1))
    assert cut.timed_out == (cut.status != "optimal")


def test_cbc_writes_its_files_in_a_folder_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """PuLP's model and solution files go in the solve's own temporary folder, which is removed
    however the solve ends (an interrupted solve left them in /tmp)."""
    real = pulp.LpProblem.solve
    folders: list[str] = []

    def recording(prob: pulp.LpProblem, cmd: Any = None, **kwargs: Any) -> Any:
        folders.append(cmd.tmpDir)
        return real(prob, cmd, **kwargs)

    monkeypatch.setattr(pulp.LpProblem, "solve", recording)
    model = build_model(ModelSpec(foods=load_foods().foods, members=(Member("0", targets_for(Profile(34, "female"))),)))
    assert solver.solve(model.prob, SolveOptions(solver="cbc")).status == "optimal"
    [folder] = folders
    assert Path(folder).name.startswith(f"mealplan-cbc-{os.getpid()}-") and not Path(folder).exists()


def test_cbc_folders_of_killed_processes_are_swept_once_old(tmp_path: Path) -> None:
    """A process killed outright cannot remove its folder; a later one removes such folders
    when their process is gone and they are older than any solve, and nothing else."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip
    now = time.time()
    old = now - solver.STALE_CBC_DIR_S - 60
    made = {}
    for name in (f"mealplan-cbc-{dead}-abc", f"mealplan-cbc-{os.getpid()}-abc", "mealplan-cbc-1x2y3z",
                 f"mealplan-cbc-{dead}-new", "other-folder"):  # fmt: skip
        path = tmp_path / name
        path.mkdir()
        (path / "model.mps").write_text("x")
        made[name] = path
    for name, path in made.items():
        if not name.endswith("-new"):
            os.utime(path, (old, old))
    removed = solver.sweep_stale_cbc_dirs(tmp_path, now=now)
    # The dead process's old folder and an old one named the way earlier versions did go;
    # this process's folder, a recent one and other folders stay.
    assert sorted(p.name for p in removed) == sorted([f"mealplan-cbc-{dead}-abc", "mealplan-cbc-1x2y3z"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"mealplan-cbc-{os.getpid()}-abc", f"mealplan-cbc-{dead}-new", "other-folder"]
    )


def test_a_killed_batchs_folder_is_swept_by_a_later_batch(tmp_path: Path) -> None:
    """QA: kill -9 of a batch left its /tmp/mealplan-batch-… folder, which no run removed."""
    from mealplan.batch import BATCH_DIR_PREFIX, STALE_BATCH_DIR_S
    from mealplan.tempdirs import sweep_stale_dirs

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip
    old = time.time() - STALE_BATCH_DIR_S - 60
    for name in (f"{BATCH_DIR_PREFIX}{dead}-abc", f"{BATCH_DIR_PREFIX}{os.getpid()}-abc", f"mealplan-cbc-{dead}-abc"):
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (old, old))
    removed = sweep_stale_dirs(BATCH_DIR_PREFIX, STALE_BATCH_DIR_S, tmp_path)
    assert [p.name for p in removed] == [f"{BATCH_DIR_PREFIX}{dead}-abc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{BATCH_DIR_PREFIX}{os.getpid()}-abc",
                                                         f"mealplan-cbc-{dead}-abc"]  # fmt: skip


def test_a_local_batch_sweeps_before_it_makes_its_own_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from mealplan import batch

    asked: list[str] = []

    class Swept(Exception):
        pass

    def sweep(prefix: str, *_args: Any, **_kw: Any) -> list[Path]:
        asked.append(prefix)
        raise Swept

    monkeypatch.setattr(batch, "sweep_stale_dirs", sweep)
    with pytest.raises(Swept):
        batch._run_local([], batch.BatchSettings(), 1, lambda task, result: None)
    assert asked == [batch.BATCH_DIR_PREFIX]


def test_a_workers_sigterm_handler_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken pool's clean-up can send a worker SIGTERM twice; the second, run inside the
    first handler's tempfile.gettempdir(), waited for ever on tempfile's lock, and the batch
    hung at exit (the test that kills a worker as it starts, about one run in eight)."""
    import signal

    from mealplan import batch

    seen: list[Any] = []

    def end_cbc_solves() -> None:
        seen.append(signal.getsignal(signal.SIGTERM))

    class Exited(Exception):
        pass

    def exit_(code: int) -> None:
        raise Exited(code)

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(solver, "end_cbc_solves", end_cbc_solves)
    monkeypatch.setattr(batch.os, "_exit", exit_)
    try:
        with pytest.raises(Exited):
            batch._terminated(signal.SIGTERM, None)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert seen == [signal.SIG_IGN]


def test_a_week_says_when_time_decided_any_of_its_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """One day's solve stopped by its share is enough to make the week timing-dependent, and
    the plan then says so in its warnings and its JSON."""
    real = strategy.solve
    calls: list[int] = []

    def first_cut_short(prob: pulp.LpProblem, options: SolveOptions, start: Any = (), **kwargs: Any) -> SolveResult:
        result = real(prob, options, start, **kwargs)
        calls.append(1)
        return dataclasses.replace(result, timed_out=len(calls) == 1)

    monkeypatch.setattr(strategy, "solve", first_cut_short)
    plan = plan_week(Profile(34, "female"), days=2)
    assert plan.solve.timed_out and plan_dict(plan)["solver"]["timed_out"] is True
    assert timing_warning(plan.solve)[0] in plan.warnings
    monkeypatch.setattr(strategy, "solve", real)
    repeatable = plan_week(Profile(34, "female"), days=1)
    assert not repeatable.solve.timed_out and timing_warning(repeatable.solve) == ()
    assert not any("busier or quieter" in w for w in repeatable.warnings)
    # QA: a one-model day cut short was told of "a day of a longer plan" and its share.
    monkeypatch.setattr(strategy, "solve", first_cut_short)
    calls.clear()
    day = plan_week(Profile(34, "female"), days=1)
    assert day.solve.timed_out
    assert timing_warning(day.solve, by_days=False)[0] in day.warnings
    assert not any("a day of a longer plan" in w for w in day.warnings)


def test_a_week_whose_improvement_the_deadline_stopped_says_so() -> None:
    """At --gap 0 a week improves until the gap is certified or time is up: with 0.1 s, time
    ends it unless the construction already reached the bound."""
    result = runner.invoke(app, ["week", "--age", "34", "--sex", "female", "--days", "2", "--gap", "0",
                                 "--time-limit", "0.1", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["solver"]["timed_out"] == (data["solver"]["mip_gap"] > 0)
    assert any("busier or quieter machine" in w for w in data["warnings"]) == data["solver"]["timed_out"]


# ----------------------------------------------------------------------------- numerically odd food tables


def odd_pool(change: str) -> str:
    """data/pool.csv with its values made tiny, huge or of mixed scale."""
    rows = list(csv.DictReader((REPO / "data" / "pool.csv").open(encoding="utf-8")))
    for i, row in enumerate(rows):
        if change == "magnesium tiny":
            row["magnesium_mg"] = "0.000001"
        elif change == "magnesium huge on one food":
            row["magnesium_mg"] = "100000" if i == 0 else row["magnesium_mg"]
        elif change == "magnesium of mixed scale":
            row["magnesium_mg"] = "100000" if i % 2 else "0.0001"
        elif change == "everything tiny":
            for column in ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "magnesium_mg",
                           "sodium_mg"):  # fmt: skip
                row[column] = "0.000001"
        elif change == "servings tiny":
            row["serving_grams"] = "0.1"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    "change",
    ["magnesium tiny", "magnesium huge on one food", "magnesium of mixed scale", "everything tiny", "servings tiny"],
)
def test_odd_food_tables_give_a_checked_plan_or_a_clear_refusal(change: str, tmp_path: Path) -> None:
    foods = tmp_path / "foods.csv"
    foods.write_text(odd_pool(change), encoding="utf-8")
    result = runner.invoke(app, [*DAY, "--foods", str(foods), "--format", "json"])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 3), result.output
    if result.exit_code == 3:
        assert result.stdout == ""
        assert result.stderr.startswith("Error: no plan ")
        return
    data = json.loads(result.stdout)
    table = {row["ndb_no"]: row for row in csv.DictReader(io.StringIO(foods.read_text(encoding="utf-8")))}
    member = data["members"][0]
    for day in member["days"]:
        assert_day_meets_targets(day, member["targets"], table)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_terminated_plan_ends_as_an_interrupted_one(number: int, tmp_path: Path) -> None:
    """QA: `kill -TERM` during a plan exited 143 without a word and left the solver's
    folders (about 2 MB each) in the temporary folder. It now ends as Ctrl-C does."""
    out = tmp_path / "family.json"
    family = Path(__file__).resolve().parents[1] / "examples" / "households" / "family-of-four.toml"
    # CBC named: a shared menu's default is HiGHS, which runs in-process and leaves no folders.
    # The signal as a user's terminal sends it: a test run under nohup has its children ignore
    # SIGHUP, which the command then leaves ignored, as it should (launch.handled_signals).
    process = subprocess.Popen([sys.executable, "-m", "mealplan", "household", str(family), "--shared-meals",
                                "--solver", "cbc", "--output", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(number, signal.SIG_DFL))  # fmt: skip
    with never_outlives(process):
        folders = f"{solver.CBC_DIR_PREFIX}{process.pid}-*"
        deadline = time.monotonic() + 30
        while not list(Path(tempfile.gettempdir()).glob(folders)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the plan ended before a solve started"
        process.send_signal(number)
        _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.endswith("Error: interrupted; nothing was written\n"), stderr
    assert not list(Path(tempfile.gettempdir()).glob(folders)) and not out.exists()


# Runs the command as its console script does, sending the process ``number`` as PuLP's import
# begins (the moment the command's start-up spends most of its time in).
SIGNAL_AT_PULP_IMPORT = """
import os, signal, sys
# A shell's background job starts with SIGINT ignored, which the command rightly leaves so
# (launch.handled_signals); the signal this test sends is one the user can send.
signal.signal({number}, signal.SIG_DFL)
class SignalAtPulp:
    def find_spec(self, name, path=None, target=None):
        if name == "pulp":
            os.kill(os.getpid(), {number})
        return None
sys.meta_path.insert(0, SignalAtPulp())
sys.argv = ["mealplan", *{args!r}]
from mealplan.launch import main
main()
"""


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_command_starts_ends_it_as_interrupted(number: int) -> None:
    """Shell QA: Ctrl-C in the first few tenths of a second, while PuLP is imported (its
    import swallows KeyboardInterrupt), was lost (exit 0, the whole plan printed) or ended in a
    traceback, and SIGTERM ended the process without a word."""
    code = SIGNAL_AT_PULP_IMPORT.format(number=int(number), args=[*DAY_CBC, "--format", "json"])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "Error: interrupted\n")


def test_a_hang_up_that_the_parent_ignores_stays_ignored() -> None:
    """Review: `nohup mealplan …` was still ended by SIGHUP ("Error: interrupted")."""
    process = subprocess.Popen([sys.executable, "-m", "mealplan", "week", "--age", "34", "--sex", "female",
                                "--solver", "cbc", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))  # fmt: skip
    with never_outlives(process):
        time.sleep(1.0)
        process.send_signal(signal.SIGHUP)
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert len(json.loads(stdout)["members"][0]["days"]) == 7


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_end_cbc_solves_leaves_the_callers_other_children_alone() -> None:
    """API QA: end_cbc_solves killed every child of the caller, its own subprocesses and a
    process pool's workers too; only CBC runs of this process's CBC folders are its to stop."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        solver.end_cbc_solves()
        time.sleep(0.2)
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_a_batch_killed_outright_leaves_no_solver_or_cbc_folder(tmp_path: Path) -> None:
    """QA: after kill -9 of a batch, its workers' CBC folders stayed in /tmp (a later run sweeps
    them only when two days old). The workers notice the parent is gone, end their solves and
    remove their folders."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2):  # weeks of a few seconds each, so a solve is running at the kill
        (folder / f"h{i}.toml").write_text(
            f'[household]\ndays = 7\nsolver = "cbc"\n[[members]]\nage = {30 + i}\nsex = "female"\n', encoding="utf-8"
        )
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "mealplan", "batch", str(folder), "--out", str(tmp_path / "out"), "--workers", "1"]
    batch = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(temp.glob("mealplan-cbc-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        folders = list(temp.glob("mealplan-cbc-*"))
        assert folders, "no CBC solve started"
        worker = int(folders[0].name.removeprefix("mealplan-cbc-").split("-", 1)[0])
        assert worker != batch.pid
        batch.kill()
        batch.wait(10)
        deadline = time.monotonic() + 15
        while (list(temp.glob("mealplan-cbc-*")) or alive(worker)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not list(temp.glob("mealplan-cbc-*"))
        assert not alive(worker)
    finally:
        if batch.poll() is None:
            batch.kill()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_script_that_handles_sigterm_with_end_cbc_solves_leaves_no_cbc_behind(tmp_path: Path) -> None:
    """API QA: SIGTERM to a script in a CBC solve left CBC running and its folder behind.
    mealplan.end_cbc_solves, called from the script's handler as docs/reliability.md says,
    stops the solves and removes their folders. The script plans the family's shared week and
    gets SIGTERM 4 s into its solves (a week solves two days at once, one in a thread)."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    script = tmp_path / "job.py"
    family = Path(__file__).resolve().parents[1] / "examples" / "households" / "family-of-four.toml"
    script.write_text(
        "import signal, sys\nimport mealplan\n"
        "signal.signal(signal.SIGTERM, lambda *_: (mealplan.end_cbc_solves(), sys.exit(143)))\n"
        f"household = mealplan.load_household({str(family)!r}, {{'days': 7, 'solver': 'cbc'}})\n"
        "mealplan.plan_household(household, shared_meals=True)\n",
        encoding="utf-8",
    )
    job = subprocess.Popen([sys.executable, str(script)], env={**os.environ, "TMPDIR": str(temp)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not list(temp.glob("mealplan-cbc-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(temp.glob("mealplan-cbc-*")), "no CBC solve started"
        time.sleep(4)  # into the week's construction, two days at a time
        job.send_signal(signal.SIGTERM)
        code = job.wait(15)
        time.sleep(0.5)
        assert (code, processes_mentioning(str(temp)), list(temp.glob("mealplan-cbc-*"))) == (143, [], [])
    finally:
        if job.poll() is None:
            job.kill()
        for pid in processes_mentioning(str(temp)):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


_THREADED_HIGHS = """
import os, sys, threading
from mealplan import solver

def make(n):
    for _ in range(n):
        solver._new_highs()

threads = [threading.Thread(target=make, args=(300,)) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("stdout still here:", os.path.realpath("/proc/self/fd/1") != os.devnull, flush=True)
"""


def test_highs_made_in_many_threads_at_once_leaves_stdout_where_it_was() -> None:
    """QA, an API user planning in threads: every Highs made muted file descriptor 1 and put
    it back, so two threads raced and one put back the other's /dev/null: the service's
    stdout was gone for good. Only the first making mutes now (HiGHS's banner comes once a
    process), under a lock; the banner still never reaches stdout."""
    done = subprocess.run([sys.executable, "-c", _THREADED_HIGHS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "stdout still here: True\n"


_WARNINGS_AS_ERRORS = """
from mealplan import InfeasiblePlan, Preferences, Profile, SolveOptions, plan_day, plan_week
for solver in ("cbc", "highs"):
    plan_week(Profile(age=34, sex="female"), days=2, solve_options=SolveOptions(solver=solver))
    plan_day(Profile(age=34, sex="female"), solve_options=SolveOptions(solver=solver))
try:
    plan_day(Profile(age=34, sex="female", calories=1000))
except InfeasiblePlan as refused:
    assert refused.explanation
print("planned")
"""


def test_planning_raises_no_deprecation_warning_from_pulp() -> None:
    """QA, an API user whose service's tests turn warnings into errors: every plan raised
    PuLP's DeprecationWarnings (PULP_CBC_CMD, and prob.constraints read as a dict) from
    mealplan's own calls. Days, weeks and an explanation (which drops rows), with both solvers."""
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", _WARNINGS_AS_ERRORS],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "planned\n"

"""Batches: isolation, exit codes, interruption and resume, Dask = local.

Households here are tiny (one day, a pool of 36 foods) so that a batch of 50 runs in
seconds on two cores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mealplan.batch import (
    RESULT_SCHEMA,
    BatchSettings,
    Progress,
    Task,
    discover,
    result_path,
    run_batch,
    run_task,
    safe_id,
)
from mealplan.cli import app
from mealplan.errors import InputError
from tests.proc_helpers import never_outlives, processes_mentioning

REPO = Path(__file__).resolve().parents[1]
SMALL_POOL = {
    "oats", "soymilk", "banana", "almonds", "pumpkin seeds", "chia seeds", "black beans", "lentils", "brown rice",
    "quinoa", "spinach (cooked)", "broccoli", "potato", "avocado", "salmon", "halibut", "greek yogurt", "milk",
    "whole-wheat bread", "dark chocolate", "cocoa powder", "tofu", "edamame", "swiss chard", "sweet potato",
    "chickpeas", "eggs", "chicken breast", "raisins", "coffee", "peanut butter", "cashews", "apple", "carrots",
    "hummus", "white rice",
}  # fmt: skip
SETTINGS = BatchSettings(overrides={"gap": 0.2, "time_limit": 60.0})
PEOPLE = [
    {"age": 34, "sex": "female", "calories": 1900},
    {"age": 44, "sex": "male"},
    {"age": 16, "sex": "female", "pregnant": True},
    {"age": 6, "sex": "male", "exclude": ["tree nuts"]},
    {"age": 70, "sex": "female", "activity": "sedentary"},
    {"age": 27, "sex": "male", "diet": ["vegetarian"]},
    {"age": 31, "sex": "female", "lactating": True},
    {"age": 12, "sex": "female", "exclude": ["milk"]},
]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def write_household(folder: Path, name: str, members: list[dict[str, Any]], **settings: Any) -> Path:
    lines = ["[household]", 'foods = "pool-small.csv"', "days = 1"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in settings.items()]
    for index, member in enumerate(members):
        lines += ["", "[[members]]", f'name = "m{index}"']
        lines += [f"{k} = {_toml_value(v)}" for k, v in member.items()]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_folder(folder: Path, count: int) -> list[str]:
    """``count`` good households of 1 to 2 members, and the small pool beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    with (REPO / "data" / "pool.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["name"] in SMALL_POOL]
        fields = reader.fieldnames
    assert fields is not None
    with (folder / "pool-small.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    names = []
    for i in range(count):
        members = [PEOPLE[i % len(PEOPLE)]] + ([PEOPLE[(i * 3 + 1) % len(PEOPLE)]] if i % 3 == 0 else [])
        names.append(f"h{i:03d}")
        write_household(folder, names[-1], members, seed=i % 4)
    return names


def normalized(path: Path) -> dict[str, Any]:
    """A result without what differs between two runs of the same plan: the timings, and
    whether the worker had planned the same request before (its method then says "reused")."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("solve_seconds")
    if document["plan"] is not None:
        document["plan"]["solver"].pop("seconds")
        solver = document["plan"]["solver"]
        solver["method"] = re.sub(r" \((reused|\d+ of \d+ members reused)\)$", "", solver["method"])
    return document


def results(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: normalized(p) for p in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """16 households, planned once without interruption: (input folder, results)."""
    root = tmp_path_factory.mktemp("small")
    make_folder(root / "in", 16)
    report = run_batch(discover(root / "in"), root / "out", settings=SETTINGS, workers=2)
    assert report.complete, [o.reason for o in report.outcomes if not o.planned]
    return root / "in", root / "out"


# ------------------------------------------------------------------ a batch of 50


@pytest.fixture(scope="module")
def batch_of_50(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    root = tmp_path_factory.mktemp("fifty")
    folder = root / "households"
    make_folder(folder, 47)
    write_household(folder, "bad-key", [{"age": 40, "sex": "female", "agee": 3}])
    (folder / "bad-syntax.toml").write_text("[household\nname = 'x'\n", encoding="utf-8")
    nothing_to_eat = ["seeds", "nuts", "legumes", "soy", "grains", "vegetables", "greens", "fish", "dairy", "eggs",
                      "poultry", "cocoa"]  # fmt: skip
    write_household(folder, "no-plan", [{"age": 40, "sex": "male", "exclude": nothing_to_eat}])
    out = root / "plans"
    args = ["batch", str(folder), "--out", str(out), "--workers", "2", "--gap", "0.2", "--time-limit", "60"]
    return CliRunner().invoke(app, args), out


def test_batch_of_50_plans_47_and_reports_3_with_reasons(batch_of_50: tuple[Any, Path]) -> None:
    result, out = batch_of_50
    assert result.exit_code == 5, result.output
    assert result.stderr.endswith(
        f"Error: 3 of 50 households were not planned (reasons in {out / 'summary.csv'}); "
        "fix them and rerun with --resume\n"
    )
    with (out / "summary.csv").open(encoding="utf-8") as fh:
        rows = {r["household"]: r for r in csv.DictReader(fh)}
    assert len(rows) == 50
    assert sum(r["status"] == "planned" for r in rows.values()) == 47
    assert rows["bad-key"]["status"] == "invalid"
    assert "member 'm0': unknown key 'agee'; did you mean: age?" in rows["bad-key"]["reason"]
    assert rows["bad-syntax"]["status"] == "invalid"
    assert "is not valid TOML" in rows["bad-syntax"]["reason"]
    # Nothing was solved for an invalid household: no time, rather than 0.00 (QA).
    assert rows["bad-key"]["solve_seconds"] == rows["bad-syntax"]["solve_seconds"] == ""
    assert float(rows["no-plan"]["solve_seconds"]) > 0
    assert rows["no-plan"]["status"] == "infeasible"
    assert rows["no-plan"]["reason"].startswith("member 'm0': no plan exists")
    for name, row in rows.items():
        if row["status"] == "planned":
            assert float(row["magnesium_coverage_pct"]) >= 100
            assert float(row["kcal_per_day"]) > 0
            # How each was solved, as its result file says (QA: the summary could not show it).
            solver = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["plan"]["solver"]
            assert row["solver_status"] == solver["status"] and row["timed_out"] == str(solver["timed_out"]).lower()
            assert row["mip_gap_pct"] == f"{solver['mip_gap'] * 100:.2f}"
        else:
            assert row["solver_status"] == row["mip_gap_pct"] == row["timed_out"] == ""
            document = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
            assert document["solver_status"] is document["mip_gap"] is document["timed_out"] is None  # QA: "" once
    # One finished result file per household, each valid; the table is on stdout.
    assert len(list(out.glob("*.json"))) == 50
    assert all(json.loads(p.read_text())["schema"] == RESULT_SCHEMA for p in out.glob("*.json"))
    assert result.stdout.splitlines()[0].split() == ["household", "members", "status", "Mg", "coverage",
                                                     "kcal/day", "solve", "s"]  # fmt: skip
    assert "no-plan: infeasible: " in result.stdout
    assert "Planned 47 of 50 households" in result.stdout
    assert "[50/50] 100%" in result.stderr and "households/s" in result.stderr and "ETA" in result.stderr


def test_rerun_without_resume_refuses_to_overwrite(batch_of_50: tuple[Any, Path], tmp_path: Path) -> None:
    _, out = batch_of_50
    folder = out.parent / "households"
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: {out} already holds results for 50 of these households; "
        "use --resume to continue the batch or --force to plan them all again\n"
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--solver", "gurobi"], "command line: solver 'gurobi' is not one of: highs, cbc"),
        (["--gap", "-1"], "command line: gap -1 is out of range; give 0 to 0.5 (e.g. 0.01 for 1%)"),
        (["--days", "0"], "command line: days 0 is out of range; give 1 to 28"),
        (["--time-limit", "0"], "command line: time limit 0 s is out of range; give 0.1 to 86400 seconds"),
        (["--seed", "-1"], "command line: seed -1 is out of range; give 0 to 2147483647"),
    ],
)
def test_a_bad_option_is_refused_before_any_household_is_touched(batch_of_50: tuple[Any, Path], option: list[str],
                                                                 message: str, tmp_path: Path) -> None:  # fmt: skip
    """A typo in a batch-wide option is one input error (exit 2): it neither writes a folder
    of "invalid" results nor, with --resume, replaces results that were fine."""
    _, out = batch_of_50
    folder = out.parent / "households"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out), "--resume", *option])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message}\n"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    fresh = tmp_path / "fresh"
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(fresh), *option])
    assert result.exit_code == 2, result.output
    assert not fresh.exists()


# ------------------------------------------------------------ interrupt and resume


def _stopped(args: list[str], env: dict[str, str], ready: Any, *, wait_s: float,
             poll_s: float) -> tuple[int, str, bool]:  # fmt: skip
    """Run the batch ``args`` in a process of its own, send it SIGTERM once ``ready()`` holds
    (or it ended, or ``wait_s`` passed), and return its exit code, its stderr and whether
    ``ready()`` held when the signal was sent; the process never outlives the call."""
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with never_outlives(process):
        deadline = time.monotonic() + wait_s
        while not (was_ready := ready()) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(poll_s)
        was_ready = was_ready or ready()
        process.send_signal(signal.SIGTERM)
        _stdout, stderr = process.communicate(timeout=60)
    return process.returncode, stderr, was_ready


def _planned_again(seen: list[str]) -> Any:
    """A progress listener that notes each household planned (not resumed) into ``seen``."""

    def listen(progress: Progress) -> None:
        if not progress.outcome.resumed:
            seen.append(progress.outcome.household_id)

    return listen


def test_a_killed_batch_resumes_to_the_same_results(small_batch: tuple[Path, Path], tmp_path: Path) -> None:
    folder, reference = small_batch
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [sys.executable, "-m", "mealplan", "batch", str(folder), "--out", str(out), "--workers", "1",
            "--gap", "0.2", "--time-limit", "60"]  # fmt: skip
    returncode, stderr, _ = _stopped(args, env, lambda: len(list(out.glob("*.json"))) >= 3, wait_s=120, poll_s=0.02)
    assert returncode == 130, stderr
    assert "rerun with --resume to plan the rest" in stderr
    done = sorted(p.name for p in out.glob("*.json"))
    assert 3 <= len(done) < 16
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no partial file
    for name in done:  # every file left is a whole result, equal to the uninterrupted one
        assert normalized(out / name) == normalized(reference / name)
    # A harder stop (kill -9) may leave a temporary file behind: the next run removes it.
    (out / ".h003.json.abc123.part").write_text('{"schema": ', encoding="utf-8")
    before = {name: (out / name).stat().st_mtime_ns for name in done}

    result = CliRunner().invoke(app, [*args[3:7], "--resume", "--workers", "2", "--gap", "0.2", "--time-limit", "60"])
    assert result.exit_code == 0, result.output
    assert results(out) == results(reference)
    assert {name: (out / name).stat().st_mtime_ns for name in done} == before  # not planned again
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert f"{len(done)} already done" in result.stderr
    # QA: the closing line said every household was planned in this run's seconds.
    assert f"households ({len(done)} of them from earlier results, kept by --resume) in " in result.stdout


def test_a_stopped_batch_leaves_no_solver_running_and_no_solver_folder(tmp_path: Path) -> None:
    """A worker stopped in the middle of a CBC solve ends that CBC and removes its folder
    (the parent stops workers with SIGTERM, whose default would skip both)."""
    folder, tmp = tmp_path / "in", tmp_path / "tmp"
    tmp.mkdir()
    folder.mkdir()
    (folder / "long.toml").write_text(  # the default pool, a shared week proven to gap 0: a long solve
        '[household]\ndays = 7\nshared_meals = true\ngap = 0.0\n\n[[members]]\nage = 34\nsex = "female"\n\n'
        '[[members]]\nage = 44\nsex = "male"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp)}
    args = [sys.executable, "-m", "mealplan", "batch", str(folder), "--out", str(tmp_path / "out"), "--workers", "1",
            "--solver", "cbc", "--time-limit", "120"]  # fmt: skip
    returncode, stderr, started = _stopped(args, env, lambda: bool(list(tmp.glob("mealplan-cbc-*"))), wait_s=60,
                                           poll_s=0.01)  # fmt: skip
    assert started, "no CBC solve started"
    assert returncode == 130, stderr

    deadline = time.monotonic() + 5
    while processes_mentioning(str(tmp), "cbc") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_mentioning(str(tmp), "cbc") == []
    assert list(tmp.iterdir()) == []


def test_resume_replans_a_result_whose_input_changed(small_batch: tuple[Path, Path], tmp_path: Path) -> None:
    folder, reference = small_batch
    out = tmp_path / "out"
    out.mkdir()
    for path in reference.glob("*.json"):
        (out / path.name).write_bytes(path.read_bytes())
    (out / "h001.json").write_text("{ not json", encoding="utf-8")
    changed = json.loads((out / "h002.json").read_text())
    changed["fingerprint"] = "0" * 64
    (out / "h002.json").write_text(json.dumps(changed), encoding="utf-8")
    seen: list[str] = []
    report = run_batch(discover(folder), out, settings=SETTINGS, workers=1, resume=True,
                       on_progress=_planned_again(seen))  # fmt: skip
    assert report.complete
    assert sorted(seen) == ["h001", "h002"]
    assert results(out) == results(reference)


def test_resume_replans_a_household_whose_foods_or_prices_file_changed(small_batch: tuple[Path, Path],
                                                                       tmp_path: Path) -> None:  # fmt: skip
    """The files a household names are part of its input: after an edit of its foods (or
    prices) file, a kept result would be a plan of the old values, so --resume plans it again.
    (The prices file is named and read the same way as the foods file used here.)"""
    folder, reference = small_batch
    copy, out = tmp_path / "in", tmp_path / "out"
    copy.mkdir()
    out.mkdir()
    for name in ("h001", "h002"):
        (copy / f"{name}.toml").write_bytes((folder / f"{name}.toml").read_bytes())
        (out / f"{name}.json").write_bytes((reference / f"{name}.json").read_bytes())
    (copy / "pool-small.csv").write_bytes((folder / "pool-small.csv").read_bytes())
    tasks = discover(copy)
    same = tasks[0].fingerprint(SETTINGS)
    assert same == discover(folder)[1].fingerprint(SETTINGS)  # same bytes, same fingerprint
    assert json.loads((out / "h001.json").read_text())["fingerprint"] == same
    # One value of one food in the pool file changes (its energy).
    with (copy / "pool-small.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["energy_kcal"] = str(float(rows[0]["energy_kcal"]) + 1)
    with (copy / "pool-small.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert discover(copy)[0].fingerprint(SETTINGS) != same
    seen: list[str] = []
    report = run_batch(discover(copy), out, settings=SETTINGS, workers=1, resume=True,
                       on_progress=_planned_again(seen))  # fmt: skip
    assert report.complete and sorted(seen) == ["h001", "h002"]
    # A named file that is missing counts too (and is then the household's own error).
    (copy / "pool-small.csv").unlink()
    assert discover(copy)[0].fingerprint(SETTINGS) not in (same, json.loads((out / "h001.json").read_text())["fingerprint"])


# ----------------------------------------------------------------------------- Dask


def test_dask_cluster_gives_the_same_plans_as_local_workers(small_batch: tuple[Path, Path], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    folder, reference = small_batch
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = run_batch(discover(folder), tmp_path / "dask", settings=SETTINGS, scheduler=cluster.scheduler_address)
    assert report.complete
    assert results(tmp_path / "dask") == results(reference)


def test_a_dask_scheduler_without_workers_is_told_not_waited_on_in_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a batch whose only Dask worker was killed waited, silent, until it was stopped. It
    still waits (a worker may join), but says so; here the notice stops the wait."""
    distributed = pytest.importorskip("distributed")
    import mealplan.batch

    class Told(Exception):
        pass

    notices: list[str] = []

    def notice(text: str) -> None:
        notices.append(text)
        raise Told

    monkeypatch.setattr(mealplan.batch, "DASK_IDLE_CHECK_S", 0.5)
    make_folder(tmp_path / "in", 2)
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster:
        with pytest.raises(Told):
            run_batch(discover(tmp_path / "in"), tmp_path / "out", settings=SETTINGS,
                      scheduler=cluster.scheduler_address, on_notice=notice)  # fmt: skip
        address = cluster.scheduler_address
    assert notices == [
        f"no Dask worker is connected to the scheduler at {address}; the batch waits for one: start workers (dask "
        f"worker {address}), or stop the batch (Ctrl-C) and rerun it with --resume later"
    ]


def test_scheduler_without_dask_installed_is_a_clear_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 1)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out"),
                                      "--scheduler", "tcp://127.0.0.1:8786"])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: --scheduler needs Dask distributed, which is not installed; pip install 'mealplan[dask]'\n"
    )


def test_a_bad_scheduler_address_is_an_input_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    folder = tmp_path / "in"
    make_folder(folder, 1)
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out"), "--scheduler", "nowhere"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: --scheduler 'nowhere' is not a scheduler address")


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("garbage", "no port"),
        ("tcp://127.0.0.1", "no port"),
        ("tcp://[::1]", "no port"),
        ("http://127.0.0.1:1", "scheme 'http' is not one of tcp, tls, ws, wss"),
        ("inproc://x", "scheme 'inproc' is not one of tcp, tls, ws, wss"),
        ("tcp://127.0.0.1:99999", "port '99999' is not a number from 1 to 65535"),
        ("tcp://127.0.0.1:0", "port '0' is not a number from 1 to 65535"),
        ("tcp://:8786", "no host"),
        ("tcp://a b:8786", "'a b' is not a host name or IP address"),
    ],
)
def test_a_malformed_scheduler_address_is_refused_before_any_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: str, problem: str
) -> None:
    """No Client, no folder, no wait: Dask would take the address, fail after 15 to 30 s and
    print a traceback when its half-made Client is collected."""
    distributed = pytest.importorskip("distributed")
    folder, out = tmp_path / "in", tmp_path / "out"
    make_folder(folder, 1)
    monkeypatch.setattr(distributed, "Client", _no_client)
    began = time.monotonic()
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out), "--scheduler", address])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: --scheduler {address!r} is not a scheduler address ({problem}); e.g. tcp://host:8786\n"
    )
    assert not out.exists()
    assert time.monotonic() - began < 3


def _no_client(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a dask Client was made")


def test_scheduler_addresses_dask_takes_are_accepted() -> None:
    from mealplan.batch import scheduler_address

    assert scheduler_address("tcp://host:8786") == "tcp://host:8786"
    assert scheduler_address(" 10.0.0.5:8786 ") == "tcp://10.0.0.5:8786"
    assert scheduler_address("TLS://dask_scheduler.example.org:8786") == "tls://dask_scheduler.example.org:8786"
    assert scheduler_address("ws://[::1]:65535") == "ws://[::1]:65535"


@pytest.mark.parametrize("listening", [False, True], ids=["closed port", "silent server"])
def test_an_unreachable_scheduler_fails_in_one_line_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listening: bool
) -> None:
    """A closed port, or a server that never answers Dask's handshake (where a Client would
    wait forever): one line within the timeout, no Client left to print a traceback."""
    import socket

    from mealplan import batch

    distributed = pytest.importorskip("distributed")
    folder, out = tmp_path / "in", tmp_path / "deep" / "out"
    make_folder(folder, 1)
    monkeypatch.setattr(batch, "SCHEDULER_TIMEOUT_S", 0.5)
    monkeypatch.setattr(distributed, "Client", _no_client)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    port = server.getsockname()[1]
    if listening:
        server.listen()
    else:
        server.close()
    try:
        began = time.monotonic()
        result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out),
                                          "--scheduler", f"tcp://127.0.0.1:{port}"])  # fmt: skip
        seconds = time.monotonic() - began
    finally:
        server.close()
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} (")
    assert result.stderr.endswith("); check the address and that it runs\n")
    assert result.stderr.count("\n") == 1
    assert not out.exists() and not out.parent.exists()
    assert seconds < 3


def test_an_empty_out_is_refused(tmp_path: Path) -> None:
    """--out "" is Path(""), the current folder: refused, not filled with results."""
    folder = tmp_path / "in"
    make_folder(folder, 1)
    with pytest.raises(InputError) as info:
        run_batch(discover(folder), "", settings=SETTINGS)
    assert str(info.value) == "--out is empty; give a folder for the results, e.g. --out plans"


def test_cli_refuses_an_empty_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 1)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", "", "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert result.stderr == "Error: --out is empty; give a folder for the results, e.g. --out plans\n"
    assert not list(work.iterdir())


# ------------------------------------------------------------------ reading inputs


def test_household_ids_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    assert safe_id("family-of-four") == "family-of-four"
    for raw in ("../../etc/passwd", "/abs/path", "..", ".hidden", "a b", "con", "x" * 200, "", "ünï/cødé", "a\u2044b", "..\u2025"):
        sid = safe_id(raw)
        assert sid and not sid.startswith(".") and "/" not in sid and "\\" not in sid and len(sid) <= 89, raw
        assert result_path(tmp_path, sid).parent == tmp_path
    assert safe_id("a b") != safe_id("a_b")
    with pytest.raises(InputError):
        result_path(tmp_path, "../x")


def test_household_ids_keep_letters_of_any_script() -> None:
    """Found in QA: 'Müller family' became 'M_ller_family-…' and 'Familie Größe' 'Familie_Gr_e-…'."""
    assert safe_id("Müller") == "Müller"
    assert safe_id("Familie Größe").startswith("Familie_Größe-")
    assert safe_id("Ωμέγα_3") == "Ωμέγα_3"
    decomposed = "Mu\u0308ller"  # the same name typed with a combining diaeresis
    assert safe_id(decomposed).startswith("Müller-") and safe_id(decomposed) != safe_id("Müller")


def test_csv_and_jsonl_rows_make_the_same_households_as_toml(tmp_path: Path) -> None:
    (tmp_path / "hh.csv").write_text(
        "household,name,age,sex,pregnant,exclude,max_servings,days,household_exclude\n"
        "fam 1,Ana,41,female,,milk;fish,nuts=1,2,peanuts\n"
        "fam 1,Mia,16,female,true,,,2,peanuts\n"
        "solo,Lee,30,male,,,,1,\n",
        encoding="utf-8",
    )
    (tmp_path / "hh.jsonl").write_text(
        '{"household": "fam 1", "name": "Ana", "age": 41, "sex": "female", "exclude": ["milk", "fish"], '
        '"max_servings": {"nuts": 1}, "days": 2, "household_exclude": "peanuts"}\n'
        '{"household": "fam 1", "name": "Mia", "age": 16, "sex": "female", "pregnant": true, "days": 2, '
        '"household_exclude": ["peanuts"]}\n'
        '\n{"household": "solo", "name": "Lee", "age": 30, "sex": "male", "days": 1}\n',
        encoding="utf-8",
    )
    from mealplan.household import household_from_data

    for name in ("hh.csv", "hh.jsonl"):
        tasks = discover(tmp_path / name)
        assert [t.household_id for t in tasks] == [safe_id("fam 1"), "solo"]
        family = household_from_data(tasks[0].data or {}, tasks[0].label)
        assert [m.name for m in family.members] == ["Ana", "Mia"]
        ana, mia = (m.request for m in family.members)
        assert ana.preferences.exclude == ("peanuts", "milk", "fish")
        assert ana.preferences.max_servings == {"nuts": 1.0}
        assert mia.profile.pregnant and mia.preferences.exclude == ("peanuts",)
        assert ana.days == 2


def test_a_jsonl_row_takes_one_name_as_text_and_an_added_food_as_a_number(tmp_path: Path) -> None:
    """As a profile and a household file do (QA: add_food = 12154 was refused); a CSV cell is a
    text, and a list of one."""
    from mealplan.household import household_from_data

    (tmp_path / "h.jsonl").write_text('{"household": "h", "name": "A", "age": 30, "sex": "male", "like": "salmon=2", '
                                      '"require": "oats", "add_food": 12154}\n', encoding="utf-8")  # fmt: skip
    (tmp_path / "h.csv").write_text("household,name,age,sex,like,require,add_food\nh,A,30,male,salmon=2,oats,12154\n",
                                    encoding="utf-8")  # fmt: skip
    requests = []
    for name in ("h.jsonl", "h.csv"):
        (task,) = discover(tmp_path / name)
        requests.append(household_from_data(task.data or {}, task.label).members[0].request)
    assert requests[0] == requests[1]
    assert requests[0].preferences.like == {"salmon": 2.0} and requests[0].preferences.require == {"oats": None}
    assert requests[0].foods is not None and "12154" in {f.ndb_no for f in requests[0].foods}


@pytest.mark.parametrize(("values", "reason"), [
    ('"age": "30"', "member 'A': key 'age' must be a number, not '30'"),
    ('"age": true', "member 'A': key 'age' must be a number, not true"),
    ('"age": 30, "calories": "2000"', "member 'A': key 'calories' must be a number, not '2000'"),
    ('"age": 30, "pregnant": "yes"', "member 'A': key 'pregnant' must be true or false, not 'yes'"),
    ('"age": 30, "pregnant": 1', "member 'A': key 'pregnant' must be true or false, not 1"),
    ('"age": 30, "pregnant": true, "trimester": 2.0', "member 'A': key 'trimester' must be a whole number, not 2.0"),
    ('"age": 30, "days": "1"', "[household]: key 'days' must be a whole number, not '1'"),
    ('"age": 30, "household_days": 1.0', "[household]: key 'days' must be a whole number, not 1.0"),
    ('"age": 30, "shared_meals": "yes"', "[household]: key 'shared_meals' must be true or false, not 'yes'"),
])  # fmt: skip
def test_a_jsonl_value_of_the_wrong_type_is_refused_as_a_household_file_refuses_it(tmp_path: Path, values: str,
                                                                                    reason: str) -> None:  # fmt: skip
    """QA: "age": "30" and "pregnant": "yes" were planned (each text was read as a CSV cell is),
    where a household file's age = "30" is refused. A JSON line's numbers and true/false are
    JSON's; the message names the line, the member, the key, the value and what it must be."""
    path = tmp_path / "h.jsonl"
    path.write_text('{"household": "h", "name": "A", "sex": "female", ' + values + "}\n", encoding="utf-8")
    (task,) = discover(path)
    result = run_task(task, SETTINGS)
    assert (result["status"], result["reason"]) == ("invalid", f"{path}:1: household 'h': {reason}")


def test_a_jsonl_quoted_number_is_refused_in_a_household_file_s_words(tmp_path: Path) -> None:
    from mealplan.household import household_from_data

    path = tmp_path / "h.jsonl"
    path.write_text('{"household": "h", "name": "A", "sex": "female", "age": "30"}\n', encoding="utf-8")
    (task,) = discover(path)
    with pytest.raises(InputError) as toml_error:
        household_from_data({"members": [{"name": "A", "sex": "female", "age": "30"}]}, "h.toml")
    assert str(toml_error.value) == "h.toml: member 'A': key 'age' must be a number, not '30'"
    reason = run_task(task, SETTINGS)["reason"]
    assert reason == f"{path}:1: household 'h': member 'A': key 'age' must be a number, not '30'"


@pytest.mark.parametrize(("columns", "cells", "reason"), [
    ("age", "1_000", "key 'age' must be a number, not '1_000'"),  # Python's float() takes it
    ("age", "\u0663\u0660", "key 'age' must be a number, not '\u0663\u0660'"),  # Arabic-Indic 30: so does float()
    ("age,calories", '30,nan', "key 'calories' must be a number, not 'nan'"),
    ("age,calories", '30,"2,000"', "key 'calories' must be a number, not '2,000'"),
    ("age,pregnant,trimester", "30,true,2.0", "key 'trimester' must be a whole number, not '2.0'"),
    ("age,pregnant", "30,maybe", "key 'pregnant' must be true or false, not 'maybe'"),
])  # fmt: skip
def test_a_csv_cell_is_read_strictly_as_its_key_s_type(tmp_path: Path, columns: str, cells: str, reason: str) -> None:
    """A CSV cell is text, read as its key's type: digits with an optional sign, point and
    exponent for a number, digits for a whole number, true/false (yes/no, 1/0) for a flag.
    Anything else stays text and is refused with its line, as a household file's would be."""
    path = tmp_path / "h.csv"
    path.write_text(f"household,name,sex,{columns}\nh,A,female,{cells}\n", encoding="utf-8")
    (task,) = discover(path)
    result = run_task(task, SETTINGS)
    assert (result["status"], result["reason"]) == ("invalid", f"{path}:2: household 'h': member 'A': {reason}")


def test_a_csv_cell_in_a_key_s_type_is_read_as_that_type(tmp_path: Path) -> None:
    from mealplan.household import household_from_data

    path = tmp_path / "h.csv"
    path.write_text("household,name,sex,age,calories,pregnant,trimester,days\n"
                    "h,A,female, 30.5 ,+2.1e3,TRUE,2,1\nh,B,male,40,2000.0,No,,1\n", encoding="utf-8")  # fmt: skip
    (task,) = discover(path)
    assert task.data == {"household": {"days": 1}, "members": [
        {"name": "A", "sex": "female", "age": 30.5, "calories": 2100, "pregnant": True, "trimester": 2},
        {"name": "B", "sex": "male", "age": 40, "calories": 2000, "pregnant": False}]}  # fmt: skip
    assert [m.name for m in household_from_data(task.data or {}, task.label).members] == ["A", "B"]


def test_a_household_setting_s_problem_names_the_household_s_first_line(tmp_path: Path) -> None:
    """QA: "household 'neg': [household]: days -3" had no line, where a row's problem starts with
    its file and line (households.md)."""
    (tmp_path / "neg.jsonl").write_text('{"household": "ok", "name": "A", "age": 30, "sex": "male"}\n'
                                        '{"household": "neg", "name": "B", "age": 30, "sex": "male", "days": -3}\n',
                                        encoding="utf-8")  # fmt: skip
    _ok, neg = discover(tmp_path / "neg.jsonl")
    assert run_task(neg, SETTINGS)["reason"] == (
        f"{tmp_path / 'neg.jsonl'}:2: household 'neg': [household]: days -3 is out of range; give 1 to 28"
    )


@pytest.mark.parametrize(("cell", "table"), [("nuts=1;oats=2", {"nuts": 1.0, "oats": 2.0}),
                                             ('"nuts=1, oats=2.5"', {"nuts": 1.0, "oats": 2.5}),
                                             ('"nuts=1,5"', "nuts=1,5")])  # fmt: skip
def test_a_max_servings_cell_takes_commas_as_a_list_cell_does(tmp_path: Path, cell: str, table: Any) -> None:
    """QA: "nuts=1,oats=2" was read as the food 'nuts=1,oats'; a decimal comma stays text, so
    that validation refuses it with the key."""
    (tmp_path / "ms.csv").write_text(f"household,name,age,sex,max_servings\nh,Cat,40,female,{cell}\n", encoding="utf-8")
    (task,) = discover(tmp_path / "ms.csv")
    assert (task.data or {})["members"][0]["max_servings"] == table


def test_a_household_id_whose_rows_are_apart_is_refused_with_both_lines(tmp_path: Path) -> None:
    """QA: two clients given one id in two blocks were planned as one household, silently."""
    (tmp_path / "dup.csv").write_text(
        "household,name,age,sex,days\nsmith,Al,50,male,1\nsmith,Di,48,female,1\njones,Bea,40,female,1\n"
        "smith,Cy,20,male,1\n",
        encoding="utf-8",
    )
    smith, jones = discover(tmp_path / "dup.csv")
    assert smith.error == (
        f"{tmp_path / 'dup.csv'}:5: household 'smith' is also on line 3, with other households' rows between; "
        "keep a household's rows together, or give two households two ids"
    )
    assert jones.error is None
    assert run_task(smith, SETTINGS)["status"] == "invalid"


def test_a_shared_meals_column_is_a_household_setting(tmp_path: Path) -> None:
    """households.md: a [household]-only key as a column is the household's (QA: shared_meals
    was refused as a member's key)."""
    (tmp_path / "sm.csv").write_text(
        "household,name,age,sex,shared_meals,days\ng1,Ben,40,male,true,1\ng1,Ann,38,female,true,1\n"
        "g2,Cal,30,male,true,1\ng2,Dee,31,female,false,1\n",
        encoding="utf-8",
    )
    g1, g2 = discover(tmp_path / "sm.csv")
    assert g1.error is None and g1.data is not None
    assert g1.data["household"]["shared_meals"] is True
    assert all("shared_meals" not in member for member in g1.data["members"])
    assert "sm.csv:5: household 'g2': rows disagree on 'shared_meals' (true on line 4 and false)" in str(g2.error)
    result = run_task(g1, SETTINGS)
    assert result["status"] == "planned", result["reason"]


def test_rows_that_disagree_on_a_household_setting_make_that_household_invalid(tmp_path: Path) -> None:
    (tmp_path / "hh.csv").write_text(
        "household,name,age,sex,days\nh1,A,40,female,2\nh1,B,41,male,3\nh2,C,30,male,1\n,D,30,male,1\n",
        encoding="utf-8",
    )
    tasks = discover(tmp_path / "hh.csv")
    assert [t.household_id for t in tasks] == ["h1", "h2", "row-5"]
    bad = run_task(tasks[0], SETTINGS)
    assert bad["status"] == "invalid"
    assert bad["reason"] == (
        f"{tmp_path / 'hh.csv'}:3: household 'h1': rows disagree on 'days' (2 on line 2 and 3); give one value for "
        "the household"
    )
    assert (
        run_task(tasks[2], SETTINGS)["reason"]
        == f"{tmp_path / 'hh.csv'}:5: no household id; fill the 'household' column"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("hh.csv", "name,age\nA,3\n", "hh.csv:1: no 'household' column; add one with each member's household id"),
        # found in QA: a semicolon-separated export was told it had no 'household' column
        ("hh.csv", "household;name;age;sex\nh1;A;30;male\n",
         "hh.csv:1: the columns are separated by ';'; save the file with ',' between columns (CSV, comma-delimited)"),
        ("hh.txt", "x", "hh.txt: cannot tell the batch format"),
        ("hh.csv", "household,name\n", "holds no households"),
        (
            "hh.csv",
            "household,name,age,sex, age,days\nh1,A,30,male,5,1\n",
            "hh.csv:1: column 'age' appears twice in the header; keep one, or rename the other",
        ),
    ],
)
def test_unreadable_batch_inputs_are_input_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        discover(tmp_path / name)
    assert message in str(info.value)


def test_a_duplicated_column_is_a_one_line_error_and_trailing_empty_columns_are_not(tmp_path: Path) -> None:
    path = tmp_path / "hh.csv"
    path.write_text("household,name,age,sex,age,days\nh1,A,30,male,5,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: {path}:1: column 'age' appears twice in the header; keep one, or rename the other\n"
    )
    assert not (tmp_path / "out").exists()
    path.write_text("household,name,age,sex,days,,\nh1,A,30,male,1,,\n", encoding="utf-8")  # as spreadsheets save
    assert [t.data for t in discover(path)] == [
        {"household": {"days": 1}, "members": [{"name": "A", "age": 30, "sex": "male"}]}
    ]


def test_run_task_never_raises(tmp_path: Path) -> None:
    task = Task("x", "x.toml", {"household": {}, "members": [{"name": "A", "age": 40, "sex": "female"}]},
                base_dir=str(tmp_path))  # fmt: skip
    broken = BatchSettings(overrides={"solver": "gurobi"})
    result = run_task(task, broken)
    assert result["status"] == "invalid"
    assert "solver 'gurobi' is not one of: highs, cbc" in result["reason"]


@pytest.mark.parametrize("name", ["households", "households.csv"])
def test_example_batches_are_valid(name: str) -> None:
    from mealplan.household import household_from_data

    tasks = discover(REPO / "examples" / "batch" / name)
    assert len(tasks) == 4
    for task in tasks:
        assert task.error is None
        assert household_from_data(task.data or {}, task.label).members


def test_a_worker_reuses_the_plan_of_an_identical_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two households that differ only in names get the same plan; with reuse_plans (the
    default) the second is not solved again and says so; without it, it is solved."""
    from mealplan import batch

    monkeypatch.setattr(batch, "_SOLUTIONS", {})

    def task(household_id: str, name: str) -> Task:
        data = {"household": {"days": 2}, "members": [{"name": name, "age": 44, "sex": "male"}]}
        return Task(household_id, f"{household_id}.toml", data, base_dir=str(tmp_path))

    settings = BatchSettings(overrides={"gap": 0.2, "time_limit": 60.0})
    first = run_task(task("a", "Ann"), settings)
    second = run_task(task("b", "Bea"), settings)
    fresh = run_task(task("c", "Cat"), BatchSettings(overrides={"gap": 0.2, "time_limit": 60.0}, reuse_plans=False))
    assert [d["status"] for d in (first, second, fresh)] == ["planned"] * 3
    methods = [d["plan"]["solver"]["method"] for d in (first, second, fresh)]
    assert "reused" not in methods[0] and "(reused)" in methods[1] and "reused" not in methods[2]
    days = [d["plan"]["members"][0]["days"] for d in (first, second, fresh)]
    assert days[0] == days[1] == days[2]
    assert second["plan"]["members"][0]["name"] == "Bea"


def test_resume_and_force_together_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_folder(folder, 1)
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out"), "--resume", "--force"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --resume keeps finished results and --force replaces them; drop one of the two\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["h000.json", "summary.csv"])
def test_a_fifo_where_a_result_goes_is_refused_before_any_work(tmp_path: Path, name: str) -> None:
    """A FIFO in OUT where a result or the summary goes: --resume must not read it (that
    waits forever), and no household is planned only to fail at its write."""
    folder, out = tmp_path / "in", tmp_path / "out"
    make_folder(folder, 1)
    out.mkdir()
    os.mkfifo(out / name)
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out), "--resume"])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {out / name} is not a regular file; remove it or choose another --out\n"
    assert sorted(p.name for p in out.iterdir()) == [name]


def test_a_toml_entry_that_is_not_a_file_is_reported_not_skipped(tmp_path: Path) -> None:
    """A folder named x.toml or a broken link in the batch folder is a household the batch
    reports as invalid (found in QA: they were skipped without a word)."""
    folder = tmp_path / "in"
    make_folder(folder, 1)
    (folder / "folder.toml").mkdir()
    (folder / "gone.toml").symlink_to(folder / "missing.toml")
    tasks = {t.household_id: t for t in discover(folder)}
    assert sorted(tasks) == ["folder", "gone", "h000"]
    assert tasks["folder"].error == f"{folder / 'folder.toml'} is a folder, not a household file; replace or remove it"
    assert tasks["gone"].error == f"{folder / 'gone.toml'} is a broken link, not a household file; replace or remove it"
    assert tasks["h000"].error is None


def test_hidden_files_of_a_batch_folder_are_not_households(tmp_path: Path) -> None:
    """QA: macOS's "._real.toml" (binary) and an editor's lock link ".#real.toml" failed the
    batch (exit 5) as invalid households "real-e1c1e88d" and "real-879ecd51"."""
    folder = tmp_path / "in"
    make_folder(folder, 1)
    (folder / "._h000.toml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (folder / ".#h000.toml").symlink_to("root@host.1234:1700000000")
    assert [(t.household_id, t.error) for t in discover(folder)] == [("h000", None)]


def test_a_malformed_row_makes_its_household_invalid_not_the_batch(tmp_path: Path) -> None:
    """Found in QA: one CSV row with an extra cell, or one bad JSONL line, stopped the whole
    batch, while a malformed TOML in a folder only made its household invalid. A row's problem
    now belongs to the household it names (or to a household of its own when it names none)."""
    csv_path = tmp_path / "hh.csv"
    csv_path.write_text("household,name,age,sex\nh1,A,30,male\nh2,B,40,female,extra\nh2,C,9,male\n",
                        encoding="utf-8")  # fmt: skip
    tasks = {t.household_id: t for t in discover(csv_path)}
    assert tasks["h1"].error is None
    assert tasks["h2"].error == f"{csv_path}:3: more cells than columns; quote cells that hold commas"
    jsonl = tmp_path / "hh.jsonl"
    jsonl.write_text(
        '{"household": "h1", "name": "A", "age": 30, "sex": "male"}\n'
        '{"household": "h2", "name": "B", "age": 40, "sex": "female", "age": 5}\n'
        "[1]\n"
        '{"household": "h3", "name": \n',
        encoding="utf-8",
    )
    tasks = {t.household_id: t for t in discover(jsonl)}
    assert tasks["h1"].error is None
    assert tasks["h2"].error == f"{jsonl}:2: key 'age' appears twice in the object; keep one"
    assert str(tasks["row-3"].error).startswith(f"{jsonl}:3: not a JSON object")
    assert str(tasks["row-4"].error).startswith(f"{jsonl}:4: not valid JSON")
    report = run_batch(list(tasks.values()), tmp_path / "out", settings=SETTINGS, workers=1)
    assert {o.household_id: o.status for o in report.outcomes} == {
        "h1": "planned", "h2": "invalid", "row-3": "invalid", "row-4": "invalid",
    }  # fmt: skip


def test_an_option_that_restates_the_files_value_is_the_same_request() -> None:
    """Found in QA: after a finished batch whose file says days = 2, `--resume --days 2`
    planned all 51 households again: the fingerprint held the options as typed."""
    task = Task("h", "h.toml", {"household": {"days": 2}, "members": [{"age": 30, "sex": "female"}]})
    plain = task.fingerprint(SETTINGS)
    restated = BatchSettings(overrides={**SETTINGS.overrides, "days": 2})
    assert task.fingerprint(restated) == plain
    assert task.fingerprint(BatchSettings(overrides={**SETTINGS.overrides, "days": 3})) != plain


@pytest.mark.parametrize(
    "given",
    [{"solver": "cbc"}, {"solver": "CBC"}, {"gap": 0.02}, {"time_limit": 20}, {"time_limit": 20.0}, {"seed": 0},
     {"days": 7}, {"solver": "cbc", "gap": 0.02, "time_limit": 20, "seed": 0}],
)  # fmt: skip
def test_an_option_that_gives_the_default_is_the_same_request(given: dict[str, Any]) -> None:
    """QA: `--resume` with --solver cbc, --gap 0.02, --time-limit 20 or --seed 0, each what a
    plan uses when none is given, planned every household again."""
    task = Task("h", "h.toml", {"household": {}, "members": [{"age": 30, "sex": "female"}]})
    plain = task.fingerprint(BatchSettings())
    assert task.fingerprint(BatchSettings(overrides=given)) == plain
    # The file saying the default is the same too.
    assert Task("h", "h.toml", {"household": given, "members": [{"age": 30, "sex": "female"}]}).fingerprint(
        BatchSettings()) == plain  # fmt: skip


@pytest.mark.parametrize(
    "given",
    [{"solver": "highs"}, {"gap": 0.01}, {"time_limit": 19}, {"seed": 1}, {"days": 6}, {"gap": "0.02"}],
)  # fmt: skip
def test_an_option_that_is_not_the_default_is_another_request(given: dict[str, Any]) -> None:
    task = Task("h", "h.toml", {"household": {}, "members": [{"age": 30, "sex": "female"}]})
    assert task.fingerprint(BatchSettings(overrides=given)) != task.fingerprint(BatchSettings())


def test_the_gaps_default_follows_the_days() -> None:
    """One day is proven optimal (gap 0); a longer plan's default gap is 2 %."""
    one_day = Task("h", "h.toml", {"household": {"days": 1}, "members": [{"age": 30, "sex": "female"}]})
    assert one_day.fingerprint(BatchSettings(overrides={"gap": 0.0})) == one_day.fingerprint(BatchSettings())
    assert one_day.fingerprint(BatchSettings(overrides={"gap": 0.02})) != one_day.fingerprint(BatchSettings())


def test_separate_for_a_separate_household_is_the_same_request() -> None:
    """QA: --separate planned again the households whose files already said separate."""
    separate = Task("h", "h.toml", {"household": {}, "members": [{"age": 30, "sex": "female"}]})
    shared = Task("s", "s.toml", {"household": {"shared_meals": True}, "members": [{"age": 30, "sex": "female"}]})
    assert separate.fingerprint(BatchSettings(shared_meals=False)) == separate.fingerprint(BatchSettings())
    assert shared.fingerprint(BatchSettings(shared_meals=True)) == shared.fingerprint(BatchSettings())
    assert shared.fingerprint(BatchSettings(shared_meals=False)) != shared.fingerprint(BatchSettings())
    assert separate.fingerprint(BatchSettings(shared_meals=True)) != separate.fingerprint(BatchSettings())


def test_an_interrupted_batch_leaves_no_summary_of_an_earlier_run(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Found in QA: after Ctrl-C of a '--force' rerun, the earlier run's summary.csv stayed and
    still said every household was planned."""
    import mealplan.batch as batch_module

    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("household,status\nold,planned\n", encoding="utf-8")

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module, "_run_local", interrupted)
    task = Task("h1", "h1.toml", {"household": {}, "members": [{"age": 30, "sex": "female"}]})
    with pytest.raises(KeyboardInterrupt):
        run_batch([task], out, settings=SETTINGS, workers=1, force=True)
    assert not (out / "summary.csv").exists()


def test_a_batch_into_a_folder_with_other_households_results_says_so(tmp_path: Path) -> None:
    """Found in QA: a batch written into a folder holding another batch's results replaced
    that batch's summary without a word."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    (folder / "h1.toml").write_text('[[members]]\nname = "A"\nage = 30\nsex = "female"\nagee = 3\n', encoding="utf-8")
    (out / "older.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out)])
    assert result.exit_code == 5, result.output  # h1 is invalid: nothing to solve
    assert (f"Note: {out} also holds 1 result(s) of other households (older.json); its summary.csv will list "
            "only this batch's") in result.stderr  # fmt: skip
    quiet = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out), "--force"])
    assert quiet.exit_code == 5 and "h1.json" not in quiet.stderr.split("Note:")[-1]


def test_a_semicolon_separated_csv_is_refused_on_the_command_line_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "hh.csv"
    path.write_text("household;name;age;sex\nh1;A;30;male\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path}:1: the columns are separated by ';'; save the file with ',' between "
                             "columns (CSV, comma-delimited)\n")  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_a_csv_cell_lists_names_with_semicolons_or_commas() -> None:
    """QA: a cell exclude="milk, fish" was refused with advice for the command line
    (--exclude milk --exclude fish) in a CSV that cannot take it."""
    from mealplan.batch import _cell

    assert _cell("exclude", "milk, fish") == ["milk", "fish"] == _cell("exclude", "milk;fish")
    assert _cell("household_like", "oats=2; kale,") == ["oats=2", "kale"]


def test_a_batch_path_that_is_a_device_is_not_called_missing(tmp_path: Path) -> None:
    """QA: `mealplan batch /dev/zero` said '/dev/zero does not exist'."""
    result = CliRunner().invoke(app, ["batch", "/dev/null", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: /dev/null is not a file or a folder; give a folder of household .toml files, a .csv or a .jsonl\n"
    )
    assert not (tmp_path / "out").exists()


def test_ids_that_differ_only_in_case_are_kept_apart_not_refused(tmp_path: Path) -> None:
    """QA: households 'A' and 'a' stopped the whole batch (exit 2, nothing planned). One file
    each is needed even on a case-insensitive disk, so the later gets a hash suffix."""
    table = tmp_path / "e.csv"
    table.write_text("household,name,age,sex,days\nA,x,30,female,1\na,y,30,male,1\nB,z,40,male,1\n", encoding="utf-8")
    tasks = discover(table)
    assert [t.household_id for t in tasks] == ["A", f"a-{hashlib.sha256(b'a').hexdigest()[:8]}", "B"]
    assert len({t.household_id.casefold() for t in tasks}) == 3
    assert [m["name"] for t in tasks for m in (t.data or {})["members"]] == ["x", "y", "z"]


def test_an_interrupted_resume_counts_the_results_it_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: a --resume interrupted before it planned anything said '0 finished household(s) are
    saved' over a folder of finished results."""
    import mealplan.batch as batch_module

    table, out = tmp_path / "t.csv", tmp_path / "out"
    table.write_text("household,name,age,sex,days\nh1,a,30,female,1\n", encoding="utf-8")
    first = CliRunner().invoke(app, ["batch", str(table), "--out", str(out)])
    assert first.exit_code == 0, first.output
    table.write_text("household,name,age,sex,days\nh1,a,30,female,1\nh2,b,40,male,1\n", encoding="utf-8")

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module, "_run_local", interrupted)
    again = CliRunner().invoke(app, ["batch", str(table), "--out", str(out), "--resume"])
    assert again.exit_code == 130
    assert again.stderr.splitlines()[-1] == (
        f"Error: interrupted; the results of 1 household are saved in {out} (0 in this run); "
        "rerun with --resume to plan the rest"
    )


def test_a_jsonl_household_id_that_is_not_text_makes_its_row_invalid_and_discover_takes_a_str(tmp_path: Path) -> None:
    """QA: {"household": ["x"]} was planned as household 'x-2fe4f815' (an id made from its
    repr); discover('file') raised AttributeError."""
    table = tmp_path / "j.jsonl"
    table.write_text('{"household": ["x"], "name": "a", "age": 30, "sex": "female"}\n'
                     '{"household": 5, "name": "b", "age": 30, "sex": "female"}\n', encoding="utf-8")  # fmt: skip
    tasks = discover(str(table))
    assert [(t.household_id, t.error) for t in tasks] == [
        ("row-1", f"""{table}:1: the household id must be text, not ['x']; e.g. "household": "h1\""""),
        ("5", None),
    ]


def test_a_folder_s_entries_that_are_not_household_files_are_noted(tmp_path: Path) -> None:
    """QA: a subfolder of households and a readme were skipped without a word."""
    folder = tmp_path / "in"
    make_folder(folder, 1)  # h000.toml and the pool-small.csv it names, which is not noted
    (folder / "sub").mkdir()
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    # QA: a loop of links among them ended the batch in "unexpected failure (RuntimeError …)".
    (folder / "loop-a").symlink_to("loop-b")
    (folder / "loop-b").symlink_to("loop-a")
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out"), "--days", "1"])
    assert result.exit_code == 0, result.output
    assert (f"Note: {folder} also holds 4 entries that are not household .toml files (loop-a, …), not read; "
            "a batch reads the .toml files of the folder itself, not of its subfolders\n") in result.stderr  # fmt: skip


def test_a_rows_member_problem_names_the_line_it_is_on(tmp_path: Path) -> None:
    """Left alone in an earlier round: a bad cell in row 3 of a 10,000-row CSV said which
    household and member, not which line. The line now leads the message, as a row's other
    problems do (a .jsonl line too)."""
    csv_path = tmp_path / "hh.csv"
    csv_path.write_text("household,name,age,sex\nh1,A,30,male\nh1,B,abc,male\nh2,C,9,martian\n", encoding="utf-8")
    jsonl = tmp_path / "hh.jsonl"
    jsonl.write_text('{"household": "h3", "name": "A", "age": 30, "sex": "male"}\n\n'
                     '{"household": "h3", "name": "B", "age": 500, "sex": "male"}\n', encoding="utf-8")  # fmt: skip
    report = run_batch(discover(csv_path) + discover(jsonl), tmp_path / "out", settings=SETTINGS, workers=1)
    reasons = [o.reason for o in report.outcomes]
    assert reasons == [
        f"{csv_path}:3: household 'h1': member 'B': key 'age' must be a number, not 'abc'",
        f"{csv_path}:4: household 'h2': member 'C': sex 'martian' is not one of: female, male",
        f"{jsonl}:3: household 'h3': member 'B': age 500 is out of range; give an age from 1 to 120",
    ]


def test_a_batch_plans_what_a_single_call_plans_for_the_same_request(tmp_path: Path) -> None:
    """Found in QA: a batch's 50-year-old man ate chia at breakfast where plan_day gave him
    hemp seeds, at the same score: the batch asks for one thread, and CBC given "threads 1"
    takes its parallel code path. CBC now gets a thread count above one only."""
    from mealplan import Profile, plan_day
    from mealplan.report.common import plan_dict

    task = Task("h", "h.toml", {"household": {"days": 1}, "members": [{"name": "M", "age": 50, "sex": "male"}]})
    report = run_batch([task], tmp_path / "out", settings=BatchSettings(), workers=1)
    assert report.outcomes[0].status == "planned"
    batch = json.loads((tmp_path / "out" / "h.json").read_text(encoding="utf-8"))
    single = plan_dict(plan_day(Profile(50, "male")))

    def menu(document: dict[str, Any]) -> list[tuple[str, str, float]]:
        days = document["members"][0]["days"]
        return [(i["slot"], i["ndb_no"], i["grams"]) for day in days for meal in day["meals"] for i in meal["items"]]

    assert menu(batch["plan"]) == menu(single)


def test_households_with_bad_input_are_reported_first_and_out_of_the_rate(tmp_path: Path) -> None:
    """QA: bad rows at the end of a file showed "not planned 0" until the end, and the ETA
    counted them as full solves."""
    (tmp_path / "rows.csv").write_text(
        "household,name,age,sex,days\ngood,A,40,female,1\nbad,B,40,female,1\nbad,C,41,male,2\n", encoding="utf-8"
    )
    tasks = discover(tmp_path / "rows.csv")
    assert [t.error is None for t in tasks] == [True, False]
    seen: list[Progress] = []
    report = run_batch(tasks, tmp_path / "out", settings=SETTINGS, workers=1, on_progress=seen.append)
    assert [p.outcome.household_id for p in seen] == ["bad", "good"]
    assert [p.refused for p in seen] == [1, 1]
    assert seen[0].rate_per_s == 0.0 and seen[0].eta_s is None  # nothing planned yet: no rate
    assert seen[1].rate_per_s == pytest.approx(1 / seen[1].elapsed_s)
    assert [o.status for o in report.outcomes] == ["planned", "invalid"]  # in the input's order


def test_the_summary_table_cuts_long_ids_and_has_no_empty_header(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """QA: a 300-character id stretched the table; over 100 planned households, its header
    stood over no rows."""
    import mealplan.cli as cli_module

    long_id = "h" * 60
    (tmp_path / "rows.csv").write_text(
        f"household,name,age,sex,days\n{long_id},A,40,female,1\nshort,B,41,male,1\n", encoding="utf-8"
    )
    args = ["batch", str(tmp_path / "rows.csv"), "--workers", "1", "--gap", "0.2", "--time-limit", "60"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith(("household ", "h" * 10, "short "))]
    assert rows[0].startswith("household" + " " * 31 + "  members")
    assert rows[1].startswith("h" * 39 + "…  ")
    assert len({len(row.rstrip()) for row in rows}) >= 1 and all(len(row) < 100 for row in rows)
    monkeypatch.setattr(cli_module, "SUMMARY_TABLE_ROWS", 1)
    again = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert again.exit_code == 0, again.output
    assert "household " not in again.stdout
    assert "(2 planned households not shown; see summary.csv)" in again.stdout


def test_resume_counts_the_not_planned_results_it_kept(tmp_path: Path) -> None:
    """QA: "(6 of them from earlier results, kept by --resume)" where 11 results were kept."""
    (tmp_path / "rows.csv").write_text(
        "household,name,age,sex,days\ngood,A,40,female,1\nbad,B,40,female,1\nbad,C,41,male,2\n", encoding="utf-8"
    )
    args = ["batch", str(tmp_path / "rows.csv"), "--workers", "1", "--out", str(tmp_path / "out")]
    assert CliRunner().invoke(app, args).exit_code == 5
    again = CliRunner().invoke(app, [*args, "--resume"])
    assert again.exit_code == 5
    assert "Planned 1 of 2 households (--resume kept 2 earlier results: 1 planned, 1 not planned)" in again.stdout


def test_a_script_without_a_main_guard_is_told_so(tmp_path: Path) -> None:
    """QA: run_batch called at a script's top level (each spawned worker imports the script
    again) reported every household as "a worker process died … (out of memory, or a solver
    crash)"."""
    script = tmp_path / "plan_all.py"
    script.write_text(
        "from mealplan import Task, run_batch\n"
        "task = Task('h', 'h', {'household': {'days': 1}, 'members': [{'age': 30, 'sex': 'female'}]})\n"
        f"run_batch([task], {str(tmp_path / 'out')!r}, workers=1)\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "mealplan.errors.InputError: the batch's worker processes died as they started: if a script calls "
        'run_batch, call it under if __name__ == "__main__": (each worker imports the script again); otherwise '
        "the machine may be out of memory"
    )
    assert not list((tmp_path / "out").glob("*.json"))


@pytest.mark.parametrize("given", [{"days": 7.0}, {"seed": 0.0}, {"days": True}, {"shared_meals": "yes"}])
def test_a_wrong_value_is_not_taken_for_the_default(given: dict[str, Any]) -> None:
    """QA review: days = 7.0 (refused: not a whole number) had the fingerprint of no days, so
    after the user fixed it, --resume kept the old 'invalid' result."""
    member = [{"age": 30, "sex": "female"}]
    fixed = Task("h", "h.toml", {"household": {}, "members": member}).fingerprint(BatchSettings(shared_meals=False))
    wrong = Task("h", "h.toml", {"household": given, "members": member}).fingerprint(BatchSettings(shared_meals=False))
    assert wrong != fixed


def test_the_fingerprint_follows_the_rules_plans_are_made_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA review: the version stayed 0.1.0 while the rules changed, so --resume kept plans made
    by older code. The fingerprint holds a digest of mealplan's code and shipped data."""
    import shutil

    import mealplan.batch as batch_module
    import mealplan.resources as resources

    task = Task("h", "h.toml", {"household": {}, "members": [{"age": 30, "sex": "female"}]})
    before, digest = task.fingerprint(SETTINGS), batch_module.rules_digest()
    data = tmp_path / "data"
    shutil.copytree(resources.data_root(), data)  # type: ignore[arg-type]
    monkeypatch.setattr(resources, "data_root", lambda: data)
    batch_module.rules_digest.cache_clear()
    try:
        assert batch_module.rules_digest() == digest  # the same files, the same digest
        batch_module.rules_digest.cache_clear()
        (data / "pool.csv").write_text((data / "pool.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert batch_module.rules_digest() != digest
        assert task.fingerprint(SETTINGS) != before
    finally:
        batch_module.rules_digest.cache_clear()


def test_a_row_without_an_id_or_a_broken_line_does_not_part_a_household(tmp_path: Path) -> None:
    """QA review: 'kim' rows around a row with no id, or a JSONL line that is not JSON, were
    refused as "with other households' rows between"."""
    (tmp_path / "rows.csv").write_text(
        "household,name,age,sex,days\nkim,A,40,female,1\n,B,41,male,1\nkim,C,9,male,1\n", encoding="utf-8"
    )
    (tmp_path / "rows.jsonl").write_text(
        '{"household": "kim", "name": "A", "age": 40, "sex": "female"}\n{"household": \n'
        '{"household": "kim", "name": "C", "age": 9, "sex": "male"}\n',
        encoding="utf-8",
    )
    for name in ("rows.csv", "rows.jsonl"):
        kim = next(t for t in discover(tmp_path / name) if t.household_id == "kim")
        assert kim.error is None, kim.error
        assert len(kim.data["members"]) == 2  # type: ignore[index]


def test_the_summary_says_how_many_plans_the_time_limit_cut_short(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """QA: the printed table said "planned" for plans that timed out; only summary.csv told."""
    import mealplan.batch as batch_module

    real = batch_module.summary_rows

    def cut_short(report: Any) -> Any:
        return [{**row, "timed_out": "true"} if row["status"] == "planned" else row for row in real(report)]

    monkeypatch.setattr(batch_module, "summary_rows", cut_short)
    (tmp_path / "rows.csv").write_text("household,name,age,sex,days\nh1,A,40,female,1\nh2,B,41,male,1\n",
                                       encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "rows.csv"), "--out", str(tmp_path / "out"),
                                      "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ("(2 planned households were cut short by the time limit, so a quieter machine can plan them otherwise: "
            "timed_out in summary.csv; raise --time-limit for plans that repeat)") in result.stdout.splitlines()
    monkeypatch.setattr(batch_module, "summary_rows", real)
    again = CliRunner().invoke(app, ["batch", str(tmp_path / "rows.csv"), "--out", str(tmp_path / "out2"),
                                     "--workers", "1"])  # fmt: skip
    assert "cut short by the time limit" not in again.stdout

    def one_cut_short(report: Any) -> Any:
        return [{**row, "timed_out": "true"} if row["household"] == "h1" else row for row in real(report)]

    monkeypatch.setattr(batch_module, "summary_rows", one_cut_short)
    one = CliRunner().invoke(app, ["batch", str(tmp_path / "rows.csv"), "--out", str(tmp_path / "out3"),
                                   "--workers", "1"])  # fmt: skip
    assert ("(1 planned household was cut short by the time limit, so a quieter machine can plan it otherwise: "
            "timed_out in summary.csv; raise --time-limit for plans that repeat)") in one.stdout.splitlines()


def test_more_workers_than_cores_are_noted(tmp_path: Path) -> None:
    """QA: --workers 1000 on 2 cores was taken without a word; each worker solves on one core.
    (One household: the pool starts as many workers as there are households, at most.)"""
    import os

    make_folder(tmp_path / "in", 1)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out), "--workers", "1000",
                                      "--days", "1", "--gap", "0.2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    cores = os.cpu_count() or 1
    assert (f"Note: --workers 1000 is more than this machine's {cores} cores; each worker solves on one core, so "
            f"more than {cores} only share them") in result.stderr.splitlines()  # fmt: skip
    assert "Planned 1 of 1 households" in result.stdout


def test_an_out_folder_that_cannot_be_written_is_refused_before_planning(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Shell QA: an existing read-only --out failed on the summary with exit 1 and "please
    report it". (Root writes anywhere but a read-only mount, so the refusal is simulated.)"""
    import errno
    import tempfile

    from mealplan import batch

    make_folder(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()

    def read_only(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(batch.tempfile, "TemporaryFile", read_only)
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out), "--workers", "1"])
    monkeypatch.setattr(batch.tempfile, "TemporaryFile", tempfile.TemporaryFile)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: cannot write in --out folder {out} (Read-only file system); choose another"
    assert list(out.iterdir()) == []


# Loaded by every Python process of the batch (PYTHONPATH): a worker planning the household
# named in MEALPLAN_TEST_CRASH dies outright, as one killed for its memory would.
CRASHING_WORKER = """
import os, sys


class CrashOn:
    def find_spec(self, name, path=None, target=None):
        if name != "mealplan.batch":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            where = os.environ["MEALPLAN_TEST_CRASH_IN"]
            real = getattr(module, where)

            def crashing(task, settings):
                if task.household_id == os.environ["MEALPLAN_TEST_CRASH"]:
                    os._exit(137)
                return real(task, settings)

            crashing.__module__, crashing.__qualname__ = module.__name__, where  # pickled by that name
            setattr(module, where, crashing)

        spec.loader.exec_module = exec_module
        return spec


if os.environ.get("MEALPLAN_TEST_CRASH"):
    sys.meta_path.insert(0, CrashOn())
"""


@pytest.mark.parametrize(("workers", "where"), [("1", "run_task"), ("2", "run_task"), ("2", "_run_started")])
def test_a_household_that_kills_its_worker_fails_alone(tmp_path: Path, workers: str, where: str) -> None:
    """Coverage QA: one household whose worker died broke the pool, and every household not yet
    finished was charged with it: "Planned 0 of 4". Only the one that breaks its pool fails,
    also when its worker dies before it can say which household it started (_run_started)."""
    folder = tmp_path / "in"
    names = make_folder(folder, 3)
    write_household(folder, "a_bad", [PEOPLE[0]])
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(CRASHING_WORKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)]), "MEALPLAN_TEST_CRASH": "a_bad",
           "MEALPLAN_TEST_CRASH_IN": where}  # fmt: skip
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "mealplan", "batch", str(folder), "--out", str(out),
                           "--workers", workers], capture_output=True, text=True, env=env, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 5, done.stderr
    status = {name: json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["status"]
              for name in [*names, "a_bad"]}  # fmt: skip
    assert status == {**dict.fromkeys(names, "planned"), "a_bad": "error"}
    reason = json.loads((out / "a_bad.json").read_text(encoding="utf-8"))["reason"]
    assert reason == ("a worker process died each time it was planned, the last time alone (out of memory, or a "
                      "solver crash)")  # fmt: skip


def test_a_batch_notice_comes_after_the_progress_not_yet_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """QA: a batch that waited for Dask workers showed "[1/8] … planned 1" though 5 were done:
    off a terminal progress is printed every few seconds, so a notice prints the latest first."""
    from types import SimpleNamespace

    from mealplan.cli import _ProgressPrinter

    printer = _ProgressPrinter()
    printer.tty = False
    for done in (1, 2, 5):
        printer(SimpleNamespace(outcome=SimpleNamespace(resumed=False), done=done, total=8, eta_s=None,
                                rate_per_s=1.0, planned=done, failed=0, skipped=0))  # fmt: skip
    printer.notice("no Dask worker")
    assert capsys.readouterr().err.splitlines() == [
        "[1/8]  12%  1.00 households/s  ETA --:--  planned 1, not planned 0",
        "[5/8]  62%  1.00 households/s  ETA --:--  planned 5, not planned 0",
        "Warning: no Dask worker",
    ]


def test_a_resumed_batch_prints_no_line_for_each_result_it_keeps(capsys: pytest.CaptureFixture[str]) -> None:
    """QA: a resume's first line read "[1/8] … planned 1, not planned 0, 1 already done" with 7
    results kept: it was printed for the first kept one, and the next 5 s were quiet."""
    from types import SimpleNamespace

    from mealplan.cli import _ProgressPrinter

    printer = _ProgressPrinter()
    printer.tty = False
    for done, resumed in ((1, True), (2, True), (3, False)):
        printer(SimpleNamespace(outcome=SimpleNamespace(resumed=resumed), done=done, total=3, eta_s=None,
                                rate_per_s=1.0, planned=done, failed=0, skipped=min(done, 2)))  # fmt: skip
    assert capsys.readouterr().err.splitlines() == [
        "[3/3] 100%  1.00 households/s  ETA --:--  planned 3, not planned 0, 2 already done"
    ]
    assert (printer.kept, printer.saved) == (2, 1)


def test_a_second_batch_into_the_same_folder_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    """QA: two batches with one --out ran at once, both exited 0 and overwrote each other's
    results (and the second's start removed the first's half-written ones as stale)."""
    import fcntl

    from mealplan.batch import LOCK_FILE

    make_folder(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    half = out / ".h000.json.x1y2z3.part"
    half.write_text("{", encoding="utf-8")
    with (out / LOCK_FILE).open("a") as held:  # as the first batch holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f"Error: another mealplan batch is writing its results to {out}; wait for it to "
                                  "end, or choose another --out\n")  # fmt: skip
    assert half.exists()
    report = run_batch(discover(tmp_path / "in"), out, settings=SETTINGS, workers=1)
    assert report.complete and not (out / LOCK_FILE).exists() and not half.exists()


def test_a_busy_folder_is_called_busy_before_its_results_are_talked_of(tmp_path: Path) -> None:
    """QA: a second batch on a folder another was writing to was first told to use --resume
    or --force (the first batch's results were there), and only then that it must wait."""
    import fcntl

    from mealplan.batch import LOCK_FILE

    make_folder(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "h000.json").write_text("{}", encoding="utf-8")  # the first batch's result
    with (out / LOCK_FILE).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: another mealplan batch is writing its results to {out}; wait for it to end, "
                             "or choose another --out\n")  # fmt: skip


def test_a_lock_file_no_batch_holds_does_not_make_a_folder_busy(tmp_path: Path) -> None:
    """A lock file left by a batch that ended (killed outright) holds no lock: not busy."""
    from mealplan.batch import LOCK_FILE, _check_not_busy

    (tmp_path / LOCK_FILE).write_text("", encoding="utf-8")
    _check_not_busy(tmp_path)
    _check_not_busy(tmp_path / "missing")


def test_one_household_not_planned_is_said_in_the_singular(tmp_path: Path) -> None:
    """QA: "Error: 1 of 7 households were not planned"."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_household(folder, "bad-key", [{"age": 40, "sex": "female", "agee": 3}])
    write_household(folder, "bad-too", [{"age": 40, "sex": "female", "sexx": "male"}])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 5, result.output
    assert result.stderr.endswith(f"Error: 2 of 2 households were not planned (reasons in {out / 'summary.csv'}); "
                                  "fix them and rerun with --resume\n")  # fmt: skip
    (folder / "bad-too.toml").unlink()
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out2"), "--workers", "1"])
    assert result.exit_code == 5, result.output
    assert result.stderr.endswith(f"Error: 1 of 1 households was not planned (reasons in "
                                  f"{tmp_path / 'out2' / 'summary.csv'}); fix them and rerun with --resume\n")

"""Files are written whole or not at all, only with --force over an existing one, only as regular
files (a symbolic link is written through; a device, FIFO or socket is refused) and only in
folders that exist; a path that cannot be written is refused (exit 2) before any planning. A
failed write to standard output is one line too, and a reader that goes away is no error."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mealplan import output
from mealplan.cli import app
from mealplan.errors import InputError
from mealplan.output import write_atomic

REPO = Path(__file__).resolve().parents[1]
DAY = ["day", "--age", "34", "--sex", "female", "--solver", "cbc"]
OLD = '{"old": "plan"}\n'


def test_the_text_goes_to_a_temporary_file_in_the_same_folder_then_is_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def recording_replace(src: str, dst: Any) -> None:
        renames.append((src, str(dst)))
        assert Path(src).read_text(encoding="utf-8") == "new", "the whole text is in place before the rename"
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", recording_replace)
    target = tmp_path / "plan.json"
    write_atomic(target, "new", force=False)
    [(src, dst)] = renames
    assert Path(src).parent == tmp_path and Path(src).name.startswith(".plan.json.") and src.endswith(".part")
    assert dst == str(target)
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


class FailingHalfway(io.StringIO):
    """A file whose write stores half the text, then fails as a full disk (or Ctrl-C) would."""

    def __init__(self, real: Any, error: BaseException) -> None:
        super().__init__()
        self.real, self.error = real, error

    def write(self, text: str) -> int:
        self.real.write(text[: len(text) // 2])
        self.real.flush()
        raise self.error

    def __exit__(self, *exc: object) -> None:
        self.real.close()


@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["disk full", "Ctrl-C"]
)
def test_a_write_failing_midway_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    target = tmp_path / "plan.json"
    target.write_text(OLD, encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: FailingHalfway(real_fdopen(*a, **k), error))
    with pytest.raises((InputError, KeyboardInterrupt)) as info:
        write_atomic(target, "x" * 100_000, force=True)
    if isinstance(error, OSError):
        assert str(info.value) == f"cannot write {target} (No space left on device); choose another --output"
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_cli_run_whose_write_fails_exits_2_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"
    target.write_text(OLD, encoding="utf-8")
    real_fdopen = os.fdopen
    disk_full = OSError(28, "No space left on device")
    monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: FailingHalfway(real_fdopen(*a, **k), disk_full))
    result = CliRunner().invoke(app, [*DAY, "--output", str(target), "--force"])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: cannot write {target} (No space left on device); choose another --output\n"
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


# The child runs the real CLI with one change: its output file is written in 1 KB chunks,
# slowly, announcing the first chunk on stdout, so the parent can kill it mid-write.
SLOW_WRITER = """
import os, sys, time
real_fdopen = os.fdopen

class Slow:
    def __init__(self, fh):
        self.fh = fh
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.fh.__exit__(*exc)
    def write(self, text):
        for start in range(0, len(text), 1024):
            self.fh.write(text[start:start + 1024])
            self.fh.flush()
            if start == 1024:
                print("mid-write", flush=True)
            time.sleep(0.05)
        return len(text)
    def flush(self):
        self.fh.flush()
    def fileno(self):
        return self.fh.fileno()

os.fdopen = lambda *a, **k: Slow(real_fdopen(*a, **k))
sys.argv = ["mealplan", *sys.argv[1:]]
from mealplan.cli import main
main()
"""


def test_a_run_killed_mid_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text(OLD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, *DAY, "--format", "json", "--output", str(target),
                              "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "mid-write\n", (line, child.stderr.read() if child.stderr else "")
        partial = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
        assert partial and partial[0].stat().st_size >= 2048, "the child is writing its temporary file"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == OLD, "the old file is untouched: never a mix"
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    # A killed process cannot clean up; what it leaves is only its hidden temporary file.
    assert all(name.startswith(".plan.json.") and name.endswith(".part") for name in leftovers), leftovers


def test_the_same_run_not_killed_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text(OLD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SLOW_WRITER, *DAY, "--format", "json", "--output", str(target),
                           "--force"], capture_output=True, text=True, env=env, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["request"]["profile"]["age"] == 34
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text(OLD, encoding="utf-8")
    with pytest.raises(InputError, match=r"already exists; use --force to replace it$"):
        write_atomic(target, "new", force=False)
    assert target.read_text(encoding="utf-8") == OLD
    write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


def test_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / "plan.md"
    with pytest.raises(InputError) as info:
        write_atomic(target, "# plan\n", force=False)
    assert str(info.value) == (
        f"cannot write {target}: folder {target.parent} does not exist; create it or choose another --output"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--output", "--shopping-list"])
def test_a_missing_folder_is_refused_before_any_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    monkeypatch.setattr("mealplan.planner.plan_week", _no_planning)
    target = tmp_path / "missing" / ("plan.json" if option == "--output" else "list.csv")
    result = CliRunner().invoke(app, ["week", "--age", "34", "--sex", "female", option, str(target)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: cannot write {target}: folder {target.parent} does not exist; create it or choose another {option}\n"
    )
    assert list(tmp_path.iterdir()) == []


def _no_planning(*args: object, **kwargs: object) -> None:
    raise AssertionError("planned although the output could not be written")


# ------------------------------------------------------------------ links and special files


def test_a_symbolic_link_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "plans" / "real.json"
    real.parent.mkdir()
    real.write_text(OLD, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "plan.json"
    link.symlink_to(Path("plans") / "real.json")
    with pytest.raises(InputError, match=r"plan.json already exists; use --force to replace it$"):
        write_atomic(link, "new", force=False)
    write_atomic(link, "new", force=True)
    assert link.is_symlink() and os.readlink(link) == str(Path("plans") / "real.json")
    assert real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640, "the target keeps its mode"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.json"], "no temporary file left"


def test_a_dangling_link_makes_its_target(tmp_path: Path) -> None:
    link = tmp_path / "plan.json"
    link.symlink_to("made.json")
    write_atomic(link, "new", force=True)
    assert link.is_symlink() and (tmp_path / "made.json").read_text(encoding="utf-8") == "new"


def test_a_loop_of_links_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    with pytest.raises(InputError) as info:
        write_atomic(tmp_path / "a.json", "new", force=True)
    assert str(info.value) == f"{tmp_path}/a.json is a symbolic link that loops or leads too far; choose another --output"
    assert (tmp_path / "a.json").is_symlink() and (tmp_path / "b.json").is_symlink()


@pytest.mark.parametrize(("option", "name"), [("--output", "a.json"), ("--shopping-list", "a.csv")])
def test_a_loop_of_links_on_the_command_line_is_refused_before_any_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, name: str
) -> None:
    """QA: a loop given as --output ended in "unexpected failure (RuntimeError: Symlink loop
    …); please report it", exit 1: the check for a file given twice resolved it first."""
    monkeypatch.setattr("mealplan.planner.plan_week", _no_planning)
    other = "b" + name[1:]
    (tmp_path / name).symlink_to(other)
    (tmp_path / other).symlink_to(name)
    extra = ["--output", str(tmp_path / "plan.md")] if option == "--shopping-list" else []
    result = CliRunner().invoke(app, ["week", "--age", "34", "--sex", "female", *extra, option, str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {tmp_path / name} is a symbolic link that loops or leads too far; choose another {option}\n"


def _make_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a FIFO (named pipe)"


def _make_socket(path: Path) -> str:
    server = socket.socket(socket.AF_UNIX)
    with contextlib.chdir(path.parent):  # a socket's path is limited to about 100 bytes
        server.bind(path.name)
    server.close()  # the socket file stays
    return "a socket"


def _make_char_device(path: Path) -> str:
    # The null device's numbers (1, 3): writing to it would lose the plan without a word.
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")
    return "a character device"


SPECIAL = {"FIFO": _make_fifo, "socket": _make_socket, "character device": _make_char_device}


@pytest.mark.parametrize("force", [False, True], ids=["no force", "force"])
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_a_special_file_is_refused_and_left_alone(tmp_path: Path, kind: str, force: bool) -> None:
    target = tmp_path / "plan.json"
    described = SPECIAL[kind](target)
    try:
        mode = target.lstat().st_mode
        with pytest.raises(InputError) as info:
            write_atomic(target, "new", force=force)
        assert str(info.value) == f"{target} is {described}, not a regular file; choose another --output"
        assert target.lstat().st_mode == mode, "still the same kind of file"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]
    finally:
        target.unlink()  # no device node is left behind in the temporary folders


def test_a_link_to_a_fifo_is_refused_and_both_are_left_alone(tmp_path: Path) -> None:
    fifo, link = tmp_path / "pipe", tmp_path / "plan.json"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    with pytest.raises(InputError) as info:
        write_atomic(link, "new", force=True)
    assert str(info.value) == (
        f"{link} (a link to {fifo}) is a FIFO (named pipe), not a regular file; choose another --output"
    )
    assert link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("option", ["--output", "--shopping-list"])
def test_the_cli_refuses_a_fifo_with_force_before_any_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    monkeypatch.setattr("mealplan.planner.plan_week", _no_planning)
    target = tmp_path / ("plan.json" if option == "--output" else "list.csv")
    os.mkfifo(target)
    result = CliRunner().invoke(app, ["week", "--age", "34", "--sex", "female", option, str(target), "--force"])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {target} is a FIFO (named pipe), not a regular file; choose another {option}\n"
    assert stat.S_ISFIFO(target.lstat().st_mode)


def test_a_fifo_appearing_during_the_write_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.json"
    real_fsync = os.fsync

    def fsync_then_fifo(fd: int) -> None:
        real_fsync(fd)
        os.mkfifo(target)

    monkeypatch.setattr(output.os, "fsync", fsync_then_fifo)
    with pytest.raises(InputError, match="is a FIFO"):
        write_atomic(target, "new", force=True)
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_new_file_gets_the_usual_mode_and_a_replaced_file_keeps_its_own(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.txt"
        write_atomic(fresh, "x", force=False)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        private = tmp_path / "private.txt"
        private.write_text("old", encoding="utf-8")
        private.chmod(0o600)
        write_atomic(private, "new", force=True)
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


@pytest.mark.parametrize(
    ("make", "given", "message"),
    [
        ("file notes", "notes/plan.json", "cannot write {tmp}/notes/plan.json: {tmp}/notes is a file, not a folder; "
                                          "choose another --output"),
        ("file notes", "notes/deeper/plan.json", "cannot write {tmp}/notes/deeper/plan.json: {tmp}/notes is a file, "
                                                 "not a folder; choose another --output"),
        ("folder plan.json", "plan.json", "{tmp}/plan.json is a folder; give a file name for --output"),
    ],
)  # fmt: skip
def test_a_path_that_cannot_be_written_is_refused(tmp_path: Path, make: str, given: str, message: str) -> None:
    kind, name = make.split()
    if kind == "file":
        (tmp_path / name).write_text("a file\n", encoding="utf-8")
    else:
        (tmp_path / name).mkdir()
    with pytest.raises(InputError) as info:
        write_atomic(tmp_path / given, "x", force=True)
    assert str(info.value) == message.format(tmp=tmp_path)


def test_a_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, who may write anywhere; os.access is what a normal user would get.
    monkeypatch.setattr(output.os, "access", lambda path, mode: False)
    with pytest.raises(InputError) as info:
        output.check_writable(tmp_path / "plan.json", force=False)
    assert str(info.value) == (
        f"cannot write {tmp_path}/plan.json: folder {tmp_path} is not writable; choose another --output"
    )


def test_an_unwritable_output_is_refused_before_any_planning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes").write_text("a file\n", encoding="utf-8")
    monkeypatch.setattr("mealplan.planner.plan_week", _no_planning)
    began = time.perf_counter()
    result = CliRunner().invoke(app, [*DAY, "--output", str(tmp_path / "notes" / "plan.json")])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: cannot write ")
    assert time.perf_counter() - began < 5


# ------------------------------------------------------------------ standard output


@pytest.fixture
def full_device(tmp_path: Path) -> Iterator[Path]:
    """A device like /dev/full (every write fails: no space left), made in a temporary folder
    and removed after the test."""
    path = tmp_path / "full"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a device needs root")
    yield path
    path.unlink()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*DAY, "--format", "json"], "cannot write the plan to standard output (No space left on device); "
                                     "free some space or use --output FILE"),
        (["targets", "--age", "34", "--sex", "female"], "cannot write the output to standard output "
                                                        "(No space left on device); free some space or redirect it elsewhere"),
    ],
    ids=["plan", "targets"],
)  # fmt: skip
def test_a_full_standard_output_is_one_line_and_exit_2(full_device: Path, args: list[str], message: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with full_device.open("w") as stdout:
        done = subprocess.run([sys.executable, "-m", "mealplan", *args], stdout=stdout, stderr=subprocess.PIPE,
                              text=True, env=env, timeout=120, check=False)  # fmt: skip
    assert (done.returncode, done.stderr) == (2, f"Error: {message}\n")


def test_a_plan_cut_short_on_standard_output_is_an_error_not_a_silent_half(tmp_path: Path) -> None:
    """QA: `mealplan week … > plan.json` on a disk that filled up left the first 40 KB of the
    JSON and exited 0 with no word: Python's buffered stream drops what the system does not
    take of a write. A file size limit (ulimit -f) fails the same way, and Python ignores the
    signal it raises, so the write reports EFBIG."""
    import resource

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = tmp_path / "plan.json"
    with out.open("w") as stdout:
        # HiGHS, in the process: CBC's model file, in the temporary folder, would meet the limit first.
        done = subprocess.run([sys.executable, "-m", "mealplan", *DAY[:-1], "highs", "--format", "json"],
                              stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, timeout=120, check=False,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192)))  # fmt: skip
    assert out.stat().st_size == 8192  # the shell made the file, and only part of the plan fits
    assert (done.returncode, done.stderr) == (
        2, "Error: cannot write the plan to standard output (File too large); free some space or use --output FILE\n"
    )


def test_several_files_are_written_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: with --output big.md --output big2.json and a file size limit, big.md was written
    and big2.json was not, so the same command run again was refused for big.md ("already
    exists; use --force"). Every file is now written to its temporary file first, and put in
    place only when all of them were written."""
    from mealplan import output

    real_fsync = os.fsync
    written: list[int] = []

    def fsync_fails_on_the_third(fd: int) -> None:
        written.append(fd)
        if len(written) == 3:  # the shopping list, after both plan files
            raise OSError(errno.EFBIG, "File too large")
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", fsync_fails_on_the_third)
    args = ["--output", str(tmp_path / "week.md"), "--output", str(tmp_path / "week.json"),
            "--shopping-list", str(tmp_path / "list.csv")]  # fmt: skip
    week = ["week", *DAY[1:], "--days", "1"]
    result = CliRunner().invoke(app, [*week, *args])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: cannot write {tmp_path / 'list.csv'} (File too large); choose another --shopping-list\n"
    assert list(tmp_path.iterdir()) == []  # neither plan file, nor any temporary file
    written.clear()
    monkeypatch.setattr(output.os, "fsync", real_fsync)
    result = CliRunner().invoke(app, [*week, *args])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.csv", "week.json", "week.md"]
    assert result.stderr.endswith(f"Wrote {tmp_path / 'week.md'} (markdown).\nWrote {tmp_path / 'week.json'} (json).\n"
                                  f"Wrote {tmp_path / 'list.csv'} (shopping list, csv).\n")  # fmt: skip


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    """`mealplan … | head -1`: no traceback, no error, exit 0, as Unix tools stop."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "mealplan", *DAY, "--format", "json"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)  # fmt: skip
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the plan is printed: every write of it fails with EPIPE
    stderr = child.stderr.read()
    assert (child.wait(timeout=120), stderr) == (0, b"")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"),
         "cannot write the plan to standard output (No space left on device); free some space or use --output FILE"),
        (OSError(errno.EIO, "Input/output error"),
         "cannot write the plan to standard output (Input/output error); use --output FILE"),
    ],
    ids=["disk full", "terminal gone"],
)  # fmt: skip
def test_a_failed_print_of_the_plan_names_the_problem(
    monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    from mealplan import cli

    def failing_write(text: str) -> None:
        raise error

    monkeypatch.setattr(cli, "_write_stdout", failing_write)
    with pytest.raises(InputError) as info:
        cli.emit("{}\n", output=None, force=False, fmt="json")
    assert str(info.value) == message


# ------------------------------------------------------------------ household --shopping-list


@pytest.mark.parametrize(("name", "fmt"), [("shopping.csv", "csv"), ("shopping.md", "markdown")])
def test_household_writes_the_combined_shopping_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, fmt: str
) -> None:
    """The same code path as `mealplan week --shopping-list`: every member's foods summed."""
    import dataclasses

    from mealplan.planner import plan_day
    from mealplan.report import render_shopping
    from mealplan.shopping import shopping_list
    from mealplan.solver import SolveOptions
    from mealplan.targets import Profile

    one = plan_day(Profile(34, "female"), solve_options=SolveOptions(solver="cbc", time_limit_s=10))
    two = dataclasses.replace(one, members=(one.members[0], one.members[0]))
    monkeypatch.setattr("mealplan.household.plan_household", lambda *args, **kwargs: two)
    listed, plan_file = tmp_path / name, tmp_path / "family.json"
    result = CliRunner().invoke(app, ["household", str(REPO / "examples" / "households" / "family-of-four.toml"),
                                      "--output", str(plan_file), "--shopping-list", str(listed)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {plan_file} (json).\nWrote {listed} (shopping list, {fmt}).\n"
    assert listed.read_text(encoding="utf-8") == render_shopping(two, fmt)
    single = {i.food.ndb_no: i.grams for i in shopping_list(one.members)}
    assert {i.food.ndb_no: i.grams for i in shopping_list(two.members)} == {k: 2 * v for k, v in single.items()}


def test_several_outputs_write_one_plan_in_each_files_format(tmp_path: Path) -> None:
    """Found in QA: a week the time limit cut short can differ from run to run, so the
    Markdown and the HTML of one week could not be had from two runs. --output repeats."""
    import csv

    files = [tmp_path / name for name in ("w.json", "w.csv", "w.md", "w.html")]
    args = ["week", "--age", "34", "--sex", "female", "--days", "2", "--gap", "0.2"]
    result = CliRunner().invoke(app, [*args, *(a for f in files for a in ("--output", str(f)))])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("Wrote ")] == [
        f"Wrote {files[0]} (json).", f"Wrote {files[1]} (csv).", f"Wrote {files[2]} (markdown).",
        f"Wrote {files[3]} (html).",
    ]  # fmt: skip
    document = json.loads(files[0].read_text(encoding="utf-8"))
    items = [(str(d["day"]), i["slot"], i["ndb_no"], i["grams"]) for d in document["members"][0]["days"]
             for meal in d["meals"] for i in meal["items"]]  # fmt: skip
    with files[1].open(encoding="utf-8", newline="") as fh:
        rows = [(r["day"], r["meal"], r["ndb_no"], float(r["grams"])) for r in csv.DictReader(fh) if r["ndb_no"]]
    assert rows == items
    markdown = files[2].read_text(encoding="utf-8")
    assert all(i["name"] in markdown for d in document["members"][0]["days"] for m in d["meals"] for i in m["items"])


@pytest.mark.parametrize(("extra", "line"), [
    (["--output", "a.md", "--output", "b.md", "--format", "md"],
     "Error: --format names one format for 2 --output files; drop --format: each file's extension gives its format"),
    (["--output", "c.md", "--output", "./c.md"], "Error: --output c.md is given twice; give each file once"),
    (["--output", "d.md", "--output", "-", "--shopping-list", "d.md"],
     "Error: --output and --shopping-list are both d.md; give two file names"),
])  # fmt: skip
def test_several_outputs_that_clash_are_refused_before_planning(extra: list[str], line: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["week", "--age", "34", "--sex", "female", *extra])
    assert (result.exit_code, result.stderr.splitlines()[0]) == (2, line)
    assert list(tmp_path.iterdir()) == []


def test_output_dev_stdout_writes_to_the_open_stream_and_keeps_an_appended_log(tmp_path: Path) -> None:
    """Shell QA: `--output /dev/stdout --force >> log.json` replaced log.json (what it held was
    gone), and into a pipe it failed; /dev/stdout is standard output, as `-` is."""
    log = tmp_path / "log.json"
    log.write_text("hello\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as fh:
        done = subprocess.run([sys.executable, "-m", "mealplan", *DAY, "--format", "json", "--output", "/dev/stdout",
                               "--force"], stdout=fh, stderr=subprocess.PIPE, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    head, _, document = log.read_text(encoding="utf-8").partition("\n")
    assert head == "hello"
    assert json.loads(document)["members"][0]["days"]
    # However it is spelt (review: /dev//stdout still replaced the log).
    with log.open("a", encoding="utf-8") as fh:
        again = subprocess.run([sys.executable, "-m", "mealplan", *DAY, "--format", "json", "--output", "/dev//stdout",
                                "--force"], stdout=fh, stderr=subprocess.PIPE, text=True, check=False)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert log.read_text(encoding="utf-8").startswith(f"hello\n{document}")
    piped = subprocess.run([sys.executable, "-m", "mealplan", *DAY, "--format", "json", "--output", "/dev/fd/1"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["members"][0]["days"]


@pytest.mark.parametrize("path", ["/dev/stderr", "/proc/self/fd/{pipe}"])
def test_an_output_naming_another_stream_is_refused(path: str) -> None:
    # The descriptor is a pipe this test opens (a fixed number, 3, was a pipe under
    # pytest-xdist but a regular file in a single pytest process, where the test failed).
    read, write = os.pipe()
    try:
        path = path.format(pipe=write)
        result = CliRunner().invoke(app, [*DAY, "--output", path])
    finally:
        os.close(read)
        os.close(write)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"Error: --output {path} names an open stream, not a file; give a file name, "
                                     "e.g. --output day.json (or --output - for standard output)")  # fmt: skip


def test_a_shopping_list_to_dev_stdout_is_refused_as_to_standard_output() -> None:
    result = CliRunner().invoke(app, ["week", "--age", "34", "--sex", "female", "--days", "2",
                                       "--shopping-list", "/dev/stdout"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: --shopping-list /dev/stdout: only the plan goes to standard output; give "
                                     "a file name, e.g. --shopping-list shopping.csv")  # fmt: skip


def test_a_file_name_of_255_bytes_is_written_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Shell QA: a legal 250-character name was refused: its temporary file's name was too long."""
    name = "é" * 125 + ".json"  # 255 bytes of UTF-8
    assert len(name.encode("utf-8")) == 255
    write_atomic(tmp_path / name, '{"a": 1}\n', force=False)
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert json.loads((tmp_path / name).read_text(encoding="utf-8")) == {"a": 1}


def test_a_file_name_that_is_not_utf8_is_written(tmp_path: Path) -> None:
    """Review: a Latin-1 name (its byte escaped by Python) ended in "unexpected failure"."""
    name = os.fsdecode(b"caf\xe9.md")
    write_atomic(tmp_path / name, "# plan\n", force=False)
    assert os.listdir(os.fsencode(tmp_path)) == [b"caf\xe9.md"]


def test_a_run_from_a_deleted_folder_says_so(tmp_path: Path) -> None:
    """Shell QA: from a folder deleted under it, a plan failed with "CBC failed … try --solver
    highs" (exit 4), and --output with "unexpected failure" (exit 1)."""
    gone = tmp_path / "gone"
    gone.mkdir()
    code = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.argv = ['mealplan', *{DAY!r}]; " \
           "from mealplan.launch import main; main()"  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("Error: the current folder no longer exists (it was deleted); cd to another folder and "
                           "run mealplan again\n")  # fmt: skip


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_standard_error_that_cannot_be_written_does_not_fail_the_plan() -> None:
    """Shell QA: with `2>/dev/full` a CSV written whole exited 1, and a household's first
    progress line left no plan at all; a message nobody can read is dropped instead."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run([sys.executable, "-m", "mealplan", *DAY, "--format", "csv"], stdout=subprocess.PIPE,
                              stderr=full, text=True, check=False)  # fmt: skip
        assert done.returncode == 0
        assert done.stdout.startswith("member,day,meal,food,ndb_no,")
        refused = subprocess.run([sys.executable, "-m", "mealplan", "day", "--age", "300", "--sex", "female"],
                                 stdout=subprocess.PIPE, stderr=full, text=True, check=False)  # fmt: skip
        assert (refused.returncode, refused.stdout) == (2, "")


def test_a_temporary_folder_cbc_cannot_write_in_is_named_with_a_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: with TMPDIR on a full disk, CBC's model file failed as "unexpected failure (OSError:
    [Errno 28] No space left on device); please report it", exit 1 (and every household of a
    batch an "error"). A folder that has gone away fails on the same path."""
    import tempfile

    gone = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(gone))
    result = CliRunner().invoke(app, DAY)
    assert result.exit_code == 4, result.output
    assert result.stderr == (f"Error: CBC cannot write its files in the temporary folder {gone} (No such file or "
                             "directory); free some space there or set TMPDIR to a folder with room, or use --solver "
                             "highs\n")  # fmt: skip


FAMILY = REPO / "examples" / "households" / "family-of-four.toml"


def _refused(args: list[str], message: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n"), result.output


def test_no_output_is_written_over_a_file_the_command_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: `household fam.toml --output fam.toml --format md --force` replaced the household
    file with its plan. Refused with or without --force, through a link or another path to it."""
    family = tmp_path / "fam.toml"
    family.write_bytes(FAMILY.read_bytes())
    (tmp_path / "link.toml").symlink_to("fam.toml")
    (tmp_path / "sub").mkdir()
    read = "is the household file being read; give another path"
    for args, message in (
        (["household", "fam.toml", "--output", "fam.toml", "--format", "md", "--force"], f"--output fam.toml {read}"),
        (["household", "fam.toml", "--output", "fam.toml", "--format", "md"], f"--output fam.toml {read}"),
        (["household", "link.toml", "--output", "fam.toml", "--format", "md", "--force"],
         f"--output fam.toml {read}"),
        (["household", "fam.toml", "--output", "sub/../link.toml", "--format", "md", "--force"],
         f"--output sub/../link.toml {read}"),
        (["household", "fam.toml", "--output", "plan.md", "--output", "fam.toml", "--format", "md", "--force"],
         "--format names one format for 2 --output files; drop --format: each file's extension gives its format"),
        (["household", "fam.toml", "--output", "plan.md", "--output", str(family), "--force"],
         f"--output {family} {read}"),
    ):  # fmt: skip
        _refused(args, message, tmp_path, monkeypatch)
    assert family.read_bytes() == FAMILY.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fam.toml", "link.toml", "sub"]


def test_no_output_is_written_over_a_profile_foods_or_prices_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    prices = tmp_path / "prices.csv"
    prices.write_bytes((REPO / "data" / "prices.csv").read_bytes())
    foods = tmp_path / "foods.csv"
    foods.write_bytes((REPO / "data" / "pool.csv").read_bytes())
    (tmp_path / "p.toml").write_text('age = 30\nsex = "female"\n', encoding="utf-8")
    (tmp_path / "p2.toml").write_text('age = 30\nsex = "female"\nfoods = "foods.csv"\n', encoding="utf-8")
    (tmp_path / "h.toml").write_text('[household]\nprices = "prices.csv"\n\n[[members]]\nname = "A"\nage = 30\n'
                                     'sex = "female"\n', encoding="utf-8")  # fmt: skip
    for args, message in (
        (["day", "--profile", "p.toml", "--output", "p.toml", "--format", "json", "--force"],
         "--output p.toml is the profile file being read; give another path"),
        (["week", "--age", "30", "--sex", "male", "--prices", "prices.csv", "--output", "prices.csv", "--force"],
         "--output prices.csv is the prices file being read; give another path"),
        (["week", "--age", "30", "--sex", "male", "--foods", "foods.csv", "--shopping-list", "foods.csv",
          "--force"], "--shopping-list foods.csv is the foods file being read; give another path"),
        (["week", "--profile", "p2.toml", "--output", "foods.csv", "--force"],
         "--output foods.csv is the foods file being read; give another path"),
        (["topup", "--profile", "p.toml", "--current-intake", "200", "--calories", "300", "--output", "p.toml",
          "--format", "md", "--force"], "--output p.toml is the profile file being read; give another path"),
        (["household", "h.toml", "--shopping-list", "prices.csv", "--force"],
         "--shopping-list prices.csv is the prices file being read; give another path"),
    ):  # fmt: skip
        _refused(args, message, tmp_path, monkeypatch)
    assert prices.read_bytes() == (REPO / "data" / "prices.csv").read_bytes()
    assert foods.read_bytes() == (REPO / "data" / "pool.csv").read_bytes()


def test_no_batch_result_is_written_over_a_file_the_batch_reads(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    rows = (REPO / "examples" / "batch" / "households.csv").read_bytes()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "summary.csv").write_bytes(rows)
    _refused(["batch", "out/summary.csv", "--out", "out", "--force"],
             "--out would write out/summary.csv over the batch file, which the batch reads; choose another --out",
             tmp_path, monkeypatch)  # fmt: skip
    assert (tmp_path / "out" / "summary.csv").read_bytes() == rows
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "h.toml").write_text('[household]\nfoods = "summary.csv"\n\n[[members]]\nname = "A"\nage = 30\n'
                                   'sex = "female"\n', encoding="utf-8")  # fmt: skip
    (folder / "summary.csv").write_bytes((REPO / "data" / "pool.csv").read_bytes())
    _refused(["batch", "in", "--out", "in"],
             "--out would write in/summary.csv over the foods file of in/h.toml, which the batch reads; choose "
             "another --out", tmp_path, monkeypatch)  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == ["h.toml", "summary.csv"]

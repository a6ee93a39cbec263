"""Every file in examples/ runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((REPO / "examples").glob("*.py"))
PROFILES = sorted((REPO / "examples" / "profiles").glob("*.toml"))


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=REPO, env=env, timeout=300)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_script_runs(script: Path) -> None:
    done = run([sys.executable, str(script)])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def _run_line(path: Path) -> list[str]:
    """The command a file's "# Run: mealplan …" comment gives, as arguments after `mealplan`."""
    (line,) = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# Run: mealplan ")]
    return line.removeprefix("# Run: mealplan ").split()


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_example_profile_plans(profile: Path) -> None:
    # Each profile with the command its comment names (fresh-eyes QA: the top-up profile was
    # run as a week), one day each to keep the suite fast; their own days are tested by hand.
    args = _run_line(profile)
    assert args[:3] in (["week", "--profile", str(profile.relative_to(REPO))],
                        ["topup", "--profile", str(profile.relative_to(REPO))])  # fmt: skip
    done = run([sys.executable, "-m", "mealplan", *args, "--days", "1"])
    assert done.returncode == 0, done.stderr
    assert "Day total" in done.stdout and "not medical advice" in done.stdout
    assert "Note:" not in done.stderr, done.stderr  # e.g. a top-up's keys a week would not use


def test_a_top_up_profile_planned_as_a_week_says_its_keys_are_for_topup() -> None:
    profile = "examples/profiles/topup.toml"
    done = run([sys.executable, "-m", "mealplan", "week", "--profile", profile, "--days", "1"])
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (f"Note: mealplan week plans every meal of the day; {profile}'s "
                                           f"current_intake and topup_calories are for mealplan topup --profile "
                                           f"{profile}")  # fmt: skip


def test_the_example_batch_folder_plans(tmp_path: Path) -> None:
    """Its households, one day each (fresh-eyes QA: the batch examples were only read)."""
    folder = REPO / "examples" / "batch" / "households"
    done = run([sys.executable, "-m", "mealplan", "batch", str(folder), "--out", str(tmp_path / "plans"),
                "--days", "1", "--workers", "1"])  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = sorted(p.stem for p in (tmp_path / "plans").glob("*.json") if p.stem != "summary")
    assert written == sorted(p.stem for p in folder.glob("*.toml"))


def test_there_are_examples() -> None:
    assert SCRIPTS and PROFILES

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


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_example_profile_plans(profile: Path) -> None:
    # One day per profile keeps the suite fast; the profile's own days are tested by hand.
    done = run([sys.executable, "-m", "mealplan", "week", "--profile", str(profile), "--days", "1"])
    assert done.returncode == 0, done.stderr
    assert "Day total" in done.stdout and "not medical advice" in done.stdout


def test_there_are_examples() -> None:
    assert SCRIPTS and PROFILES

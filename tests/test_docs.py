"""The README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from mealplan.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_two_commands_and_ci_runs_the_test_one_exactly() -> None:
    plan_command, test_command = readme_commands()
    assert "mealplan week" in plan_command
    assert "pytest" in test_command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def test_every_command_is_in_the_readme() -> None:
    root = get_command(app)
    for name in getattr(root, "commands", {}):
        assert f"mealplan {name}" in README, f"`mealplan {name}` is not documented in README.md"

"""The benchmark's quick mode runs and writes its table (figures only: no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_benchmark_writes_every_scenario(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--output", str(output)],
        cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    text = output.read_text(encoding="utf-8")
    assert text in done.stdout
    for heading in ("## Machine", "## Targets (issue 6)", "## Scenarios", "## Batch", "## Command line",
                    "## Overhead against the bare solver"):  # fmt: skip
        assert heading in text
    for row in ("| one day | cbc |", "| household of 4, 2 days, shared meals | cbc |", "| 4 person-weeks | cbc | 1 |",
                "| 4 person-weeks | cbc | 2 |", '| `python -c "import pulp, pandas"` |',
                "| start-up of `mealplan week --age 34 --sex female`: everything but the solve |", "| cbc |"):  # fmt: skip
        assert row in text
    # Each target is judged in the run, or said not to be measured; none is left blank.
    targets = text.split("## Targets (issue 6)", 1)[1].split("\n## ", 1)[0]
    verdicts = [
        line.rsplit("|", 2)[1].strip()
        for line in targets.splitlines()
        if line.startswith("| ") and "verdict" not in line
    ]
    assert verdicts and set(verdicts) <= {"**met**", "**not met**", "not measured"}

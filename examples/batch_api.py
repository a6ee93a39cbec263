"""Plan a batch of households from Python: read them, plan them on two workers, read the report.

Run: python examples/batch_api.py
"""

import tempfile
from pathlib import Path

from mealplan import BatchSettings, discover, run_batch


def main() -> None:
    # A folder of household .toml files, or a CSV/JSONL table with a row per member; a str works too.
    tasks = discover(Path(__file__).parent / "batch" / "households.csv")
    settings = BatchSettings(overrides={"days": 1})  # [household] keys for every household: days, solver, gap …
    # Results go to OUT/<id>.json and OUT/summary.csv; give a folder of your own to keep them.
    with tempfile.TemporaryDirectory(prefix="mealplan-batch-") as out:
        report = run_batch(tasks, out, settings=settings, workers=2)
        for o in report.outcomes:
            solver = f", solver {o.solver_status}" if o.solver_status else ""
            gap = "" if o.mip_gap is None else f", gap {o.mip_gap:.2%}"
            print(f"{o.household_id}: {o.status} ({o.members} member(s){solver}{gap}) {o.reason}".rstrip())
        print(f"{report.planned} of {len(report.outcomes)} households planned in {report.seconds:.1f} s")


# run_batch starts its workers with spawn, which imports this script again in each of them.
if __name__ == "__main__":
    main()

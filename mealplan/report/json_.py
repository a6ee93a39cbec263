"""JSON output (schema: docs/plan.schema.json)."""

from __future__ import annotations

import json

from ..plan import Plan
from .common import plan_dict


def render_json(plan: Plan, *, why: bool = False) -> str:
    return json.dumps(plan_dict(plan), indent=2, ensure_ascii=False) + "\n"

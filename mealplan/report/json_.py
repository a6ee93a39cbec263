"""JSON output (schema: docs/plan.schema.json, shipped in the package as plan.schema.json)."""

from __future__ import annotations

import importlib.resources
import json
from typing import Any

from ..plan import Plan
from .common import plan_dict


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every plan's JSON follows, from the installed
    package: its ``$id``, which each plan names as its ``$schema``, cannot be fetched (API QA:
    an installed user had no schema to validate against). docs/plan.schema.json is the same
    file (a test keeps them equal)."""
    text = (importlib.resources.files("mealplan.report") / "plan.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def render_json(plan: Plan, *, why: bool = False) -> str:
    return json.dumps(plan_dict(plan), indent=2, ensure_ascii=False) + "\n"

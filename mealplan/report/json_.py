"""JSON output (schema: docs/plan.schema.json, which the package ships too)."""

from __future__ import annotations

import json
from typing import Any

from ..plan import Plan
from ..resources import schema_file
from .common import plan_dict


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every plan's JSON follows, docs/plan.schema.json
    as installed with the package: its ``$id``, which each plan names as its ``$schema``,
    cannot be fetched (API QA: an installed user had no schema to validate against)."""
    schema: dict[str, Any] = json.loads(schema_file().read_text(encoding="utf-8"))
    return schema


def render_json(plan: Plan, *, why: bool = False) -> str:
    return json.dumps(plan_dict(plan), indent=2, ensure_ascii=False) + "\n"

"""Pieces every renderer shares: the plan as plain data, and its summary sentences."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..nutrients import NUTRIENTS
from ..plan import CARE_NOTE, TOPUP_NOTE, Day, Item, MemberPlan, Plan
from ..shopping import shopping_list
from ..targets import Targets

SCHEMA_ID = "https://mealplan.invalid/schema/plan/1.0"
SCHEMA_VERSION = "1.0"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def gap_text(plan: Plan) -> str:
    s = plan.solve
    gap = "gap unknown" if s.gap is None else f"gap {s.gap * 100:.2f}%"
    proof = (
        "certified optimal within the gap asked"
        if s.status == "optimal"
        else "feasible, NOT proven within the gap asked"
    )
    objective = "" if s.objective is None else f", objective {s.objective:.3f}"
    bound = "" if s.bound is None else f" (bound {s.bound:.3f})"
    return f"{s.solver}, {proof}: {gap}{objective}{bound}, {s.seconds:.2f} s ({plan.method})"


def target_lines(t: Targets) -> list[str]:
    lines = [
        f"magnesium ≥ {t.magnesium_mg:.0f} mg a day — {t.magnesium_basis}",
        f"energy {t.kcal_range.low:.0f}–{t.kcal_range.high:.0f} kcal (target {t.kcal:.0f} ± "
        f"{t.kcal_tolerance * 100:.0f}%; {t.kcal_basis})",
    ]
    if t.protein_pct and t.fat_pct and t.carbohydrate_pct:
        lines.append(
            f"protein {percent(t.protein_pct.low)}–{percent(t.protein_pct.high)}, fat {percent(t.fat_pct.low)}–"
            f"{percent(t.fat_pct.high)}, carbohydrate {percent(t.carbohydrate_pct.low)}–"
            f"{percent(t.carbohydrate_pct.high)} of energy (AMDR, IOM 2005)"
        )
    if t.fiber_g_per_1000kcal is not None:
        lines.append(f"fiber ≥ {t.fiber_g_per_1000kcal:g} g per 1,000 kcal (IOM 2005)")
    if t.sodium_max_mg is not None:
        lines.append(f"sodium ≤ {t.sodium_max_mg:,.0f} mg (CDRR, NASEM 2019)")
    return lines


def item_share(item: Item, day: Day) -> float:
    total = day.total("magnesium_mg")
    return item.magnesium_mg / total if total else 0.0


def item_dict(item: Item, day: Day) -> dict[str, Any]:
    return {
        "slot": item.slot,
        "ndb_no": item.food.ndb_no,
        "name": item.food.name,
        "category": item.food.category,
        "usda_description": item.food.usda_description,
        "servings": item.servings,
        "serving_measure": item.food.serving_measure,
        "measure": item.measure,
        "grams": item.grams,
        "kcal": round(item.kcal, 1),
        "magnesium_mg": round(item.magnesium_mg, 1),
        "magnesium_mg_per_100kcal": round(item.food.magnesium_mg_per_100kcal, 1),
        "magnesium_share_of_day": round(item_share(item, day), 4),
        "nutrients": {n.column: _round(item.amount(n.column)) for n in NUTRIENTS},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def day_dict(day: Day, member: MemberPlan, plan: Plan) -> dict[str, Any]:
    who = member.profile.name or member.profile.describe()
    checks = [c for c in plan.checks() if c.member == who and c.day == day.index]
    return {
        "day": day.index + 1,
        "meals": [
            {"slot": slot, "kcal": round(day.meal_kcal(slot), 1), "items": [item_dict(i, day) for i in day.meal(slot)]}
            for slot in ("breakfast", "lunch", "dinner", "snack")
        ],
        "totals": {n.column: round(day.total(n.column), 2) for n in NUTRIENTS},
        "energy_shares": {n: round(day.energy_share(n), 4) for n in ("protein_g", "fat_g", "carbohydrate_g")},
        "checks": [
            {"name": c.name, "value": round(c.value, 4), "low": c.low, "high": c.high, "ok": c.ok} for c in checks
        ],
    }


def _topup_dict(plan: Plan) -> dict[str, Any]:
    topup = plan.topup
    assert topup is not None
    return {
        "topup": {
            "rda_mg": topup.rda_mg,
            "current_intake_mg": topup.current_intake_mg,
            "gap_mg": topup.gap_mg,
            "kcal_budget": topup.kcal_budget,
            "note": TOPUP_NOTE,
        }
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data, following docs/plan.schema.json."""
    from .. import __version__

    s = plan.solve
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "mealplan", "version": __version__},
        "data_version": plan.data_version,
        "request": plan.request,
        "solver": {
            "name": s.solver,
            "status": s.status,
            "objective": s.objective,
            "bound": s.bound,
            "mip_gap": s.gap,
            "seconds": round(s.seconds, 3),
            "method": plan.method,
        },  # fmt: skip
        "days": plan.days,
        "weekly_average": plan.weekly_average,
        "members": [
            {
                "name": m.profile.name or m.profile.describe(),
                "profile": dataclasses.asdict(m.profile),
                "targets": dataclasses.asdict(m.targets),
                "days": [day_dict(d, m, plan) for d in m.days],
                "average": {n.column: round(m.average(n.column), 2) for n in NUTRIENTS},
                "swaps": list(m.swaps),
            }
            for m in plan.members
        ],
        "shopping_list": [
            {
                "ndb_no": i.food.ndb_no,
                "name": i.food.name,
                "category": i.food.category,
                "grams": round(i.grams, 1),
                "servings": i.servings,
                "measure": i.measure,
                "purchase": i.purchase,
                "purchase_grams": i.purchase_grams,
            }  # fmt: skip
            for i in shopping_list(plan.members)
        ],
        "all_checks_ok": all(c.ok for c in plan.checks()),
        "cost": None if plan.cost is None else {"total": round(plan.cost, 2), "budget": plan.budget},
        **(_topup_dict(plan) if plan.topup is not None else {}),
        "warnings": list(plan.warnings),
        "note": CARE_NOTE,
    }

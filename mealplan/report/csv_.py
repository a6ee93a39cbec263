"""CSV in long format: one row per item (member, day, meal, food), every tracked nutrient a column.

Read it back with ``pandas.read_csv(path, dtype={"ndb_no": str})`` (ndb_no keeps its
leading zero). A blank nutrient cell means USDA has no value for that food, not zero.

Numbers are rounded as the JSON format rounds the same fields (docs/json.md), so the two
formats of one plan show the same values: an item's grams to 0.01, kcal and magnesium_mg to
0.1, the other nutrients to 0.01; the shopping list's grams, purchase_grams and refuse_pct to 0.1.

A text cell (a name, food, measure …) that starts with =, +, -, @, a tab or a carriage
return is written with a ' in front, so a spreadsheet shows it rather than runs it as a
formula (CWE-1236); number cells are never changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..nutrients import NUTRIENTS
from ..plan import Plan
from ..shopping import shopping_list
from .common import member_name

ITEM_COLUMNS: tuple[str, ...] = (
    "member", "day", "meal", "food", "ndb_no", "category", "servings", "grams", "measure", "kcal",
    "magnesium_mg",
)  # fmt: skip
# kcal and magnesium_mg come first; the rest follow in mealplan.nutrients order.
OTHER_NUTRIENTS: tuple[str, ...] = tuple(n.column for n in NUTRIENTS if n.column not in ("energy_kcal", "magnesium_mg"))
# The plan's solver status and certified gap, the same on every row (JSON's solver.status and
# solver.mip_gap), last: every output states the gap, a CSV file on its own too (QA: a plan
# "NOT proven" was not told from a proven one in CSV).
SOLVER_COLUMNS: tuple[str, ...] = ("solver_status", "mip_gap")
COLUMNS: tuple[str, ...] = ITEM_COLUMNS + OTHER_NUTRIENTS + SOLVER_COLUMNS
SHOPPING_COLUMNS: tuple[str, ...] = (
    "category", "food", "ndb_no", "grams", "servings", "measure", "cooked_weight", "purchase_quantity",
    "purchase_unit", "purchase_grams", "purchase", "refuse_pct", "refuse_desc", "eaten_cooked_ndb_no",
    "eaten_cooked_grams",
)  # fmt: skip


# Decimals kept, per column: those of the JSON's item fields (report/common.py, item_dict).
ITEM_DECIMALS = {"grams": 2, "kcal": 1, "magnesium_mg": 1, **dict.fromkeys(OTHER_NUTRIENTS, 2)}
SHOPPING_DECIMALS = 1
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _value(value: float | None, decimals: int) -> str:
    """``value`` rounded to ``decimals`` places (Python writes a rounded float in its shortest
    form: 42.6, not 42.599999999999994); blank for an unknown value."""
    if value is None:
        return ""
    return str(round(value, decimals) + 0.0)  # + 0.0: a rounded -0.0 is written 0.0


def _text(value: str) -> str:
    """``value`` with a ' in front when it starts with a FORMULA_STARTS character: a name
    such as '=HYPERLINK(…)' from a profile or foods file is shown, not run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _write(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def render_csv(plan: Plan, *, why: bool = False) -> str:
    """Every item of every member's days; days are numbered from 1."""
    solver = [plan.solve.status, "" if plan.solve.gap is None else repr(plan.solve.gap)]
    rows = []
    for member in plan.members:
        who = member_name(member)
        for day in member.days:
            for item in day.items:
                rows.append([
                    _text(who), day.index + 1, _text(item.slot), _text(item.food.name), _text(item.food.ndb_no),
                    _text(item.food.category), item.servings, _value(item.grams, ITEM_DECIMALS["grams"]),
                    _text(item.measure),
                    _value(item.kcal, ITEM_DECIMALS["kcal"]), _value(item.magnesium_mg, ITEM_DECIMALS["magnesium_mg"]),
                    *(_value(item.amount(n), ITEM_DECIMALS[n]) for n in OTHER_NUTRIENTS), *solver,
                ])  # fmt: skip
    return _write(COLUMNS, rows)


def render_shopping_csv(plan: Plan) -> str:
    """The shopping list, one row per food: exact grams as eaten, and what to buy."""
    rows = [
        [_text(i.food.category), _text(i.food.name), _text(i.food.ndb_no), _value(i.grams, SHOPPING_DECIMALS),
         i.servings, _text(i.measure), str(i.cooked_weight).lower(), i.buy.quantity, _text(i.buy.unit),
         _value(i.purchase_grams, SHOPPING_DECIMALS), _text(i.purchase), _value(i.buy.refuse_pct, SHOPPING_DECIMALS),
         _text(i.buy.refuse_desc), _text(i.cooked.food.ndb_no) if i.cooked else "",
         _value(i.cooked.grams, SHOPPING_DECIMALS) if i.cooked else ""]
        for i in shopping_list(plan.members)
    ]  # fmt: skip
    return _write(SHOPPING_COLUMNS, rows)

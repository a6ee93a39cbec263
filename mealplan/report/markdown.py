"""Markdown: the plan as a document a person can read, print or paste (GitHub-flavoured tables)."""

from __future__ import annotations

import re

from ..plan import CARE_NOTE, Day, MemberPlan, Plan, TopupInfo
from ..shopping import ShoppingItem, shopping_list
from .asked import asked_with
from .common import (
    LABELS_NOTE,
    MENU_NOTE,
    MENU_TITLE,
    MenuMeal,
    cost_text,
    coverage,
    density_text,
    energy_shares_text,
    gap_text,
    grams_number,
    item_share,
    labels_note,
    member_name,
    member_notes,
    member_wishes,
    near_limits,
    not_for,
    percent,
    plan_title,
    protein_grams_text,
    shared_menu,
    shows_protein_grams,
    target_lines,
    topup_average_text,
    topup_day_text,
    topup_target_lines,
    wishes_lines,
)

SLOT_TITLES = {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "snack": "Snack"}


def md(text: str) -> str:
    """Text safe in a Markdown table cell or line: no table breaks, no stray emphasis or links,
    and no HTML: &, < and > as entities, which every renderer shows as the characters (QA named a
    person "<img src=x onerror=…>"; Python-Markdown showed the backslash of "\\<"; HTML QA's
    "&amp;" showed as "&"), and ~ escaped (GFM struck "~~C~~" through)."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"([\\`*_{}\[\]|#~])", r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    align = ["---:" if i in right else ":---" for i in range(len(header))]
    return ["| " + " | ".join(cells) + " |" for cells in (header, align, *rows)]


def _number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def render_day(day: Day, member: MemberPlan, *, why: bool, title: str, weekly_average: bool = False,
               topup: TopupInfo | None = None) -> list[str]:  # fmt: skip
    lines = [f"### {title}", ""]
    header = ["Food", "Measure", "Grams", "kcal", "Mg mg"] + (["Mg per 100 kcal", "Share of day's Mg"] if why else [])
    for slot, slot_title in SLOT_TITLES.items():
        items = day.meal(slot)
        if not items:
            continue
        lines += [f"#### {slot_title} ({_number(day.meal_kcal(slot))} kcal)", ""]
        rows = []
        for item in items:
            row = [md(item.food.name), md(item.measure), grams_number(item.grams), _number(item.kcal),
                   _number(item.magnesium_mg)]  # fmt: skip
            if why:
                row += [density_text(item.food), percent(item_share(item, day))]
            rows.append(row)
        lines += _table(header, rows, right=set(range(2, len(header)))) + [""]
    if topup is not None:
        total = f"{_number(day.total('energy_kcal'))} kcal, {_number(day.total('magnesium_mg'))} mg magnesium"
        return [*lines, f"**{title} top-up:** {total}; {md(topup_day_text(day, topup))}", ""]
    rows = []
    cover = coverage(day, member.targets, weekly_average=weekly_average)
    for c in (*cover, *near_limits(day, member.targets)):
        rows.append([c.label, f"{c.value_text} {c.unit}", c.target_text, f"{percent(c.ratio)} of {c.reference_text}",
                     "yes" if c.ok else "**no**"])  # fmt: skip
    grams = "" if shows_protein_grams(cover) else f"{protein_grams_text(day)}; "
    lines += [f"**{title} totals** ({grams}{energy_shares_text(day)})", ""]
    lines += _table(["Nutrient", "Day total", "Target", "Share", "Met"], rows, right={1}) + [""]
    return lines


def render_member(member: MemberPlan, plan: Plan, *, why: bool, heading: str) -> list[str]:
    topup = plan.topup
    lines = [heading, "", "**Targets** (a day):", ""]
    targets = target_lines(member.targets) if topup is None else topup_target_lines(member, topup)
    lines += [f"- {md(line)}" for line in targets]
    if wishes := member_wishes(plan, plan.members.index(member)):
        lines.append(f"- keeps to: {md(wishes)}")
    lines += [f"- {kind}: {md(text)}" for kind, text in member_notes(plan, plan.members.index(member))]
    if plan.weekly_average:
        lines.append("- magnesium is met on average over the days (--weekly-average), not each day")
    lines.append("")
    if topup is not None and topup.gap_mg <= 0:
        return [*lines, md(topup.no_topup_message(member.profile.describe())), ""]
    for day in member.days:
        title = "Day" if plan.days == 1 else f"Day {day.index + 1}"
        lines += render_day(day, member, why=why, title=title, weekly_average=plan.weekly_average, topup=topup)
    if plan.days > 1 and topup is not None:
        lines += [f"**{md(topup_average_text(member))}**", ""]
    elif plan.days > 1:
        rdas = member.average("magnesium_mg") / member.targets.magnesium_mg
        lines += [
            f"**Average a day over {plan.days} days:** {_number(member.average('energy_kcal'))} kcal, "
            f"{_number(member.average('magnesium_mg'))} mg magnesium ({percent(rdas)} of the RDA), "
            f"{_number(member.average('protein_g'))} g protein, {_number(member.average('fiber_g'))} g fiber, "
            f"{_number(member.average('sodium_mg'))} mg sodium.",
            "",
        ]
    lines += [f"- Swap: {md(str(swap))}" for swap in member.swaps]
    return lines + ([""] if member.swaps else [])


def menu_lines(meals: list[MenuMeal], plan: Plan) -> list[str]:
    """A household's shared menu, a table a day: each meal's foods once, the grams to cook for
    everyone and each person's portion ("not for NAME" where they eat a swap; see
    common.shared_menu). Every row names its meal: a blank cell meaning "as above" is lost on
    a screen reader (QA)."""
    lines = [f"## {MENU_TITLE}", "", f"{MENU_NOTE}.", ""]
    names = [member_name(m) for m in plan.members]
    header = ["Meal", "Food", "To cook, g", *(md(name) for name in names)]
    for day in range(plan.days):
        rows = []
        for meal in (m for m in meals if m.day == day):
            for line in meal.lines:
                amounts = [md(a) if a else md(not_for(name)) for a, name in zip(line.served, names, strict=True)]
                rows.append([SLOT_TITLES[meal.slot], md(line.label), _number(line.grams), *amounts])
        lines += [f"### Day {day + 1}", "", *_table(header, rows, right={2}), ""]
    return lines


def shopping_lines(items: list[ShoppingItem], level: str = "###") -> list[str]:
    """The shopping list grouped by category: the food, the household measure needed, its
    grams as eaten, and what to buy."""
    lines: list[str] = []
    category = None
    rows: list[list[str]] = []
    header = ["Food", "Needed", "Grams", "Buy"]  # as in the HTML report

    def flush() -> None:
        if rows:
            lines.extend(_table(header, rows, right={2}) + [""])
            rows.clear()

    for item in items:
        if item.food.category != category:
            flush()
            category = item.food.category
            lines += [f"{level} {md(category.capitalize())}", ""]
        rows.append([md(item.food.name), md(item.measure), grams_number(item.grams), md(item.purchase)])
    flush()
    return lines


def footer(plan: Plan) -> list[str]:
    checks = plan.checks()
    ok = sum(c.ok for c in checks)
    lines = [
        "## How this plan was made",
        "",
        f"- Checked: {ok} of {len(checks)} targets met, recomputed from USDA values × grams.",
        f"- Solver: {md(gap_text(plan))}",
        f"- Data: {md(plan.data_version)}",
    ]
    if (asked := asked_with(plan)) is not None:
        lines.append(f"- Asked with: {md(asked.text)}")
        lines += [f"  - {md(who)}: {md(text)}" for who, text in asked.parts]
    if (cost := cost_text(plan)) is not None:
        lines.insert(2, f"- {md(cost)}")
    lines += [f"- Note: {md(n)}" for n in plan.notes]
    return lines + ["", f"> **Note:** {md(CARE_NOTE)}", ""]


def warnings_lines(plan: Plan) -> list[str]:
    """The plan's warnings under their own heading, before the meals, as in the HTML report
    (HTML QA: in Markdown they came last, after the shopping list, among the solver's lines)."""
    if not plan.warnings:
        return []
    return ["## Warnings", "", *(f"- Warning: {md(w)}" for w in plan.warnings), ""]


def render_markdown(plan: Plan, *, why: bool = False) -> str:
    """The whole plan: targets, every day's meals and totals, averages, shopping list, solver."""
    lines = [f"# Meal plan: {md(plan_title(plan))}", "", *warnings_lines(plan)]
    single = len(plan.members) == 1
    if menu := shared_menu(plan):
        lines += menu_lines(menu, plan)
    for member in plan.members:
        heading = f"## {md(member.profile.describe())}"
        lines += render_member(member, plan, why=why, heading=heading)
    lines += ["## Shopping list", ""]
    if plan.days > 1 or not single:
        span = "the day" if plan.days == 1 else f"all {plan.days} days"
        lines.append(f"For {span}{'' if single else ' and every member'}; grams as eaten, "
                     "summed before rounding up to what to buy.")  # fmt: skip
    if (note := labels_note(plan)) is not None:
        lines += ["", note]
    lines.append("")
    lines += shopping_lines(shopping_list(plan.members))
    lines += footer(plan)
    return "\n".join(lines)


def render_shopping_markdown(plan: Plan) -> str:
    """The shopping list on its own, for `--shopping-list FILE.md`."""
    lines = [f"# Shopping list: {md(plan_title(plan))}", ""]
    lines += ["Grams as eaten, summed over every day and member, then rounded up to what to buy.", ""]
    if wishes := wishes_lines(plan):
        lines += [*(f"- {md(w)}" for w in wishes), "", LABELS_NOTE, ""]
    lines += shopping_lines(shopping_list(plan.members), level="##")
    return "\n".join(lines)

"""The terminal table."""

from __future__ import annotations

import textwrap

from ..plan import CARE_NOTE, Day, MemberPlan, Plan, TopupInfo, mineral_mg_text
from ..shopping import shopping_list
from .asked import asked_with
from .common import (
    MENU_TITLE,
    MenuMeal,
    cost_text,
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
    percent,
    portions_text,
    protein_grams_text,
    shared_menu,
    target_lines,
    topup_average_text,
    topup_day_text,
    topup_target_lines,
)

SLOT_TITLES = {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "snack": "Snack"}
TOPUP_SLOT_TITLES = {"breakfast": "Add to breakfast", "lunch": "Add to lunch", "dinner": "Add to dinner",
                     "snack": "Snack"}  # fmt: skip


MAX_LABEL = 90  # widest food column of a day's table
MENU_WIDTH = 118  # a shared menu's lines wrap here
MENU_LABEL = 32  # a shared menu's food column


def render_menu(meals: list[MenuMeal], plan: Plan) -> list[str]:
    """A household's shared menu: each meal's foods once, the grams to cook for everyone and
    each person's portion (see common.shared_menu)."""
    lines = [f"{MENU_TITLE}, and each person's portion", ""]
    names = [member_name(m) for m in plan.members]
    day = -1
    for meal in meals:
        if meal.day != day:
            if day >= 0:
                lines.append("")
            day = meal.day
            lines.append(f"Day {day + 1}" + ("" if day else f"{'grams to cook':>{MENU_LABEL + 17}}"))
        lines.append(f"  {SLOT_TITLES[meal.slot]}")
        for line in meal.lines:
            label = line.label
            if len(label) > MENU_LABEL:  # on a line of its own, the columns kept
                lines.append(f"    {label}")
                label = ""
            head = f"    {label:<{MENU_LABEL}} {line.grams:>8,.0f} g   "
            # Wrapped between portions only: a portion's spaces are no-break spaces meanwhile.
            portions = portions_text(line, names, separator="\N{NO-BREAK SPACE}· ", space="\N{NO-BREAK SPACE}")
            wrapped = textwrap.wrap(portions, MENU_WIDTH, initial_indent=head, subsequent_indent=" " * len(head),
                                    break_on_hyphens=False, break_long_words=False)  # fmt: skip
            lines += [text.replace("\N{NO-BREAK SPACE}", " ") for text in wrapped]
    return [*lines, ""]


def _row(cells: list[str], widths: list[int]) -> str:
    first, *rest = cells
    return f"{first:<{widths[0]}}" + "".join(f"{c:>{w}}" for c, w in zip(rest, widths[1:], strict=True))


def render_day(day: Day, member: MemberPlan, *, why: bool, title: str, topup: TopupInfo | None = None) -> list[str]:
    """A day's foods, a line each, every number with its unit (QA with a screen reader: the
    numbers were labelled only by a header's columns, so a line read "118 1 4"), the columns
    kept in place for the eye."""
    t = member.targets
    # The food column fits the member's longest "food — measure" over all days (a measure cut
    # short misleads; one width keeps the columns in place from day to day), up to MAX_LABEL.
    longest = max((len(f"    {i.food.name} — {i.measure}") for d in member.days for i in d.items), default=0)
    widths = [max(48, min(MAX_LABEL, longest + 1)), 9, 12, 20] + ([22, 18] if why else [])
    lines = [title]
    for slot, slot_title in SLOT_TITLES.items():
        if topup is not None:
            if not day.meal(slot):
                continue
            slot_title = TOPUP_SLOT_TITLES[slot]
        lines.append(f"  {slot_title}")
        for item in day.meal(slot):
            label = f"    {item.food.name} — {item.measure}"
            if len(label) > widths[0] - 1:
                label = label[: widths[0] - 2] + "…"
            cells = [label, f"{grams_number(item.grams)} g", f"{item.kcal:,.0f} kcal",
                     f"{item.magnesium_mg:,.0f} mg magnesium"]
            if why:
                cells += [f"{density_text(item.food, thousands=False)} mg per 100 kcal",
                          f"{percent(item_share(item, day))} of the total"]  # fmt: skip
            lines.append(_row(cells, widths).rstrip())
    mg = day.total("magnesium_mg")
    kcal = day.total("energy_kcal")
    lines.append(_row(["  Day total", "", f"{kcal:,.0f} kcal", f"{mg:,.0f} mg magnesium"], widths[:4]))
    if topup is not None:
        return [*lines, f"  {topup_day_text(day, topup)}"]
    balance = [f"magnesium {percent(mg / t.magnesium_mg)} of the RDA of {t.magnesium_mg:.0f} mg"]
    balance += [protein_grams_text(day), energy_shares_text(day)]
    balance.append(f"fiber {day.total('fiber_g'):.0f} g")
    balance.append(f"sodium {day.total('sodium_mg'):,.0f} mg")
    for c in near_limits(day, t):
        balance.append(f"{c.label.split()[0].lower()} {mineral_mg_text(c.value)} mg (limit {c.high:,.0f} mg)")
    lines.append("  " + "; ".join(balance))
    return lines


def _topup_header(plan: Plan, member: MemberPlan, topup: TopupInfo) -> list[str]:
    days = "1-day" if plan.days == 1 else f"{plan.days}-day"
    head = [f"mealplan — {days} magnesium top-up for {member.profile.describe()}", "Targets:"]
    return head + [f"  {line}" for line in topup_target_lines(member, topup)]


def render_text(plan: Plan, *, why: bool = False) -> str:
    lines: list[str] = []
    household = plan.request.get("household")
    if household is not None:
        names = ", ".join(m.profile.name or m.profile.describe() for m in plan.members)
        lines += [f"Household {household} — {plan.request.get('mode', '')}: {names}", ""]
        if menu := shared_menu(plan):
            lines += render_menu(menu, plan)
    for member in plan.members:
        days = "1-day" if plan.days == 1 else f"{plan.days}-day"
        if plan.topup is not None:
            lines += _topup_header(plan, member, plan.topup)
        else:
            lines.append(f"mealplan — {days} plan for {member.profile.describe()}")
            lines.append("Targets:")
            lines += [f"  {line}" for line in target_lines(member.targets)]
        if wishes := member_wishes(plan, plan.members.index(member)):
            lines.append(f"  keeps to: {wishes}")
        lines += [f"  {kind}: {text}" for kind, text in member_notes(plan, plan.members.index(member))]
        if plan.weekly_average:
            lines.append("  magnesium is met on average over the days (--weekly-average), not each day")
        lines.append("")
        for day in member.days:
            title = "Day" if plan.days == 1 else f"Day {day.index + 1}"
            lines += render_day(day, member, why=why, title=title, topup=plan.topup)
            lines.append("")
        if plan.days > 1 and plan.topup is not None:
            lines += [topup_average_text(member), ""]
        elif plan.days > 1:
            avg_mg = member.average("magnesium_mg")
            lines.append(
                f"Average: {member.average('energy_kcal'):,.0f} kcal, {avg_mg:,.0f} mg magnesium a day "
                f"({percent(avg_mg / member.targets.magnesium_mg)} of RDA)"
            )
            lines.append("")
        for swap in member.swaps:
            lines.append(f"Swap: {swap}")
        if member.swaps:
            lines.append("")
    if plan.days > 1 or len(plan.members) > 1:
        lines.append("Shopping list")
        if (note := labels_note(plan)) is not None:
            lines.append(f"  {note}")
        category = ""
        for item in shopping_list(plan.members):
            if item.food.category != category:
                category = item.food.category
                lines.append(f"  {category}")
            lines.append(f"    {item.food.name:<28} {grams_number(item.grams):>8} g   buy {item.purchase}")
        lines.append("")
    if (cost := cost_text(plan)) is not None:
        lines.append(cost)
    checks = plan.checks()
    ok = sum(c.ok for c in checks)
    lines.append(f"Checked: {ok} of {len(checks)} targets met, recomputed from USDA values × grams.")
    lines.append(f"Solver: {gap_text(plan)}")
    lines.append(f"Data: {plan.data_version}")
    if (asked := asked_with(plan)) is not None:
        lines += asked.lines()
    lines += [f"Warning: {warning}" for warning in plan.warnings]
    lines += [f"Note: {note}" for note in plan.notes]
    lines.append("")
    lines.append(f"Note: {CARE_NOTE}")
    return "\n".join(lines) + "\n"

"""A self-contained HTML report: every day's meals, the shopping list, and charts.

One file, nothing fetched: the CSS is inline and the charts are inline SVG drawn here, so
the report opens offline, in a mail attachment, or from a USB stick, and prints on A4 or
Letter (``@page`` with the printer's paper size, days flowing down two columns, a table row
never split across pages, charts sized in % of the page width). Every piece of text is
escaped with :func:`html.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape

from ..plan import CARE_NOTE, Day, MemberPlan, Plan
from ..shopping import shopping_list
from .asked import asked_with
from .common import (
    MENU_NOTE,
    MENU_TITLE,
    Coverage,
    MenuMeal,
    cost_text,
    coverage,
    density_text,
    energy_shares_text,
    gap_text,
    grams_number,
    item_share,
    labels_note,
    magnesium_by_category,
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
    topup_day_text,
    topup_target_lines,
)

SLOT_TITLES = {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "snack": "Snack"}
# One colour per food category (colour-blind-safe hues first), shared by every chart.
CATEGORY_COLOURS = {
    "seeds": "#1b7837", "nuts": "#a6611a", "cocoa": "#5c3a21", "legumes": "#8c510a", "soy": "#c2a5cf",
    "grains": "#dfc27d", "vegetables": "#5aae61", "greens": "#00441b", "fruit": "#d6604d", "fish": "#4393c3",
    "dairy": "#92c5de", "eggs": "#f4a582", "poultry": "#b2182b", "beverages": "#762a83", "other": "#878787",
}  # fmt: skip
# Text colours reach WCAG AA contrast (4.5:1) on white and on the cards' #f8f9fa (QA: the green
# and grey of 4.37:1 and 4.45:1 did not); the orange is for bars only (3:1 for graphics).
OK_COLOUR, SHORT_COLOUR, LINE_COLOUR = "#237a35", "#e8590c", "#c92a2a"
GRID_COLOUR, TEXT_COLOUR, MUTED_COLOUR = "#dee2e6", "#212529", "#5c636a"

CSS = """
:root { --ink: #212529; --muted: #5c636a; --line: #dee2e6; --accent: #237a35; --paper: #fff; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; padding: 24px; max-width: 1040px; color: var(--ink); background: var(--paper);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent);
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; break-after: avoid; }
p, ul { margin: .3rem 0 .6rem; }
.subtitle, .muted { color: var(--muted); }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #f8f9fa; }
.card b { display: block; font-size: 1.35rem; }
.targets li { margin: .1rem 0; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
figure { margin: 0; padding: 10px; border: 1px solid var(--line); border-radius: 8px; break-inside: avoid;
  page-break-inside: avoid; }
figure.wide { grid-column: 1 / -1; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { display: block; width: 100%; height: auto; }
.days { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.days.wide { grid-template-columns: 1fr; }
.day { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; break-inside: avoid;
  page-break-inside: avoid; }
table { width: 100%; border-collapse: collapse; font-size: .88rem; }
th, td { padding: 2px 4px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.meal td, tr.meal th { font-weight: 600; padding-top: 6px; border-bottom: 1px solid var(--line); color: var(--ink); }
tbody th[scope="row"] { font-weight: normal; color: var(--ink); border-bottom: 0; }
table.menu { table-layout: fixed; }
table.menu thead th:nth-child(1) { width: 30%; } table.menu thead th:nth-child(2) { width: 10%; }
td.not-for { font-style: italic; }
/* Room between "To cook, g" and the first portion (QA's print read "99 2 oz" as "992 oz"). */
table.menu td.n, table.menu th.n { padding-right: 1.2em; }
tr.total td { font-weight: 700; border-top: 1px solid var(--ink); }
.measure { display: block; color: var(--muted); font-size: .8rem; margin-left: 1.05em; }
.swatch { display: inline-block; width: .7em; height: .7em; border-radius: 2px; margin-right: .35em; }
.met { font-size: .85rem; margin-top: 6px; }
.met span { display: inline-block; margin: 2px 8px 0 0; white-space: nowrap; }
.ok { color: #237a35; } .short { color: #c92a2a; font-weight: 600; }
.shopping { columns: 2 300px; column-gap: 24px; }
.shopping section { break-inside: avoid; page-break-inside: avoid; margin-bottom: 12px; }
.shopping h3 { text-transform: capitalize; }
.member h3.meals { margin-top: 1.2rem; }
.shopping td:first-child::before { content: "\\2610\\00a0"; color: var(--muted); }
table.list { table-layout: fixed; }
table.list th:nth-child(1) { width: 38%; } table.list th:nth-child(3) { width: 17%; }
.note { border-left: 4px solid #f08c00; background: #fff9db; padding: 8px 12px; margin: 1.5rem 0 .5rem; }
footer ul { font-size: .85rem; color: var(--muted); padding-left: 1.2rem; }
.warnings, .notes { border-left: 4px solid #f08c00; padding: 2px 12px; margin: 1rem 0; }
.notes { border-left-color: var(--muted); margin: 1.5rem 0 1rem; }
.warnings h2, .notes h2 { border: 0; margin: .4rem 0; font-size: 1.1rem; }
.warnings ul, .notes ul { padding-left: 1.2rem; margin: .2rem 0 .5rem; }
@media (max-width: 760px) { .charts, .days { grid-template-columns: 1fr; } body { padding: 12px; } }
@page { size: auto; margin: 12mm 11mm; }
@media print {
  /* QA: 9.5 pt, with tables at about 8, was too small for an older reader on the fridge. */
  html { font-size: 10.5pt; }
  /* Review: the measures ("1/2 cup") printed grey at about 8 pt; on paper they are the recipe. */
  .measure { color: var(--ink); font-size: .85rem; }
  body { max-width: none; padding: 0; font-size: 1rem; }
  .card b { font-size: 1.2rem; }
  h2 { margin-top: 1.2rem; }
  .charts { grid-template-columns: 1fr 1fr; gap: 4mm; }
  /* Days flow in two newspaper columns, each down its own column, not in a grid's rows: a
     day that ran over its page by a few lines took the next row of days to a page of their
     own (QA: 6 of a household's 33 A4 pages held 2 lines). A day too tall for a column
     breaks between rows, never inside one. */
  .days { display: block; columns: 2; column-gap: 4mm; }
  .days > .day { margin-bottom: 4mm; }
  .days.wide { columns: 1; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .day, figure, .card { border-color: #adb5bd; }
  svg.chart { max-height: 95mm; }
  table { font-size: .9rem; }
  .summary { grid-template-columns: repeat(4, 1fr); }
  /* The shopping list on a page of its own: it goes to the shop without the rest. */
  .shopping-list { break-before: page; page-break-before: always; }
  /* One column on paper: two squeezed the Buy column to a word a line. */
  .shopping { columns: 1; }
  /* A shared menu's days run on from page to page (their headers repeat), rather than leave
     half of each page empty (QA: 4 pages for a week's menu, the first holding one day). */
  .menu .day { break-inside: auto; page-break-inside: auto; }
  .menu tbody { break-inside: avoid; page-break-inside: avoid; }
  /* Each member of a household from a new page. */
  .member + .member, .menu + .member { break-before: page; page-break-before: always; }
  .member-head { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .contents { display: none; }
}
"""


def _n(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def _svg(width: int, height: int, label: str, body: Iterable[str], css_class: str = "chart") -> str:
    title = escape(label)
    return (
        f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{title}"><title>{title}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, colour: str = TEXT_COLOUR,
          weight: str = "normal") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{colour}" '
        f'font-weight="{weight}" font-family="system-ui, sans-serif" paint-order="stroke" stroke="#fff" '
        f'stroke-width="3" stroke-linejoin="round">{escape(text)}</text>'
    )


def _nice_ceiling(value: float) -> float:
    """The next 'round' number ≥ value (1, 2, 2.5 or 5 × 10ⁿ), for an axis."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def magnesium_chart(member: MemberPlan, plan: Plan) -> str:
    """Bars: magnesium each day; a dashed line at the member's RDA (and the average, if a
    weekly average is what is planned)."""
    rda = member.targets.magnesium_mg
    values = [d.total("magnesium_mg") for d in member.days]
    if plan.topup is not None:  # a top-up's Targets hold the gap: show the usual intake with it
        rda = plan.topup.rda_mg
        values = [plan.topup.current_intake_mg + v for v in values]
    width, height, left, right, top, bottom = 480, 270, 48, 64, 22, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    headroom = max([*values, rda]) * 1.12  # room for the value labels above the bars
    step = _nice_ceiling(headroom / 5)
    y_max = step * math.ceil(headroom / step)
    ticks = [step * i for i in range(round(y_max / step) + 1)]

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    body = []
    for t in ticks:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID_COLOUR}"/>')
        body.append(_text(left - 6, y(t) + 4, _n(t), anchor="end", size=11, colour=MUTED_COLOUR))
    body.append(_text(left - 6, top - 8, "mg", anchor="end", size=11, colour=MUTED_COLOUR))
    slot = plot_w / len(values)
    bar_w = min(56.0, slot * 0.62)
    show_values = slot >= 30
    for i, v in enumerate(values):
        x = left + slot * i + (slot - bar_w) / 2
        colour = OK_COLOUR if v >= rda - 1e-6 or plan.weekly_average else SHORT_COLOUR
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{y(v):.1f}" width="{bar_w:.1f}" height="{y(0) - y(v):.1f}" '
            f'fill="{colour}" rx="2"><title>{escape(f"Day {i + 1}: {_n(v)} mg ({percent(v / rda)} of RDA)")}'
            "</title></rect>"
        )
        if show_values:
            body.append(_text(x + bar_w / 2, y(v) - 4, _n(v), anchor="middle", size=11))
        if show_values or i % max(1, math.ceil(30 / slot)) == 0:
            body.append(_text(x + bar_w / 2, height - bottom + 16, f"Day {i + 1}" if slot >= 44 else str(i + 1),
                              anchor="middle", size=11, colour=MUTED_COLOUR))  # fmt: skip
    # A white band under the red line: red on the green bars differs in hue only (HTML QA: a
    # luminance contrast of 1.02, lost in greyscale print and to red-green colour blindness).
    body.append(
        f'<line x1="{left}" x2="{width - right}" y1="{y(rda):.1f}" y2="{y(rda):.1f}" stroke="#fff" stroke-width="6"/>'
        f'<line class="rda" x1="{left}" x2="{width - right}" y1="{y(rda):.1f}" y2="{y(rda):.1f}" '
        f'stroke="{LINE_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    body.append(_text(width - right + 4, y(rda) - 2, "RDA", size=11, colour=LINE_COLOUR, weight="bold"))
    body.append(_text(width - right + 4, y(rda) + 11, f"{_n(rda)} mg", size=11, colour=LINE_COLOUR))
    if plan.weekly_average:
        avg = member.average("magnesium_mg")
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(avg):.1f}" y2="{y(avg):.1f}" stroke="{TEXT_COLOUR}" '
            'stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
        y_label = y(avg) + 4 if abs(y(avg) - y(rda)) > 28 else y(rda) + 26
        body.append(_text(width - right + 4, y_label, f"avg {_n(avg)}", size=11))
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{TEXT_COLOUR}"/>')
    label = f"Magnesium per day for {member_name(member)}, against the RDA of {_n(rda)} mg"
    if plan.topup is not None:
        label += f" (the usual {plan.topup.current_intake_mg:g} mg with each day's top-up)"
    # The values, which the bars' own titles hide from a screen reader inside role="img" (QA).
    label += ": " + ", ".join(f"day {i + 1} {_n(v)} mg" for i, v in enumerate(values))
    return _svg(width, height, label, body)


def coverage_chart(member: MemberPlan, plan: Plan) -> str:
    """A grid, days × nutrients: each cell a bar of the day's total as a share of its target
    (0–200%, a tick at 100%); green when the day meets it, orange when not."""
    rows = [coverage(d, member.targets, weekly_average=plan.weekly_average) for d in member.days]
    labels = [c.label for c in rows[0]]
    width, left, top, row_h = 760, 58, 34, 24
    height = top + row_h * len(rows) + 8
    col_w = (width - left - 8) / len(labels)
    bar_max = col_w - 50
    body = []
    for j, c in enumerate(rows[0]):
        x0 = left + j * col_w
        body.append(_text(x0, 14, labels[j], size=12, weight="bold"))
        header = c.target_text if c.label != "Energy" else f"{_n(c.target)} kcal"
        targets = sorted({round(r[j].target) for r in rows})
        if c.label in ("Protein", "Fiber") and len(targets) > 1:
            # These follow each day's energy (QA: the header gave day 1's, the bars each day's own).
            header = f"≥ {_n(targets[0])}–{_n(targets[-1])} {c.unit}, by day"
        body.append(_text(x0, 28, header, size=10, colour=MUTED_COLOUR))
    for i, day_cov in enumerate(rows):
        y0 = top + i * row_h
        if i % 2 == 0:
            body.append(f'<rect x="0" y="{y0}" width="{width}" height="{row_h}" fill="#f8f9fa"/>')
        body.append(_text(4, y0 + 16, f"Day {i + 1}", size=11, colour=MUTED_COLOUR))
        for j, c in enumerate(day_cov):
            body.append(_coverage_cell(c, left + j * col_w, y0, bar_max, row_h))
    for j in range(len(labels)):
        x100 = left + j * col_w + bar_max / 2
        body.append(
            f'<line x1="{x100:.1f}" x2="{x100:.1f}" y1="{top - 2}" y2="{top + row_h * len(rows)}" '
            f'stroke="{TEXT_COLOUR}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    label = (f"Nutrient coverage per day for {member_name(member)}: share of each minimum (energy: of its target; "
             "sodium: of its limit)")  # fmt: skip
    missed = [f"day {i + 1} {c.label}" for i, day_cov in enumerate(rows) for c in day_cov if not c.ok]
    label += "; " + (f"not met: {', '.join(missed)}" if missed else "every day meets every target")
    return _svg(width, int(height), label, body)


def _coverage_cell(c: Coverage, x0: float, y0: float, bar_max: float, row_h: int) -> str:
    shown = min(c.ratio, 2.0)
    colour = OK_COLOUR if c.ok else SHORT_COLOUR
    # What 100% is, then the target, whose range (protein) or window (energy) is not it.
    of = f"{c.reference_text} ({'window' if c.label == 'Energy' else 'target'} {c.target_text})"
    bar = (
        f'<rect x="{x0:.1f}" y="{y0 + 6}" width="{bar_max:.1f}" height="{row_h - 12}" fill="{GRID_COLOUR}" rx="2"/>'
        f'<rect x="{x0:.1f}" y="{y0 + 6}" width="{bar_max * shown / 2:.1f}" height="{row_h - 12}" fill="{colour}" '
        f'rx="2"><title>{escape(f"{c.label}: {c.value_text} {c.unit}, {percent(c.ratio)} of {of}")}'
        "</title></rect>"
    )
    more = "›" if c.ratio > 2.0 else ""
    return bar + _text(x0 + bar_max + 4, y0 + 16, f"{percent(c.ratio)}{more}", size=10,
                       colour=TEXT_COLOUR if c.ok else LINE_COLOUR)  # fmt: skip


def category_chart(member: MemberPlan) -> str:
    """Horizontal bars: each food category's share of the magnesium over all days."""
    shares = magnesium_by_category(member)
    total = sum(shares.values()) or 1.0
    width, left, row_h, top = 480, 84, 22, 6
    height = max(top + row_h * len(shares) + 6, 120)
    bar_max = width - left - 120
    largest = max(shares.values(), default=1.0) or 1.0
    body = []
    for i, (category, mg) in enumerate(shares.items()):
        y0 = top + i * row_h
        colour = CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["other"])
        w = bar_max * mg / largest
        body.append(_text(left - 8, y0 + 16, category, anchor="end", size=12))
        body.append(
            f'<rect class="bar" x="{left}" y="{y0 + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}" rx="2">'
            f"<title>{escape(f'{category}: {_n(mg)} mg, {percent(mg / total)}')}</title></rect>"
        )
        body.append(_text(left + w + 6, y0 + 16, f"{percent(mg / total)} · {_n(mg)} mg", size=11,
                          colour=MUTED_COLOUR))  # fmt: skip
    days = len(member.days)
    label = f"Share of the magnesium by food category over {days} day{'s' if days > 1 else ''}, {member_name(member)}"
    label += ": " + ", ".join(f"{category} {percent(mg / total)}" for category, mg in shares.items())
    return _svg(width, int(height), label, body)


def _day_html(day: Day, member: MemberPlan, plan: Plan, *, why: bool) -> str:
    title = "Day" if plan.days == 1 else f"Day {day.index + 1}"
    # Under a household member's "Meals: name" (h3) a day is h4 (QA: h3 followed h3).
    h = "h3" if len(plan.members) == 1 else "h4"
    cols = 5 + (2 if why else 0)
    names = ["g", "kcal", "Mg mg", "% RDA", *(("Mg/100 kcal", "share") if why else ())]
    head = '<tr><th scope="col">Food</th>' + "".join(f'<th scope="col" class="n">{escape(n)}</th>' for n in names)
    rows = [f"<thead>{head}</tr></thead>"]
    rda = member.targets.magnesium_mg if plan.topup is None else plan.topup.rda_mg
    for slot, slot_title in SLOT_TITLES.items():
        items = day.meal(slot)
        if not items:
            continue
        # A meal is a tbody, so that its header heads its rows only (QA review: one tbody made
        # "Breakfast" the header of the whole day).
        rows.append(f'<tbody><tr class="meal"><th scope="rowgroup" colspan="{cols}">{slot_title} '
                    f'<span class="muted">· {_n(day.meal_kcal(slot))} kcal</span></th></tr>')  # fmt: skip
        for item in items:
            colour = CATEGORY_COLOURS.get(item.food.category, CATEGORY_COLOURS["other"])
            cells = [
                f'<td><span class="swatch" style="background:{colour}" title="{escape(item.food.category)}" role="img" '
                f'aria-label="{escape(item.food.category)}"></span>'
                f'{escape(item.food.name)}<span class="measure">{escape(item.measure)}</span></td>',
                f'<td class="n">{grams_number(item.grams)}</td>',
                f'<td class="n">{_n(item.kcal)}</td>',
                f'<td class="n">{_n(item.magnesium_mg)}</td>',
                f'<td class="n">{percent(item.magnesium_mg / rda)}</td>',
            ]
            if why:
                cells.append(f'<td class="n">{density_text(item.food)}</td>')
                cells.append(f'<td class="n">{percent(item_share(item, day))}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        rows.append("</tbody>")
    mg = day.total("magnesium_mg")
    rows.append(
        f'<tbody><tr class="total"><td>Day total</td><td class="n"></td>'
        f'<td class="n">{_n(day.total("energy_kcal"))}</td>'
        f'<td class="n">{_n(mg)}</td><td class="n">{percent(mg / rda)}</td>'
        + ('<td class="n"></td><td class="n"></td>' if why else "")
        + "</tr></tbody>"
    )
    if plan.topup is not None:
        return (
            f'<section class="day" id="{escape(_anchor(member, plan, day))}"><{h}>{escape(title)}</{h}>'
            f'<table>{"".join(rows)}</table><p class="met ok">'
            f"{escape(topup_day_text(day, plan.topup))}</p></section>"
        )
    met = []
    # The upper limits a day comes near, as the table and Markdown show them (QA: iron at 43
    # of 45 mg was in the Markdown totals, not in the HTML).
    cover = coverage(day, member.targets, weekly_average=plan.weekly_average)
    for c in (*cover, *near_limits(day, member.targets)):
        css = "ok" if c.ok else "short"
        mark = "✓" if c.ok else "✗"
        met.append(f'<span class="{css}">{mark} {escape(c.label)} {c.value_text} {escape(c.unit)} '
                   f'<span class="muted">({escape(c.target_text)})</span></span>')  # fmt: skip
    grams = "" if shows_protein_grams(cover) else f"{protein_grams_text(day)}; "
    shares = grams + energy_shares_text(day, "carbs")
    return (
        f'<section class="day" id="{escape(_anchor(member, plan, day))}"><{h}>{escape(title)}</{h}>'
        f"<table>{''.join(rows)}</table>"
        f'<div class="met">{"".join(met)}<span class="muted">{escape(shares)}</span></div></section>'
    )


def _contents_html(plan: Plan) -> str:
    """For a household, links to each member and each of their days (HTML QA: 51 headings and
    33 printed pages with two links at the top). Hidden on paper, where links do nothing."""
    if len(plan.members) < 2:
        return ""
    items = []
    for member in plan.members:
        days = " ".join(f'<a href="#{escape(_anchor(member, plan, d))}">{d.index + 1}</a>' for d in member.days)
        name = escape(member_name(member))
        items.append(f'<li><a href="#{_member_anchor(member, plan)}">{name}</a>: day {days}</li>')
    return f'<nav class="contents" aria-label="Members and their days"><ul>{"".join(items)}</ul></nav>'


def _member_anchor(member: MemberPlan, plan: Plan) -> str:
    return f"m{plan.members.index(member) + 1}"


def _anchor(member: MemberPlan, plan: Plan, day: Day) -> str:
    return f"{_member_anchor(member, plan)}-day{day.index + 1}"


def _member_html(member: MemberPlan, plan: Plan, *, why: bool) -> str:
    t, topup = member.targets, plan.topup
    avg_mg = member.average("magnesium_mg")
    days_met = sum(d.total("magnesium_mg") >= t.magnesium_mg - 1e-6 for d in member.days)
    if topup is None:
        cards = [
            ("Magnesium target", f"{_n(t.magnesium_mg)} mg a day"),
            ("Average magnesium", f"{_n(avg_mg)} mg ({percent(avg_mg / t.magnesium_mg)})"),
            ("Days at the RDA", f"{days_met} of {len(member.days)}"),
            ("Average energy", f"{_n(member.average('energy_kcal'))} kcal"),
        ]
        targets = target_lines(t)
    else:
        with_usual = topup.current_intake_mg + avg_mg
        cards = [
            ("Magnesium to add", f"{_n(topup.gap_mg)} mg a day"),
            ("Average added", f"{_n(avg_mg)} mg"),
            ("With your usual intake", f"{_n(with_usual)} mg ({percent(with_usual / topup.rda_mg)} of RDA)"),
            ("Average energy added", f"{_n(member.average('energy_kcal'))} of {topup.kcal_budget:g} kcal"),
        ]
        targets = topup_target_lines(member, topup)
    # The heading, cards and targets stay together (QA: a member's heading and cards printed
    # alone at the foot of a page, their targets on the next).
    parts = [f'<section class="member" id="{_member_anchor(member, plan)}"><div class="member-head">',
             f"<h2>{escape(member.profile.describe())}</h2>",
             '<div class="summary">']  # fmt: skip
    parts += [f'<div class="card">{escape(k)}<b>{escape(v)}</b></div>' for k, v in cards]
    parts.append('</div><ul class="targets">')
    parts += [f"<li>{escape(line)}</li>" for line in targets]
    if wishes := member_wishes(plan, plan.members.index(member)):
        parts.append(f"<li>keeps to: {escape(wishes)}</li>")
    notes = member_notes(plan, plan.members.index(member))
    parts += [f"<li><strong>{kind.capitalize()}:</strong> {escape(text)}</li>" for kind, text in notes]
    if plan.weekly_average:
        parts.append("<li>magnesium is met on average over the days (--weekly-average), not each day</li>")
    parts.append("</ul></div>")
    for swap in member.swaps:
        parts.append(f"<p>Swap: {escape(str(swap))}</p>")
    if topup is not None and topup.gap_mg <= 0:
        parts.append(f"<p>{escape(topup.no_topup_message(member.profile.describe()))}</p></section>")
        return "".join(parts)
    parts.append('<div class="charts">')
    # A top-up's bars are the usual intake with the top-up, which only the chart's label said
    # (HTML QA: the table below gave 113 mg where the bar read 343).
    usual = "" if topup is None else f"your usual {topup.current_intake_mg:g} mg with each day's top-up"
    usual = f' <span class="muted">({escape(usual)})</span>' if usual else ""
    parts.append(f"<figure><figcaption>Magnesium per day{usual}</figcaption>{magnesium_chart(member, plan)}</figure>")
    over = "" if plan.days == 1 else f", all {plan.days} days"  # QA: the week's totals, not a day's
    parts.append(f"<figure><figcaption>Where the magnesium comes from{over}</figcaption>"
                 f"{category_chart(member)}</figure>")  # fmt: skip
    if topup is None:  # a top-up plans only magnesium and calories
        parts.append(
            '<figure class="wide"><figcaption>Nutrient coverage per day '
            '<span class="muted">(% of each minimum; energy: of its target; sodium: of its limit; bars end at '
            "200%)</span></figcaption>"
            f"{coverage_chart(member, plan)}</figure>"
        )
    # A household's members each have their meals under their own heading (QA: the day cards
    # sat on the chart box's border without one).
    own = f'<h3 class="meals">Meals: {escape(member_name(member))}</h3>'
    heading = "<h2>Meals</h2>" if len(plan.members) == 1 else own
    parts.append(f"</div>{heading}")
    parts.append('<div class="days wide">' if why else '<div class="days">')
    parts += [_day_html(d, member, plan, why=why) for d in member.days]
    parts.append("</div></section>")
    return "".join(parts)


def _menu_html(meals: list[MenuMeal], plan: Plan) -> str:
    """A household's shared menu, a table a day: each meal's foods once, the grams to cook for
    everyone and each person's portion side by side (see common.shared_menu)."""
    names = [member_name(m) for m in plan.members]
    head = '<tr><th scope="col">Food</th><th scope="col" class="n">To cook, g</th>' + "".join(
        f'<th scope="col">{escape(name)}</th>' for name in names
    )
    parts = [
        f'<section class="menu" id="menu"><h2>{escape(MENU_TITLE)}</h2>',
        f'<p class="muted">{escape(MENU_NOTE, quote=False)} (see their swaps).</p>',
        '<div class="days wide">',
    ]
    for day in range(plan.days):
        rows = [f"<thead>{head}</tr></thead>"]
        for meal in (m for m in meals if m.day == day):
            rows.append(f'<tbody><tr class="meal"><th scope="rowgroup" colspan="{len(names) + 2}">'
                        f"{SLOT_TITLES[meal.slot]}</th></tr>")  # fmt: skip
            for line in meal.lines:
                cells = "".join(f"<td>{escape(a)}</td>" if a else f'<td class="not-for">{escape(not_for(name))}</td>'
                                for a, name in zip(line.served, names, strict=True))  # fmt: skip
                rows.append(f'<tr><th scope="row">{escape(line.label)}</th><td class="n">{_n(line.grams)}</td>'
                            f"{cells}</tr>")  # fmt: skip
            rows.append("</tbody>")
        parts.append(f'<section class="day"><h3>Day {day + 1}</h3><table class="menu">{"".join(rows)}'
                     "</table></section>")  # fmt: skip
    parts.append("</div></section>")
    return "".join(parts)


def _shopping_html(plan: Plan) -> str:
    """The shopping list by category, in the Markdown list's columns: Food, Needed (the
    household measure), Grams (as eaten) and Buy."""
    items = shopping_list(plan.members)
    scope = ("the day" if plan.days == 1 else f"all {plan.days} days") + (
        "" if len(plan.members) == 1 else " and every member"
    )
    parts = [
        '<section class="shopping-list"><h2 id="shopping">Shopping list</h2>',
        f'<p class="muted">For {escape(scope)}: grams as eaten, summed before rounding up to what to buy.'
        + ("" if (note := labels_note(plan)) is None else f" {escape(note)}") + "</p>",
        '<div class="shopping">',
    ]
    category = None
    for item in items:
        if item.food.category != category:
            if category is not None:
                parts.append("</tbody></table></section>")
            category = item.food.category
            colour = CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["other"])
            parts.append(
                f'<section><h3><span class="swatch" style="background:{colour}"></span>{escape(category)}</h3>'
                '<table class="list"><thead><tr><th scope="col">Food</th><th scope="col">Needed</th>'
                '<th scope="col" class="n">Grams</th><th scope="col">Buy</th>'
                "</tr></thead><tbody>"
            )
        parts.append(
            f"<tr><td>{escape(item.food.name)}</td><td>{escape(item.measure)}</td>"
            f'<td class="n">{grams_number(item.grams)}</td><td>{escape(item.purchase)}</td></tr>'
        )
    if category is not None:
        parts.append("</tbody></table></section>")
    parts.append("</div></section>")
    return "".join(parts)


def _footer_html(plan: Plan) -> str:
    checks = plan.checks()
    ok = sum(c.ok for c in checks)
    lines = [
        f"Checked: {ok} of {len(checks)} targets met, recomputed from USDA values × grams.",
        f"Solver: {gap_text(plan)}",
        f"Data: {plan.data_version}",
    ]
    if (cost := cost_text(plan)) is not None:
        lines.insert(0, cost)
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    if (asked := asked_with(plan)) is not None:
        parts = "".join(f"<li>{escape(who)}: {escape(text)}</li>" for who, text in asked.parts)
        items += f"<li>Asked with: {escape(asked.text)}" + (f"<ul>{parts}</ul>" if parts else "") + "</li>"
    notes = "".join(f"<li>{escape(n)}</li>" for n in plan.notes)
    return (
        (f'<section class="notes" aria-labelledby="notes"><h2 id="notes">Notes</h2><ul>{notes}</ul></section>'
         if notes else "")
        + f'<p class="note"><strong>Note:</strong> {escape(CARE_NOTE)}</p>'
        f"<footer><h2>How this plan was made</h2><ul>{items}</ul></footer>"
    )


def _warnings_html(plan: Plan) -> str:
    """The plan's warnings, first in the page (QA: printed last, small and grey, an older
    reader missed the calcium note)."""
    if not plan.warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in plan.warnings)
    return (f'<section class="warnings" aria-labelledby="warnings"><h2 id="warnings">Warnings</h2><ul>{items}</ul>'
            "</section>")


def render_html(plan: Plan, *, why: bool = False) -> str:
    """The whole plan as one HTML page with inline CSS and SVG charts; no network needed."""
    from .. import __version__

    title = f"Meal plan: {plan_title(plan)}"
    mg = ", ".join(f"{member_name(m)}: {_n(m.targets.magnesium_mg)} mg magnesium a day" for m in plan.members)
    if plan.topup is not None:
        mg = f"{member_name(plan.members[0])}: add {_n(plan.topup.gap_mg)} mg magnesium a day"
    menu = shared_menu(plan)
    body = [
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="subtitle">{escape(mg)} · {escape(plan.solve.status)}, gap '
        f"{escape('unknown' if plan.solve.gap is None else f'{plan.solve.gap * 100:.2f}%')}"
        + (' · <a href="#menu">shared menu</a>' if menu else "")
        + ' · <a href="#shopping">shopping list</a></p></header><main>',
    ]
    body.append(_warnings_html(plan))
    body.append(_contents_html(plan))
    if menu:
        body.append(_menu_html(menu, plan))
    body += [_member_html(m, plan, why=why) for m in plan.members]
    body.append(_shopping_html(plan))
    body.append("</main>")
    body.append(_footer_html(plan))
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="mealplan {escape(__version__)}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>" + "\n".join(body) + "</body></html>\n"
    )

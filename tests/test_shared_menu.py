"""A household's shared menu as a cook reads it: each meal's foods once, the grams to cook for
everyone and each member's portion side by side (QA: a family cook had to put dinner together
from five members' plans). Checked against the members' own days, in the table, Markdown and
HTML; and the HTML report's accessibility points from the same QA round."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mealplan.catalog import load_foods
from mealplan.household import load_household, plan_household
from mealplan.plan import Item, Plan
from mealplan.report import render
from mealplan.report.common import MenuLine, shared_menu
from mealplan.report.html import LINE_COLOUR, MUTED_COLOUR, OK_COLOUR
from mealplan.report.markdown import md

REPO = Path(__file__).resolve().parents[1]
FAMILY = REPO / "examples" / "households" / "family-of-four.toml"
FAST = {"days": 2, "solver": "cbc", "gap": 0.1, "time_limit": 60}


@pytest.fixture(scope="module")
def shared(family_shared: Plan) -> Plan:
    return family_shared


@pytest.fixture(scope="module")
def separate() -> Plan:
    return plan_household(load_household(FAMILY, {**FAST, "days": 1}), shared_meals=False)


def _meal(plan: Plan, member: int, day: int, slot: str) -> dict[str, Item]:
    return {item.food.ndb_no: item for item in plan.members[member].days[day].items if item.slot == slot}


def test_the_menu_holds_every_members_portion_of_every_meal_once(shared: Plan) -> None:
    menu = shared_menu(shared)
    seen = {(meal.day, meal.slot) for meal in menu}
    for day in range(shared.days):
        for slot in ("breakfast", "lunch", "dinner", "snack"):
            eaten = [_meal(shared, m, day, slot) for m in range(len(shared.members))]
            foods = set().union(*eaten)
            assert ((day, slot) in seen) == bool(foods)
            if not foods:
                continue
            (meal,) = [x for x in menu if (x.day, x.slot) == (day, slot)]
            listed = [line.food.ndb_no for line in meal.lines]
            assert sorted(listed) == sorted(foods)  # each food once
            for line in meal.lines:
                for m, portion in enumerate(line.portions):
                    own = eaten[m].get(line.food.ndb_no)
                    assert portion is own or (portion is not None and own is not None and portion == own)
                    assert (portion is None) == (line.food.ndb_no not in eaten[m])
                grams = sum(eaten[m][line.food.ndb_no].grams for m in range(len(eaten)) if line.food.ndb_no in eaten[m])
                assert line.grams == pytest.approx(grams)
    # Leo (6) has no coffee or tea: somewhere a food is not for him.
    assert any(line.portions[3] is None for meal in menu for line in meal.lines)


def test_separate_plans_and_one_person_have_no_shared_menu(separate: Plan) -> None:
    assert shared_menu(separate) == []
    assert "Shared menu" not in render(separate, "table")
    assert 'id="menu"' not in render(separate, "html")


def _items(name: str, *halves: int) -> MenuLine:
    food = next(f for f in load_foods() if f.name == name)
    return MenuLine(food, tuple(Item("lunch", food, n) if n else None for n in halves))


@pytest.mark.parametrize(
    ("name", "halves", "label", "amounts"),
    [("quinoa", (4, 2, 0), "quinoa, cooked", ("1 cup", "1/2 cup", None)),
     ("espresso", (1, 4), "espresso", ("1 fl oz", "4 fl oz")),
     ("okra", (1, 2), "okra slices, cooked", ("1/4 cup", "1/2 cup")),
     ("pumpkin seeds", (1, 3), "pumpkin seeds", ("1/2 oz", "1 1/2 oz")),
     ("coffee", (2, 2), "coffee", ("1 cup (8 fl oz)", "1 cup (8 fl oz)")),
     ("beet greens", (1, 2), 'beet greens (1" pieces), cooked', ("1/4 cup", "1/2 cup"))],
)  # fmt: skip
def test_a_menu_line_says_what_its_measures_share_once(name: str, halves: tuple[int, ...], label: str,
                                                       amounts: tuple[str | None, ...]) -> None:  # fmt: skip
    line = _items(name, *halves)
    assert line.label == label
    assert line.amounts == amounts
    # Put back together, each amount is the member's own measure; the menu prints its grams too.
    for item, amount, served in zip(line.portions, amounts, line.served, strict=True):
        assert (item is None) == (amount is None) == (served is None)
        if item is not None and amount is not None:
            assert item.measure == amount + line.label.removeprefix(name)
            grams = f"{item.grams:,.0f} g"
            assert served == (f"{amount[:-1]}; {grams})" if amount.endswith(")") else f"{amount} ({grams})")


def test_the_table_puts_the_menu_before_the_members(shared: Plan) -> None:
    text = render(shared, "table")
    menu_at, first_member = text.index("Shared menu: what to cook"), text.index("mealplan — 2-day plan for")
    assert menu_at < first_member
    menu_text = text[menu_at:first_member]
    names = [m.profile.name for m in shared.members]
    rows, at = menu_text.splitlines(), 0
    for meal in shared_menu(shared):
        for line in meal.lines:  # in order, each line's grams on its row or the next (a long label's)
            at = next(i for i in range(at, len(rows)) if rows[i].startswith(f"    {line.label}"))
            assert f" {line.grams:,.0f} g   " in rows[at] + rows[at + 1]
            at += 1
    assert re.search(r"; not for [A-Za-z, ]*\bLeo\b", menu_text)
    assert all(len(row) <= 118 for row in menu_text.splitlines())
    assert not any(row.lstrip().startswith("·") for row in menu_text.splitlines())
    assert set(names) <= set(re.findall(r"\b(Daniel|Ana|Mia|Leo)\b", menu_text))


def test_markdown_gives_a_table_a_day_with_a_column_a_member(shared: Plan) -> None:
    text = render(shared, "markdown")
    names = ["Daniel", "Ana", "Mia", "Leo"]
    header = f"| Meal | Food | To cook, g | {' | '.join(names)} |"
    assert text.count(header) == shared.days
    assert text.index("## Shared menu") < text.index(f"## {shared.members[0].profile.describe()}")
    rows = [row for row in text.splitlines() if row.startswith("| ") and row.count("|") == 8]
    lines = [line for meal in shared_menu(shared) for line in meal.lines]
    body = [row for row in rows if row != header and not row.startswith("| :---")]
    assert len(body) == len(lines)
    for row, line in zip(body, lines, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[2] == f"{line.grams:,.0f}"
        # In words, not a dash, and every row names its meal (QA with a screen reader).
        assert cells[3:] == [a or f"not for {name}" for a, name in zip(line.served, names, strict=True)]
        assert cells[0] in ("Breakfast", "Lunch", "Dinner", "Snack")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, Any]]] = []
        self.stack: list[str] = []
        self.in_thead = False
        self.headers: list[tuple[str, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "thead":
            self.in_thead = True
        if tag == "th" and self.in_thead:
            self.headers.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self.in_thead = False


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_html_has_the_menu_first_and_linked(shared: Plan) -> None:
    html = render(shared, "html")
    assert '<a href="#menu">shared menu</a>' in html
    assert html.index('id="menu"') < html.index('class="member"')
    menu_html = html[html.index('id="menu"') : html.index('<section class="member"')]
    assert menu_html.count('<table class="menu">') == shared.days
    for name in ("Daniel", "Ana", "Mia", "Leo"):
        assert f'<th scope="col">{name}</th>' in menu_html
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="n">([\d,]+)</td>', menu_html)
    assert [(label, grams) for label, grams in rows] == [
        (line.label.replace('"', "&quot;"), f"{line.grams:,.0f}") for meal in shared_menu(shared) for line in meal.lines
    ]
    # A member who eats a swap is named in words, not a faint dash (QA: a coeliac's gluten cereal).
    missed = [(line, name) for meal in shared_menu(shared) for line in meal.lines
              for a, name in zip(line.amounts, ["Daniel", "Ana", "Mia", "Leo"], strict=True) if a is None]  # fmt: skip
    assert missed and menu_html.count('<td class="not-for">not for ') == len(missed)
    assert "–</td>" not in menu_html


def test_html_accessibility_points(shared: Plan) -> None:
    """QA with a screen reader and low vision: column headers with scope, a main landmark,
    headings without a skipped level, charts whose label carries their values, and colours of
    text at WCAG AA contrast."""
    html = render(shared, "html")
    parsed = _parse(html)
    assert parsed.headers and all(attrs.get("scope") == "col" for _tag, attrs in parsed.headers)
    assert [t for t, _ in parsed.tags].count("main") == 1
    levels = [int(t[1]) for t, _ in parsed.tags if re.fullmatch(r"h[1-6]", t)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    labels = [attrs["aria-label"] for tag, attrs in parsed.tags if tag == "svg"]
    daniel = shared.members[0]
    first = f"day 1 {daniel.days[0].total('magnesium_mg'):,.0f} mg"
    assert any(label.startswith("Magnesium per day for Daniel") and first in label for label in labels)
    assert any(label.startswith("Share of the magnesium by food category") and "%" in label for label in labels)
    assert any(label.startswith("Nutrient coverage") and "every day meets every target" in label for label in labels)
    swatches = [attrs for tag, attrs in parsed.tags if tag == "span" and attrs.get("class") == "swatch"
                and "title" in attrs]  # fmt: skip
    assert swatches and all(attrs.get("role") == "img" and attrs.get("aria-label") for attrs in swatches)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", [OK_COLOUR, MUTED_COLOUR, LINE_COLOUR])
def test_text_colours_reach_aa_contrast_on_white_and_on_cards(colour: str) -> None:
    assert _contrast(colour, "#ffffff") >= 4.5
    assert _contrast(colour, "#f8f9fa") >= 4.5


# --------------------------------------------------------------------- cross-contact


def _cross_contact_expected(plan: Plan, allergens: set[str], pool: dict[str, dict[str, str]]) -> dict[str, set[int]]:
    """The menu's foods holding or maybe holding ``allergens``, by pool.csv's own columns."""
    out: dict[str, set[int]] = {}
    for m in plan.members:
        for day in m.days:
            for item in day.items:
                row = pool[item.food.ndb_no]
                tags = set(row["allergens"].split(";")) | set(row["may_contain"].split(";"))
                if tags & allergens:
                    out.setdefault(row["name"], set()).add(day.index + 1)
    return out


def test_a_member_who_excludes_an_allergen_is_told_of_it_on_the_shared_menu(
        pool_rows: dict[str, dict[str, str]]) -> None:  # fmt: skip
    """QA: almond butter was on the shared menu of a husband allergic to tree nuts, with a swap
    line only. Here a member asks for almond butter every day and the other excludes tree nuts."""
    from mealplan.household import household_from_data

    data = {
        "household": {"name": "h", "days": 2, "solver": "cbc", "gap": 0.1, "time_limit": 60},
        "members": [{"name": "Rob", "age": 40, "sex": "male", "require": ["almond butter"]},
                    {"name": "Tom", "age": 35, "sex": "male", "exclude": ["tree nuts"]}],
    }  # fmt: skip
    plan = plan_household(household_from_data(data, Path("h.toml")), shared_meals=True)
    expected = _cross_contact_expected(plan, {"tree_nuts"}, pool_rows)
    assert "almond butter" in expected
    (note,) = [w for w in plan.warnings if w.startswith("for Tom: the shared menu has foods")]
    listed = note.split("avoids: ", 1)[1].split(". If that", 1)[0]
    assert {part.split(" (")[0] for part in listed.split("; ")} == set(expected)
    assert "almond butter (days 1–2)" in listed
    assert note.endswith("or exclude tree nuts for the whole household to keep them out of the kitchen")
    # Celiac disease is named for gluten only (QA: this tree-nut note named it).
    assert ". If that is an allergy, keep Tom's food apart" in note and "celiac" not in note
    assert not any(w.startswith("for Rob: the shared menu") for w in plan.warnings)


def test_the_cross_contact_note_follows_the_menu(shared: Plan, pool_rows: dict[str, dict[str, str]]) -> None:
    # Family of four: Ana excludes milk, Leo tree nuts (and the household peanuts, for all).
    for name, allergen in (("Ana", "milk"), ("Leo", "tree_nuts")):
        expected = _cross_contact_expected(shared, {allergen}, pool_rows)
        notes = [w for w in shared.warnings if w.startswith(f"for {name}: the shared menu has foods")]
        assert len(notes) == bool(expected)
        if expected:
            listed = notes[0].split("avoids: ", 1)[1].split(". If that", 1)[0]
            assert {part.split(" (")[0] for part in listed.split("; ")} == set(expected)


@pytest.mark.parametrize(("days", "text"), [({2}, "day 3"), ({0, 1, 2, 3}, "days 1–4"),
                                            ({0, 2, 4, 5, 6}, "days 1, 3, 5–7")])  # fmt: skip
def test_days_are_said_as_runs(days: set[int], text: str) -> None:
    from mealplan.household import _days_text

    assert _days_text(days) == text


def test_a_members_notes_are_in_their_own_section(shared: Plan) -> None:
    """QA: a toddler's serving advice was on the last of 31 pages. A household's warnings and
    notes about a member are also shown under that member's targets, in every readable format,
    each labelled as what it is (review: a calcium warning read "note:" there)."""
    about = [(kind, text.split(": ", 1)[1]) for kind, texts in (("warning", shared.warnings), ("note", shared.notes))
             for text in texts if text.startswith("for Leo")]  # fmt: skip
    assert ("note", next(t for k, t in about if "upper level of 110 mg" in t)) in about  # a note, and shown
    text = render(shared, "table")
    sections = text.split("mealplan — 2-day plan for ")
    (leo_section,) = [s for s in sections if s.startswith("Leo")]
    assert all(f"  {kind}: {line}" in leo_section for kind, line in about)
    (daniel,) = [s for s in sections if s.startswith("Daniel")]
    assert [line for line in daniel.splitlines() if line.startswith(("  note: ", "  warning: "))] == [
        f"  {kind}: {t.removeprefix('for Daniel: ')}" for kind, texts in (("warning", shared.warnings),
                                                                          ("note", shared.notes))
        for t in texts if t.startswith("for Daniel: ")]  # fmt: skip
    markdown = render(shared, "markdown")
    # As Markdown writes text (a file's key, require = ["eggs"], has its brackets escaped).
    assert all(f"- {kind}: {md(line)}" in markdown for kind, line in about)
    html = render(shared, "html")
    leo_html = html[html.index("<h2>Leo: 6-year-old male</h2>") :]
    assert "<li><strong>Note:</strong> magnesium from food has no upper limit" in leo_html
    # Somebody's calcium warning reads as a warning in their section.
    calcium = next(w for w in shared.warnings if w.startswith("for ") and "calcium" in w)
    who, line = calcium.removeprefix("for ").split(": ", 1)
    (section,) = [s for s in sections if s.startswith(who)]
    assert f"  warning: {line}" in section and f"  note: {line}" not in section


def test_a_members_notes_are_theirs_only_when_one_name_starts_another(shared: Plan) -> None:
    """QA review: 'Sam' was shown the notes of 'Sam (Jr)' ('for Sam (Jr) (under 4): …')."""
    import dataclasses

    from mealplan.report.common import member_notes

    names = ["Sam", "Sam (Jr)", "Ann", "Anna: the elder"]
    members = tuple(
        dataclasses.replace(m, profile=dataclasses.replace(m.profile, name=n))
        for m, n in zip(shared.members, names, strict=True)
    )
    warnings = ("for Sam (Jr) (under 4): serve soft", "for Sam: keep apart", "for Anna: the elder (under 9): fine",
                "for Ann: one", "for Sammy: not Sam's",
                # said once for several (household.merged_by_member; QA: in none of their sections)
                "for Sam and Ann: both", "for Sam (Jr), Ann and Anna: the elder: three", "for Sam and Sammy: no one")
    plan = dataclasses.replace(shared, members=members, warnings=warnings,
                               notes=("for Ann: a note", "for Anna: the elder and Sam: shared"))
    assert [member_notes(plan, i) for i in range(4)] == [
        [("warning", "keep apart"), ("warning", "both"), ("note", "shared")],
        [("warning", "serve soft"), ("warning", "three")],
        [("warning", "one"), ("warning", "both"), ("warning", "three"), ("note", "a note")],
        [("warning", "fine"), ("warning", "three"), ("note", "shared")]]  # fmt: skip


def _two_at_a_table(avoider: dict[str, Any], eater: dict[str, Any], **household: Any) -> Plan:
    from mealplan.household import household_from_data

    data = {"household": {"name": "h", "days": 1, "solver": "cbc", "gap": 0.1, "time_limit": 60, **household},
            "members": [{"name": "Pat", "age": 40, "sex": "female", **avoider},
                        {"name": "Kim", "age": 38, "sex": "male", **eater}]}  # fmt: skip
    return plan_household(household_from_data(data, Path("h.toml")), shared_meals=True)


@pytest.mark.parametrize("avoider", [{"diet": ["gluten-free"]}, {"exclude": ["gluten"]}], ids=["diet", "exclude"])
def test_a_gluten_free_member_is_told_of_the_menus_gluten(avoider: dict[str, Any]) -> None:
    """QA review: celiac disease is the classic cross-contact case, and the note said nothing."""
    plan = _two_at_a_table(avoider, {"require": ["whole-wheat bread"]})
    (note,) = [w for w in plan.warnings if w.startswith("for Pat: the shared menu has foods")]
    assert "that hold or may hold gluten, which Pat avoids: " in note and "whole-wheat bread (day 1)" in note
    assert note.endswith("or exclude gluten for the whole household to keep them out of the kitchen")
    assert ". If that is an allergy or celiac disease, keep Pat's food apart" in note
    listed = {part.split(" (")[0] for part in note.split("avoids: ", 1)[1].split(". If that", 1)[0].split("; ")}
    eaten = {i.food.name for m in plan.members for d in m.days for i in d.items}
    assert listed == {f.name for f in load_foods() if f.name in eaten and "gluten-free" not in f.diets}


def test_a_dairy_free_member_is_told_of_the_menus_milk() -> None:
    plan = _two_at_a_table({"diet": ["dairy-free"]}, {"require": ["yogurt"]})
    (note,) = [w for w in plan.warnings if w.startswith("for Pat: the shared menu has foods")]
    assert "may hold milk, which Pat avoids: " in note and "yogurt (day 1)" in note


def test_a_food_added_from_usda_counts_as_maybe_holding_the_allergen() -> None:
    """QA review: dry-roasted almonds added from USDA (no allergen tags) were on the menu of a
    member excluding tree nuts, with no note."""
    plan = _two_at_a_table({"exclude": ["tree nuts"]}, {"require": ["12063"]}, add_food=["12063"])
    (note,) = [w for w in plan.warnings if w.startswith("for Pat: the shared menu has foods")]
    assert "nuts, almonds, dry roasted" in note


def test_each_meal_is_a_row_group_of_its_own(shared: Plan) -> None:
    """QA review: a meal's <th scope="rowgroup"> sat in the day's one <tbody>, so "Breakfast"
    headed the lunch, dinner and snack rows too. Each meal is its own <tbody>."""
    html = render(shared, "html")
    groups = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    meal_groups = [g for g in groups if 'scope="rowgroup"' in g]
    assert meal_groups and all(g.count('scope="rowgroup"') == 1 and g.startswith('<tr class="meal">')
                               for g in meal_groups)  # fmt: skip
    meals = sum(1 for m in shared.members for d in m.days for s in ("breakfast", "lunch", "dinner", "snack") if d.meal(s))
    assert len(meal_groups) == meals + len(shared_menu(shared))


def test_a_households_html_links_each_member_and_day_and_every_link_lands(family_shared: Any) -> None:
    """HTML QA: a household's report (51 headings) had no way to a member or a day but scrolling."""
    from mealplan.report import render

    page = render(family_shared, "html")
    nav = page[page.index('<nav class="contents"'):page.index("</nav>")]
    for i, member in enumerate(family_shared.members, start=1):
        assert f'href="#m{i}"' in nav
        assert all(f'href="#m{i}-day{d + 1}"' in nav for d in range(len(member.days)))
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'href="#([^"]+)"', page)) <= set(ids)



LIKED_SALMON = ("liked but not planned: salmon: the plan prefers the foods richest in magnesium for their calories, "
                "and a like of 1 counts as much as twice that richness; ")
IN_KEYS = 'give a like more weight (like = ["salmon=3"]) or require it (require = ["salmon"])'
ON_THE_MENU = ("the shared menu weighs a food by the members' mean like, so like it for the whole household "
               '([household] like = ["salmon=3"]) or require it (require = ["salmon"])')


@pytest.mark.parametrize("shared_meals", [True, False], ids=["shared", "separate"])
def test_a_members_liked_food_left_off_the_menu_is_named_in_the_files_keys(shared_meals: bool) -> None:
    """QA: a member's liked salmon, absent from the shared menu, went unsaid (one person's plan
    and separate plans said it, with flags a household file has no use for). The fix it gives
    plans salmon: on a shared menu one member's like counts for half, so the household's."""
    from mealplan.household import household_from_data

    pat, kim = {"name": "Pat", "age": 40, "sex": "female"}, {"name": "Kim", "age": 38, "sex": "male"}
    head = {"name": "h", "days": 1, "solver": "cbc", "gap": 0.1, "time_limit": 60}

    def plan(household: dict[str, Any], **wishes: list[str]) -> Plan:
        data = {"household": {**head, **household}, "members": [{**pat, **wishes}, kim]}
        return plan_household(household_from_data(data, Path("h.toml")), shared_meals=shared_meals)

    def eaten(plan: Plan) -> set[str]:
        return {item.food.name for day in plan.members[0].days for item in day.items}

    def told(plan: Plan) -> list[str]:
        return [w for w in plan.warnings if "liked but not planned" in w]

    plain = plan({}, like=["salmon", "chia seeds"])
    assert "salmon" not in eaten(plain) and "chia seeds" in eaten(plain)
    assert told(plain) == [f"for Pat: {LIKED_SALMON}{ON_THE_MENU if shared_meals else IN_KEYS}"]
    heavier = plan({"like": ["salmon=3"]}) if shared_meals else plan({}, like=["salmon=3"])
    required = plan({}, like=["salmon"], require=["salmon"])
    for fixed in (heavier, required):
        assert "salmon" in eaten(fixed) and not told(fixed)


def test_the_menus_note_says_what_not_for_means_on_a_swaps_line(shared: Plan) -> None:
    """QA: a member's swap is a line of its own, "not for" everyone else; the note said "not for"
    marked a member who eats a swap, which those members do not."""
    text = render(shared, "markdown")
    assert ('"not for" them where they do not eat it: a food they eat a swap for, or another member\'s swap.'
            in text)  # fmt: skip


@pytest.mark.parametrize("shared_meals", [True, False], ids=["shared", "separate"])
def test_a_warning_said_once_for_several_members_is_in_each_of_their_sections(shared_meals: bool) -> None:
    """QA: the family's "for Daniel and Leo: … vitamin B12 …" was in neither Daniel's nor Leo's
    own section, which matched 'for NAME: ' only."""
    from mealplan.household import household_from_data
    from mealplan.report.common import member_notes

    data = {"household": {"name": "h", "days": 1, "solver": "cbc", "gap": 0.1, "time_limit": 60},
            "members": [{"name": "Pat", "age": 40, "sex": "female", "diet": ["vegan"]},
                        {"name": "Kim", "age": 38, "sex": "male", "diet": ["vegan"]},
                        {"name": "Lou", "age": 10, "sex": "male"}]}  # fmt: skip
    plan = plan_household(household_from_data(data, Path("h.toml")), shared_meals=shared_meals)
    (b12,) = [text for text in plan.warnings if "a vegan diet needs vitamin B12" in text]
    assert b12.startswith("for Pat and Kim: ")
    said = b12.removeprefix("for Pat and Kim: ")
    assert [said in [text for _kind, text in member_notes(plan, i)] for i in range(3)] == [True, True, False]

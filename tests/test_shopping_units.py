"""Purchase units of the shopping list: cooked foods bought dry or raw, refuse (peel, rind,
stems) added to what is bought by weight, counts that say the size of one unit, and the same
columns in the Markdown and HTML lists.

Expected dry weights are recomputed here from the USDA water values in
``data/usda/nutrients.csv``, and refuse from ``refuse_pct`` in ``data/pool.csv``, both read
with nothing but csv.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mealplan.catalog import Food, load_foods, parse_foods
from mealplan.errors import DataError
from mealplan.plan import Plan
from mealplan.planner import plan_week
from mealplan.report import render, render_shopping
from mealplan.report.markdown import md
from mealplan.shopping import purchase_for, shopping_list
from mealplan.solver import SolveOptions
from mealplan.targets import Profile

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = REPO.parent / "shared" / "usda"
BUILD = REPO / "scripts" / "build_data.py"

need_shared = pytest.mark.skipif(not (SHARED / "nutrients.csv").is_file(), reason=f"USDA extract not found at {SHARED}")

# Words of a USDA description that say how a food was prepared, not which food it is.
PREPARATION = frozenset(
    "cooked boiled drained without with salt dry heat moist baked roasted steamed prepared unprepared "
    "raw uncooked mature seeds".split()
)
RAW_WORD = re.compile(r"\b(raw|dry|uncooked|unprepared)\b", re.IGNORECASE)
COOKING_WORD = re.compile(r"\b(cooked|boiled|baked|steamed|poached|prepared)\b", re.IGNORECASE)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def usda_foods_csv() -> dict[str, dict[str, str]]:
    return {r["ndb_no"]: r for r in _read(DATA / "usda" / "foods.csv")}


@pytest.fixture(scope="module")
def curated_pairs() -> list[tuple[str, str]]:
    """(cooked ndb_no, raw ndb_no) of every curation row that names a raw counterpart."""
    return [(r["ndb_no"], r["raw_ndb_no"]) for r in _read(DATA / "curation" / "pool.csv") if r["raw_ndb_no"]]


def _core(description: str) -> set[str]:
    words = re.findall(r"[a-z][a-z-]*", description.lower())
    return {w for w in words if w not in PREPARATION}


def _expected_purchase_g(raw_g: float) -> float:
    """The list's rounding, written out: up to 50 g, or to 100 g above 1 kg; at least one step."""
    step = 100.0 if raw_g > 1000 else 50.0
    return max(step, math.ceil(raw_g / step - 1e-9) * step)


def _water(usda_nutrients: dict[str, dict[str, str]], ndb_no: str) -> float:
    return float(usda_nutrients[ndb_no]["water_g"])


def _edible_share(pool_rows: dict[str, dict[str, str]], ndb_no: str) -> float:
    """1 − refuse/100 from data/pool.csv; a blank refuse (unknown) counts as none."""
    return 1 - float(pool_rows[ndb_no]["refuse_pct"] or 0) / 100


# ---------------------------------------------------------------------------- curation


def test_curated_counterparts_are_the_same_food_raw_or_dry(
    curated_pairs: list[tuple[str, str]], usda_foods_csv: dict[str, dict[str, str]]
) -> None:
    assert len(curated_pairs) >= 20
    for cooked, raw in curated_pairs:
        cooked_desc = usda_foods_csv[cooked]["description"]
        raw_desc = usda_foods_csv[raw]["description"]
        assert RAW_WORD.search(raw_desc), (cooked_desc, raw_desc)
        assert not COOKING_WORD.search(raw_desc), (cooked_desc, raw_desc)
        assert COOKING_WORD.search(cooked_desc), (cooked_desc, raw_desc)
        # The same food: every word naming the cooked food names the raw one too
        # ("Peas, split, …, cooked" ↔ "Peas, green, split, mature seeds, raw").
        assert _core(cooked_desc) <= _core(raw_desc), (cooked_desc, raw_desc)
        assert usda_foods_csv[cooked]["food_group"] == usda_foods_csv[raw]["food_group"], (cooked_desc, raw_desc)


def test_pool_copies_the_curated_counterparts(
    curated_pairs: list[tuple[str, str]], pool_rows: dict[str, dict[str, str]]
) -> None:
    curated = dict(curated_pairs)
    assert {n: r["raw_ndb_no"] for n, r in pool_rows.items() if r["raw_ndb_no"]} == curated
    assert {f.ndb_no: f.raw_ndb_no for f in load_foods() if f.raw_ndb_no} == curated


def test_no_pool_food_is_bought_by_cooked_weight() -> None:
    """Every cooked food is bought by the can, loaf or piece, or dry or raw: the curation
    leaves no food for which the list can only say "(cooked weight)"."""
    for food in load_foods():
        for servings in (1, 7):
            text = purchase_for(food, food.serving_grams * servings, servings).text
            assert "cooked weight" not in text, (food.name, text)


def test_only_coffee_and_tea_are_bought_as_enough_to_brew() -> None:
    """QA: mineral water added from USDA was "enough to brew 8 fl oz"."""
    from mealplan.catalog import food_from_usda

    water = food_from_usda("14075")  # "Beverages, … naturally sparkling mineral water,"
    assert water.name.endswith("mineral water")  # not its description's last comma
    assert purchase_for(water, water.serving_grams, 1).text == f"enough for {water.serving_measure}"
    drinks = [f for f in load_foods() if f.category == "beverages"]
    bought = {f.name: purchase_for(f, f.serving_grams, 1).text for f in drinks}
    assert bought == {"black tea": "1 tea bag", "coffee": "enough to brew 1 cup (8 fl oz)",
                      "espresso": "enough to brew 2 fl oz", "green tea": "1 tea bag"}  # fmt: skip


# ---------------------------------------------------------------------------- dry weights


@pytest.mark.parametrize("cooked_g", [90.0, 185.0, 984.0, 1944.0, 3752.0])
def test_dry_weight_keeps_the_dry_matter_of_usda_water_values(
    cooked_g: float, usda_nutrients: dict[str, dict[str, str]], pool_rows: dict[str, dict[str, str]]
) -> None:
    foods = [f for f in load_foods() if f.raw_ndb_no]
    assert foods
    for food in foods:
        dry_matter_g = cooked_g * (100 - _water(usda_nutrients, food.ndb_no)) / 100
        edible_raw_g = dry_matter_g / ((100 - _water(usda_nutrients, food.raw_ndb_no)) / 100)
        if food.category in ("fish", "poultry"):  # or the protein, when that asks for more
            protein = {n: float(usda_nutrients[n]["protein_g"]) for n in (food.ndb_no, food.raw_ndb_no)}
            edible_raw_g = max(edible_raw_g, cooked_g * protein[food.ndb_no] / protein[food.raw_ndb_no])
        if food.category in ("vegetables", "greens"):  # never less raw than eaten (QA: kale "gained" 58%)
            edible_raw_g = max(edible_raw_g, cooked_g)
        raw_g = edible_raw_g / _edible_share(pool_rows, food.ndb_no)  # with the rind, stems…
        expected = _expected_purchase_g(raw_g)
        bought = purchase_for(food, cooked_g, cooked_g / food.serving_grams)
        assert (bought.quantity, bought.unit) == (expected, "g"), food.name
        # What is bought, cooked, covers what is eaten; and no whole step more than needed.
        assert bought.grams >= cooked_g - 1e-9, food.name
        assert bought.grams == pytest.approx(expected / raw_g * cooked_g), food.name
        assert expected - raw_g < (100 if raw_g > 1000 else 50), food.name
        cooked_text = f"{cooked_g / 1000:.1f} kg" if cooked_g >= 1000 else f"{cooked_g:.0f} g"
        bought_text = f"{expected / 1000:.1f} kg" if expected >= 1000 else f"{expected:.0f} g"
        refuse, what = pool_rows[food.ndb_no]["refuse_pct"], pool_rows[food.ndb_no]["refuse_desc"].lower()
        said = f"; {refuse}% is (not eaten: )?{re.escape(what)}" if refuse not in ("", "0") else ""
        assert re.fullmatch(rf"{bought_text} (dry|raw|frozen) \(for {cooked_text} cooked{said}\)", bought.text), (
            bought.text
        )


def test_the_testers_amaranth(usda_nutrients: dict[str, dict[str, str]]) -> None:
    """984 g of cooked amaranth is about 276 g of the dry grain: bought as 300 g, not 1 kg."""
    amaranth = load_foods().find("amaranth")
    raw_g = 984 * (100 - _water(usda_nutrients, "20002")) / (100 - _water(usda_nutrients, "20001"))
    assert 250 < raw_g < 300
    assert amaranth.raw_ndb_no == "20001"
    assert purchase_for(amaranth, 984, 4).text == "300 g dry (for 984 g cooked)"


@pytest.mark.parametrize(
    ("name", "form"),
    [("quinoa", "dry"), ("lentils", "dry"), ("soybeans", "dry"), ("spinach (cooked)", "raw"), ("salmon", "raw"),
     ("edamame", "frozen")],
)  # fmt: skip
def test_the_form_to_buy_is_named(name: str, form: str) -> None:
    food = load_foods().find(name)
    assert purchase_for(food, 500, 500 / food.serving_grams).text.split(" (for ")[0].endswith(f" {form}")


def test_without_a_counterpart_the_cooked_weight_is_said() -> None:
    """A foods file of one's own need not name raw counterparts: the old wording stays."""
    quinoa = load_foods().find("quinoa")
    bare = dataclasses.replace(quinoa, raw_ndb_no="")
    assert purchase_for(bare, 185, 1).text == "200 g (cooked weight)"
    unknown = dataclasses.replace(quinoa, raw_ndb_no="99999")
    assert purchase_for(unknown, 185, 1).text == "200 g (cooked weight)"


def test_a_foods_file_without_the_column_loads() -> None:
    with (DATA / "pool.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("raw_ndb_no")
    out = io.StringIO()
    csv.writer(out).writerows(r[:col] + r[col + 1 :] for r in rows)
    foods = parse_foods(out.getvalue(), "mine.csv")
    assert len(foods) == len(load_foods())
    assert all(f.raw_ndb_no == "" for f in foods)


# ---------------------------------------------------------------------------- refuse


def test_acorn_squash_is_bought_with_its_rind(
    usda_nutrients: dict[str, dict[str, str]], pool_rows: dict[str, dict[str, str]]
) -> None:
    """The issue's case: 615 g of baked acorn squash is about 860 g of raw flesh, and USDA's
    raw acorn squash (11482, the food as bought) is 24% rind, so about 1.13 kg is bought."""
    row = pool_rows["11483"]
    assert (row["name"], row["raw_ndb_no"], row["refuse_pct"], row["refuse_desc"]) == (
        "acorn squash", "11482", "24", "Rind"
    )  # fmt: skip
    edible_raw_g = 615 * (100 - _water(usda_nutrients, "11483")) / (100 - _water(usda_nutrients, "11482"))
    bought_g = edible_raw_g / (1 - float(row["refuse_pct"]) / 100)
    assert 850 < edible_raw_g < 900 and 1100 < bought_g < 1200
    bought = purchase_for(load_foods().find("acorn squash"), 615, 3)
    assert (bought.quantity, bought.unit) == (_expected_purchase_g(bought_g), "g") == (1200, "g")
    assert bought.text == "1.2 kg raw (for 615 g cooked; 24% is rind)"
    assert (bought.refuse_pct, bought.refuse_desc) == (24, "Rind")
    # The flesh of what is bought, baked, covers what is eaten.
    assert bought.grams == pytest.approx(1200 * (1 - 0.24) / edible_raw_g * 615)
    assert bought.grams >= 615


@pytest.mark.parametrize("grams", [60.0, 120.0, 455.0, 1008.0, 2940.0])
def test_refuse_is_added_to_what_is_bought_by_the_gram(grams: float, pool_rows: dict[str, dict[str, str]]) -> None:
    """Every pool food bought by the gram as eaten (no raw counterpart): grams / (1 − refuse/100)
    from data/pool.csv, rounded up; unchanged where the refuse is 0 or blank (unknown)."""
    seen_refuse = seen_none = 0
    for food in load_foods():
        bought = purchase_for(food, grams, grams / food.serving_grams)
        if bought.unit != "g" or food.raw_ndb_no or food.category in ("nuts", "seeds"):
            continue
        refuse = pool_rows[food.ndb_no]["refuse_pct"]
        share = _edible_share(pool_rows, food.ndb_no)
        assert bought.quantity == _expected_purchase_g(grams / share), food.name
        assert bought.grams == pytest.approx(bought.quantity * share) and bought.grams >= grams - 1e-9
        if refuse in ("", "0"):
            seen_none += 1
            assert "%" not in bought.text, bought.text
        else:
            seen_refuse += 1
            assert bought.text.endswith(f"% is {pool_rows[food.ndb_no]['refuse_desc'].lower()})"), bought.text
    assert seen_refuse >= 8 and seen_none >= 8


@pytest.mark.parametrize(
    ("name", "grams", "servings", "text"),
    [
        ("spinach (raw)", 120, 4, "200 g (28% is large stems and roots)"),
        ("beet greens", 576, 4, "1.3 kg raw (for 576 g cooked; 44% is stems, bruised and old leaves)"),
        ("turkey breast", 170, 2,
         "300 g raw (for 170 g cooked; 25% is not eaten: bone and connective tissue 14%, skin and separable fat 11%)"),
    ],
)  # fmt: skip
def test_the_list_says_what_the_refuse_is(name: str, grams: float, servings: float, text: str) -> None:
    """Amounts worked by hand from data/usda water values and data/pool.csv refuse: raw spinach
    120 / 0.72 = 167 g; beet greens 576 × (100 − 89.13) / (100 − 91.02) / 0.56 = 1,245 g;
    turkey breast 170 × (100 − 67.53) / (100 − 74.66) / 0.75 = 290 g."""
    assert purchase_for(load_foods().find(name), grams, servings).text == text


@pytest.mark.parametrize(
    ("name", "grams", "servings", "text"),
    [
        ("quinoa", 740, 4, "250 g dry (for 740 g cooked)"),  # refuse 0
        ("tofu", 441, 3.5, "2 blocks (about 324 g each)"),  # refuse 0; USDA: 0.25 block is 81 g
        ("salmon", 255, 3, "300 g raw (for 255 g cooked)"),  # refuse blank in USDA: no claim
        ("banana", 826, 7, "7 × banana (medium)"),  # 36% skin, but bought by the piece
        ("almonds", 199, 7, "200 g"),  # 60% shells in USDA, but sold shelled
        ("sunflower seeds", 262, 4, "300 g"),  # 46% hulls in USDA, but sold hulled
    ],
)  # fmt: skip
def test_purchases_without_refuse_are_unchanged(name: str, grams: float, servings: float, text: str) -> None:
    bought = purchase_for(load_foods().find(name), grams, servings)
    assert bought.text == text
    assert (bought.refuse_pct or 0, bought.refuse_desc) == (0, "")


def test_a_foods_file_without_the_refuse_columns_loads() -> None:
    """A foods file of one's own need not give refuse: it loads, and nothing is added."""
    with (DATA / "pool.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    keep = [i for i, col in enumerate(rows[0]) if col not in ("refuse_pct", "refuse_desc")]
    assert len(keep) == len(rows[0]) - 2
    out = io.StringIO()
    csv.writer(out).writerows([r[i] for i in keep] for r in rows)
    foods = parse_foods(out.getvalue(), "mine.csv")
    assert len(foods) == len(load_foods())
    assert all(f.refuse_pct is None and f.refuse_desc == "" for f in foods)
    assert purchase_for(foods.find("spinach (raw)"), 120, 4).text == "150 g"
    assert purchase_for(foods.find("acorn squash"), 615, 3).text == "900 g raw (for 615 g cooked)"
    for shipped in load_foods():
        bare = dataclasses.replace(shipped, refuse_pct=None, refuse_desc="")
        mine = foods.find(shipped.ndb_no)
        assert purchase_for(mine, 500, 500 / mine.serving_grams) == purchase_for(bare, 500, 500 / bare.serving_grams)


def test_a_refuse_outside_0_to_100_percent_is_refused() -> None:
    """100% refuse would leave nothing to eat (and divide by zero): each bad row is named."""
    with (DATA / "pool.csv").open(newline="", encoding="utf-8") as fh:
        head, row = list(csv.reader(fh))[:2]
    col = head.index("refuse_pct")
    out = io.StringIO()
    csv.writer(out).writerows([head, *(row[:col] + [value] + row[col + 1 :] for value in ("100", "-5", "lots"))])
    with pytest.raises(DataError) as caught:
        parse_foods(out.getvalue(), "mine.csv")
    message = str(caught.value)
    assert "mine.csv:2:refuse_pct: 100 is out of range; give 0 to below 100, or leave it blank" in message
    assert "mine.csv:3:refuse_pct: -5 is out of range" in message
    assert "mine.csv:4:refuse_pct: 'lots' is not a number (a percent, or blank)" in message


# ---------------------------------------------------------------------------- counted units


def _food(name: str) -> Food:
    return load_foods().find(name)


def test_quarts_say_the_size_of_one_quart() -> None:
    soymilk = _food("soymilk")
    assert purchase_for(soymilk, 1944, 8).text == "2 quarts (946 ml each)"
    assert purchase_for(soymilk, 6561, 27).text == "7 quarts (946 ml each)"
    assert purchase_for(soymilk, 243, 1).text == "1 quart (946 ml)"


def test_cans_and_loaves_say_the_size_of_one() -> None:
    assert purchase_for(_food("tuna (canned)"), 340, 4).text == "3 cans (165 g each)"
    assert purchase_for(_food("tuna (canned)"), 100, 1).text == "1 can (165 g)"
    # QA: sardines, served by the can, were "4 × sardines (can)" with the unit "piece".
    sardines = purchase_for(_food("sardines"), 92 * 3.5, 3.5)
    assert (sardines.quantity, sardines.unit, sardines.grams, sardines.text) == (4, "can", 368, "4 cans (92 g each)")
    assert purchase_for(_food("whole-wheat bread"), 500, 16).text == "2 loaves (1 lb sliced each)"


def test_beans_boiled_without_salt_are_bought_dry() -> None:
    """QA: the plan counts USDA's beans boiled without salt (black beans: 1 mg sodium and 70 mg
    magnesium per 100 g) but the list bought cans (16018: 384 mg and 35 mg). They are bought
    dry, by dry matter: 645 g cooked × (100 − 65.74) / (100 − 11.02) g of water = 248 g of
    16014, rounded up to 250 g."""
    assert purchase_for(_food("black beans"), 645, 5).text == "250 g dry (for 645 g cooked)"
    for food in load_foods():
        if food.category == "legumes" and "boiled" in food.usda_description:
            assert purchase_for(food, food.serving_grams, 1).text.endswith(" cooked)"), food.name


def test_no_count_reads_as_a_total() -> None:
    """Over the pool: whenever more than one can, loaf or quart is bought, the bracket says
    it is the size of each."""
    counted = re.compile(r"(\d+) (cans?|loaf|loaves|quarts?) \((.*)\)")
    seen = set()
    for food in load_foods():
        for servings in (1, 3, 14, 28):
            text = purchase_for(food, food.serving_grams * servings, servings).text
            if match := counted.fullmatch(text):
                seen.add(match[2])
                assert (int(match[1]) > 1) == match[3].endswith(" each"), text
    assert {"cans", "loaves", "quarts"} <= seen


# ---------------------------------------------------------------------------- a week


@pytest.fixture(scope="module")
def week() -> Plan:
    return plan_week(Profile(34, "female"), days=7, solve_options=SolveOptions(solver="cbc", time_limit_s=20))


def test_the_list_still_sums_to_the_weeks_grams(week: Plan) -> None:
    eaten: dict[str, float] = {}
    for member in week.members:
        for day in member.days:
            for item in day.items:
                eaten[item.food.ndb_no] = eaten.get(item.food.ndb_no, 0.0) + item.food.serving_grams * item.servings
    listed = shopping_list(week.members)
    entries = [*listed, *(i.cooked for i in listed if i.cooked)]
    assert {i.food.ndb_no: i.grams for i in entries} == pytest.approx(eaten, rel=1e-12)
    converted = [i for i in listed if i.food.raw_ndb_no]
    assert converted, "the default week plans no cooked grain, pulse or vegetable"
    # The refuse changes what is bought, never the grams listed (checked above).
    assert any(i.buy.refuse_pct for i in listed), "the default week buys nothing with refuse"
    for entry in listed:
        assert entry.purchase_grams >= entry.grams - 1e-9, entry.food.name


def _markdown_table(text: str) -> tuple[list[str], list[str]]:
    """Header and first row of the first shopping-list table."""
    lines = text.split("\n## Shopping list\n")[1].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| "))
    cells = [[c.strip() for c in line.strip("|").split(" | ")] for line in (lines[first], lines[first + 2])]
    return cells[0], cells[1]


def _html_table(text: str) -> tuple[list[str], list[str]]:
    section = text.split('id="shopping"')[1]
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", section)
    row = re.search(r"<tbody><tr>(.*?)</tr>", section)
    assert head and row
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>")
    return ([html.unescape(c) for c in cell.findall(head[1])], [html.unescape(c) for c in cell.findall(row[1])])


def test_markdown_and_html_lists_have_the_same_columns(week: Plan) -> None:
    md_head, md_row = _markdown_table(render(week, "markdown"))
    html_head, html_row = _html_table(render(week, "html"))
    assert md_head == html_head == ["Food", "Needed", "Grams", "Buy"]
    first = shopping_list(week.members)[0]
    assert html_row == [first.food.name, first.measure, f"{first.grams:,.0f}", first.purchase]
    assert [c.replace("\\", "") for c in md_row] == html_row


def test_every_format_says_the_same_refuse(week: Plan) -> None:
    """JSON and CSV carry the refuse as fields, and every list shows the same purchase text."""
    entries = json.loads(render(week, "json"))["shopping_list"]
    rows = list(csv.DictReader(io.StringIO(render_shopping(week, "csv"))))
    texts = {"text": render(week, "table"), "markdown": render_shopping(week, "markdown"), "html": render(week, "html")}
    with_refuse = [e for e in entries if e["refuse_pct"]]
    assert with_refuse
    for entry, row in zip(entries, rows, strict=True):
        assert row["refuse_pct"] == ("" if entry["refuse_pct"] is None else repr(float(entry["refuse_pct"])))
        assert row["refuse_desc"] == (entry["refuse_desc"] or "")
        assert row["purchase"] == entry["purchase"]
    for entry in with_refuse:
        assert f"{entry['refuse_pct']:g}% is {entry['refuse_desc'].lower()})" in entry["purchase"]
        assert entry["purchase_unit"] == "g" and entry["purchase_grams"] >= entry["grams"]
        assert f"buy {entry['purchase']}" in texts["text"]
        assert md(entry["purchase"]) in texts["markdown"]
        assert html.escape(entry["purchase"]) in texts["html"]


# ---------------------------------------------------------------------------- the build


def _run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True, timeout=300, check=False)


@need_shared
def test_build_refuses_a_bad_counterpart(tmp_path: Path) -> None:
    curation = _read(DATA / "curation" / "pool.csv")
    header = list(curation[0])
    quinoa = next(r for r in curation if r["name"] == "quinoa")
    no_water = next(r["ndb_no"] for r in _read(SHARED / "nutrients.csv") if r["water_g"] == "")
    rows = [
        quinoa,
        {**quinoa, "ndb_no": "20002", "name": "a", "raw_ndb_no": "99999"},  # unknown
        {**quinoa, "ndb_no": "20037", "name": "b", "raw_ndb_no": "20045"},  # a cooked rice
        {**quinoa, "ndb_no": "20045", "name": "c", "raw_ndb_no": no_water},
        {**quinoa, "ndb_no": "20010", "name": "d", "raw_ndb_no": "2001"},
    ]
    for row in rows[1:]:
        row["portion_seq"] = next(p["seq"] for p in _read(SHARED / "portions.csv") if p["ndb_no"] == row["ndb_no"])
    path = tmp_path / "pool.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    res = _run_build("--usda", str(SHARED), "--out", str(tmp_path / "out"), "--curation", str(path))
    assert res.returncode == 1, res.stderr
    assert f"{path}:3:raw_ndb_no: unknown ndb_no 99999" in res.stderr
    assert f"{path}:4:raw_ndb_no: food 20045 (" in res.stderr and "is cooked" in res.stderr
    assert f"{path}:5:raw_ndb_no: food {no_water} (" in res.stderr and "no water value" in res.stderr
    assert f"{path}:6:raw_ndb_no: '2001' is not a 5-digit" in res.stderr
    assert f"{path}:2:" not in res.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "grams", "text"),
    [
        # water 64.75 cooked, 64.89 raw: dry matter says 595 × 35.25 / 35.11 = 597 g; protein
        # 22.1 cooked, 20.42 raw says 595 × 22.1 / 20.42 = 644 g (data/usda/nutrients.csv)
        ("salmon", 595, "650 g raw (for 595 g cooked)"),
        # halibut: water 76.12 / 80.34 and protein 22.54 / 18.56 agree: 595 × 1.215 = 723 g
        ("halibut", 595, "750 g raw (for 595 g cooked)"),
    ],
)  # fmt: skip
def test_fish_is_bought_by_the_protein_it_keeps_when_its_fat_drips_out(name: str, grams: float, text: str) -> None:
    """Found in QA: 595 g of cooked farmed salmon was to be bought as 600 g raw, because its
    water share hardly changes in cooking (its fat drips out with the water)."""
    assert purchase_for(load_foods().find(name), grams, 7).text == text



@pytest.mark.parametrize(
    ("name", "servings", "text"),
    [
        ("eggs", 3, "half a dozen large eggs"),
        ("eggs", 11, "1 dozen (12 large eggs)"),
        ("eggs", 13, "2 dozen (12 large eggs each)"),
        ("tofu", 7.5, "3 blocks (about 324 g each)"),  # 7.5 × 126 g = 945 g; USDA's block: 4 × 81 g
    ],
)  # fmt: skip
def test_eggs_are_bought_by_the_dozen_and_tofu_by_the_block(name: str, servings: float, text: str) -> None:
    """Found in QA: '11 × eggs (large)' and 'tofu: buy 950 g'."""
    food = load_foods().find(name)
    bought = purchase_for(food, food.serving_grams * servings, servings)
    assert bought.text == text
    assert bought.grams >= food.serving_grams * servings - 1e-9


# ---------------------------------------------------------------------------- raw and cooked


def test_a_food_eaten_raw_and_cooked_is_bought_once(week: Plan, usda_nutrients: dict[str, dict[str, str]],
                                                     pool_rows: dict[str, dict[str, str]]) -> None:  # fmt: skip
    """QA: "spinach (raw)" and "spinach (cooked)" were two lines of the list, each rounded up
    on its own (250 g and 400 g of the same spinach). The raw food's line now buys both, the
    cooked grams made raw as a food bought raw is (the pool's raw_ndb_no and USDA's water),
    rounded up once, and says how much is eaten cooked; the cooked food has no line of its own."""
    from jsonschema import Draft202012Validator

    from mealplan.plan import Day, Item, MemberPlan
    from mealplan.report import plan_schema

    foods = {f.name: f for f in load_foods()}
    raw, cooked = foods["spinach (raw)"], foods["spinach (cooked)"]
    assert cooked.raw_ndb_no == raw.ndb_no
    days = (Day(0, (Item("lunch", raw, 4), Item("dinner", cooked, 2))), Day(1, (Item("dinner", cooked, 1),)))
    member = week.members[0]
    plan = dataclasses.replace(week, members=(MemberPlan(member.profile, member.targets, days),))
    raw_g, cooked_g = raw.serving_grams * 2, cooked.serving_grams * 1.5
    water = {n: _water(usda_nutrients, n) for n in (raw.ndb_no, cooked.ndb_no)}
    per_cooked = max((100 - water[cooked.ndb_no]) / (100 - water[raw.ndb_no]), 1.0)  # a green: at least as eaten
    expected = _expected_purchase_g((raw_g + cooked_g * per_cooked) / _edible_share(pool_rows, raw.ndb_no))
    (entry,) = shopping_list(plan.members)
    assert (entry.food, entry.grams, entry.cooked and entry.cooked.food, entry.cooked and entry.cooked.grams) == (
        raw, raw_g, cooked, cooked_g)  # fmt: skip
    text = (f"{expected:.0f} g raw (for {raw_g:.0f} g raw and {cooked_g:.0f} g cooked; "
            f"{pool_rows[raw.ndb_no]['refuse_pct']}% is large stems and roots)")  # fmt: skip
    assert (entry.buy.quantity, entry.buy.unit, entry.purchase) == (expected, "g", text)
    assert raw_g <= entry.purchase_grams < raw_g + 50  # what it leaves to eat raw, after the cooked
    data = json.loads(render(plan, "json"))
    Draft202012Validator(plan_schema()).validate(data)
    (listed,) = data["shopping_list"]
    assert (listed["ndb_no"], listed["purchase"], listed["eaten_cooked"]) == (raw.ndb_no, text, {
        "ndb_no": cooked.ndb_no, "name": "spinach (cooked)", "grams": round(cooked_g, 1), "servings": 1.5,
        "measure": entry.cooked.measure if entry.cooked else ""})  # fmt: skip
    (row,) = csv.DictReader(io.StringIO(render_shopping(plan, "csv")))
    assert (row["purchase"], row["eaten_cooked_ndb_no"], row["eaten_cooked_grams"]) == (
        text, cooked.ndb_no, repr(round(cooked_g, 1)))  # fmt: skip
    for fmt in ("table", "markdown", "html"):
        shown = render(plan, fmt)
        assert text in html.unescape(shown).replace("\\", ""), fmt
        assert "spinach (cooked)" not in shown.split("hopping list")[-1], fmt


def test_a_cooked_food_without_its_raw_form_eaten_keeps_its_own_line(week: Plan) -> None:
    from mealplan.plan import Day, Item, MemberPlan

    foods = {f.name: f for f in load_foods()}
    member = week.members[0]
    days = (Day(0, (Item("dinner", foods["spinach (cooked)"], 2), Item("lunch", foods["swiss chard"], 2))),)
    listed = shopping_list(MemberPlan(member.profile, member.targets, days) for _ in range(1))
    assert [(i.food.name, i.cooked) for i in listed] == [("spinach (cooked)", None), ("swiss chard", None)]
    assert listed[0].purchase.endswith(" g cooked; 28% is large stems and roots)")

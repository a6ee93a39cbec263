"""Data contract tests for the shipped food data in <repo>/data.

They read the CSV files directly with the csv module (no package loader).
Tests that need the USDA extract in <repo>/../shared/usda are skipped when it
is absent.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = REPO.parent / "shared" / "usda"
BUILD = REPO / "scripts" / "build_data.py"

NUTRIENTS = [
    "energy_kcal",
    "protein_g",
    "fat_g",
    "carbohydrate_g",
    "fiber_g",
    "sugars_g",
    "water_g",
    "magnesium_mg",
    "sodium_mg",
    "potassium_mg",
    "calcium_mg",
    "phosphorus_mg",
    "iron_mg",
    "zinc_mg",
]
POOL_COLUMNS = [
    "ndb_no",
    "name",
    "category",
    "serving_grams",
    "serving_measure",
    "allergens",
    "diets",
    "slots",
    "max_servings_day",
    "usda_description",
    "fdc_id",
    "raw_ndb_no",
    "refuse_pct",
    "refuse_desc",
    "made_from",
    "may_contain",
    *NUTRIENTS,
]
CURATION_COLUMNS = [
    "ndb_no",
    "name",
    "category",
    "portion_seq",
    "portion_amount",
    "allergens",
    "animal",
    "gluten",
    "slots",
    "max_servings_day",
    "raw_ndb_no",
    "made_from",
    "may_contain",
]
EXPECTED_COLUMNS = {
    "usda/foods.csv": [
        "ndb_no",
        "fdc_id",
        "description",
        "food_group_code",
        "food_group",
        "common_name",
        "manufacturer",
    ],
    "usda/nutrients.csv": ["ndb_no", *NUTRIENTS, "mg_n_data_points", "mg_std_error", "mg_src_cd", "mg_deriv_cd"],
    "usda/portions.csv": ["ndb_no", "seq", "amount", "measure", "gram_weight"],
    "usda/nutrient_defs.csv": ["column", "sr_nutr_no", "fdc_nutrient_id", "name", "unit", "tagname", "decimals"],
    "usda/src_codes.csv": ["code", "description"],
    "usda/deriv_codes.csv": ["code", "description"],
    "magnesium_dri.csv": [
        "life_stage",
        "age_from_y",
        "age_to_y",
        "sex",
        "kind",
        "mg_per_day",
        "supplemental_ul_mg_per_day",
    ],
    "pool.csv": POOL_COLUMNS,
    "curation/pool.csv": CURATION_COLUMNS,
}

CATEGORIES = {
    "seeds",
    "nuts",
    "cocoa",
    "legumes",
    "soy",
    "grains",
    "vegetables",
    "greens",
    "fruit",
    "fish",
    "dairy",
    "eggs",
    "poultry",
    "beverages",
}
ALLERGENS = ["milk", "egg", "fish", "shellfish", "tree_nuts", "peanuts", "wheat", "soy", "sesame"]
DIETS = ["vegan", "vegetarian", "pescatarian", "gluten-free", "dairy-free"]
SLOTS = ["breakfast", "lunch", "dinner", "snack"]
ANIMALS = {"none", "dairy", "egg", "honey", "fish", "shellfish", "meat"}

need_shared = pytest.mark.skipif(not (SHARED / "nutrients.csv").is_file(), reason=f"USDA extract not found at {SHARED}")


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def by_ndb(path: Path) -> dict[str, dict[str, str]]:
    return {r["ndb_no"]: r for r in read(path)[1]}


def split(value: str) -> list[str]:
    return [] if value == "" else value.split(";")


@pytest.fixture(scope="module")
def pool() -> list[dict[str, str]]:
    return read(DATA / "pool.csv")[1]


@pytest.fixture(scope="module")
def curation() -> list[dict[str, str]]:
    return read(DATA / "curation" / "pool.csv")[1]


@pytest.fixture(scope="module")
def nutrients() -> dict[str, dict[str, str]]:
    return by_ndb(DATA / "usda" / "nutrients.csv")


# --- shape of the shipped tables ---------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_expected_columns(name):
    header, _ = read(DATA / name)
    assert header == EXPECTED_COLUMNS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_lf_line_endings(name):
    assert b"\r" not in (DATA / name).read_bytes()


@pytest.mark.parametrize("name", ["usda/foods.csv", "usda/nutrients.csv", "pool.csv", "curation/pool.csv"])
def test_ndb_no_five_digit_strings_unique(name):
    ids = [r["ndb_no"] for r in read(DATA / name)[1]]
    assert all(re.fullmatch(r"[0-9]{5}", i) for i in ids)
    assert len(ids) == len(set(ids))


def test_usda_counts():
    assert len(read(DATA / "usda" / "foods.csv")[1]) == 8789
    assert len(read(DATA / "usda" / "nutrients.csv")[1]) == 8789
    assert len(read(DATA / "usda" / "portions.csv")[1]) == 15438
    assert len(read(DATA / "usda" / "nutrient_defs.csv")[1]) == 14


def test_portions_reference_known_foods():
    foods = by_ndb(DATA / "usda" / "foods.csv")
    _, portions = read(DATA / "usda" / "portions.csv")
    keys = [(p["ndb_no"], p["seq"]) for p in portions]
    assert len(keys) == len(set(keys))
    assert all(p["ndb_no"] in foods for p in portions)


def test_nutrient_defs_order_matches_pool():
    _, defs = read(DATA / "usda" / "nutrient_defs.csv")
    assert [d["column"] for d in defs] == NUTRIENTS


def test_magnesium_dri():
    _, rows = read(DATA / "magnesium_dri.csv")
    assert len(rows) == 19
    assert all(int(r["mg_per_day"]) > 0 for r in rows)


# --- the pool ----------------------------------------------------------------


def test_pool_size(pool):
    assert 90 <= len(pool) <= 130


def test_pool_matches_curation(pool, curation):
    assert sorted(r["ndb_no"] for r in pool) == sorted(r["ndb_no"] for r in curation)


def test_pool_sorted(pool):
    keys = [(r["category"], r["name"]) for r in pool]
    assert keys == sorted(keys)


def test_pool_names(pool):
    names = [r["name"] for r in pool]
    assert len(names) == len(set(names))
    assert all(n and n == n.strip() and n == n.lower() for n in names)


def test_pool_vocabularies(pool):
    for r in pool:
        assert r["category"] in CATEGORIES, r
        allergens = split(r["allergens"])
        assert set(allergens) <= set(ALLERGENS), r
        assert allergens == [a for a in ALLERGENS if a in allergens], r
        diets = split(r["diets"])
        assert set(diets) <= set(DIETS), r
        assert diets == [d for d in DIETS if d in diets], r
        slots = split(r["slots"])
        assert slots and set(slots) <= set(SLOTS), r
        assert slots == [s for s in SLOTS if s in slots], r
        assert re.fullmatch(r"[1-4]", r["max_servings_day"]), r
        assert float(r["serving_grams"]) > 0, r
        assert r["serving_measure"].strip(), r
        assert r["usda_description"], r


def test_pool_diets_consistent(pool):
    for r in pool:
        allergens, diets = split(r["allergens"]), split(r["diets"])
        may_contain = split(r["may_contain"])
        assert ("dairy-free" in diets) == ("milk" not in allergens + may_contain), r
        assert not set(may_contain) & set(allergens), r
        if "wheat" in allergens:
            assert "gluten-free" not in diets, r
        if "vegan" in diets:
            assert "vegetarian" in diets, r
            assert not {"milk", "egg", "fish", "shellfish"} & set(allergens)
        if "vegetarian" in diets:
            assert "pescatarian" in diets, r
            assert not {"fish", "shellfish"} & set(allergens), r
        if r["category"] in {"dairy", "eggs", "fish", "poultry"}:
            assert "vegan" not in diets, r


def test_pool_covers_vegan_and_gluten_free(pool):
    for diet in ("vegan", "gluten-free"):
        cats = {r["category"] for r in pool if diet in split(r["diets"])}
        assert {"seeds", "nuts", "legumes", "grains", "vegetables", "fruit"} <= cats, diet
    for slot in SLOTS:
        assert any(
            slot in split(r["slots"]) and "vegan" in split(r["diets"]) and "gluten-free" in split(r["diets"])
            for r in pool
        )


def test_curation_tags(curation):
    for r in curation:
        assert r["animal"] in ANIMALS, r
        assert r["gluten"] in {"yes", "no"}, r
        assert float(r["portion_amount"]) > 0, r
    oats = [r for r in curation if r["name"] == "oats"]
    assert oats and oats[0]["gluten"] == "yes"


def test_no_pool_magnesium_blank(pool, nutrients):
    for r in pool:
        assert r["magnesium_mg"] != "", r
        assert nutrients[r["ndb_no"]]["magnesium_mg"] != "", r


def test_pool_values_equal_shipped_usda(pool, nutrients):
    foods = by_ndb(DATA / "usda" / "foods.csv")
    for r in pool:
        n = r["ndb_no"]
        assert n in nutrients and n in foods, n
        for c in NUTRIENTS:
            assert r[c] == nutrients[n][c], (n, c)
        assert r["usda_description"] == foods[n]["description"]
        assert r["fdc_id"] == foods[n]["fdc_id"]


def test_serving_grams_from_usda_portions(pool, curation):
    portions = {(p["ndb_no"], p["seq"]): p for p in read(DATA / "usda" / "portions.csv")[1]}
    built = {r["ndb_no"]: r for r in pool}
    for c in curation:
        p = portions[(c["ndb_no"], c["portion_seq"])]
        grams = (Decimal(p["gram_weight"]) * Decimal(c["portion_amount"]) / Decimal(p["amount"])).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        row = built[c["ndb_no"]]
        assert Decimal(row["serving_grams"]) == grams, c
        assert row["serving_measure"].endswith(" " + p["measure"]), c


@need_shared
def test_pool_values_equal_shared_usda(pool):
    shared = by_ndb(SHARED / "nutrients.csv")
    for r in pool:
        assert r["ndb_no"] in shared, r["ndb_no"]
        for c in NUTRIENTS:
            assert r[c] == shared[r["ndb_no"]][c], (r["ndb_no"], c)


@need_shared
def test_pool_refuse_is_usda_refuse_of_the_food_as_bought(pool):
    """refuse_pct and refuse_desc are copied from the extract for the raw counterpart when
    the pool names one (a squash is bought raw, rind and all), else for the food itself."""
    shared = by_ndb(SHARED / "foods.csv")
    for r in pool:
        bought = shared[r["raw_ndb_no"] or r["ndb_no"]]
        assert (r["refuse_pct"], r["refuse_desc"]) == (bought["refuse_pct"], bought["refuse_desc"]), r["name"]
        assert r["refuse_pct"] == "" or 0 <= float(r["refuse_pct"]) < 100, r["name"]
    squash = next(r for r in pool if r["name"] == "acorn squash")
    assert (squash["raw_ndb_no"], squash["refuse_pct"]) == ("11482", shared["11482"]["refuse_pct"])
    assert squash["refuse_pct"] != shared[squash["ndb_no"]]["refuse_pct"]


@need_shared
def test_shipped_usda_values_equal_shared():
    for name in ("nutrients.csv", "portions.csv", "foods.csv"):
        _, mine = read(DATA / "usda" / name)
        _, theirs = read(SHARED / name)
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs, strict=True):
            assert all(a[k] == b[k] for k in a), (name, a)


# --- the build script --------------------------------------------------------


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True, timeout=300, check=False)


@need_shared
def test_build_reproduces_shipped_files(tmp_path):
    out = tmp_path / "data"
    res = run_build("--usda", str(SHARED), "--out", str(out))
    assert res.returncode == 0, res.stderr
    for name in (
        "pool.csv",
        "SOURCE.md",
        "magnesium_dri.csv",
        *(
            f"usda/{n}"
            for n in (
                "foods.csv",
                "nutrients.csv",
                "portions.csv",
                "nutrient_defs.csv",
                "src_codes.csv",
                "deriv_codes.csv",
            )
        ),
    ):
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name


def _curation_file(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=CURATION_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


@need_shared
def test_build_refuses_blank_magnesium(tmp_path, curation):
    nutrients = by_ndb(SHARED / "nutrients.csv")
    _, portions = read(SHARED / "portions.csv")
    blank = next(p for p in portions if nutrients[p["ndb_no"]]["magnesium_mg"] == "")
    good = dict(curation[0])
    bad = {
        **good,
        "ndb_no": blank["ndb_no"],
        "name": "no magnesium food",
        "portion_seq": blank["seq"],
        "portion_amount": "1",
    }
    cur = _curation_file(tmp_path / "pool.csv", [good, bad])
    out = tmp_path / "out"
    res = run_build("--usda", str(SHARED), "--out", str(out), "--curation", str(cur))
    assert res.returncode == 1
    assert f"{cur}:3:ndb_no:" in res.stderr
    assert blank["ndb_no"] in res.stderr
    assert "no magnesium value" in res.stderr
    assert not (out / "pool.csv").exists()


@need_shared
def test_build_refuses_a_refuse_the_shopping_list_cannot_use(tmp_path, curation):
    """The refuse of the food as bought (the raw counterpart for acorn squash) must be blank or
    below 100%: the shopping list divides by 1 - refuse_pct/100."""
    usda = tmp_path / "usda"
    usda.mkdir()
    for src in SHARED.glob("*.csv"):
        (usda / src.name).write_bytes(src.read_bytes())
    header, rows = read(SHARED / "foods.csv")
    with (usda / "foods.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows({**r, "refuse_pct": "100"} if r["ndb_no"] == "11482" else r for r in rows)
    squash = next(r for r in curation if r["name"] == "acorn squash")
    cur = _curation_file(tmp_path / "pool.csv", [curation[0], squash])
    res = run_build("--usda", str(usda), "--out", str(tmp_path / "out"), "--curation", str(cur))
    assert res.returncode == 1, res.stderr
    assert f"{cur}:3:raw_ndb_no: food 11482 has USDA refuse_pct '100'; it must be blank or a percent" in res.stderr
    assert f"{cur}:2:" not in res.stderr
    assert not (tmp_path / "out").exists()


@need_shared
def test_build_reports_every_problem(tmp_path, curation):
    good = dict(curation[0])
    rows = [
        good,
        {**good, "name": "dup id"},  # duplicate ndb_no
        {**curation[1], "name": good["name"]},  # duplicate name
        {**curation[2], "category": "candy"},
        {**curation[3], "allergens": "peanut"},
        {**curation[4], "slots": "brunch"},
        {**curation[5], "animal": "plant"},
        {**curation[6], "max_servings_day": "5"},
        {**curation[7], "portion_seq": "999"},
        {**curation[8], "ndb_no": "99999"},
        {**curation[9], "animal": "dairy"},  # no milk allergen
        {**curation[10], "allergens": "milk"},  # animal none + milk
    ]
    cur = _curation_file(tmp_path / "pool.csv", rows)
    res = run_build("--usda", str(SHARED), "--out", str(tmp_path / "out"), "--curation", str(cur))
    assert res.returncode == 1
    for line, col in [
        (3, "ndb_no"),
        (4, "name"),
        (5, "category"),
        (6, "allergens"),
        (7, "slots"),
        (8, "animal"),
        (9, "max_servings_day"),
        (10, "portion_seq"),
        (11, "ndb_no"),
        (12, "allergens"),
        (13, "animal"),
    ]:
        assert f"{cur}:{line}:{col}:" in res.stderr, (line, col, res.stderr)
    assert not (tmp_path / "out").exists()


@need_shared
def test_build_refuses_made_from_and_may_contain_it_cannot_use(tmp_path, curation):
    """made_from must name another food of the pool; may_contain must be allergens the food
    does not already hold."""
    first, second = dict(curation[0]), dict(curation[1])
    first["made_from"] = "99999"
    second["may_contain"] = "nuts"
    cur = _curation_file(tmp_path / "pool.csv", [first, second])
    res = run_build("--usda", str(SHARED), "--out", str(tmp_path / "out"), "--curation", str(cur))
    assert res.returncode == 1, res.stderr
    assert f"{cur}:2:made_from: '99999' is not the ndb_no of another food of the pool" in res.stderr
    assert f"{cur}:3:may_contain: 'nuts' is not one of" in res.stderr
    assert not (tmp_path / "out").exists()


def test_made_from_and_may_contain_are_built_into_the_pool():
    """The curated relations reach data/pool.csv (and so the catalog) unchanged."""
    pool = {r["name"]: r for r in read(DATA / "pool.csv")[1]}
    names = {r["ndb_no"]: r["name"] for r in pool.values()}
    assert {names[n] for n in pool["hummus"]["made_from"].split(";")} == {"chickpeas", "sesame seeds", "tahini"}
    assert pool["dark chocolate"]["may_contain"] == "milk;tree_nuts;peanuts;soy"
    assert pool["oats"]["may_contain"] == "wheat" and pool["oats"]["allergens"] == ""
    assert "dairy-free" not in pool["dark chocolate"]["diets"].split(";")
    assert "vegan" in pool["dark chocolate"]["diets"].split(";")


def test_the_build_without_the_usda_extract_names_it_and_the_option(tmp_path: Path) -> None:
    """QA: in a clone not beside shared/, the build said only that a file was not found."""
    done = subprocess.run([sys.executable, str(BUILD), "--usda", str(tmp_path / "none"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (f"error: {tmp_path / 'none'} holds no USDA SR28 extract (foods.csv); give the folder that "
                           "holds foods.csv, nutrients.csv, portions.csv, nutrient_defs.csv, src_codes.csv, "
                           "deriv_codes.csv and magnesium_dri.csv with --usda DIR\n")  # fmt: skip
    assert not (tmp_path / "out").exists()  # nothing written

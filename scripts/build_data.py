"""Build mealplan's shipped food data from the USDA SR28 extract.

Usage (from anywhere)::

    python scripts/build_data.py [--usda ../shared/usda] [--out data]
                                 [--curation data/curation/pool.csv]

Defaults: ``--usda`` = ``<repo>/../shared/usda``, ``--out`` = ``<repo>/data``,
``--curation`` = ``<repo>/data/curation/pool.csv``.

What it does:

1. reads the SR28 extract (foods, nutrients, portions, nutrient_defs, src/deriv
   codes, magnesium_dri) and the hand-edited curation file;
2. validates the curation; every problem is reported as
   ``file:line:column: what is wrong`` and the build stops (exit 1) before
   writing anything;
3. copies the extract into ``<out>/usda/`` (values as text, never reformatted)
   and ``<out>/magnesium_dri.csv``;
4. writes ``<out>/pool.csv`` (the built default food pool) and
   ``<out>/SOURCE.md``.

Every nutrient value and gram weight comes from the USDA files by ``ndb_no``;
nothing numeric is typed by hand.  Standard library only.  All files are
written atomically with ``\\n`` line endings, so two runs give byte-identical
output.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# --- vocabularies -----------------------------------------------------------

CATEGORIES = (
    "seeds", "nuts", "cocoa", "legumes", "soy", "grains", "vegetables",
    "greens", "fruit", "fish", "dairy", "eggs", "poultry", "beverages",
)
ALLERGENS = (
    "milk", "egg", "fish", "shellfish", "tree_nuts", "peanuts", "wheat",
    "soy", "sesame",
)
ANIMALS = ("none", "dairy", "egg", "honey", "fish", "shellfish", "meat")
SLOTS = ("breakfast", "lunch", "dinner", "snack")
DIETS = ("vegan", "vegetarian", "pescatarian", "gluten-free", "dairy-free")
GLUTEN = ("yes", "no")

CURATION_COLUMNS = (
    "ndb_no", "name", "category", "portion_seq", "portion_amount",
    "allergens", "animal", "gluten", "slots", "max_servings_day",
    "raw_ndb_no", "made_from", "may_contain",
)
POOL_HEAD = (
    "ndb_no", "name", "category", "serving_grams", "serving_measure",
    "allergens", "diets", "slots", "max_servings_day", "usda_description",
    "fdc_id", "raw_ndb_no", "refuse_pct", "refuse_desc", "made_from",
    "may_contain",
)

# Files copied from the extract: name -> columns kept (None = all, as-is).
USDA_COPIES = {
    "foods.csv": ("ndb_no", "fdc_id", "description", "food_group_code",
                  "food_group", "common_name", "manufacturer"),
    "nutrients.csv": None,
    "portions.csv": ("ndb_no", "seq", "amount", "measure", "gram_weight"),
    "nutrient_defs.csv": None,
    "src_codes.csv": None,
    "deriv_codes.csv": None,
}
DRI_FILE = "magnesium_dri.csv"
# Columns of the extract's foods.csv that only the pool keeps (not the usda/ copy).
REFUSE_COLUMNS = ("refuse_pct", "refuse_desc")

# animal origin -> diets it is compatible with
DIET_ANIMALS = {
    "vegan": {"none"},
    "vegetarian": {"none", "dairy", "egg", "honey"},
    "pescatarian": {"none", "dairy", "egg", "honey", "fish", "shellfish"},
}
# animal origin -> allergen that must be declared
ANIMAL_REQUIRES = {"dairy": "milk", "egg": "egg", "fish": "fish",
                   "shellfish": "shellfish"}
# allergen -> animal origins it is compatible with
ALLERGEN_ANIMALS = {
    "milk": {"dairy", "egg", "fish", "shellfish", "meat"},
    "egg": {"dairy", "egg", "fish", "shellfish", "meat"},
    "fish": {"fish", "shellfish", "meat"},
    "shellfish": {"fish", "shellfish", "meat"},
}

NDB_RE = re.compile(r"^[0-9]{5}$")
# A raw or dry counterpart is the food as sold: its USDA description names no
# way of cooking it ("Buckwheat groats, roasted, dry" is sold roasted).
COOKING_RE = re.compile(r"\b(cooked|boiled|baked|steamed|poached|prepared)\b",
                        re.IGNORECASE)
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9 ()'&/.-]*[a-z0-9)]$")


class BuildError(Exception):
    """A problem with the inputs that is not a curation row problem."""


# --- reading ----------------------------------------------------------------

def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Return (header, rows) of a UTF-8 CSV file, all values as text."""
    if not path.is_file():
        raise BuildError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise BuildError(f"{path}: empty file") from None
        rows = list(reader)
    for i, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise BuildError(f"{path}:{i}: expected {len(header)} fields, "
                             f"got {len(row)}")
    return header, rows


def need_columns(path: Path, header: list[str], cols) -> None:
    missing = [c for c in cols if c not in header]
    if missing:
        raise BuildError(f"{path}: missing column(s) {', '.join(missing)}")


class Usda:
    """The parts of the SR28 extract the build needs, keyed by ndb_no."""

    def __init__(self, usda_dir: Path):
        self.dir = usda_dir
        self.tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        for name in (*USDA_COPIES, DRI_FILE):
            self.tables[name] = read_csv(usda_dir / name)
        for name, cols in USDA_COPIES.items():
            if cols:
                need_columns(usda_dir / name, self.tables[name][0], cols)

        h, rows = self.tables["nutrient_defs.csv"]
        need_columns(usda_dir / "nutrient_defs.csv", h, ("column",))
        self.nutrient_columns = [r[h.index("column")] for r in rows]

        h, rows = self.tables["nutrients.csv"]
        need_columns(usda_dir / "nutrients.csv", h,
                     ("ndb_no", *self.nutrient_columns))
        self.nutrients = {r[h.index("ndb_no")]: dict(zip(h, r, strict=True)) for r in rows}

        h, rows = self.tables["foods.csv"]
        need_columns(usda_dir / "foods.csv", h, REFUSE_COLUMNS)
        self.foods = {r[h.index("ndb_no")]: dict(zip(h, r, strict=True)) for r in rows}

        h, rows = self.tables["portions.csv"]
        self.portions: dict[tuple[str, str], dict[str, str]] = {}
        for r in rows:
            d = dict(zip(h, r, strict=True))
            self.portions[(d["ndb_no"], d["seq"])] = d

    def portion_seqs(self, ndb_no: str) -> list[str]:
        return [seq for (n, seq) in self.portions if n == ndb_no]


# --- curation validation ----------------------------------------------------

def split_list(value: str) -> list[str]:
    return [] if value == "" else value.split(";")


def parse_decimal(text: str) -> Decimal | None:
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def validate_curation(path: Path, usda: Usda, label: str):
    """Return (rows, errors). rows are dicts of the valid-looking rows."""
    errors: list[str] = []
    header, rows = read_csv(path)

    def err(line: int, column: str, msg: str) -> None:
        errors.append(f"{label}:{line}:{column}: {msg}")

    if tuple(header) != CURATION_COLUMNS:
        err(1, "header", f"columns must be exactly {','.join(CURATION_COLUMNS)}"
            f" (got {','.join(header)})")
        return [], errors

    def allergen_list(line: int, rec: dict[str, str], column: str) -> list[str]:
        """The allergens of ``column``, each checked against ALLERGENS, once."""
        values = split_list(rec[column])
        for a in values:
            if a not in ALLERGENS:
                err(line, column, f"'{a}' is not one of "
                    f"{';'.join(ALLERGENS)}")
        if len(set(values)) != len(values):
            err(line, column, "duplicate allergen")
        return values

    seen_ndb: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    good = []
    for line, row in enumerate(rows, start=2):
        rec = dict(zip(header, row, strict=True))
        n_before = len(errors)
        for col in CURATION_COLUMNS:
            if rec[col] != rec[col].strip():
                err(line, col, "leading or trailing whitespace")

        ndb = rec["ndb_no"]
        mg_ok = False
        if not NDB_RE.match(ndb):
            err(line, "ndb_no", f"'{ndb}' is not a 5-digit SR28 food id "
                "(keep leading zeros)")
        elif ndb not in usda.foods or ndb not in usda.nutrients:
            err(line, "ndb_no", f"unknown ndb_no {ndb}: not in the USDA "
                "SR28 extract")
        else:
            desc = usda.foods[ndb]["description"]
            if usda.nutrients[ndb]["magnesium_mg"].strip() == "":
                err(line, "ndb_no", f"food {ndb} ({desc}) has no magnesium "
                    "value in USDA SR28 (blank = not measured, never 0); "
                    "it cannot be in the pool, choose another food")
            else:
                mg_ok = True
            if ndb in seen_ndb:
                err(line, "ndb_no", f"duplicate ndb_no {ndb} (also on line "
                    f"{seen_ndb[ndb]})")
            else:
                seen_ndb[ndb] = line

        name = rec["name"]
        if not NAME_RE.match(name) or "  " in name:
            err(line, "name", f"'{name}' must be a short lowercase name "
                "(a-z, 0-9, spaces and ()'&/.-)")
        if name in seen_name:
            err(line, "name", f"duplicate name '{name}' (also on line "
                f"{seen_name[name]})")
        elif name:
            seen_name[name] = line

        if rec["category"] not in CATEGORIES:
            err(line, "category", f"'{rec['category']}' is not one of "
                f"{', '.join(CATEGORIES)}")

        seq = rec["portion_seq"]
        if not re.fullmatch(r"[0-9]+", seq):
            err(line, "portion_seq", f"'{seq}' is not a portion seq number")
        elif mg_ok and (ndb, seq) not in usda.portions:
            have = usda.portion_seqs(ndb)
            err(line, "portion_seq", f"food {ndb} has no USDA portion seq "
                f"{seq} (available: {', '.join(have) if have else 'none'})")

        amount = parse_decimal(rec["portion_amount"])
        if amount is None or amount <= 0:
            err(line, "portion_amount", f"'{rec['portion_amount']}' must be "
                "a positive number")

        allergens = allergen_list(line, rec, "allergens")

        animal = rec["animal"]
        if animal not in ANIMALS:
            err(line, "animal", f"'{animal}' is not one of {', '.join(ANIMALS)}")
        else:
            need = ANIMAL_REQUIRES.get(animal)
            if need and need not in allergens:
                err(line, "allergens", f"animal={animal} but allergen "
                    f"'{need}' is not declared")
            for a in allergens:
                ok = ALLERGEN_ANIMALS.get(a)
                if ok is not None and animal not in ok:
                    err(line, "animal", f"allergen '{a}' is inconsistent with "
                        f"animal={animal}")

        gluten = rec["gluten"]
        if gluten not in GLUTEN:
            err(line, "gluten", f"'{gluten}' must be yes or no")
        elif gluten == "no" and "wheat" in allergens:
            err(line, "gluten", "allergen wheat but gluten=no")

        slots = split_list(rec["slots"])
        if not slots:
            err(line, "slots", "at least one slot is required")
        for s in slots:
            if s not in SLOTS:
                err(line, "slots", f"'{s}' is not one of {';'.join(SLOTS)}")
        if len(set(slots)) != len(slots):
            err(line, "slots", "duplicate slot")

        ms = rec["max_servings_day"]
        if not re.fullmatch(r"[0-9]+", ms) or not 1 <= int(ms) <= 4:
            err(line, "max_servings_day", f"'{ms}' must be an integer 1-4")

        raw_bad = raw_problems(rec["raw_ndb_no"], ndb, usda)
        for problem in raw_bad:
            err(line, "raw_ndb_no", problem)
        if mg_ok and not raw_bad:
            bought_col = "raw_ndb_no" if rec["raw_ndb_no"] else "ndb_no"
            for problem in refuse_problems(rec[bought_col], usda):
                err(line, bought_col, problem)

        for a in allergen_list(line, rec, "may_contain"):
            if a in allergens:
                err(line, "may_contain", f"'{a}' is already in allergens")

        if len(errors) == n_before:
            good.append(rec)
    # made_from names other rows of the pool, so it is checked once all are read.
    for rec in list(good):
        for source in split_list(rec["made_from"]):
            if source not in seen_ndb or source == rec["ndb_no"]:
                err(seen_ndb[rec["ndb_no"]], "made_from", f"'{source}' is not "
                    "the ndb_no of another food of the pool")
                good.remove(rec)
                break
    if not rows:
        err(2, "ndb_no", "no foods in the curation file")
    return good, errors


def raw_problems(raw: str, ndb: str, usda: Usda) -> list[str]:
    """What is wrong with ``raw`` as the raw or dry counterpart of food ``ndb``.

    The shopping list turns cooked grams into grams to buy with the water
    values of both foods, so both must have one.  Blank means no counterpart.
    """
    if raw == "":
        return []
    if not NDB_RE.match(raw):
        return [f"'{raw}' is not a 5-digit SR28 food id (keep leading zeros)"]
    if raw not in usda.foods or raw not in usda.nutrients:
        return [f"unknown ndb_no {raw}: not in the USDA SR28 extract"]
    if raw == ndb:
        return [f"{raw} is the food itself; give its raw or dry form"]
    problems = []
    desc = usda.foods[raw]["description"]
    if COOKING_RE.search(desc):
        problems.append(f"food {raw} ({desc}) is cooked; give the raw or "
                        "dry form the food is sold in")
    if usda.nutrients[raw]["water_g"].strip() == "":
        problems.append(f"food {raw} ({desc}) has no water value in USDA "
                        "SR28, so its weight cannot be converted")
    if ndb in usda.nutrients and usda.nutrients[ndb]["water_g"].strip() == "":
        problems.append(f"food {ndb} has no water value in USDA SR28, so "
                        "its cooked weight cannot be converted")
    return problems


def refuse_problems(ndb: str, usda: Usda) -> list[str]:
    """What is wrong with the USDA refuse of food ``ndb`` (the food as bought).

    The shopping list divides by ``1 - refuse_pct/100``, so the value must be
    blank (unknown) or a percent below 100.
    """
    text = usda.foods[ndb]["refuse_pct"]
    if text == "":
        return []
    pct = parse_decimal(text)
    if pct is None or not 0 <= pct < 100:
        return [f"food {ndb} has USDA refuse_pct '{text}'; it must be blank "
                "or a percent from 0 to below 100"]
    return []


# --- building ---------------------------------------------------------------

def format_amount(value: Decimal) -> str:
    """0.5 -> '1/2', 0.25 -> '1/4', 1.5 -> '1 1/2', 2 -> '2', 0.333 -> '1/3'."""
    exact = Fraction(value)
    near = exact.limit_denominator(8)
    if abs(near - exact) > Fraction(1, 1000):
        return format(value.normalize(), "f")
    whole, rest = divmod(near.numerator, near.denominator)
    if rest == 0:
        return str(whole)
    frac = f"{rest}/{near.denominator}"
    return f"{whole} {frac}" if whole else frac


def canonical(values: list[str], order) -> str:
    return ";".join(v for v in order if v in values)


def derive_diets(animal: str, gluten: str, allergens: list[str],
                 may_contain: list[str] = ()) -> str:
    diets = [d for d, ok in DIET_ANIMALS.items() if animal in ok]
    if gluten == "no":
        diets.append("gluten-free")
    # Dairy-free is kept by people who react to milk, so "may contain" counts.
    if "milk" not in allergens and "milk" not in may_contain:
        diets.append("dairy-free")
    return ";".join(diets)


def build_pool(rows, usda: Usda) -> tuple[list[str], list[list[str]]]:
    header = [*POOL_HEAD, *usda.nutrient_columns]
    out = []
    for rec in rows:
        ndb = rec["ndb_no"]
        portion = usda.portions[(ndb, rec["portion_seq"])]
        amount = Decimal(rec["portion_amount"])
        grams = (Decimal(portion["gram_weight"]) * amount
                 / Decimal(portion["amount"]))
        grams = grams.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        measure = f"{format_amount(amount)} {portion['measure']}"
        allergens = split_list(rec["allergens"])
        food = usda.foods[ndb]
        nut = usda.nutrients[ndb]
        # Refuse is of the food as a shop sells it: the raw or dry
        # counterpart when there is one (a squash's rind is weighed raw).
        bought = usda.foods[rec["raw_ndb_no"] or ndb]
        out.append([
            ndb, rec["name"], rec["category"], str(grams), measure,
            canonical(allergens, ALLERGENS),
            derive_diets(rec["animal"], rec["gluten"], allergens,
                         split_list(rec["may_contain"])),
            canonical(split_list(rec["slots"]), SLOTS),
            str(int(rec["max_servings_day"])),
            food["description"], food["fdc_id"], rec["raw_ndb_no"],
            *(bought[c] for c in REFUSE_COLUMNS),
            ";".join(sorted(split_list(rec["made_from"]))),
            canonical(split_list(rec["may_contain"]), ALLERGENS),
            *(nut[c] for c in usda.nutrient_columns),
        ])
    out.sort(key=lambda r: (r[2], r[1]))
    return header, out


def csv_text(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def select(header, rows, cols):
    if cols is None:
        return header, rows
    idx = [header.index(c) for c in cols]
    return list(cols), [[r[i] for i in idx] for r in rows]


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


# --- SOURCE.md --------------------------------------------------------------

def source_md(usda: Usda, pool_rows) -> str:
    counts = dict.fromkeys(CATEGORIES, 0)
    for r in pool_rows:
        counts[r[2]] += 1
    branded = sorted(
        (r[1], r[0], usda.foods[r[0]]["manufacturer"])
        for r in pool_rows if usda.foods[r[0]]["manufacturer"])
    src = {}
    for r in pool_rows:
        code = usda.nutrients[r[0]].get("mg_src_cd", "")
        src[code] = src.get(code, 0) + 1
    n_foods = len(usda.tables["foods.csv"][1])
    n_portions = len(usda.tables["portions.csv"][1])
    n_mg = sum(1 for v in usda.nutrients.values() if v["magnesium_mg"] != "")
    n_src = len(usda.tables["src_codes.csv"][1])
    n_deriv = len(usda.tables["deriv_codes.csv"][1])
    n_dri = len(usda.tables[DRI_FILE][1])
    lines = [
        "# Data sources",
        "",
        "Everything in this folder except `curation/pool.csv`, `prices.csv` and",
        "the reference tables typed from their sources (`energy_dga2020.csv`,",
        "`energy_toddlers_dga2020.csv`, `upper_limits.csv`, with their source notes",
        "`energy_dga2020.md` and `upper_limits.md`) is generated by `scripts/build_data.py`. Do not edit the generated",
        "files by hand: edit `curation/pool.csv` and rebuild.",
        "",
        "## Rebuild",
        "",
        "From the repository root, with the USDA extract at `../shared/usda`:",
        "",
        "```",
        "python scripts/build_data.py --usda ../shared/usda --out data",
        "```",
        "",
        "(`--usda` and `--out` default to exactly these paths; `--curation`",
        "defaults to `data/curation/pool.csv`.) The script uses the Python",
        "standard library only, writes every file atomically with `\\n` line",
        "endings, and gives byte-identical output when run again on the same",
        "inputs. If the curation file has problems it reports each one as",
        "`file:line:column: what is wrong`, writes nothing and exits with 1.",
        "",
        "## Where the numbers come from",
        "",
        "Every nutrient value and every gram weight comes from the USDA",
        "National Nutrient Database for Standard Reference, Release 28 (SR28),",
        "through the extract in `../shared/usda/` (described in its",
        "`SOURCE.md`), joined by `ndb_no`. Citation:",
        "",
        "> US Department of Agriculture, Agricultural Research Service,",
        "> Nutrient Data Laboratory. USDA National Nutrient Database for",
        "> Standard Reference, Release 28. Version Current: September 2015",
        "> (slightly revised May 2016).",
        "",
        "The USDA data are works of the US Government and in the public domain",
        "in the United States (17 U.S.C. § 105); USDA publishes FoodData Central",
        "(including SR Legacy) under CC0 1.0. Citation is requested, not",
        "required.",
        "",
        "Values are per 100 g edible portion and are copied as text, exactly as",
        "in the extract (never reformatted or rounded). A blank value means USDA",
        "reported no value (not measured); it is never zero. The `fdc_id`",
        "column is the extract's derived crosswalk to FoodData Central (blank",
        "where none was established), not an official USDA mapping. SR Legacy",
        "(2018) revised some foods after SR28, so a FoodData Central page may",
        "differ from the values here for a few hundred foods.",
        "",
        "The magnesium reference intakes in `magnesium_dri.csv` are the Food",
        "and Nutrition Board / Institute of Medicine Dietary Reference Intakes",
        "(1997, *Dietary Reference Intakes for Calcium, Phosphorus, Magnesium,",
        "Vitamin D, and Fluoride*, doi 10.17226/5776): RDA or AI by life stage,",
        "and the tolerable upper intake level for supplemental magnesium",
        "(supplements and medications only, not food).",
        "",
        "## Files",
        "",
        "| file | rows | content |",
        "|---|---|---|",
        (f"| `usda/foods.csv` | {n_foods:,} | all SR28 foods: `ndb_no`,"
         " `fdc_id`, `description`, `food_group_code`, `food_group`,"
         " `common_name`, `manufacturer` (the extract's other columns are"
         " dropped) |"),
        (f"| `usda/nutrients.csv` | {n_foods:,} | all columns as in the"
         " extract: 14 nutrients per 100 g plus magnesium provenance"
         " (`mg_n_data_points`, `mg_std_error`, `mg_src_cd`, `mg_deriv_cd`);"
         f" {n_mg:,} foods have a magnesium value |"),
        (f"| `usda/portions.csv` | {n_portions:,} | SR28 household portions:"
         " `ndb_no`, `seq`, `amount`, `measure`, `gram_weight` (grams for"
         " `amount` × `measure`) |"),
        ("| `usda/nutrient_defs.csv` | 14 | nutrient column ↔ SR Nutr_No ↔"
         " FDC nutrient id, name, unit |"),
        (f"| `usda/src_codes.csv`, `usda/deriv_codes.csv` | {n_src}, {n_deriv}"
         " | meaning of `mg_src_cd` and `mg_deriv_cd` |"),
        (f"| `magnesium_dri.csv` | {n_dri} | magnesium RDA/AI by life stage"
         " and the supplemental-magnesium UL (FNB/IOM 1997) |"),
        ("| `energy_dga2020.csv`, `energy_toddlers_dga2020.csv` | — | estimated calorie needs (DGA 2020–2025,"
         " Appendix 2), typed from the copies listed in `energy_dga2020.md` |"),
        ("| `upper_limits.csv` | — | Tolerable Upper Intake Levels of calcium, iron, phosphorus and zinc by life"
         " stage (IOM 1997, 2001, 2011), typed from the copies listed in `upper_limits.md` |"),
        (f"| `pool.csv` | {len(pool_rows)} | the default food pool, built"
         " from `curation/pool.csv` and the USDA tables |"),
        ("| `curation/pool.csv` | — | hand-edited curation (no nutrient"
         " numbers) |"),
        ("| `prices.csv` | — | hand-written ILLUSTRATIVE prices per 100 g,"
         " not market data (see below) |"),
        "",
        "The `usda/` copies keep the extract's values byte-for-byte; only the",
        "line endings are normalised to `\\n` and, for `foods.csv` and",
        "`portions.csv`, unused columns are dropped.",
        "",
        "## The food pool",
        "",
        "`curation/pool.csv` is our own curation: the choice of foods, the",
        "short names, categories, serving sizes, allergen tags, animal origin,",
        "gluten flag, meal slots, maximum servings a day and raw counterparts",
        "are judgement, not USDA data. The food for each row was chosen among",
        "SR28 foods with a magnesium value, preferring generic foods in the",
        "form people eat and analytical magnesium values (`mg_src_cd` 1 or",
        "13) where there was a choice. A food with a blank magnesium value is",
        "refused by the build.",
        "",
        "`pool.csv` columns: `ndb_no`, `name`, `category`, `serving_grams`,",
        "`serving_measure`, `allergens`, `diets`, `slots`, `max_servings_day`,",
        "`usda_description`, `fdc_id`, `raw_ndb_no`, `refuse_pct`,",
        "`refuse_desc`, `made_from`, `may_contain`, then the 14 nutrient",
        "columns in `usda/nutrient_defs.csv` order, per 100 g, copied from",
        "`usda/nutrients.csv`. Rows are sorted by category, then name.",
        "",
        "- `raw_ndb_no`, for a food USDA weighs cooked (grains, dry legumes,",
        "  cooked greens and vegetables, fish, turkey), is the SR28 entry of",
        "  the same food raw, dry, uncooked or frozen unprepared: the form a",
        "  shop sells it in. The shopping list uses the water values of the",
        "  two foods to say how much of it to buy. It is blank where the food",
        "  is bought as eaten (canned tuna, bread, foods counted by the piece)",
        "  or is not cooked. The build refuses an unknown ndb_no, a counterpart",
        "  whose description names a way of cooking, and a food or counterpart",
        "  without a USDA water value.",
        "- `refuse_pct` and `refuse_desc` are USDA's refuse of the food as",
        "  bought: the share of its weight that is not eaten (peel, rind,",
        "  stems, pits, shells, bones) and what that is, copied as text from",
        "  the extract's `foods.csv` for `raw_ndb_no` when there is one, else",
        "  for the food itself. The shopping list adds it to the grams to buy",
        "  by weight, except for nuts and seeds: their refuse is the shell, and",
        "  they are sold shelled. Blank means USDA gives no refuse (unknown,",
        "  not 0).",
        "",
        "- One serving is `portion_amount` units of the measure of the USDA",
        "  portion row (`ndb_no`, `portion_seq`), on the same scale as that",
        "  row's `amount`: `serving_grams` = `gram_weight` × `portion_amount` /",
        "  `amount`, rounded half-up to 0.1 g. For the row `1, cup, 172`",
        "  a `portion_amount` of 0.5 is 86 g; for the row `3, oz, 85` a",
        "  `portion_amount` of 3 is 85 g. `serving_measure` is `portion_amount`",
        "  (as a fraction where natural) followed by the USDA measure text,",
        "  e.g. `1/2 cup`, `3 oz`, `1 oz (23 whole kernels)`.",
        "- `allergens` uses the nine major US allergens:",
        "  " + ", ".join(f"`{a}`" for a in ALLERGENS) + ".",
        "  Coconut is not treated as a tree nut and is not in the pool;",
        "  peanuts are in the `nuts` category but carry `peanuts`, not",
        "  `tree_nuts`; hummus and tahini carry `sesame`. Tags describe the generic",
        "  food; packaged products differ (e.g. dark chocolate may contain milk,",
        "  soy lecithin, peanuts or tree nuts, bread may contain soy), so read",
        "  the label.",
        "- `may_contain` lists allergens the generic food does not hold but",
        "  packaged products of it often do (curated, like `allergens`): an",
        "  exclusion of such an allergen leaves the food out, the safe side.",
        "- `made_from` lists the ndb_nos of pool foods this food is made from",
        "  (tahini: sesame seeds; hummus: chickpeas and tahini): excluding a",
        "  food by name leaves out the foods made from it.",
        "- `diets` is derived from the curated animal origin and gluten flag:",
        "  `vegan` (no animal origin), `vegetarian` (none, dairy, egg or",
        "  honey), `pescatarian` (also fish and shellfish), `gluten-free`",
        "  (gluten = no) and `dairy-free` (no milk in `allergens` or",
        "  `may_contain`).",
        "- Gluten policy: wheat (including bulgur and spelt), barley and rye",
        "  contain gluten. Ordinary oats are treated, conservatively, as",
        "  gluten-containing (`gluten` = yes, so not `gluten-free`), because",
        "  oats are commonly cross-contaminated with wheat or barley unless",
        "  certified gluten-free, and SR28 has no certified gluten-free oats.",
        "  For the same reason oats do not carry the `wheat` allergen but",
        "  may contain it (`may_contain` = wheat), so an exclusion of wheat",
        "  leaves them out.",
        "",
        "Pool size by category: "
        + ", ".join(f"{c} {n}" for c, n in counts.items() if n) + ".",
        "",
        "Magnesium source codes of the pool foods (`mg_src_cd`, see",
        "`usda/src_codes.csv`): "
        + ", ".join(f"{k or 'blank'}: {v}" for k, v in
                   sorted(src.items(), key=lambda kv: int(kv[0] or 0)))
        + ".",
        "",
    ]
    lines += [
        "## Prices",
        "",
        "`prices.csv` (columns `food`, `price_per_100g`; `food` is a pool name",
        "or `ndb_no`) is hand-written and NOT market data: the prices are",
        "illustrative placeholders in an unnamed currency, per 100 g as eaten,",
        "chosen only so that `--prices data/prices.csv --budget N` can be",
        "tried and tested. They come from no survey, shop or date. Use a",
        "prices file of your own for real budgets. Its first line is a `#`",
        "comment saying the same.",
        "",
    ]
    if branded:
        lines += [
            "SR28 has no generic entry for these foods, so a branded SR28 food",
            "stands for them:",
            "",
            *(f"- `{name}`: {ndb} ({usda.foods[ndb]['description']};"
              f" {mfr})" for name, ndb, mfr in branded),
            "",
        ]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Build mealplan food data from the USDA SR28 extract.")
    ap.add_argument("--usda", type=Path, default=REPO.parent / "shared" / "usda",
                    help="folder of the USDA SR28 extract "
                         "(default: <repo>/../shared/usda)")
    ap.add_argument("--out", type=Path, default=REPO / "data",
                    help="output folder (default: <repo>/data)")
    ap.add_argument("--curation", type=Path,
                    default=REPO / "data" / "curation" / "pool.csv",
                    help="hand-edited curation file "
                         "(default: <repo>/data/curation/pool.csv)")
    args = ap.parse_args(argv)

    if not (args.usda / "foods.csv").is_file():
        # QA: in a clone not beside shared/, the error named a missing file and no way on.
        print(f"error: {args.usda} holds no USDA SR28 extract (foods.csv); give the folder "
              "that holds foods.csv, nutrients.csv, portions.csv, nutrient_defs.csv, "
              "src_codes.csv, deriv_codes.csv and magnesium_dri.csv with --usda DIR",
              file=sys.stderr)
        return 2
    try:
        usda = Usda(args.usda)
        label = str(args.curation)
        rows, errors = validate_curation(args.curation, usda, label)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print(f"{len(errors)} problem(s) in {label}; nothing written.",
              file=sys.stderr)
        return 1

    out: Path = args.out
    for name, cols in USDA_COPIES.items():
        header, data = select(*usda.tables[name], cols)
        write_atomic(out / "usda" / name, csv_text(header, data))
    write_atomic(out / DRI_FILE, csv_text(*usda.tables[DRI_FILE]))
    header, pool = build_pool(rows, usda)
    write_atomic(out / "pool.csv", csv_text(header, pool))
    write_atomic(out / "SOURCE.md", source_md(usda, pool))
    print(f"wrote {out / 'pool.csv'} ({len(pool)} foods), {out / 'usda'}/, "
          f"{out / DRI_FILE}, {out / 'SOURCE.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

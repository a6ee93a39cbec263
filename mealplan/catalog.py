"""Foods: the curated default pool, user foods files, and the whole USDA SR28 extract.

Every nutrient value is per 100 g edible portion, exactly as published by USDA and joined
by ``ndb_no``. A blank value means "not measured": it is kept as ``None``, never as 0, and
a food whose magnesium is unknown is never planned with.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.abc import Traversable
from pathlib import Path

from .errors import DataError, InputError, UnknownName, as_path, is_number, is_whole, quoted
from .frozen import FrozenDict
from .nutrients import NUTRIENT_COLUMNS
from .resources import data_file, read_at_most, semicolon_export, table_text

CATEGORIES: tuple[str, ...] = (
    "seeds", "nuts", "cocoa", "legumes", "soy", "grains", "vegetables", "greens",
    "fruit", "fish", "dairy", "eggs", "poultry", "beverages", "other",
)  # fmt: skip
ALLERGENS: tuple[str, ...] = (
    "milk", "egg", "fish", "shellfish", "tree_nuts", "peanuts", "wheat", "soy", "sesame",
)  # fmt: skip
DIETS: tuple[str, ...] = ("vegan", "vegetarian", "pescatarian", "gluten-free", "dairy-free")
SLOTS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")

POOL_COLUMNS: tuple[str, ...] = (
    "ndb_no", "name", "category", "serving_grams", "serving_measure", "allergens", "diets",
    "slots", "max_servings_day",
)  # fmt: skip
MAX_FOODS_FILE_BYTES = 5_000_000
MAX_SERVING_GRAMS = 1000.0


class Values(FrozenDict[str, float | None]):
    """A food's nutrients per 100 g, read-only: the catalog is loaded once and cached, so a
    caller that changed a value (say, to adjust a copy) would change every later plan of the
    process, which would still claim USDA's values. Copy with ``dict(food.per_100g)``."""

    read_only_message = "a food's nutrient values are read-only (USDA's); copy them with dict(food.per_100g)"


@dataclass(frozen=True)
class Food:
    """One food of the pool, with its serving and nutrients per 100 g (read-only: Values)."""

    ndb_no: str
    name: str
    category: str
    serving_grams: float
    serving_measure: str
    allergens: frozenset[str]
    diets: frozenset[str]
    slots: tuple[str, ...]
    max_servings_day: int
    per_100g: Mapping[str, float | None] = field(compare=False, hash=False)
    usda_description: str = ""
    # False for a food added from USDA by ndb_no: USDA does not say which allergens it holds
    # or which diets it suits, so it is left out under any allergen exclusion or diet.
    tags_known: bool = True
    # Pool foods (ndb_nos) this food is made from (tahini: sesame seeds): excluding one of
    # them by name leaves this food out too.
    made_from: frozenset[str] = frozenset()
    # Allergens the generic food does not hold but packaged products of it often do (dark
    # chocolate: milk): an exclusion of one of them leaves the food out all the same.
    may_contain: frozenset[str] = frozenset()
    # For a food USDA weighs cooked, the ndb_no of the same food raw or dry (as a shop sells
    # it), so the shopping list can say how much to buy; "" when none is curated.
    raw_ndb_no: str = ""
    # USDA refuse of the food as bought (the raw counterpart's when there is one): percent of
    # its weight that is not eaten, and what that is ("Rind"). None when unknown: USDA gives
    # none, or the foods file has no refuse_pct column.
    refuse_pct: float | None = None
    refuse_desc: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.per_100g, Values):
            object.__setattr__(self, "per_100g", Values(self.per_100g))

    def amount(self, nutrient: str, grams: float) -> float | None:
        """Amount of ``nutrient`` in ``grams`` of this food; None when not measured."""
        value = self.per_100g.get(nutrient)
        return None if value is None else value * grams / 100.0

    def per_serving(self, nutrient: str) -> float | None:
        return self.amount(nutrient, self.serving_grams)

    @property
    def magnesium_mg_per_100kcal(self) -> float:
        kcal = self.per_100g["energy_kcal"] or 0.0
        mg = self.per_100g["magnesium_mg"] or 0.0
        return mg / kcal * 100.0 if kcal > 0 else math.inf


def normalize_name(text: str) -> str:
    """Case-, dash- and space-insensitive form used to match names typed by users."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


@dataclass(frozen=True)
class Catalog:
    """An ordered pool of foods, looked up by name or ``ndb_no``."""

    foods: tuple[Food, ...]
    source: str = "default pool"
    warnings: tuple[str, ...] = ()
    version: str = ""  # sha256 prefix of the foods table the catalog was read from
    # Foods of the table left out as unplannable (blank magnesium), by normalised name and
    # ndb_no → the name, so that asking for one says why it is not there.
    left_out: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    added: tuple[str, ...] = ()  # ndb_no of the foods added from USDA (with_foods), in order

    def __post_init__(self) -> None:
        """A catalog made in Python is checked as a foods file is (API QA: a food given twice
        crashed inside PuLP with 'overlapping constraint names')."""
        if not isinstance(self.left_out, FrozenDict):  # API QA: the cached pool's was shared, and changeable
            object.__setattr__(self, "left_out", FrozenDict(self.left_out))
        if not self.foods:  # as a foods file of a header only (API QA: an empty catalog planned the default pool)
            raise InputError(f"{self.source}: no foods; give at least one Food (or no catalog: the default pool)")
        problems = catalog_problems(self.foods, self.source)
        if problems:
            raise InputError(problems_message(problems, self.source))

    @property
    def described(self) -> str:
        """The source with the foods added to it, as a plan's request records it ('default
        pool + USDA 12063, 19296'), so that the plan can be asked again (audit: --add-food was
        said nowhere but in a '+' on the data's hash)."""
        return f"{self.source} + USDA {', '.join(self.added)}" if self.added else self.source

    def __iter__(self) -> Iterator[Food]:
        return iter(self.foods)

    def __len__(self) -> int:
        return len(self.foods)

    def by_ndb(self) -> dict[str, Food]:
        return {f.ndb_no: f for f in self.foods}

    def find(self, name_or_ndb: str) -> Food:
        """The one food called ``name_or_ndb`` (its short name, a plural or singular of it,
        or its ``ndb_no``).

        Raises InputError naming the closest known names when there is none, and the
        candidates when the name is a family of several foods (``spinach``).
        """
        foods = self.find_all(name_or_ndb)
        if len(foods) > 1:
            names = ", ".join(f.name for f in foods)
            raise InputError(f"{name_or_ndb!r} is {len(foods)} foods ({names}); name one of them")
        return foods[0]

    def find_all(self, name_or_ndb: str) -> tuple[Food, ...]:
        """The foods ``name_or_ndb`` names: one food by name, plural, singular or ``ndb_no``;
        or every food of a family written without its qualifier (``spinach`` is
        ``spinach (raw)`` and ``spinach (cooked)``). Matching ignores case, dashes and spaces.

        Raises InputError naming the closest known names when nothing matches.
        """
        key = padded_ndb_no(normalize_name(name_or_ndb))
        squashed = key.replace(" ", "")
        for food in self.foods:
            plain = _unbracketed(food.name)
            if key in (food.ndb_no, normalize_name(food.name), plain) or squashed == plain.replace(" ", ""):
                return (food,)
        singular = singular_name(key)
        same = [f for f in self.foods if singular_name(normalize_name(f.name)) == singular]
        if same:
            return tuple(same)
        family = [f for f in self.foods if singular_name(base_name(f.name)) == singular]
        if family:
            return tuple(family)
        if key in self.left_out:
            raise InputError(f"{self.left_out[key]} is left out of {self.source}: its magnesium_mg is blank (not "
                             "measured); fill it in, or drop this wish")  # fmt: skip
        usda = usda_foods().get(key) if key.isdigit() and len(key) == 5 else None
        if usda is not None:  # QA: --require 20006 (barley) said only "unknown food"
            where = "the default pool" if self.source == "default pool" else self.source
            raise InputError(f"{key} ({usda.description}) is not in {where}; add it with --add-food {key}")
        names = [f.name for f in self.foods]
        close = close_names(key, names)
        raise UnknownName(f"unknown food {quoted(name_or_ndb)}{hint_for(close, names)}", tuple(close))

    def with_foods(self, extra: Iterable[Food]) -> Catalog:
        """This catalog plus ``extra`` foods (a food already present by ndb_no is replaced)."""
        merged = {f.ndb_no: f for f in self.foods}
        added = list(self.added)
        for food in extra:
            merged[food.ndb_no] = food
            added += [food.ndb_no] * (food.ndb_no not in added)
        return Catalog(tuple(merged.values()), self.source, self.warnings, self.version + "+", self.left_out,
                       tuple(added))  # fmt: skip


def catalog_problems(foods: Sequence[Food], source: str) -> list[str]:
    """What is wrong with the foods of a catalog, one line each as a foods file's lines read,
    with ``source: foods[i] 'name'`` for the file and row: each food's values (the checks of a
    foods file's row, :func:`food_problems`), and the same ndb_no twice. (Not the same name
    twice, which a foods file refuses: with_foods adds foods a user named, and a name is
    found as its first food.)"""
    problems: list[str] = []
    seen_ndb: dict[str, int] = {}
    for i, food in enumerate(foods):
        if not isinstance(food, Food):
            problems.append(f"{source}: foods[{i}]: {type(food).__name__} {food!r:.60} is not a Food; give Food(...) "
                            "values, or a foods file to load_foods")  # fmt: skip
            continue
        where = f"{source}: foods[{i}] {food.name!r}"
        if bad := food_problems(food, where):
            problems.extend(bad)
            continue
        if food.ndb_no in seen_ndb:
            problems.append(f"{where}:ndb_no: duplicate ndb_no {food.ndb_no} (also foods[{seen_ndb[food.ndb_no]}]); "
                            "keep one of them")  # fmt: skip
        seen_ndb.setdefault(food.ndb_no, i)
    return problems


_TEXT_FIELDS = ("ndb_no", "name", "category", "serving_measure", "usda_description", "raw_ndb_no", "refuse_desc")
_TAG_FIELDS = ("allergens", "diets", "slots", "made_from", "may_contain")


def food_problems(food: Food, where: str) -> list[str]:
    """What is wrong with a food made in Python, as :func:`_row_problems` finds it in a foods
    file's row (the food written as one, so both are checked alike), after its types: text,
    numbers and collections of tags (API QA: serving_grams -10 was planned as -5 g, and a NaN
    of magnesium reached CBC)."""
    problems = [f"{where}:{name}: {getattr(food, name)!r} is not text"
                for name in _TEXT_FIELDS if not isinstance(getattr(food, name), str)]  # fmt: skip
    for name in _TAG_FIELDS:
        tags = getattr(food, name)
        if isinstance(tags, str) or not isinstance(tags, Iterable) or not all(isinstance(t, str) for t in tags):
            problems.append(f"{where}:{name}: {tags!r} is not a collection of names; give e.g. ('lunch', 'dinner')")
    if not is_number(food.serving_grams):
        problems.append(f"{where}:serving_grams: {food.serving_grams!r} is not a number")
    if not is_whole(food.max_servings_day):
        problems.append(f"{where}:max_servings_day: {food.max_servings_day!r} is not a whole number")
    numbers = {"refuse_pct": food.refuse_pct, **food.per_100g}
    problems += [f"{where}:{name}: {value!r} is not a number"
                 for name, value in numbers.items() if value is not None and not is_number(value)]  # fmt: skip
    if problems:
        return problems
    row = {name: getattr(food, name) for name in _TEXT_FIELDS}
    row.update({name: ";".join(getattr(food, name)) for name in _TAG_FIELDS})
    row.update({name: "" if value is None else str(float(value)) for name, value in numbers.items()})
    row.update(serving_grams=str(float(food.serving_grams)), max_servings_day=str(int(food.max_servings_day)))
    return _row_problems(row, where)


def singular_name(text: str) -> str:
    """The normalised name with its last word made singular: 'chia seeds' → 'chia seed',
    'blueberries' → 'blueberry', 'tomatoes' → 'tomato'. Crude, but names in the pool are
    simple English nouns."""
    words = normalize_name(text).split(" ")
    last = words[-1]
    for plural, single in (("ies", "y"), ("oes", "o"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss")):
        if last.endswith(plural) and len(last) > len(plural) + 1:
            last = last[: -len(plural)] + single
            break
    else:
        if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
            last = last[:-1]
    return " ".join([*words[:-1], last])


def _unbracketed(name: str) -> str:
    """'spinach (raw)' → 'spinach raw', so a name typed without brackets still matches."""
    return normalize_name(re.sub(r"[()]", " ", name))


def base_name(name: str) -> str:
    """The normalised name without a trailing qualifier: 'spinach (raw)' → 'spinach'."""
    return normalize_name(re.sub(r"\s*\([^)]*\)\s*$", "", name))


# How alike a typed name must be to a known one to be suggested (difflib ratio, 0–1), and
# how far below the best match a suggestion may be: 'almnds' gets almonds and almond
# butter, not salmon.
SUGGEST_CUTOFF = 0.65
SUGGEST_SPREAD = 0.12


def _similarity(key: str, name: str) -> float:
    """Best difflib ratio of ``key`` against the whole name, its base name and, for a
    one-word key, each of the name's words (so 'almnds' is close to 'almond butter')."""
    candidates = {name, base_name(name)}
    if " " not in key:
        candidates.update(name.replace("(", " ").replace(")", " ").split())
    return max(difflib.SequenceMatcher(None, key, c).ratio() for c in candidates if c)


def close_names(key: str, known: Iterable[str]) -> list[str]:
    """The (at most 3) names of ``known`` closest to ``key``, closest first; [] when none is
    close. Closeness is :func:`_similarity`; a name containing ``key`` also counts."""
    key = normalize_name(key)
    scored = []
    for norm, original in _by_normalized(known).items():
        score = _similarity(key, norm)
        if key and len(key) >= 3 and key in norm:
            score = max(score, 0.85)
        if score >= SUGGEST_CUTOFF:
            scored.append((score, original))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    close = sorted((s for s in scored if s[0] >= best - SUGGEST_SPREAD), key=lambda s: (-s[0], len(s[1]), s[1]))
    return [name for _, name in close[:3]]


def suggest(key: str, known: Iterable[str]) -> str:
    """'; did you mean: a, b?' for the closest names to ``key`` (:func:`close_names`), or a
    pointer to the list."""
    known = list(known)
    return hint_for(close_names(key, known), known)


def hint_for(close: Sequence[str], known: Iterable[str]) -> str:
    """:func:`suggest`'s text for names ``close`` already found among ``known``."""
    if close:
        return "; did you mean: " + ", ".join(close) + "?"
    names = _by_normalized(known)
    if len(names) <= 16:
        return "; choose one of: " + ", ".join(names.values())
    return "; run `mealplan foods` to list the known names"


def _by_normalized(known: Iterable[str]) -> dict[str, str]:
    """``known``'s names by their normalised form (one name for each form), in sorted order."""
    return {normalize_name(n): n for n in sorted(set(known))}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _number(value: str) -> float | None:
    value = value.strip()
    if value == "":
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _read_text(source: Traversable | Path, label: str) -> str:
    try:
        raw = read_at_most(source, MAX_FOODS_FILE_BYTES)
    except FileNotFoundError:
        raise InputError(f"foods file {label} does not exist; check the path") from None
    except IsADirectoryError:
        raise InputError(f"foods file {label} is a folder; give a CSV file") from None
    except OSError as exc:
        raise InputError(f"foods file {label} cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FOODS_FILE_BYTES:
        raise DataError(
            f"foods file {label} is larger than {MAX_FOODS_FILE_BYTES:,} bytes; is it the right file? "
            "keep only the foods you plan with"
        )
    try:
        return table_text(raw)
    except UnicodeDecodeError:
        raise DataError(f"foods file {label} is not UTF-8 text; save it as UTF-8 CSV") from None


def parse_foods(text: str, label: str) -> Catalog:
    """Parse a foods table (the columns of ``data/pool.csv``), validating every row.

    All problems are collected and raised together as one DataError whose lines read
    ``file:row:column: what is wrong``. Foods with blank magnesium are left out with a
    warning, never counted as 0 mg.
    """
    if not text.strip():
        raise DataError(f"{label}: the file is empty; a foods file needs the header row of data/pool.csv")
    try:
        return _parse_foods(text, label)
    except csv.Error as exc:
        raise DataError(
            f"{label}: not a readable CSV file ({exc}); save it as CSV with the columns of data/pool.csv"
        ) from None


def _parse_foods(text: str, label: str) -> Catalog:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    required = (*POOL_COLUMNS, *NUTRIENT_COLUMNS)
    missing = [c for c in required if c not in header]
    if missing:
        if (semicolons := semicolon_export(header, label, "decimal points in numbers (12.5)")) is not None:
            raise DataError(semicolons)  # QA
        raise DataError(
            f"{label}:1: missing column(s) {', '.join(missing)}; a foods file needs the columns of data/pool.csv"
        )
    problems: list[str] = []
    warnings: list[str] = []
    left_out: dict[str, str] = {}
    foods: list[Food] = []
    rows_seen = 0
    seen_ndb: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    for row_no, row in enumerate(reader, start=2):
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue  # a row of empty cells, as spreadsheets leave at the end (QA)
        rows_seen += 1
        where = f"{label}:{row_no}"
        # A spreadsheet drops an ndb_no's leading zero (01256 to 1256; no SR28 number starts
        # with 00), as in a prices file (QA).
        for column in ("ndb_no", "raw_ndb_no"):
            if row.get(column):
                row[column] = _four_digits_padded((row[column] or "").strip())
        if row.get("made_from"):
            row["made_from"] = ";".join(_four_digits_padded(n) for n in _split(row["made_from"] or ""))
        for column, allowed in ENUMERATED_COLUMNS.items():
            if cell := row.get(column):
                row[column] = (_canonical(cell, allowed) if column == "category"
                               else ";".join(_canonical(tag, allowed) for tag in _split(cell)))  # fmt: skip
        bad = _row_problems(row, where)
        if bad:
            problems.extend(bad)
            continue
        per_100g = {c: _number(row[c]) for c in NUTRIENT_COLUMNS}
        ndb_no, name = row["ndb_no"].strip(), row["name"].strip()
        if ndb_no in seen_ndb:
            problems.append(f"{where}:ndb_no: duplicate ndb_no {ndb_no} (also on row {seen_ndb[ndb_no]}); keep one row")
            continue
        if normalize_name(name) in seen_name:
            problems.append(
                f"{where}:name: duplicate name {name!r} (also on row {seen_name[normalize_name(name)]}); rename one"
            )
            continue
        seen_ndb[ndb_no] = row_no
        seen_name[normalize_name(name)] = row_no
        if per_100g["magnesium_mg"] is None:
            warnings.append(f"{where}: {name} ({ndb_no}) has no magnesium value (blank: not measured); left out")
            left_out[normalize_name(name)] = left_out[ndb_no] = name
            continue
        foods.append(Food(
            ndb_no=ndb_no,
            name=name,
            category=row["category"].strip(),
            serving_grams=float(row["serving_grams"]),
            serving_measure=row["serving_measure"].strip(),
            allergens=frozenset(_split(row["allergens"])),
            diets=frozenset(_split(row["diets"])),
            slots=tuple(s for s in SLOTS if s in _split(row["slots"])),
            max_servings_day=int(row["max_servings_day"]),
            per_100g=per_100g,
            usda_description=(row.get("usda_description") or "").strip(),
            raw_ndb_no=(row.get("raw_ndb_no") or "").strip(),
            refuse_pct=_number(row.get("refuse_pct") or ""),
            refuse_desc=(row.get("refuse_desc") or "").strip(),
            made_from=frozenset(_split(row.get("made_from") or "")),
            may_contain=frozenset(_split(row.get("may_contain") or "")),
        ))  # fmt: skip
    if problems:
        raise DataError(problems_message(problems, label))
    if not foods:
        if rows_seen == 0:
            raise DataError(f"{label}: no foods, only a header; add a row per food")
        raise DataError(
            f"{label}: magnesium_mg is blank in every row, so no food can be planned with; "
            "fill in magnesium_mg (mg per 100 g)"
        )
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Catalog(tuple(foods), label, tuple(warnings), version, left_out)


# The columns of a foods file that hold names of a fixed set, as the command line takes them:
# in any case, and with spaces, dashes or underscores alike ("Breakfast", "FISH", "Gluten Free",
# "tree nuts"). QA: a spreadsheet's "Breakfast" and "FISH" were refused, though the README says
# its CSVs are read as saved.
ENUMERATED_COLUMNS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES, "allergens": ALLERGENS, "may_contain": ALLERGENS, "diets": DIETS, "slots": SLOTS,
}  # fmt: skip


def _canonical(tag: str, allowed: Sequence[str]) -> str:
    """``tag`` as ``allowed`` spells it when it names one of them, else as it is (to be refused)."""
    key = normalize_name(tag)
    return next((a for a in allowed if normalize_name(a) == key), tag.strip())


def problems_message(problems: list[str], label: str, shown: int = 20) -> str:
    """One problem as its own line; several under a first line that names the file and the count."""
    if len(problems) == 1:
        return problems[0]
    more = f"\n... and {len(problems) - shown} more" if len(problems) > shown else ""
    return f"{label}: {len(problems)} problems; fix each of these lines:\n" + "\n".join(problems[:shown]) + more


def _row_problems(row: dict[str, str | None], where: str) -> list[str]:
    problems: list[str] = []

    def text(col: str) -> str:
        return (row.get(col) or "").strip()

    if not re.fullmatch(r"\d{5}", text("ndb_no")):
        problems.append(f"{where}:ndb_no: {text('ndb_no')!r} is not a 5-digit USDA ndb_no")
    if not text("name"):
        problems.append(f"{where}:name: empty name")
    if text("category") not in CATEGORIES:
        problems.append(f"{where}:category: {text('category')!r} is not one of {', '.join(CATEGORIES)}")
    try:
        grams = float(text("serving_grams"))
        if not (0 < grams <= MAX_SERVING_GRAMS):
            problems.append(f"{where}:serving_grams: {grams:g} is out of range; give more than 0 and at most "
                            f"{MAX_SERVING_GRAMS:g} g")  # fmt: skip
    except ValueError:
        problems.append(f"{where}:serving_grams: {text('serving_grams')!r} is not a number")
    for col, allowed in (("allergens", ALLERGENS), ("may_contain", ALLERGENS), ("diets", DIETS), ("slots", SLOTS)):
        for tag in _split(text(col)):
            if tag not in allowed:
                # QA: "peanut" in an allergen cell, the word --exclude takes, was refused
                # without the tag it meant.
                close = difflib.get_close_matches(tag.lower(), allowed, n=1, cutoff=0.6)
                meant = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(f"{where}:{col}: {tag!r} is not one of {', '.join(allowed)}{meant}")
    for source in _split(text("made_from")):
        if not re.fullmatch(r"\d{5}", source):
            problems.append(f"{where}:made_from: {source!r} is not a 5-digit USDA ndb_no")
    if not _split(text("slots")):
        problems.append(f"{where}:slots: no meal slot; use some of {', '.join(SLOTS)}")
    try:
        servings = int(text("max_servings_day"))
        if not (1 <= servings <= 10):
            problems.append(f"{where}:max_servings_day: {servings} is outside 1–10")
    except ValueError:
        problems.append(f"{where}:max_servings_day: {text('max_servings_day')!r} is not a whole number")
    for col in NUTRIENT_COLUMNS:
        try:
            value = _number(text(col))
        except ValueError:
            problems.append(f"{where}:{col}: {text(col)!r} is not a number")
            continue
        # 100 g of a food holds at most 100 g of anything (QA: protein_g 500 was planned with)
        # and some 900 kcal (pure fat); 100,000 mg is the same 100 g.
        most = 100 if col.endswith("_g") else 1000 if col == "energy_kcal" else 100_000
        if value is not None and not (0 <= value <= most):
            problems.append(f"{where}:{col}: {value:g} per 100 g is out of range; give 0 to {most:,}")
        if value is None and col == "energy_kcal":
            problems.append(f"{where}:energy_kcal: blank; every food needs its energy")
    try:
        refuse = _number(text("refuse_pct"))
        # The shopping list buys grams / (1 − refuse/100), so 100% would be no edible part.
        if refuse is not None and not (0 <= refuse < 100):
            problems.append(f"{where}:refuse_pct: {refuse:g} is out of range; give 0 to below 100, or leave it blank")
    except ValueError:
        problems.append(f"{where}:refuse_pct: {text('refuse_pct')!r} is not a number (a percent, or blank)")
    return problems


def given_or_default(foods: Catalog | None) -> Catalog:
    """``foods``, or the default pool when none is given: an empty catalog is given, and
    refused (Catalog), never taken for the default (API QA: ``foods or load_foods()`` planned
    the default pool for Catalog(foods=()), an empty catalog being false)."""
    return load_foods() if foods is None else foods


def load_foods(path: Path | str | None = None) -> Catalog:
    """The default pool, or the foods file at ``path`` (same columns as ``data/pool.csv``)."""
    if path is None:
        return _default_pool()
    path = as_path(path, "foods file", "a CSV file with the columns of data/pool.csv")
    return parse_foods(_read_text(path, str(path)), str(path))


@cache
def _default_pool() -> Catalog:
    source = data_file("pool.csv")
    return parse_foods(_read_text(source, "data/pool.csv"), "default pool")


# ---------------------------------------------------------------------------- USDA


@dataclass(frozen=True)
class UsdaFood:
    """A row of the shipped SR28 extract."""

    ndb_no: str
    description: str
    food_group: str
    per_100g: Mapping[str, float | None] = field(compare=False, hash=False)


@cache
def usda_foods() -> dict[str, UsdaFood]:
    """All 8,789 SR28 foods, keyed by ``ndb_no``."""
    with data_file("usda", "nutrients.csv").open(encoding="utf-8") as fh:
        values = {row["ndb_no"]: {c: _number(row[c]) for c in NUTRIENT_COLUMNS} for row in csv.DictReader(fh)}
    with data_file("usda", "foods.csv").open(encoding="utf-8") as fh:
        return {
            row["ndb_no"]: UsdaFood(row["ndb_no"], row["description"], row["food_group"],
                                    Values(values[row["ndb_no"]]))
            for row in csv.DictReader(fh)
        }  # fmt: skip


@cache
def usda_portions() -> dict[str, list[tuple[float, str, float]]]:
    """USDA household portions by ``ndb_no``: (amount, measure, grams), in USDA order."""
    portions: dict[str, list[tuple[float, str, float]]] = {}
    with data_file("usda", "portions.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            portions.setdefault(row["ndb_no"], []).append(
                (float(row["amount"]), row["measure"], float(row["gram_weight"]))
            )
    return portions


MAX_SEARCH_LIMIT = 10_000  # most hits search_usda returns (SR28 has 8,789 foods)


def search_usda(query: str, limit: int = 25) -> list[UsdaFood]:
    """SR28 foods whose description has a word starting with each word of ``query`` ("oat"
    finds "Oats" and "Oatmeal", not "Goat" or "Buckwheat groats": QA, a word found inside
    another misled), best match first (:func:`match_rank`: USDA names a food first, then its
    forms, so "Honey" is honey and "Nuts, almonds, honey roasted" is not), then magnesium-rich
    first."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SEARCH_LIMIT:
        # QA: limit=-1 gave all but the last hit (a slice), limit=0 none
        raise InputError(f"limit {limit!r} is out of range; give 1 to {MAX_SEARCH_LIMIT:,}")
    if not isinstance(query, str):  # API QA: None gave a raw AttributeError
        raise InputError(f"search {query!r} is not text; give a word such as 'walnut'")
    words = search_words(query)
    if not words:
        raise InputError("empty search; give a word such as 'walnut'")
    ranked = []
    for food in usda_foods().values():
        rank = match_rank(words, food.description.split(",")[0], food.description)
        if rank is not None:
            ranked.append((rank, -(food.per_100g["magnesium_mg"] or -1.0), food.ndb_no, food))
    ranked.sort(key=lambda hit: hit[:3])
    return [hit[-1] for hit in ranked[:limit]]


def search_words(text: str) -> list[str]:
    """The words of ``text`` as a search compares them: lower case, split at anything not a
    letter or digit ("Kellogg's" is "kellogg", "s"), so a query and a food's name are split alike."""
    return re.findall(r"[^\W_]+", text.lower())


@cache
def _singular(word: str) -> str:
    return singular_name(word)


def _starts(word: str, text_word: str) -> bool:
    """``text_word`` begins with ``word``, or is its singular or plural ("oats" and "oat",
    "berry" and "berries"); never a match inside a word ("oat" is not in "goat")."""
    return text_word.startswith(word) or _singular(text_word) == _singular(word)


def _whole(word: str, text_word: str) -> bool:
    return text_word == word or _singular(text_word) == _singular(word)


def match_rank(words: Sequence[str], head: str, text: str) -> int | None:
    """How well the search ``words`` (:func:`search_words`) match a food whose ``text`` (its
    whole name) begins with ``head`` (what the food is: USDA's part before the first comma, or
    a pool food's short name); lower is better, None when some word starts no word of ``text``.

    0: the head is the query ("Oats" for "oat"); 1: every word is a whole word of the head;
    2: every word starts a word of the head ("oat" in "Oatmeal"); 3: every word is a whole word
    of the text ("tea" in "Beverages, tea, instant"); 4: every word starts a word of the text;
    5, last: some word is only inside a word of the text, as in a compound ("milk" in "soymilk",
    "berries" in "strawberries", but also "oat" in "goat").
    """
    lowered = text.lower()
    # A fast refusal: most foods hold not even the letters (of the singular less its last
    # letter, which "berries" shares with "berry").
    if not all((_singular(w)[:-1] or w) in lowered for w in words):
        return None
    text_words = search_words(text)
    if not all(any(_starts(w, t) for t in text_words) for w in words):
        inside = all(any(w in t or _singular(w) in _singular(t) for t in text_words) for w in words)
        return 5 if inside else None
    head_words = search_words(head)
    if len(head_words) == len(words) and all(_whole(w, h) for w, h in zip(words, head_words, strict=True)):
        return 0
    for rank, (within, test) in enumerate(((head_words, _whole), (head_words, _starts), (text_words, _whole)), 1):
        if all(any(test(w, t) for t in within) for w in words):
            return rank
    return 4


def usda_words_like(query: str) -> list[str]:
    """Words of USDA descriptions close to the words of ``query`` (for a search with no hits)."""
    vocabulary = sorted({w for food in usda_foods().values() for w in re.findall(r"[a-z]+", food.description.lower())})
    close: list[str] = []
    for word in normalize_name(query).split():
        close += [c for c in difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.75) if c != word]
    return close


def _four_digits_padded(text: str) -> str:
    """A 4-digit number given its leading zero back (1256 is 01256); any other text as it is."""
    return padded_ndb_no(text) if len(text) == 4 else text


def padded_ndb_no(text: str) -> str:
    """``text`` with an ndb_no's leading zeros put back (1256 is 01256: a spreadsheet drops
    them); any other text as it is."""
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def food_from_usda(ndb_no: str, name: str | None = None) -> Food:
    """A pool food made from any SR28 food: its first USDA portion of at most MAX_SERVING_GRAMS
    as serving (a 1,171 g turkey breast is none, as a foods file says), the meals the default
    pool's foods of its category suit (_category_slots), or for a category the pool lacks,
    those of its USDA food group (_GROUP_SLOTS).

    Tags cannot be derived from USDA, so such a food's allergens and diets are unknown
    (``tags_known`` false): every allergen exclusion and every diet leaves it out, the safe side.
    """
    ndb_no = padded_ndb_no(ndb_no.strip())
    usda = usda_foods().get(ndb_no)
    if usda is None:
        raise InputError(f"unknown USDA ndb_no {ndb_no!r}; find one with `mealplan foods search WORD --all`")
    if usda.per_100g["magnesium_mg"] is None:
        raise InputError(
            f"USDA food {ndb_no} ({usda.description}) has no magnesium value; it cannot be planned with, choose another"
        )
    portions = [p for p in usda_portions().get(ndb_no, []) if 0 < p[2] <= MAX_SERVING_GRAMS]
    amount, measure, grams = portions[0] if portions else (100.0, "g", 100.0)
    category = _category_for(usda.food_group, usda.description)
    return Food(
        ndb_no=ndb_no,
        # QA: "Beverages, GEROLSTEINER …, naturally sparkling mineral water," kept its last comma.
        name=name or usda.description.lower().rstrip(" ,;"),
        category=category,
        serving_grams=round(grams, 1),
        serving_measure=f"{amount:g} {measure}",
        allergens=frozenset(),
        diets=frozenset(),
        slots=_category_slots().get(category) or _GROUP_SLOTS.get(usda.food_group, SLOTS),
        max_servings_day=2,
        per_100g=usda.per_100g,
        usda_description=usda.description,
        tags_known=False,
    )


@cache
def _category_slots() -> dict[str, tuple[str, ...]]:
    """Category → the meals any default pool food of it suits, in SLOTS order: a food added
    from USDA goes where the pool's foods of its kind go (QA: swordfish, added with
    --add-food, was planned at breakfast)."""
    slots: dict[str, set[str]] = {}
    for food in _default_pool():
        slots.setdefault(food.category, set()).update(food.slots)
    return {category: tuple(s for s in SLOTS if s in suited) for category, suited in slots.items()}


# The meals of a USDA food whose category no pool food has ("other"), by its food group
# (review: beef steak, added with --add-food, was planned at breakfast); a group not named
# here (fats and oils, spices, baby foods) suits every meal.
_MAIN = ("lunch", "dinner")
_GROUP_SLOTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("Beef Products", "Pork Products", "Lamb, Veal, and Game Products", "Sausages and Luncheon Meats",
                     "Soups, Sauces, and Gravies", "Meals, Entrees, and Side Dishes", "Fast Foods",
                     "Restaurant Foods"), _MAIN),
    **dict.fromkeys(("Sweets", "Snacks"), ("snack",)),
}  # fmt: skip

_GROUP_CATEGORY = {
    "Nut and Seed Products": "nuts", "Legumes and Legume Products": "legumes",
    "Cereal Grains and Pasta": "grains", "Breakfast Cereals": "grains", "Baked Products": "grains",
    "Vegetables and Vegetable Products": "vegetables", "Fruits and Fruit Juices": "fruit",
    "Finfish and Shellfish Products": "fish", "Dairy and Egg Products": "dairy",
    "Poultry Products": "poultry", "Beverages": "beverages",
}  # fmt: skip
# Within a USDA food group, the pool's category of a food whose description starts with
# (or, for cocoa, holds) these words: the pool keeps seeds apart from nuts, soy foods and
# peanuts apart from other legumes, eggs apart from dairy and leafy greens apart from other
# vegetables, and an --exclude of a category must find an added food where a pool food
# of its kind would be.
_DESCRIPTION_CATEGORY: tuple[tuple[str, str, str], ...] = (
    ("Nut and Seed Products", r"seeds?\b", "seeds"),
    ("Legumes and Legume Products", r".*\bpeanut", "nuts"),
    ("Legumes and Legume Products", r".*\b(soy|tofu|tempeh|miso|natto)", "soy"),
    ("Dairy and Egg Products", r"egg", "eggs"),
    ("Vegetables and Vegetable Products",
     r"(spinach|kale|chard|collards|beet greens|lettuce|arugula|mustard greens|turnip greens|dandelion greens)",
     "greens"),
    ("Sweets", r".*\b(cocoa|chocolate)", "cocoa"),
)  # fmt: skip


def _category_for(food_group: str, description: str) -> str:
    """The pool category of a USDA food (one added by ndb_no), from its food group and description."""
    text = description.lower()
    for group, pattern, category in _DESCRIPTION_CATEGORY:
        if group == food_group and re.match(pattern, text):
            return category
    return _GROUP_CATEGORY.get(food_group, "other")

"""Food prices from a CSV file: ``food,price_per_100g`` (food = name or ndb_no)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from .catalog import Catalog, problems_message
from .errors import DataError, InputError
from .resources import read_at_most, semicolon_export, table_text

MAX_PRICES_BYTES = 1_000_000


def load_prices(path: Path, catalog: Catalog) -> dict[str, float]:
    """ndb_no → price per 100 g; every problem reported as ``file:row:column: …``."""
    try:
        raw = read_at_most(path, MAX_PRICES_BYTES)
    except FileNotFoundError:
        raise InputError(f"prices file {path} does not exist; check the path") from None
    except IsADirectoryError:
        raise InputError(f"prices file {path} is a folder; give a CSV file") from None
    except OSError as exc:
        raise InputError(f"prices file {path} cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_PRICES_BYTES:
        raise DataError(f"prices file {path} is larger than {MAX_PRICES_BYTES:,} bytes; is it the right file?")
    try:
        text = table_text(raw)
    except UnicodeDecodeError:
        raise DataError(f"prices file {path} is not UTF-8 text; save it as UTF-8 CSV") from None
    try:
        # Empty cells at a row's end (a spreadsheet's trailing commas) are no column.
        # So are rows of empty cells only (QA: ",,," rows at a spreadsheet's end were unknown foods).
        trimmed = (_trimmed(row) for row in csv.reader(io.StringIO(text)))
        rows = [row for row in trimmed if any(c.strip() for c in row) and not row[0].startswith("#")]
    except csv.Error as exc:
        raise DataError(f"prices file {path} is not a readable CSV file ({exc}); save it as CSV") from None
    if not rows:
        raise DataError(f"prices file {path} is empty; give a header 'food,price_per_100g' and a row per food")
    if [c.strip() for c in rows[0]] != ["food", "price_per_100g"]:  # QA: extra columns were ignored
        if (semicolons := semicolon_export(rows[0], str(path), "a decimal point in prices (0.25)")) is not None:
            raise DataError(semicolons)  # QA
        raise DataError(f"{path}:1: the header must be 'food,price_per_100g'")
    if len(rows) == 1:
        raise DataError(f"prices file {path} has a header and no prices; add a row per food: name,price")
    prices: dict[str, float] = {}
    problems: list[str] = []
    for row_no, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            problems.append(f"{path}:{row_no}: needs 2 columns, food and price_per_100g (it has {len(row)})")
            continue
        try:
            food = catalog.find(row[0])
        except InputError as exc:
            problems.append(f"{path}:{row_no}:food: {exc}")
            continue
        try:
            price = float(row[1])
        except ValueError:
            problems.append(f"{path}:{row_no}:price_per_100g: {row[1]!r} is not a number")
            continue
        if not math.isfinite(price) or price < 0 or price > 10_000:
            problems.append(f"{path}:{row_no}:price_per_100g: {price:g} is out of range; give 0 to 10000")
            continue
        if food.ndb_no in prices:
            problems.append(f"{path}:{row_no}:food: {food.name} is priced twice; keep one row")
            continue
        prices[food.ndb_no] = price
    if problems:
        raise DataError(problems_message(problems, str(path)))
    return prices


def _trimmed(row: list[str]) -> list[str]:
    while len(row) > 2 and not row[-1].strip():
        row = row[:-1]
    return row

"""Where the shipped data lives.

From a wheel the ``data/`` folder is installed as the package ``mealplan.data``; from a
source checkout it is the ``data/`` folder beside the package. Either way the caller gets
a readable path that does not depend on the working directory.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Sequence
from importlib.abc import Traversable
from pathlib import Path


def data_root() -> Traversable:
    """The folder holding ``pool.csv``, ``usda/`` and the reference tables."""
    try:
        return importlib.resources.files("mealplan.data")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"


def schema_file() -> Traversable:
    """docs/plan.schema.json, which a wheel installs as ``mealplan.schema`` (as data_root)."""
    try:
        return importlib.resources.files("mealplan.schema") / "plan.schema.json"
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "docs" / "plan.schema.json"


def data_file(*parts: str) -> Traversable:
    """A shipped data file, e.g. ``data_file("usda", "foods.csv")``."""
    node = data_root()
    for part in parts:
        node = node.joinpath(part)
    return node


def read_at_most(source: Traversable | Path, limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes of ``source``: enough for the caller to tell that a file is
    too large without reading all of it (QA: ``--profile /dev/zero`` read until the machine
    ran out of memory). OSError propagates, for the caller to word."""
    with source.open("rb") as fh:
        data: bytes = fh.read(limit + 1)
    return data


def table_text(raw: bytes) -> str:
    """``raw`` decoded as UTF-8 (a byte-order mark dropped) with every line ending made "\n":
    CRLF, and the bare CR of a Mac spreadsheet's "CSV (Macintosh)" (QA: a batch of those
    failed as an unexpected error, and a prices file was told to be saved as CSV, which it
    was). UnicodeDecodeError propagates, for the caller to word."""
    return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def semicolon_export(header: Sequence[str], where: str, numbers: str = "") -> str | None:
    """A European spreadsheet's export ("household;name;age" read as one column): what to say
    of it, ``numbers`` being what the file's numbers should use ("a decimal point in prices
    (0.25)"), or None when ``header`` is not one."""
    if len(header) != 1 or ";" not in header[0]:
        return None
    decimal = f" and {numbers}" if numbers else ""
    return (f"{where}:1: the columns are separated by ';'; save the file with ',' between columns (CSV, "
            f"comma-delimited){decimal}")

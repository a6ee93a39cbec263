"""Batches: many households planned in parallel worker processes, or on a Dask cluster.

* **Input**: a folder of household TOML files (one household per file, its id the file
  name), or one CSV or JSONL file with a row per member and a ``household`` id column.
* **Isolation**: each household is read, validated and planned inside its task; an
  invalid or infeasible one becomes a result with its reason and the rest go on.
* **Results**: one JSON file per household, ``OUT/<id>.json``, written whole (temporary
  file and rename) by the parent as soon as the household finishes, so an interruption
  loses no finished household and leaves no partial file. Ids are sanitised to safe file
  names, so no input can make the batch write outside ``OUT``.
* **Resume**: a household whose result file exists, is valid, and was made from the same
  input and settings (its fingerprint) is not planned again; solver failures and
  unexpected errors are retried.

Worker processes are started with ``spawn``: HiGHS hangs in a process forked from one in
which it already ran. Each worker gives HiGHS one thread, so that ``--workers`` is the
number of cores used and the plans do not depend on the machine.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import csv
import dataclasses
import functools
import hashlib
import io
import ipaddress
import json
import math
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, MealplanError, as_path, quoted
from .options import (
    KEYS,
    KIND_BOOL,
    KIND_INT,
    KIND_LIST,
    KIND_NDB,
    KIND_NUMBER,
    KIND_TABLE,
    KIND_WEIGHTS,
    PATH_KEYS,
    read_toml,
)
from .resources import read_at_most, semicolon_export, table_text
from .tempdirs import sweep_stale_dirs

RESULT_SCHEMA = "mealplan-batch-result/1"
SUMMARY_FILE = "summary.csv"
MAX_WORKERS = 1024  # most local worker processes a batch may be given
SUMMARY_COLUMNS = (
    "household", "members", "status", "magnesium_coverage_pct", "kcal_per_day", "solve_seconds", "solver_status",
    "mip_gap_pct", "timed_out", "reason", "file",
)  # fmt: skip
# Status of a household's result, and whether it is final (a rerun gives the same answer,
# so --resume skips it) or worth retrying.
STATUSES = {
    "planned": True,  # a plan meeting every member's targets
    "invalid": True,  # the household's input is wrong (exit code 2 for a single household)
    "infeasible": True,  # no plan exists (3)
    "solver_failed": False,  # the solver failed or ran out of time (4)
    "error": False,  # anything else, e.g. a worker process that died
}
STATUS_BY_EXIT_CODE = {2: "invalid", 3: "infeasible", 4: "solver_failed"}
MAX_TABLE_BYTES = 200_000_000
MAX_ID_CHARS = 80
# Letters and digits of any script (str patterns' \w), '.', '_' and '-': QA's "Müller family"
# became "M_ller_family" when ids kept ASCII only.
_SAFE_ID = re.compile(r"\w[\w.-]{0,99}")
# How often a household is tried when the pool of worker processes breaks under it.
MAX_ATTEMPTS = 2
# Seconds to connect to a Dask scheduler (Dask retries until then, e.g. while it starts).
SCHEDULER_TIMEOUT_S = 5
# Dask's schemes that reach another process ("inproc" is only this one).
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")
_SCHEDULER_ADDRESS = re.compile(r"(?:(?P<scheme>[^:/]*)://)?(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>.*))?", re.S)
_HOST_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


@functools.cache
def rules_digest() -> str:
    """sha256 of what plans are made by: mealplan's code and its shipped data. In a result's
    fingerprint, so that --resume plans again what other rules planned (QA: the version stayed
    0.1.0 while a day's dislike weight and the toddlers' dried fruit changed)."""
    from .resources import data_root

    digest = hashlib.sha256()

    def add(name: str, content: bytes) -> None:
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)

    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        add(path.relative_to(package).as_posix(), path.read_bytes())
    stack: list[tuple[str, Any]] = [("data", data_root())]
    while stack:
        name, node = stack.pop()
        if node.is_dir():
            stack += sorted(((f"{name}/{child.name}", child) for child in node.iterdir()), reverse=True)
        elif node.is_file() and not node.name.endswith((".py", ".pyc")):
            add(name, node.read_bytes())
    return digest.hexdigest()


def _is_default(key: str, value: Any, section: Mapping[str, Any]) -> bool:
    """Whether a [household] ``value`` of ``key`` is what planning uses when none is given (the
    gap's default depends on the days: a day is proven optimal). Values of the wrong kind are not."""
    from .solver import DEFAULT_GAP, DEFAULT_SOLVER, DEFAULT_TIME_LIMIT_S, ONE_DAY_GAP

    if key == "solver":
        return isinstance(value, str) and value.strip().lower() == DEFAULT_SOLVER
    if isinstance(value, bool):
        return False
    if key in ("days", "seed"):  # whole numbers only: 7.0 is refused, so it is not the default (QA)
        return type(value) is int and value == {"days": 7, "seed": 0}[key]
    days = section.get("days", 7)
    defaults = {"time_limit": DEFAULT_TIME_LIMIT_S, "gap": ONE_DAY_GAP if days == 1 else DEFAULT_GAP}
    if key not in defaults or not isinstance(value, (int, float)) or (key == "gap" and type(days) is not int):
        return False
    return math.isclose(float(value), defaults[key], rel_tol=0.0, abs_tol=1e-12)


@dataclass(frozen=True)
class BatchSettings:
    """What applies to every household of a batch (from the command line)."""

    shared_meals: bool | None = None  # None: as each household file says
    overrides: Mapping[str, Any] = field(default_factory=dict)  # [household] keys: days, solver, gap …
    threads: int = 1  # HiGHS threads per household
    # Households whose request equals one a worker already planned get that plan again
    # (strategy.reusing); the plan is the same either way, only the time differs.
    reuse_plans: bool = True


@dataclass(frozen=True)
class Task:
    """One household to plan: its id, where it came from, and its data (or why it has none)."""

    household_id: str
    label: str
    data: Mapping[str, Any] | None
    error: str | None = None
    base_dir: str | None = None
    # Per member, where it came from, for messages: 'rows.csv:14: household 'h7'' (a .csv or
    # .jsonl row's line; empty for a household file, whose members are named in ``label``).
    member_labels: tuple[str, ...] = ()

    def fingerprint(self, settings: BatchSettings) -> str:
        """sha256 of the input and the settings, and of the files the input names (its
        prices and foods): a result made from other ones is stale."""
        from . import __version__

        data, overrides = self._effective(settings)
        record = {
            "data": data, "error": self.error, "shared_meals": self._shared_meals(settings),
            "overrides": overrides, "threads": settings.threads, "version": __version__,
            "files": self._named_files(), "rules": rules_digest(),
        }  # fmt: skip
        text = json.dumps(record, sort_keys=True, default=str, ensure_ascii=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _effective(self, settings: BatchSettings) -> tuple[Any, dict[str, Any]]:
        """The input with the command line's [household] values put in its section, and the
        overrides left (files, which are read from elsewhere): '--days 2' for a file that says
        days = 2 is the same request (QA: --resume planned all 51 households again)."""
        given = {key: value for key, value in settings.overrides.items() if value is not None}
        data = self.data
        section = data.get("household", {}) if isinstance(data, Mapping) else None
        if data is None or not isinstance(section, Mapping):
            return data, given
        merged = {**section, **{k: v for k, v in given.items() if k not in PATH_KEYS}}
        # A value that is the default is the same request as none (QA: --resume with --solver
        # cbc, --gap 0.02, --time-limit 20 or --seed 0 planned every household again).
        merged = {k: v for k, v in merged.items() if k == "shared_meals" or not _is_default(k, v, merged)}
        if isinstance(merged.get("shared_meals"), bool):  # in the record as _shared_meals says; a wrong
            del merged["shared_meals"]  # value stays, so that its fix is another request (QA)
        return {**data, "household": merged}, {k: v for k, v in given.items() if k in PATH_KEYS}

    def _shared_meals(self, settings: BatchSettings) -> object:
        """Whether the household is planned as one menu: the command line's choice, else its
        file's (--separate for a separate household is the same request)."""
        if settings.shared_meals is not None:
            return settings.shared_meals
        section = self.data.get("household") if isinstance(self.data, Mapping) else None
        return section.get("shared_meals", False) if isinstance(section, Mapping) else False

    def _named_files(self) -> dict[str, str]:
        """The digest of each file the household's [household] section names (prices,
        foods), by key; a file that cannot be read counts as its error."""
        return {key: _file_digest(path) for key, path in self.named_paths().items()}

    def named_paths(self) -> dict[str, Path]:
        """The path of each file the household's [household] section names (prices, foods),
        by key."""
        section = self.data.get("household") if isinstance(self.data, Mapping) else None
        if not isinstance(section, Mapping):
            return {}
        named: dict[str, Path] = {}
        for key, value in section.items():
            if str(key).replace("-", "_") in PATH_KEYS and isinstance(value, str):
                path = Path(value)
                if not path.is_absolute() and self.base_dir is not None:
                    path = Path(self.base_dir) / path
                named[str(key)] = path
        return named


def _file_digest(path: Path) -> str:
    """sha256 of the file at ``path`` (or why it cannot be read), computed once per version
    of the file: the households of a batch often share one prices or foods file."""
    try:
        stat = path.stat()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    return _digest_of(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _digest_of(path: str, _mtime_ns: int, _size: int) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


@dataclass(frozen=True)
class Outcome:
    """What became of one household (the summary row)."""

    household_id: str
    status: str
    members: int
    magnesium_coverage: float | None  # lowest magnesium/RDA over members and days
    kcal_per_day: float | None  # the household's energy a day, all members
    solve_seconds: float
    reason: str = ""
    file: str = ""
    resumed: bool = False
    # How the plan was solved (a planned household's): "optimal" within the gap asked, or
    # "feasible"; its certified gap; whether time rather than the search decided anything.
    solver_status: str = ""
    mip_gap: float | None = None
    timed_out: bool | None = None

    @property
    def planned(self) -> bool:
        return self.status == "planned"


@dataclass(frozen=True)
class BatchReport:
    """The outcome of every household, in input order."""

    outcomes: tuple[Outcome, ...]
    out_dir: Path
    seconds: float

    @property
    def planned(self) -> int:
        return sum(o.planned for o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.planned

    @property
    def complete(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class Progress:
    """Sent after each household: counts so far, rate and estimated time left."""

    done: int
    total: int
    planned: int
    failed: int
    skipped: int
    elapsed_s: float
    outcome: Outcome
    # Households refused at once for bad input (Task.error), before any planning: like the
    # skipped ones, not counted in the rate (QA: the ETA counted them as full solves).
    refused: int = 0

    @property
    def rate_per_s(self) -> float:
        worked = self.done - self.skipped - self.refused
        return worked / self.elapsed_s if self.elapsed_s > 0 and worked > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        rate = self.rate_per_s
        return (self.total - self.done) / rate if rate > 0 else None


# ------------------------------------------------------------------------ reading


def safe_id(raw: str) -> str:
    """A file-name-safe household id: letters and digits (of any script), '.', '_' and '-'
    only, no leading dot or dash, at most 100 characters, in Unicode's NFKC form (so that an
    id typed two ways is one file name). An id that had to change is cut to 80 characters and
    gets a short hash of the original, so two different ids never share a file."""
    text = str(raw)
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if cleaned == text and _SAFE_ID.fullmatch(text) and text.split(".")[0].casefold() not in _WINDOWS_RESERVED:
        return text
    safe = re.sub(r"[^\w.-]+", "_", cleaned).strip("._-")[:MAX_ID_CHARS] or "household"
    if safe.split(".")[0].casefold() in _WINDOWS_RESERVED:
        safe = f"household_{safe}"
    return _hashed(safe, text)


def _hashed(base: str, original: str) -> str:
    """``base`` with a short hash of ``original``: an id that had to change stays unique."""
    return f"{base}-{hashlib.sha256(original.encode('utf-8')).hexdigest()[:8]}"


def discover(path: Path | str) -> list[Task]:
    """The households at ``path``: a folder of ``*.toml`` files, or a ``.csv``/``.jsonl`` file."""
    # QA: a str gave AttributeError, though run_batch takes one for its folder.
    path = as_path(path, "households", "a folder or a .csv, .jsonl or .toml file")
    if path.is_dir():
        tasks = _from_folder(path)
    elif path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".csv":
            tasks = _from_rows(path, _csv_rows(path))
        elif suffix in (".jsonl", ".ndjson"):
            tasks = _from_rows(path, _jsonl_rows(path))
        elif suffix == ".toml":
            tasks = [_toml_task(path)]
        else:
            raise InputError(f"{path}: cannot tell the batch format; give a folder of .toml files, a .csv or a .jsonl")
    else:
        what = "is not a file or a folder" if path.exists() else "does not exist"  # a device, a FIFO
        raise InputError(f"{path} {what}; give a folder of household .toml files, a .csv or a .jsonl")
    if not tasks:
        raise InputError(f"{path} holds no households; add .toml files, or rows with a household id")
    return _distinct_ids(tasks)


def _from_folder(folder: Path) -> list[Task]:
    """A task per ``*.toml`` entry; one that is not a readable file (a folder, a broken link,
    a FIFO) is a household reported as invalid, not one skipped without a word. Hidden
    entries (a name that starts with ".") are not households, as ``ls`` does not list them:
    QA's batch failed (exit 5) on macOS's "._real.toml" and an editor's lock "#.real.toml"
    link, reported under ids that named no file."""
    entries = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml" and not p.name.startswith("."))
    return [_toml_task(p) if p.is_file() else _not_a_file(p) for p in entries]


def _not_a_file(path: Path) -> Task:
    what = "a folder" if path.is_dir() else "a broken link" if path.is_symlink() and not path.exists() else "not a file"
    return Task(safe_id(path.stem), str(path), None,
                f"{path} is {what}, not a household file; replace or remove it")  # fmt: skip


def _toml_task(path: Path) -> Task:
    household_id = safe_id(path.stem)
    try:
        data = read_toml(path, "household")
    except InputError as exc:
        return Task(household_id, str(path), None, str(exc))
    return Task(household_id, str(path), data, None, str(path.parent))


def _distinct_ids(tasks: Sequence[Task]) -> list[Task]:
    """``tasks`` with ids that differ only in case kept apart, one file each even on a
    case-insensitive disk: the later of two gets a short hash of its id, as an id that had to
    change does (safe_id, _hashed). QA: 'A' and 'a' in one CSV stopped the whole batch."""
    seen: set[str] = set()
    out = []
    for task in tasks:
        household_id = task.household_id
        if household_id.casefold() in seen:
            household_id = _hashed(household_id, household_id)
        seen.add(household_id.casefold())
        out.append(task if household_id == task.household_id else dataclasses.replace(task, household_id=household_id))
    return out


def _read_table(path: Path) -> str:
    try:
        raw = read_at_most(path, MAX_TABLE_BYTES)
        if len(raw) > MAX_TABLE_BYTES:
            raise InputError(f"{path} is larger than {MAX_TABLE_BYTES:,} bytes; split the batch")
        return table_text(raw)
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})") from None


# Marks a row that could not be read whole, with why (its household becomes invalid).
ROW_PROBLEM = "_problem"


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(_read_table(path)))
    # Column names in any case (QA: a spreadsheet's "Household" was "no 'household' column").
    reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
    header = list(reader.fieldnames)
    if "household" not in header:
        if (semicolons := semicolon_export(header, str(path))) is not None:
            raise InputError(semicolons)
        raise InputError(f"{path}:1: no 'household' column; add one with each member's household id")
    # csv keeps only the last of two same-named columns; empty names (trailing commas) hold nothing
    twice = next((name for i, name in enumerate(header) if name and name in header[:i]), None)
    if twice is not None:
        raise InputError(f"{path}:1: column {twice!r} appears twice in the header; keep one, or rename the other")
    for row_no, row in enumerate(reader, start=2):
        problem = None
        if None in row:  # a malformed row makes its household invalid, not the batch
            row.pop(None)
            problem = f"{path}:{row_no}: more cells than columns; quote cells that hold commas"
        cells = {k.strip(): _cell(k.strip(), v) for k, v in row.items() if v is not None and v.strip() != ""}
        if not cells and problem is None:
            continue  # a row of empty cells (QA: ",,,," rows at a spreadsheet's end became invalid households)
        yield row_no, cells if problem is None else {**cells, ROW_PROBLEM: problem}


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for row_no, line in enumerate(_read_table(path).splitlines(), start=1):
        if not line.strip():
            continue
        # A malformed line makes its household invalid (the one it names, when it can be read),
        # not the whole batch: the other households are still planned.
        try:
            row = json.loads(line, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            yield row_no, {ROW_PROBLEM: f"{path}:{row_no}: not valid JSON ({exc.msg}); one JSON object a line"}
            continue
        except _DuplicateKey as exc:
            named = json.loads(line)  # valid JSON: only a key is repeated
            household = named.get(HOUSEHOLD_COLUMN) if isinstance(named, dict) else None
            problem = f"{path}:{row_no}: key {exc.key!r} appears twice in the object; keep one"
            yield row_no, {ROW_PROBLEM: problem, **({HOUSEHOLD_COLUMN: household} if household is not None else {})}
            continue
        if not isinstance(row, dict):
            problem = f'{path}:{row_no}: not a JSON object; one object a line, e.g. {{"household": "h1"}}'
            yield row_no, {ROW_PROBLEM: problem}
            continue
        household = row.get(HOUSEHOLD_COLUMN)
        if household is not None and (isinstance(household, bool) or not isinstance(household, (str, int))):
            # QA: ["x"] was planned as household "x-2fe4f815", an id made from its repr.
            problem = f'{path}:{row_no}: the household id must be text, not {household!r}; e.g. "household": "h1"'
            yield row_no, {ROW_PROBLEM: problem}
            continue
        # A text is read as a list's names or a table's NAME=NUMBER parts, as in a household file
        # (like = "salmon=2"); a quoted number or yes/no stays text, refused as the TOML is (QA:
        # "age": "30" and "pregnant": "yes" were planned).
        yield row_no, {k: _cell(k, v) if isinstance(v, str) and _kind_of(k) not in _SCALAR_KINDS else v
                       for k, v in row.items() if v is not None}  # fmt: skip


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: json.loads would keep the last of two."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def _kind_of(column: str) -> str:
    """The kind of value a table's column takes (options.KEYS; ``household_days`` is ``days``'s),
    or "" for a column no key has."""
    key = column.removeprefix("household_").replace("-", "_")
    return KIND_BOOL if key == "shared_meals" else KEYS.get(key, "")


# Kinds a JSON line writes as JSON's own numbers and true/false, never as text.
_SCALAR_KINDS = (KIND_NUMBER, KIND_INT, KIND_BOOL)
# A CSV cell's number: ASCII digits, an optional sign, decimal point and exponent. Python's
# float() also takes "1_000", "nan", "infinity" and other scripts' digits, which no key means.
_NUMBER_CELL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE_CELL = re.compile(r"[+-]?[0-9]+")
_BOOL_CELLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _cell(column: str, text: str) -> Any:
    """A table cell as the type its key takes; a cell that does not parse stays text, so
    that validation reports it with the key (as a household file's ``age = "thirty"``)."""
    kind = _kind_of(column)
    text = text.strip()
    if kind == KIND_BOOL:
        return _BOOL_CELLS.get(text.lower(), text)
    if kind == KIND_NUMBER:
        if not _NUMBER_CELL.fullmatch(text):
            return text
        number = float(text)
        return int(number) if number.is_integer() and math.isfinite(number) else number
    if kind == KIND_INT:
        return int(text) if _WHOLE_CELL.fullmatch(text) else text
    if kind in (KIND_LIST, KIND_WEIGHTS, KIND_NDB):
        # ';' separates a cell's names; so does ',' (QA: "milk, fish" was refused with advice
        # for the command line). No name of the pool holds either.
        return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]
    if kind == KIND_TABLE:
        # NAME=NUMBER parts, by ';' or ',' as a list's names (QA: "nuts=1,oats=2" was read as
        # the food 'nuts=1,oats'); a part without '=' (a decimal comma) leaves the cell text.
        table: dict[str, float] = {}
        for part in (p.strip() for p in re.split(r"[;,]", text) if p.strip()):
            name, equals, amount = part.rpartition("=")
            if not equals:
                return text
            try:
                table[name.strip()] = float(amount)
            except ValueError:
                return text
        return table
    return text


HOUSEHOLD_COLUMN = "household"


def _shown(value: Any) -> str:
    """A cell's value in a message: true and false as a file writes them (QA review: 'True')."""
    return ("true" if value else "false") if isinstance(value, bool) else repr(value)


def _from_rows(path: Path, rows: Iterator[tuple[int, dict[str, Any]]]) -> list[Task]:
    """Group rows by household id (first appearance order); a column ``household_<key>``
    or a household-only key (days, solver, budget …) is a [household] setting, and must
    agree across the household's rows."""
    from .household import HOUSEHOLD_KEYS, HOUSEHOLD_ONLY_KEYS

    # shared_meals is the household's too (households.md); a member may not set it (QA).
    household_only = (*HOUSEHOLD_ONLY_KEYS, "shared_meals")
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    # A household id seen again after other households' rows: two clients given one id, or
    # rows out of order (QA: two 'smith' blocks were planned as one household, silently).
    apart: dict[str, list[str]] = {}
    previous = None
    for row_no, row in rows:
        raw_id = row.get(HOUSEHOLD_COLUMN)
        raw_id = "" if raw_id is None else str(raw_id).strip()
        # Only another household's row parts a household's (QA review: a row without an id, or a
        # line that is not JSON, between two of its rows is not one).
        has_id = bool(raw_id)
        if not raw_id:
            raw_id = f"row-{row_no}"
            row = row if ROW_PROBLEM in row else {**row, "_no_id": True}
        if has_id and raw_id in groups and raw_id != previous:
            apart.setdefault(raw_id, []).append(
                f"{path}:{row_no}: household {raw_id!r} is also on line {groups[raw_id][-1][0]}, with other "
                "households' rows between; keep a household's rows together, or give two households two ids"
            )
        groups.setdefault(raw_id, []).append((row_no, row))
        if has_id:
            previous = raw_id
    tasks = []
    for raw_id, members in groups.items():
        # The household's first line, where its settings' problems are told (QA: "household 'neg':
        # [household]: days -3" named no line, where households.md promises file and line).
        label = f"{path}:{members[0][0]}: household {raw_id!r}"
        household: dict[str, Any] = {}
        set_on: dict[str, int] = {}
        problems: list[str] = list(apart.get(raw_id, ()))
        people = []
        for row_no, row in members:
            if row.get("_no_id"):
                problems.append(f"{path}:{row_no}: no household id; fill the 'household' column")
            if ROW_PROBLEM in row:
                problems.append(row[ROW_PROBLEM])
            person: dict[str, Any] = {}
            for column, value in row.items():
                if column in (HOUSEHOLD_COLUMN, "_no_id", ROW_PROBLEM):
                    continue
                key = column.removeprefix("household_")
                if column.startswith("household_") and key in HOUSEHOLD_KEYS or column in household_only:
                    if key in household and household[key] != value:
                        problems.append(
                            f"{path}:{row_no}: household {raw_id!r}: rows disagree on {column!r} "
                            f"({_shown(household[key])} on line {set_on[key]} and {_shown(value)}); give one value "
                            "for the household"
                        )
                    household[key] = value
                    set_on[key] = row_no
                else:
                    person[column] = value
            people.append(person)
        data = {"household": household, "members": people}
        error = "; ".join(problems) if problems else None
        lines = tuple(f"{path}:{row_no}: household {raw_id!r}" for row_no, _ in members)
        tasks.append(Task(safe_id(raw_id), label, data, error, str(path.parent), lines))
    return tasks


# ----------------------------------------------------------------------- planning


# The solutions this process has found, for BatchSettings.reuse_plans (one store per worker
# process, kept from one household to the next).
_SOLUTIONS: dict[str, Any] = {}


def run_task(task: Task, settings: BatchSettings) -> dict[str, Any]:
    """Validate and plan one household; never raises. The result document of the household
    (what is written to ``OUT/<id>.json``), with its status and reason."""
    began = time.perf_counter()
    fingerprint = task.fingerprint(settings)
    members = len(task.data.get("members", [])) if isinstance(task.data, Mapping) else 0
    members = members if isinstance(members, int) else 0
    if task.error is not None or task.data is None:
        return _result(task, fingerprint, "invalid", task.error or "no data", members, None, began)
    try:
        from .household import household_from_data, plan_household
        from .report.common import plan_dict
        from .strategy import reusing

        household = household_from_data(
            task.data, task.label, base_dir=None if task.base_dir is None else Path(task.base_dir),
            default_name=task.household_id, overrides=settings.overrides, member_labels=task.member_labels,
        )  # fmt: skip
        with reusing(_SOLUTIONS) if settings.reuse_plans else contextlib.nullcontext():
            plan = plan_household(household, shared_meals=settings.shared_meals, threads=settings.threads)
        document = plan_dict(plan)
    except MealplanError as exc:
        status = STATUS_BY_EXIT_CODE.get(exc.exit_code, "error")
        return _result(task, fingerprint, status, str(exc), members, None, began)
    except Exception as exc:  # noqa: BLE001 - one household's bug must not stop the batch
        return _result(task, fingerprint, "error", f"unexpected failure ({type(exc).__name__}: {exc})", members,
                       None, began)  # fmt: skip
    return _result(task, fingerprint, "planned", "", len(plan.members), document, began, plan.solve.seconds)


def _result(
    task: Task, fingerprint: str, status: str, reason: str, members: int,
    plan: dict[str, Any] | None, began: float, solve_seconds: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    # Null where there is no plan, as the docs say (QA: solver_status was "" beside null fields).
    summary: dict[str, Any] = {"magnesium_coverage": None, "kcal_per_day": None, "solver_status": None,
                               "mip_gap": None, "timed_out": None}  # fmt: skip
    if plan is not None:
        summary = _plan_summary(plan)
    seconds = time.perf_counter() - began if solve_seconds is None else solve_seconds
    return {
        "schema": RESULT_SCHEMA,
        "household": task.household_id,
        "source": task.label,
        "fingerprint": fingerprint,
        "status": status,
        "reason": reason,
        "members": members,
        **summary,
        "solve_seconds": round(seconds, 3),
        "plan": plan,
    }


def _plan_summary(plan: Mapping[str, Any]) -> dict[str, Any]:
    """Lowest magnesium coverage over members and days, and the household's kcal a day."""
    coverage = math.inf
    kcal = 0.0
    for member in plan["members"]:
        rda = member["targets"]["magnesium_mg"]
        days = member["days"]
        if plan.get("weekly_average"):
            coverage = min(coverage, member["average"]["magnesium_mg"] / rda)
        else:
            coverage = min(coverage, *(d["totals"]["magnesium_mg"] / rda for d in days))
        kcal += member["average"]["energy_kcal"]
    solver = plan.get("solver") or {}
    return {"magnesium_coverage": round(coverage, 4), "kcal_per_day": round(kcal, 1),
            "solver_status": solver.get("status", ""), "mip_gap": solver.get("mip_gap"),
            "timed_out": solver.get("timed_out")}  # fmt: skip


def outcome_of(document: Mapping[str, Any], file: str, resumed: bool = False) -> Outcome:
    return Outcome(
        household_id=str(document["household"]),
        status=str(document["status"]),
        members=int(document.get("members") or 0),
        magnesium_coverage=document.get("magnesium_coverage"),
        kcal_per_day=document.get("kcal_per_day"),
        solve_seconds=float(document.get("solve_seconds") or 0.0),
        reason=str(document.get("reason") or ""),
        file=file,
        resumed=resumed,
        solver_status=str(document.get("solver_status") or ""),
        mip_gap=document.get("mip_gap"),
        timed_out=document.get("timed_out"),
    )


def result_path(out_dir: Path, household_id: str) -> Path:
    """``OUT/<id>.json``; refuses any id that would leave ``OUT`` (ids are sanitised, so
    this is a second lock on the same door)."""
    path = out_dir / f"{household_id}.json"
    if not _SAFE_ID.fullmatch(household_id) or path.resolve().parent != out_dir.resolve():
        raise InputError(f"household id {household_id!r} is not a safe file name")
    return path


def read_result(path: Path, task: Task, fingerprint: str) -> dict[str, Any] | None:
    """The result document at ``path`` if it is a finished, valid result of this very task
    (a FIFO or device there is none: reading one could wait forever)."""
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    if document.get("schema") != RESULT_SCHEMA or document.get("household") != task.household_id:
        return None
    if document.get("fingerprint") != fingerprint or not STATUSES.get(str(document.get("status")), False):
        return None
    if document["status"] == "planned" and not isinstance(document.get("plan"), dict):
        return None
    return document


def write_result(path: Path, document: Mapping[str, Any]) -> None:
    from .output import write_atomic

    write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n", force=True,
                 option="--out")  # fmt: skip


def remove_partial_files(out_dir: Path) -> int:
    """Delete temporary files that an interrupted write left behind (``.NAME.XXXX.part``)."""
    removed = 0
    for stale in out_dir.glob(".*.part"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


Listener = Callable[[Progress], None]


def run_batch(
    tasks: Sequence[Task],
    out_dir: Path | str,
    *,
    settings: BatchSettings | None = None,
    workers: int | None = None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    on_progress: Listener | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> BatchReport:
    """Plan every task, writing ``OUT/<id>.json`` as each finishes and ``OUT/summary.csv``
    at the end. Local worker processes, or the Dask scheduler at ``scheduler``.

    Raises InputError before any work for a bad ``out_dir``, existing results without
    ``resume`` or ``force``, or an unusable scheduler; ``out_dir`` is created only once the
    scheduler answered, so a failed start leaves no folder. KeyboardInterrupt stops the
    workers; what finished is already on disk.

    Local workers are started with ``spawn`` (HiGHS hangs in a forked child), which imports
    the calling script again in each worker: call run_batch from a script under
    ``if __name__ == "__main__":``, or every worker fails at start, and run_batch raises an
    InputError that says so.

    ``on_notice`` is told of trouble that does not stop the batch (a Dask scheduler left
    without workers); by default it is a RuntimeWarning.
    """
    from .household import check_overrides

    settings = settings or BatchSettings()
    began = time.perf_counter()
    # API QA: None, a path, or a dict of settings gave raw TypeError and AttributeError.
    if isinstance(tasks, (str, os.PathLike)) or not isinstance(tasks, Sequence) or not all(
            isinstance(t, Task) for t in tasks):
        raise InputError(f"tasks must be a list of Task (from discover(path)), not {type(tasks).__name__}; "
                         "e.g. run_batch(discover('households'), 'plans')")  # fmt: skip
    if not isinstance(settings, BatchSettings):
        raise InputError(f"settings must be a BatchSettings, not {type(settings).__name__}; e.g. "
                         "BatchSettings(overrides={'time_limit': 10})")  # fmt: skip
    if not isinstance(out_dir, (str, os.PathLike)):
        raise InputError(f"out_dir must be a folder path, not {type(out_dir).__name__}; e.g. 'plans'")
    # What the command line checks, checked here too for the API (QA: overrides={"dayz": 3}
    # planned with the file's days; workers=0 meant every core; two tasks of one id wrote
    # one file and reported both planned).
    check_overrides(settings.overrides)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)):
        raise InputError(f"workers {workers!r} is not a whole number; give 1 to {MAX_WORKERS}, or None for every core")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"workers {workers!r} is out of range; give 1 to {MAX_WORKERS}, or None for every core")
    ids: set[str] = set()
    for task in tasks:
        if task.household_id.casefold() in ids:
            raise InputError(f"household id {task.household_id!r} is given twice; give each task its own id")
        ids.add(task.household_id.casefold())
    address = None if scheduler is None else scheduler_address(scheduler)
    out_dir = _check_out(out_dir)
    # Before any advice about the results there: they are another batch's, half-written (QA:
    # a second batch was told to use --resume or --force, and only then that it must wait).
    _check_not_busy(out_dir)
    paths = {t.household_id: result_path(out_dir, t.household_id) for t in tasks}
    _check_not_read([out_dir / SUMMARY_FILE, *paths.values()], tasks)
    fingerprints = {t.household_id: t.fingerprint(settings) for t in tasks}
    odd = [p for p in [out_dir / SUMMARY_FILE, *paths.values()] if p.exists() and not p.is_file()]
    if odd:
        # A folder, FIFO or device where a result goes would only fail once its household is
        # planned (or, read by --resume, hang): refuse before any work.
        raise InputError(f"{odd[0]} is not a regular file; remove it or choose another --out")
    existing = [t for t in tasks if paths[t.household_id].exists()]
    if existing and not (resume or force):
        raise InputError(
            f"{out_dir} already holds results for {len(existing)} of these households; "
            "use --resume to continue the batch or --force to plan them all again"
        )
    outcomes: dict[str, Outcome] = {}
    counts = {"planned": 0, "failed": 0, "skipped": 0, "refused": 0}

    def record(outcome: Outcome, *, refused: bool = False) -> None:
        outcomes[outcome.household_id] = outcome
        counts["planned" if outcome.planned else "failed"] += 1
        if outcome.resumed:
            counts["skipped"] += 1
        counts["refused"] += refused
        if on_progress is not None:
            on_progress(Progress(len(outcomes), len(tasks), counts["planned"], counts["failed"], counts["skipped"],
                                 time.perf_counter() - began, outcome, counts["refused"]))  # fmt: skip

    todo: list[Task] = []
    for task in tasks:
        path = paths[task.household_id]
        done = read_result(path, task, fingerprints[task.household_id]) if resume and path.exists() else None
        if done is None:
            todo.append(task)
        else:
            record(outcome_of(done, path.name, resumed=True))

    def finished(task: Task, document: Mapping[str, Any], *, refused: bool = False) -> None:
        path = paths[task.household_id]
        write_result(path, document)
        record(outcome_of(document, path.name), refused=refused)

    # Households whose input is already known to be wrong are reported first, by this
    # process (QA: bad rows at the end of a file showed "not planned 0" until the end).
    refused = [t for t in todo if t.error is not None or t.data is None]
    todo = [t for t in todo if t.error is None and t.data is not None]
    with (_dask_client(address) if address is not None and todo else contextlib.nullcontext()) as client, \
            _prepared_out(out_dir):
        # The last run's summary no longer describes the folder once this one starts: gone
        # until this one ends (QA: after a Ctrl-C, the old summary still said all were planned).
        (out_dir / SUMMARY_FILE).unlink(missing_ok=True)
        for task in refused:
            finished(task, run_task(task, settings), refused=True)
        if client is not None:
            _run_dask(todo, settings, client, finished, on_notice or _warn)
        elif todo:
            _run_local(todo, settings, workers, finished)
        report = BatchReport(tuple(outcomes[t.household_id] for t in tasks), out_dir, time.perf_counter() - began)
        write_summary(report)
    return report


def _check_not_read(outputs: Sequence[Path], tasks: Sequence[Task]) -> None:
    """Refuse, before any work, a result or summary that would be written over a file the
    batch reads: the households' foods or prices files, or the command line's batch file
    (output.note_read). QA: `household fam.toml --output fam.toml --force` replaced its input."""
    from .output import being_read, real_path

    named = {real_path(path): f"the {key} file of {task.label}"
             for task in tasks for key, path in task.named_paths().items()}  # fmt: skip
    for path in outputs:
        what = named.get(real_path(path)) or being_read(path)
        if what is not None:
            raise InputError(f"--out would write {path} over {what}, which the batch reads; choose another --out")


def _warn(text: str) -> None:
    warnings.warn(text, RuntimeWarning, stacklevel=2)


def _check_out(out_dir: Path | str) -> Path:
    """``out_dir`` as a Path, refused if empty: Path("") is the current folder."""
    if isinstance(out_dir, str) and not out_dir.strip():
        raise InputError("--out is empty; give a folder for the results, e.g. --out plans")
    path = Path(out_dir)
    try:
        path.resolve()  # a loop of symbolic links is found here (RuntimeError), before any planning
        if path.exists() and not path.is_dir():
            raise InputError(f"--out {path} is not a folder; give a folder for the results")
    except (OSError, RuntimeError) as exc:  # a name over 255 bytes; a loop of links
        reason = exc.strerror if isinstance(exc, OSError) else "a loop of symbolic links"
        raise InputError(f"cannot use --out {quoted(str(path))} ({reason}); choose another folder") from None
    return path


# In the results folder while a batch writes to it: a second batch with the same --out is
# refused (QA: two ran at once, both exited 0, each overwriting the other's files, and one's
# start removed the other's half-written results as stale).
LOCK_FILE = ".mealplan-batch.lock"


@contextlib.contextmanager
def _prepared_out(out_dir: Path) -> Iterator[None]:
    """``out_dir`` made, checked writable, held by this batch (_held), and cleared of
    half-written results."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create --out folder {out_dir} ({exc.strerror}); choose another") from None
    # An existing folder the results cannot be written to (read-only) is refused before any
    # planning (shell QA: it failed writing the summary, with exit 1 and "please report it").
    try:
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise InputError(f"cannot write in --out folder {out_dir} ({exc.strerror}); choose another") from None
    with _held(out_dir):
        remove_partial_files(out_dir)
        yield


def _busy_error(out_dir: Path) -> InputError:
    return InputError(f"another mealplan batch is writing its results to {out_dir}; wait for it to end, or "
                      "choose another --out")  # fmt: skip


def _check_not_busy(out_dir: Path) -> None:
    """Refuse ``out_dir`` when another batch holds it (see _held), without holding it: the
    lock file is only opened when it is there, so a folder that is not busy is left as it was."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on a POSIX system
        return
    try:
        fh = (out_dir / LOCK_FILE).open("rb")
    except OSError:  # no lock file (no batch there), or not a file we may read: _held decides
        return
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy_error(out_dir) from None
        except OSError:  # a file system without locks: _held decides
            return
        fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def _held(out_dir: Path) -> Iterator[None]:
    """``out_dir`` held by this batch: an advisory lock on LOCK_FILE, which the system drops
    when the process ends, however it ends; the file goes when the batch ends. No lock where
    the system has none (not POSIX)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on a POSIX system
        yield
        return
    lock = out_dir / LOCK_FILE
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy_error(out_dir) from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _init_worker(parent_pid: int, started: str | None = None) -> None:
    global _STARTED
    _STARTED = started
    # Ctrl-C reaches every process of the terminal's group; only the parent handles it, so
    # that it can stop the workers in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent stops workers with SIGTERM (see _stop); one in a CBC solve leaves no solver
    # running on and no folder behind.
    signal.signal(signal.SIGTERM, _terminated)
    # The handler reads the temporary folder's name; found now, it is not looked up under
    # tempfile's lock while a second SIGTERM may come (see _terminated).
    tempfile.gettempdir()
    # A parent killed outright (kill -9) cannot stop its workers: they notice and leave.
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()


def _terminated(signum: int, frame: Any) -> None:
    # Once: a broken pool's clean-up can send SIGTERM twice, and the second, run inside the
    # first handler's tempfile.gettempdir(), waited for ever on the lock the first held (the
    # test that kills a worker as it starts hung the batch at exit about one time in eight).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from .solver import end_cbc_solves

    end_cbc_solves()
    os._exit(128 + signum)


def _exit_with_parent(parent_pid: int) -> None:
    """Leave when the parent is gone, with no CBC running on and no CBC folder left (QA: after
    kill -9 of a batch, the workers' folders stayed in /tmp, which a later run sweeps only
    when they are two days old: see solver.sweep_stale_cbc_dirs)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            from .solver import end_cbc_solves

            end_cbc_solves()
            os._exit(1)


BATCH_DIR_PREFIX = "mealplan-batch-"
# A batch's folder is removed once its process is gone and it is this old (a batch can run
# for days on a large input).
STALE_BATCH_DIR_S = 2 * 86_400


def _run_local(tasks: Sequence[Task], settings: BatchSettings, workers: int | None,
               finished: Callable[[Task, Mapping[str, Any]], None]) -> None:  # fmt: skip
    """Plan ``tasks`` in a pool of spawned worker processes.

    A worker that dies (out of memory, a solver crash) breaks the whole pool, and every
    household not yet finished fails with it; which one killed it, the pool does not say
    (coverage QA: one such household took the 3 others of its batch down with it, "Planned 0
    of 4"). So each worker says when it starts a household (_run_started), and after a break the
    households that had not started go back in the queue as they were, while those that had
    are each planned again alone: one that breaks its own pool is the one, and is given up
    after MAX_ATTEMPTS."""
    # Named for this process, so that a later batch can remove it should this one be killed
    # outright (QA: kill -9 left /tmp/mealplan-batch-… folders that no run removed).
    sweep_stale_dirs(BATCH_DIR_PREFIX, STALE_BATCH_DIR_S)
    started = Path(tempfile.mkdtemp(prefix=f"{BATCH_DIR_PREFIX}{os.getpid()}-"))
    try:
        _run_pools(tasks, settings, max(1, min(workers or default_workers(), len(tasks))), finished, started)
    finally:
        shutil.rmtree(started, ignore_errors=True)


def _run_pools(tasks: Sequence[Task], settings: BatchSettings, count: int,
               finished: Callable[[Task, Mapping[str, Any]], None], started: Path) -> None:  # fmt: skip
    attempts = {t.household_id: 0 for t in tasks}
    queue = list(tasks)
    suspects: list[Task] = []
    unexplained = 0  # breaks where no household had said it started
    context = multiprocessing.get_context("spawn")
    first = True
    while queue or suspects:
        group, queue = ([suspects.pop(0)], queue) if not queue else (queue, [])
        width = min(count, len(group))
        for stale in started.iterdir():
            stale.unlink()
        executor = cf.ProcessPoolExecutor(max_workers=width, mp_context=context, initializer=_init_worker,
                                          initargs=(os.getpid(), str(started)))  # fmt: skip
        broken: list[Task] = []
        try:
            if first:
                _check_workers_start(executor)
                first = False
            futures: dict[cf.Future[dict[str, Any]], Task] = {}
            for task in group:
                try:
                    futures[executor.submit(_run_started, task, settings)] = task
                # A household given first broke the pool at once, and the pool failed to take
                # more (BrokenProcessPool; in Python 3.11 also OSError or ValueError as it
                # started a worker on pipes the break had closed, seen here): the rest wait
                # for the next pool. A pool that takes none at all has another fault.
                except Exception:
                    if not futures:
                        raise
                    break
            broken += group[len(futures):]
            for future in cf.as_completed(futures):
                task = futures[future]
                try:
                    document = future.result()
                except cf.process.BrokenProcessPool:
                    broken.append(task)
                    continue
                finished(task, document)
        except BaseException:
            _stop(executor)
            raise
        if broken:
            # Python 3.11's broken pool can wait for ever on a worker still waiting for work
            # (seen here): its processes are ended, not waited for.
            _stop(executor)
        else:
            executor.shutdown(wait=True)
        begun = {path.read_text(encoding="utf-8") for path in started.iterdir()}
        running = [t for t in broken if t.household_id in begun]
        if broken and not running:
            # No household had said it started (a worker killed while idle, or at once): all
            # go back uncharged, at full width (review: all were run alone), unless this keeps
            # happening, when they are suspects like the others.
            unexplained += 1
            if unexplained < MAX_ATTEMPTS:
                queue += broken
                continue
            running = broken
        queue += [t for t in broken if t not in running]
        for task in running:
            if width > 1 and len(running) > 1:
                suspects.append(task)  # one of several: planned again alone, uncharged
                continue
            # It alone was being planned when its pool broke.
            attempts[task.household_id] += 1
            if attempts[task.household_id] < MAX_ATTEMPTS:
                suspects.append(task)
            else:
                reason = ("a worker process died each time it was planned, the last time alone (out of memory, or a "
                          "solver crash)")  # fmt: skip
                finished(task, _result(task, task.fingerprint(settings), "error", reason, 0, None, time.perf_counter()))


# The folder where each worker process keeps the id of the household it last started, in a
# file named by its process id (see _run_local); set by _init_worker. A file, not a pipe: a
# worker killed while writing to a pipe can leave the parent waiting on it for ever.
_STARTED: str | None = None


def _run_started(task: Task, settings: BatchSettings) -> dict[str, Any]:
    """run_task in a worker process, said first to the parent through _STARTED."""
    if _STARTED is not None:
        with contextlib.suppress(OSError):  # a full temporary folder: only the blame is less sure
            Path(_STARTED, str(os.getpid())).write_text(task.household_id, encoding="utf-8")
    return run_task(task, settings)


def _ping() -> bool:
    return True


def _check_workers_start(executor: cf.ProcessPoolExecutor) -> None:
    """Raise InputError when a worker process dies as it starts, before any household is given
    to it. Its usual cause: a script that calls run_batch outside ``if __name__ == "__main__":``,
    which each worker imports again (spawn) and so calls run_batch again (QA: every household
    was reported as "a worker process died … (out of memory, or a solver crash)")."""
    try:
        executor.submit(_ping).result()
    except cf.process.BrokenProcessPool:
        executor.shutdown(wait=False, cancel_futures=True)
        raise InputError(
            "the batch's worker processes died as they started: if a script calls run_batch, call it under "
            'if __name__ == "__main__": (each worker imports the script again); otherwise the machine may be out '
            "of memory"
        ) from None


def _stop(executor: cf.ProcessPoolExecutor) -> None:
    """Stop now: drop queued households and end the worker processes (they hold no result
    that is not lost anyway, and a solve may run for minutes)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def scheduler_address(text: str) -> str:
    """``text`` as ``scheme://host:port``, or InputError: Dask takes a malformed address and
    only fails later, slowly and with a traceback."""
    match = _SCHEDULER_ADDRESS.fullmatch(text.strip())
    assert match is not None  # every text matches; the parts are checked below
    scheme = (match["scheme"] if match["scheme"] is not None else "tcp").lower()
    host, port = match["host"], match["port"]
    if scheme not in SCHEDULER_SCHEMES:
        problem = f"scheme {scheme!r} is not one of {', '.join(SCHEDULER_SCHEMES)}"
    elif not host:
        problem = "no host"
    elif not (_HOST_NAME.fullmatch(host) or host.startswith("[") and _is_ipv6(host[1:-1])):
        problem = f"{host!r} is not a host name or IP address"
    elif port is None:
        problem = "no port"
    elif not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        problem = f"port {port!r} is not a number from 1 to 65535"
    else:
        return f"{scheme}://{host}:{int(port)}"
    raise InputError(f"--scheduler {text!r} is not a scheduler address ({problem}); e.g. tcp://host:8786")


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _distributed() -> Any:
    """The ``distributed`` module, typed loosely: the extra may be absent where mypy runs."""
    try:
        import distributed
    except ImportError:
        raise InputError(
            "--scheduler needs Dask distributed, which is not installed; pip install 'mealplan[dask]'"
        ) from None
    return distributed


@contextlib.contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A Client of the scheduler at ``address``, closed on leaving. The scheduler must
    first answer a handshake within SCHEDULER_TIMEOUT_S: a Client that fails to connect is
    left half-made (its collection blocks and prints a traceback), and one facing a server
    that is not a scheduler waits forever."""
    dask = _distributed()
    try:
        with cf.ThreadPoolExecutor(max_workers=1) as pool:  # its own event loop, whatever runs here
            pool.submit(asyncio.run, _handshake(dask, address)).result()
        client = dask.Client(address, timeout=SCHEDULER_TIMEOUT_S, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - refused, timed out, not a scheduler, TLS not configured …
        detail = str(exc).strip().splitlines() or [f"no answer within {SCHEDULER_TIMEOUT_S} s"]
        reason = f"{type(exc).__name__}: {detail[0]}"
        raise InputError(
            f"cannot reach the Dask scheduler at {address} ({reason}); check the address and that it runs"
        ) from None
    try:
        yield client
    finally:
        client.close()


async def _handshake(dask: Any, address: str) -> None:
    """Connect to ``address`` as a Client would, exchange Dask's handshake, and hang up."""
    args = dask.Security().get_connection_args("client")
    comm = await asyncio.wait_for(dask.comm.connect(address, timeout=SCHEDULER_TIMEOUT_S, **args),
                                  SCHEDULER_TIMEOUT_S)  # fmt: skip
    await comm.close()


# While no household finishes, the batch asks the scheduler this often whether it has a
# worker, and polls for finished households this often.
DASK_IDLE_CHECK_S = 15.0
DASK_POLL_S = 0.2


def _run_dask(tasks: Sequence[Task], settings: BatchSettings, client: Any,
              finished: Callable[[Task, Mapping[str, Any]], None], notify: Callable[[str], None]) -> None:  # fmt: skip
    """The tasks on the Dask scheduler of ``client``. A scheduler left without workers holds
    them and waits for one; ``notify`` is told so (QA: a batch whose only worker was killed
    waited in silence until it was stopped), once until a worker is back."""
    dask = _distributed()
    futures: dict[Any, Task] = {}
    try:
        for task in tasks:
            key = f"mealplan-{task.household_id}-{task.fingerprint(settings)[:12]}"
            futures[client.submit(run_task, task, settings, key=key, pure=False)] = task
        completed = dask.as_completed(list(futures), loop=client.loop)
        idle_since, told = time.monotonic(), False
        while not completed.is_empty():
            ready = completed.next_batch(block=False)
            if not ready:
                time.sleep(DASK_POLL_S)
                if time.monotonic() - idle_since >= DASK_IDLE_CHECK_S:
                    idle_since = time.monotonic()
                    workers = client.scheduler_info().get("workers") or {}
                    if not workers and not told:
                        address = client.scheduler.address
                        notify(f"no Dask worker is connected to the scheduler at {address}; the batch waits for one: "
                               f"start workers (dask worker {address}), or stop the batch (Ctrl-C) and rerun it "
                               "with --resume later")  # fmt: skip
                    told = not workers
                continue
            idle_since = time.monotonic()
            for future in ready:
                task = futures[future]
                try:
                    document = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker lost, or mealplan missing on it
                    reason = (f"the Dask worker failed ({type(exc).__name__}: {exc}); is mealplan installed on every "
                              "worker?")  # fmt: skip
                    document = _result(task, task.fingerprint(settings), "error", reason, 0, None, time.perf_counter())
                finished(task, document)
    finally:
        with contextlib.suppress(Exception):
            for future in futures:
                future.cancel()


# ------------------------------------------------------------------------ summary


def summary_rows(report: BatchReport) -> list[dict[str, str]]:
    rows = []
    for o in report.outcomes:
        rows.append({
            "household": o.household_id,
            "members": str(o.members),
            "status": o.status,
            "magnesium_coverage_pct": "" if o.magnesium_coverage is None else f"{o.magnesium_coverage * 100:.0f}",
            "kcal_per_day": "" if o.kcal_per_day is None else f"{o.kcal_per_day:.0f}",
            # Empty where nothing was solved (QA: an invalid household's 0.00 read as a time).
            "solve_seconds": "" if o.status == "invalid" else f"{o.solve_seconds:.2f}",
            "solver_status": o.solver_status,
            "mip_gap_pct": "" if o.mip_gap is None else f"{o.mip_gap * 100:.2f}",
            "timed_out": "" if o.timed_out is None else str(o.timed_out).lower(),
            "reason": o.reason,
            "file": o.file,
        })  # fmt: skip
    return rows


def write_summary(report: BatchReport) -> Path:
    """``OUT/summary.csv``: one row per household, in input order (replaced whole)."""
    from .output import write_atomic

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(summary_rows(report))
    path = report.out_dir / SUMMARY_FILE
    write_atomic(path, buffer.getvalue(), force=True, option="--out")
    return path

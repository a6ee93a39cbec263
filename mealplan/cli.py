"""The command line: parses options, calls the library, prints. No planning logic here."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import io
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .errors import InfeasiblePlan, InputError, MealplanError, quoted
from .launch import INTERRUPTED_EXIT, handled_signals
from .solver import (
    DEFAULT_GAP,
    DEFAULT_SOLVER,
    DEFAULT_TIME_LIMIT_S,
    ONE_DAY_GAP,
    SHARED_DEFAULT_SOLVER,
    SOLVERS,
    TIME_LIMIT_RANGE_TEXT,
    TOPUP_DEFAULT_SOLVER,
)

if TYPE_CHECKING:
    from .batch import Task
    from .catalog import Food
    from .explain import Relaxation
    from .options import Request
    from .plan import Plan
    from .targets import Profile

app = typer.Typer(
    name="mealplan",
    help="Plan meals that reach your magnesium RDA, from USDA data. Not medical advice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"mealplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """The options of `mealplan` itself (the commands have their own)."""


foods_app = typer.Typer(help="List the default food pool, or search all USDA foods.", rich_markup_mode=None)
app.add_typer(foods_app, name="foods")

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=code)


@contextlib.contextmanager
def _termination_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP end a command as Ctrl-C does (exit 130, 'Error: interrupted', the
    solver stopped and its files removed), not silently with the solver's folders left behind
    (QA: exit 143, two /tmp/mealplan-cbc-* folders each time). Only the main thread may set
    signal handlers; elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # Not one the parent made this process ignore (review: `nohup mealplan …` was still ended
    # by a hang-up).
    previous = {s: signal.signal(s, _raise_interrupt) for s in handled_signals("SIGTERM", "SIGHUP")}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def handles_errors(func: F) -> F:
    """Turn every error into 'Error: …' on stderr and an exit code; never a traceback."""

    from .output import file_activity

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        files = None
        try:
            with _termination_as_interrupt(), file_activity() as files:
                return func(*args, **kwargs)
        except MealplanError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            from .solver import end_cbc_solves

            # A SIGTERM reaches this process only, not the CBC it started (Ctrl-C reaches both).
            end_cbc_solves()
            # Files are written whole or not at all (output.write_atomic, all_or_none): say
            # which, when the command was to write some (QA: "Error: interrupted" alone).
            told = "interrupted; nothing was written" if files is not None and files.nothing_written else "interrupted"
            raise fail(told, INTERRUPTED_EXIT) from None
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: stop quietly, as Unix tools do.
            _silence_stdout()
            raise typer.Exit(code=0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
            raise fail(f"unexpected failure ({type(exc).__name__}: {exc}); please report it", 1) from None

    return wrapper  # type: ignore[return-value]


def to_stdout(text: str, *, nl: bool = True, what: str = "the output", instead: str = "redirect it elsewhere") -> None:
    """Print ``text`` on standard output. A write that fails (a full disk, a closed terminal)
    is the user's to fix, not a bug: it becomes one line naming the problem. ``instead`` is
    a way around it (e.g. "use --output FILE"). A reader that went away (``| head``) raises
    BrokenPipeError, which handles_errors turns into a quiet exit."""
    import errno

    if sys.stdout is None:  # started with standard output closed (`>&-`): echo would drop the text
        raise InputError(f"cannot write {what} to standard output (it is closed); {instead}")
    try:
        _write_stdout(text + ("\n" if nl else ""))
    except BrokenPipeError:
        raise
    except OSError as exc:
        # Whatever is still buffered would fail again at exit, with Python's own message.
        _silence_stdout()
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        fix = f"free some space or {instead}" if full else instead
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot write {what} to standard output ({reason}); {fix}") from None


def _write_stdout(text: str) -> None:
    """Write ``text`` to standard output whole, or raise OSError. Python's buffered stream
    drops the rest of a write the system took only part of, without an error (QA: a plan
    written with `> plan.json` to a disk that filled up was cut at 40 KB, with exit 0), so a
    stream with a file descriptor is written with os.write until all of it is taken; the
    system then raises for the part that does not fit. Others (a test runner's) get echo."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        typer.echo(text, nl=False)
        return
    sys.stdout.flush()
    data = memoryview(text.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))
    while data:
        data = data[os.write(fd, data):]


def _silence_stdout() -> None:
    """Point standard output at the null device, so that what is still buffered for it is
    dropped at exit instead of failing again (with Python's own message)."""
    import contextlib
    import os

    # A stream without a file descriptor (a test runner's) has nothing to redirect.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _opt(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


MAX_DAYS_HELP = ("A food on at most this many days of the plan (default about 4 in 7, and in a plan longer than a "
                 "week 4 in any 7 days in a row; a number given replaces both).")
PROFILE_OPTIONS = [
    _opt(
        "profile",
        Annotated[
            Path | None, typer.Option(help="TOML profile with any of these options; options given here override it.")
        ],
    ),  # fmt: skip
    _opt("name", Annotated[str | None, typer.Option(help="Name shown in the plan.")]),
    _opt("age", Annotated[float | None, typer.Option(help="Age in years (1–120).")]),
    _opt("sex", Annotated[str | None, typer.Option(help="female or male (f, m, woman and man also do).")]),
    _opt("pregnant", Annotated[bool | None, typer.Option("--pregnant/--not-pregnant", help="Pregnant (ages 14–50).")]),
    _opt(
        "lactating",
        Annotated[bool | None, typer.Option("--lactating/--not-lactating", help="Breastfeeding (ages 14–50).")],
    ),  # fmt: skip
    _opt("trimester", Annotated[int | None, typer.Option(help="Trimester 1–3, for the calorie estimate.")]),
    _opt(
        "calories",
        Annotated[
            float | None,
            typer.Option(help="kcal a day (800–6000); default: estimated from age, sex and activity (DGA 2020–2025)."),
        ],
    ),  # fmt: skip
    _opt(
        "activity",
        Annotated[str | None, typer.Option(help="sedentary, moderate or active (for the calorie estimate).")],
    ),  # fmt: skip
]
BALANCE_OPTIONS = [
    _opt(
        "kcal_tolerance",
        Annotated[
            float | None, typer.Option(help="Energy window around the target, as a fraction (default 0.05 = ±5%).")
        ],
    ),  # fmt: skip
    _opt(
        "macros",
        Annotated[
            bool | None, typer.Option("--macros/--no-macros", help="Keep protein, fat and carbs within the AMDR.")
        ],
    ),  # fmt: skip
    _opt(
        "fiber", Annotated[bool | None, typer.Option("--fiber/--no-fiber", help="At least 14 g fiber per 1,000 kcal.")]
    ),
    _opt("sodium", Annotated[bool | None, typer.Option("--sodium/--no-sodium", help="Sodium under the CDRR.")]),
    _opt(
        "upper_limits",
        Annotated[
            bool | None,
            typer.Option("--upper-limits/--no-upper-limits",
                         help="Calcium, iron, phosphorus and zinc under their upper intake levels (IOM)."),
        ],
    ),  # fmt: skip
    _opt(
        "protein",
        Annotated[
            float | None,
            typer.Option(help="At least this many grams of protein a day (default: the AMDR share only; "
                              "the RDA is 71 g in pregnancy and breastfeeding)."),
        ],
    ),  # fmt: skip
]
PREFERENCE_OPTIONS = [
    _opt(
        "diet",
        Annotated[
            list[str] | None,
            typer.Option(help="vegan, vegetarian, pescatarian, gluten-free or dairy-free (repeatable)."),
        ],
    ),  # fmt: skip
    _opt(
        "exclude",
        Annotated[
            list[str] | None,
            typer.Option(
                help="A food (name or ndb_no; the foods made from it go too), category (nuts: also both nut "
                "allergens; legumes: also soy and peanuts), or allergen (milk, egg, fish, shellfish, tree nuts, "
                "peanuts, wheat, soy, sesame; gluten), or added sugars, or caffeine (the caffeinated drinks), to leave "
                "out (repeatable)."
            ),
        ],
    ),  # fmt: skip
    _opt(
        "require",
        Annotated[
            list[str] | None,
            typer.Option(help="A food to eat every day, or FOOD=N on at least N days a week (repeatable)."),
        ],
    ),  # fmt: skip
    _opt(
        "like",
        Annotated[list[str] | None,
                  typer.Option(help="A food, category or allergen to prefer, or FOOD=WEIGHT, a weight over 0, up to "
                                    "10 (default 1) (repeatable).")],
    ),
    _opt(
        "dislike",
        Annotated[list[str] | None,
                  typer.Option(help="A food, category or allergen to avoid where possible, or FOOD=WEIGHT, a weight "
                                    "over 0, up to 10 (default 4) (repeatable).")],
    ),  # fmt: skip
    _opt(
        "max_servings",
        Annotated[list[str] | None, typer.Option(help="Cap servings a day: FOOD=N or CATEGORY=N (repeatable).")],
    ),  # fmt: skip
    _opt("prices", Annotated[Path | None, typer.Option(
        help="CSV with columns food,price_per_100g: the price of 100 g as eaten (cooked beans, not dry).")]),
    _opt(
        "budget",
        Annotated[
            float | None, typer.Option(help="Most to spend a week, pro rata for other lengths (needs --prices).")
        ],
    ),  # fmt: skip
    _opt(
        "foods",
        Annotated[
            Path | None, typer.Option(help="Your own foods CSV (columns of data/pool.csv) instead of the default pool.")
        ],
    ),  # fmt: skip
    _opt(
        "add_food",
        Annotated[list[str] | None, typer.Option(help="Add a USDA food to the pool by ndb_no (repeatable).")],
    ),  # fmt: skip
]

def _gap_text(gap: float) -> str:
    """A gap for the help: 0 as '0, proven optimal', 0.02 as '0.02 = 2%'."""
    return f"{gap:g}, proven optimal" if gap == 0 else f"{gap:g} = {gap:.0%}"


# The defaults in the help are read from the solver's constants, so the two cannot disagree.
SOLVER_HELP = f"{' or '.join(SOLVERS)} (default {DEFAULT_SOLVER})."
TIME_LIMIT_HELP = f"Seconds the solver may take, {TIME_LIMIT_RANGE_TEXT} (default {DEFAULT_TIME_LIMIT_S:g})."
# planner.MAX_DAYS, said in --help without importing the planner at start-up (tests/test_cli.py
# checks that the two agree). QA: the limits were learnt only from the error.
DAYS_RANGE = "1 to 28"
PLAN_GAP_HELP = (f"Relative MIP gap to stop at (default: {_gap_text(ONE_DAY_GAP)}, for one day; "
                 f"{_gap_text(DEFAULT_GAP)} for more days).")  # fmt: skip
# A top-up's default gap follows its days as a plan's does (solver.for_days; QA: a 1-day
# top-up was solved to 0 where the help said 0.02).
TOPUP_GAP_HELP = PLAN_GAP_HELP


PLAN_SEED_HELP = ("Pick another plan as good as seed 0's: for a day, one without a food the seed picks; for a week, "
                  "foods of equal points traded between days (same seed, same plan).")  # fmt: skip
# QA: seeds 0–2 gave one top-up. A top-up's seed only breaks ties between equally small ones.
TOPUP_SEED_HELP = ("Break ties between top-ups of as few foods and calories another way (same seed, same top-up); "
                   "there is often no tie, and then no other top-up.")  # fmt: skip


def _solver_options(gap_help: str, seed_help: str, solver_help: str = SOLVER_HELP) -> list[inspect.Parameter]:
    return [
        _opt("solver", Annotated[str | None, typer.Option(help=solver_help)]),
        _opt("gap", Annotated[float | None, typer.Option(help=gap_help)]),
        _opt("time_limit", Annotated[float | None, typer.Option(help=TIME_LIMIT_HELP)]),
        _opt("seed", Annotated[int | None, typer.Option(help=seed_help)]),
    ]  # fmt: skip


SOLVER_OPTIONS = _solver_options(PLAN_GAP_HELP, PLAN_SEED_HELP)
TOPUP_SOLVER_OPTIONS = _solver_options(TOPUP_GAP_HELP, TOPUP_SEED_HELP,
                                       f"{' or '.join(SOLVERS)} (default {TOPUP_DEFAULT_SOLVER}).")  # fmt: skip
HOUSEHOLD_SOLVER_HELP = f"{' or '.join(SOLVERS)} (default {DEFAULT_SOLVER}; {SHARED_DEFAULT_SOLVER} for a shared menu)."
HOUSEHOLD_SOLVER_OPTIONS = _solver_options(PLAN_GAP_HELP, PLAN_SEED_HELP, HOUSEHOLD_SOLVER_HELP)
OUTPUT_OPTIONS = [
    _opt(
        "format",
        Annotated[
            str | None,
            typer.Option(
                "--format", help="table, markdown (or md), csv, json or html (default: from --output's extension)."
            ),
        ],
    ),  # fmt: skip
    # Text, not a Path: Path("") is ".", and an empty name must be refused as empty, not as a folder.
    _opt(
        "output",
        Annotated[
            list[str] | None,
            typer.Option(metavar="<path>", help="Write to this file instead of the terminal (- is the terminal); "
                         "repeat it to write one plan in several formats, each by its file's extension."),
        ],
    ),  # fmt: skip
    _opt("force", Annotated[bool, typer.Option(help="Replace --output if it exists.")], False),
    _opt(
        "why",
        Annotated[
            bool,
            typer.Option(help="Show each food's magnesium density and share of the day (not in CSV: its columns "
                         "are fixed)."),
        ],
        False,
    ),  # fmt: skip
]
# For the commands that also write a shopping list (week, household): --force covers both files.
OUTPUT_AND_SHOPPING_OPTIONS = [
    *OUTPUT_OPTIONS[:2],  # --format, --output
    _opt("force", Annotated[bool, typer.Option(help="Replace --output and --shopping-list if they exist.")], False),
    _opt(
        "shopping_list",
        Annotated[
            str | None,
            typer.Option(metavar="<path>", help="Also write the shopping list to this file (.md, .markdown or .csv)."),
        ],
    ),  # fmt: skip
    *OUTPUT_OPTIONS[3:],  # --why
]
WEEK_OPTIONS = [
    _opt("days", Annotated[int | None, typer.Option(help=f"Number of days, {DAYS_RANGE} (default 7).")]),
    _opt(
        "weekly_average",
        Annotated[bool | None, typer.Option("--weekly-average/--daily", help="Meet the RDA on average over the days.")],
    ),  # fmt: skip
    _opt(
        "max_days_per_food",
        Annotated[int | None, typer.Option(help=MAX_DAYS_HELP)],
    ),  # fmt: skip
    _opt(
        "min_foods_per_day",
        Annotated[int | None, typer.Option("--min-foods", help="Distinct foods a day (default 7).")],
    ),  # fmt: skip
    _opt(
        "min_categories_per_day",
        Annotated[int | None, typer.Option("--min-categories", help="Food categories a day (default 4).")],
    ),  # fmt: skip
]
PLAN_OPTIONS = PROFILE_OPTIONS + BALANCE_OPTIONS + PREFERENCE_OPTIONS + SOLVER_OPTIONS
TOPUP_OPTIONS = [
    _opt(
        "current_intake",
        Annotated[float | None, typer.Option(help="Your usual magnesium from food, mg a day (0–2000).")],
    ),  # fmt: skip
    _opt(
        "topup_calories",
        Annotated[float | None, typer.Option("--calories", help="The most kcal a day the top-up may add (20–2000).")],
    ),  # fmt: skip
    _opt("days", Annotated[int | None, typer.Option(help=f"Number of days, {DAYS_RANGE} (default 7).")]),
    _opt(
        "max_days_per_food",
        Annotated[int | None, typer.Option(help="A food on at most this many days (default about 3 in 7, and 3 "
                                                "in any 7 days in a row of a top-up longer than a week).")],
    ),  # fmt: skip
]
TOPUP_PROFILE_OPTIONS = [p for p in PROFILE_OPTIONS if p.name not in ("calories", "activity", "trimester")]


def with_options(*groups: list[inspect.Parameter]) -> Callable[[F], F]:
    """Give a command the shared options: the function receives them as keyword arguments."""

    def decorate(func: F) -> F:
        # eval_str: the command's own parameters carry their typer.Option in string annotations.
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.kind is not p.VAR_KEYWORD]
        params = own + [p for group in groups for p in group]

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> Any:
            return func(**kwargs)

        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        del wrapper.__wrapped__
        return wrapper  # type: ignore[return-value]

    return decorate


ADDITIVE = ("diet", "exclude", "require", "like", "dislike", "max_servings", "add_food")
# Profile keys a life-stage option on the command line drops, by (option, its value): a man is
# neither pregnant nor breastfeeding, and pregnancy and breastfeeding exclude each other.
_LIFE_STAGE_DROPS: dict[tuple[str, bool], tuple[str, ...]] = {
    ("sex", True): ("pregnant", "lactating", "trimester"),  # male
    ("pregnant", True): ("lactating",),
    ("pregnant", False): ("trimester",),
    ("lactating", True): ("pregnant", "trimester"),
}


def merged_options(cli: dict[str, Any]) -> dict[str, Any]:
    """Profile file options, overridden by those given on the command line. Lists add up,
    so an allergy in the profile is never dropped by an exclusion typed on the line."""
    from .options import KEYS, KIND_TABLE, KIND_WEIGHTS, check_options, load_profile, name_key

    options: dict[str, Any] = {}
    if cli.get("profile") is not None:
        options.update(load_profile(cli["profile"]))
    given = {k: v for k, v in cli.items() if v is not None and k in _plan_keys()}
    # A life stage given on the line replaces the profile's, keys that go with it included
    # (QA: --not-pregnant on a pregnant profile was refused for a --trimester the user never
    # typed, and --lactating for being pregnant at once).
    for key in _LIFE_STAGE_DROPS.get(("sex", str(given.get("sex", "")).strip().lower()[:1] == "m"), ()):
        if key not in given:
            options.pop(key, None)
    # Calories on the line replace the profile's estimate, an activity on the line asks for one.
    for key, other in (("calories", "activity"), ("activity", "calories")):
        if key in given and other not in given:
            options.pop(other, None)
    for flag in ("pregnant", "lactating"):
        if flag in given:
            for key in _LIFE_STAGE_DROPS.get((flag, bool(given[flag])), ()):
                if key not in given:
                    options.pop(key, None)
    check_options({k: (str(v) if isinstance(v, Path) else v) for k, v in given.items()}, "command line",
                  command_line=True)  # fmt: skip
    for key, value in given.items():
        value = str(value) if isinstance(value, Path) else value
        if key in ADDITIVE and key in options:
            old = options[key]
            earlier = [f"{k}={v}" for k, v in old.items()] if isinstance(old, dict) else list(old)
            # A name with a number (like, dislike, require, max_servings) given on the line
            # replaces the file's for that name: the line's weight wins (a name given twice
            # with two values within one of them is refused, options._add_once).
            if KEYS[key] in (KIND_WEIGHTS, KIND_TABLE):
                named = {name_key(str(v)) for v in value}
                earlier = [v for v in earlier if name_key(str(v)) not in named]
            options[key] = earlier + list(value)
        else:
            options[key] = value
    return options


def checked_request(cli: dict[str, Any], *, merged: dict[str, Any] | None = None, default_days: int = 7,
                    days: int | None = None) -> Request:  # fmt: skip
    """The request of the profile file and the command line (``merged``, when the caller has
    it already: see merged_options), with every food, category, allergen and diet name
    resolved now, key by key (options.check_names).

    A problem that the profile file has on its own (its keys, with a stand-in person where it
    has no age or sex) is reported with the file's name, so that a bad value in the file is
    not blamed on a flag the user never typed."""
    from .options import build_request, check_names, in_key_terms, load_profile

    merged = merged_options(cli) if merged is None else merged
    if days is not None:
        merged["days"] = days
    try:
        request = build_request(merged, default_days=default_days)
        check_names(request, merged, keyed=False)
    except InputError as exc:
        path = cli.get("profile")
        if path is None:
            raise
        own = {"age": 30, "sex": "female", **load_profile(path)}
        if days is not None:
            own["days"] = days
        try:
            check_names(build_request(own, default_days=default_days), own)
        except InputError as in_file:
            if str(in_file).endswith(str(exc)):  # said in the file's keys, as a household's problems are
                raise InputError(f"{path}: {in_key_terms(str(in_file))}") from None
        raise _stage_from_file(exc, cli, path) from None
    return request


def _stage_from_file(exc: InputError, cli: dict[str, Any], path: Path) -> InputError:
    """``exc``, or when it blames --pregnant or --lactating that only the profile gives (QA:
    --age 60 with a pregnant profile was told to "drop --pregnant", a flag never typed), the
    same said of the file, with the flag that overrides it."""
    text = str(exc)
    for flag in ("pregnant", "lactating"):
        if cli.get(flag) is None and f"drop --{flag}" in text:
            text = text.replace(f"--{flag} is for", f"{path} gives {flag} = true, which is for")
            text = text.replace(f"--{flag} applies to", f"{path} gives {flag} = true, which applies to")
            return InputError(text.replace(f"drop --{flag}", f"give --not-{flag}"))
    return exc


@functools.cache
def _plan_keys() -> frozenset[str]:
    from .options import KEYS

    return frozenset(KEYS)


# Paths that name a stream of this process: written through a temporary file and a rename,
# they would replace the file the stream leads to, or fail (a pipe).
# Told by what they are, not how they are spelt (review: /dev//stdout and
# /proc/thread-self/fd/1 still replaced a log): a path under /dev or /proc that is this
# process's standard output, or one of its other streams.
_STREAM_PATH = re.compile(r"/dev/(stdin|stdout|stderr|fd/\d+)|/proc/[^/]+/fd/\d+")


def _stream(raw: str) -> int | None:
    """Which stream of this process ``raw`` names (1 for standard output; -1 for one that is
    not a standard stream), or None when it names no stream."""
    path = os.path.normpath(raw)
    if not path.startswith(("/dev/", "/proc/")):
        return None
    try:
        target = os.stat(path)
    except OSError:
        target = None
    if target is not None:
        for fd in (1, 0, 2):
            with contextlib.suppress(OSError):
                if os.path.samestat(target, os.fstat(fd)):
                    return fd
    return -1 if _STREAM_PATH.fullmatch(path) else None


def file_option(raw: str | None, option: str, example: str) -> Path | None:
    """The file an option names, or None when the option was not given or is --output -
    (standard output); an empty name is refused as empty (Path("") would be the current folder)."""
    if raw is None:
        return None
    if not raw.strip():
        raise InputError(f"{option} is empty; give a file name, e.g. {option} {example}")
    stream = _stream(raw)
    # "-" is the usual name of standard output (QA: it made a file named "-"); /dev/stdout and
    # the like name it too, and were replaced like files (shell QA: `--output /dev/stdout
    # --force >> log.json` emptied the log of what it held, and into a pipe it failed).
    if raw == "-" or stream == 1:
        if option == "--output":
            return None
        raise InputError(
            f"{option} {raw}: only the plan goes to standard output; give a file name, e.g. {option} {example}"
        )
    if stream is not None:
        raise InputError(f"{option} {raw} names an open stream, not a file; give a file name, e.g. {option} {example}"
                         f"{' (or --output - for standard output)' if option == '--output' else ''}")  # fmt: skip
    # Path drops a trailing slash, which would write "week.md/" as the file week.md: a name
    # typed as a folder is refused as one (an existing folder is refused by check_writable).
    if raw.endswith(("/", os.sep)) and not Path(raw).is_dir():
        raise InputError(f"{option} {quoted(raw)} ends with '/', so it names a folder; give a file name, "
                         f"e.g. {option} {example}")
    return Path(raw)


def emit(text: str, *, output: Path | None, force: bool, fmt: str, option: str = "--output") -> None:
    from .output import write_atomic

    if output is None:
        to_stdout(text, nl=False, what="the plan", instead="use --output FILE")
    else:
        write_atomic(output, text, force=force, option=option,
                     done=lambda: typer.echo(f"Wrote {output} ({fmt}).", err=True))  # fmt: skip


# How a file a command reads is named when an output would write over it (output.note_read).
READ_FILES = {"profile": "the profile file", "foods": "the foods file", "prices": "the prices file"}


def note_inputs(options: Mapping[str, Any]) -> None:
    """Record the files ``options`` name to be read (--profile, --foods, --prices, or a
    profile's or household's foods and prices keys), so that no output is written over one."""
    from .output import note_read

    for key, what in READ_FILES.items():
        note_read(options.get(key), what)


def recheck_outputs(outputs: Sequence[tuple[Path | None, str]], shopping: Path | None = None, *,
                    force: bool) -> None:  # fmt: skip
    """Check the output files again once the input files have named theirs (a profile's or a
    household's foods and prices), before any planning."""
    from .output import check_writable

    for path, option in [*((path, "--output") for path, _ in outputs), (shopping, "--shopping-list")]:
        if path is not None:
            check_writable(path, force=force, option=option)


def emit_all(plan: Plan, outputs: Sequence[tuple[Path | None, str]], *, why: bool, force: bool,
             shopping: Path | None = None, shopping_fmt: str | None = None) -> None:  # fmt: skip
    """Write the plan to each of ``outputs`` (see output_targets) and its shopping list when one
    was asked for: every file or none (output.all_or_none)."""
    from .output import all_or_none

    with all_or_none():
        for output, chosen in outputs:
            emit_plan(plan, chosen, why=why, output=output, force=force)
        # QA: a CSV plan and a CSV shopping list put the "Keeps to" lines on stderr twice.
        emit_shopping(plan, shopping, shopping_fmt, force=force, told=any(chosen == "csv" for _o, chosen in outputs))


def emit_plan(plan: Plan, fmt: str, *, why: bool, output: Path | None, force: bool) -> None:
    """Write the plan in ``fmt``. Every format but CSV carries the plan's warnings, its cost and
    the care note in the document; a CSV has no place for them, so they go to stderr."""
    from .plan import CARE_NOTE, TOPUP_NOTE
    from .report import render
    from .report.asked import asked_with
    from .report.common import cost_text, gap_text, wishes_lines

    emit(render(plan, fmt, why=why), output=output, force=force, fmt=fmt)
    if why and fmt in ("csv", "json"):
        # QA: --why with CSV was ignored without a word.
        typer.echo(f"Note: --why adds columns to the table, Markdown and HTML only; {fmt} already gives each "
                   "item's grams, kcal and magnesium", err=True)  # fmt: skip
    if fmt == "csv":
        # QA: what the plan was made to avoid was in every format but CSV, though a plan
        # handed on must say it.
        for line in wishes_lines(plan):
            typer.echo(line, err=True)
        if plan.topup is not None and plan.topup.gap_mg > 0:
            typer.echo(f"Note: {TOPUP_NOTE}", err=True)
        for warning in plan.warnings:
            typer.echo(f"Warning: {warning}", err=True)
        for note in plan.notes:
            typer.echo(f"Note: {note}", err=True)
        if (cost := cost_text(plan)) is not None:  # QA: the cost was in every format but CSV
            typer.echo(cost, err=True)
        typer.echo(f"Solver: {gap_text(plan)}", err=True)
        if (asked := asked_with(plan)) is not None:  # as the other formats say it, in the document
            for line in asked.lines():
                typer.echo(line, err=True)
        typer.echo(f"Note: {CARE_NOTE}", err=True)


def output_format(fmt: str | None, output: Path | None, *, force: bool) -> str:
    """The format to write, with --output checked: a folder is called a folder, not a name
    without an extension, whether or not --format was given. --format takes any case, as
    --output's extension does (MD is md; report.canonical_format)."""
    from .output import check_not_read, check_writable, is_folder
    from .report import format_for

    if output is not None:  # before any advice on its name (its format): it is not to be written
        check_not_read(output)
    if output is not None and is_folder(output):
        check_writable(output, force=force)
    chosen = format_for(fmt, output)
    if output is not None:
        check_writable(output, force=force)
    return chosen


def output_targets(raw: list[str] | None, fmt: str | None, *, force: bool,
                   example: str) -> list[tuple[Path | None, str]]:  # fmt: skip
    """Each --output (None: the terminal) with the format to write it in, checked before any
    planning. Several --output files get one plan in several formats: QA could not get the
    Markdown and the HTML of one week, since a week the time limit cut short can differ
    from run to run."""
    names: list[str | None] = list(raw) if raw else [None]
    paths = [file_option(name, "--output", example) for name in names]
    if len(paths) > 1 and fmt is not None:
        raise InputError(f"--format names one format for {len(paths)} --output files; drop --format: each "
                         "file's extension gives its format")  # fmt: skip
    from .output import real_path

    seen: set[Path | None] = set()
    for path in paths:
        key = None if path is None else real_path(path)
        if key in seen:
            raise InputError(f"--output {path or '-'} is given twice; give each file once")
        seen.add(key)
    return [(path, output_format(fmt, path, force=force)) for path in paths]


def shopping_format(shopping: Path | None, outputs: Sequence[Path | None], *, force: bool) -> str | None:
    """The shopping list's format (None without --shopping-list), with its file checked as
    output_format checks --output's, before any planning."""
    from .output import check_not_read, check_writable, is_folder, real_path
    from .report import shopping_format_for

    if shopping is None:
        return None
    check_not_read(shopping, option="--shopping-list")  # as in output_format
    for output in outputs:
        if output is not None and real_path(shopping) == real_path(output):
            raise InputError(f"--output and --shopping-list are both {output}; give two file names")
    if is_folder(shopping):  # as in output_format: a folder is called a folder
        check_writable(shopping, force=force, option="--shopping-list")
    chosen = shopping_format_for(shopping)
    check_writable(shopping, force=force, option="--shopping-list")
    return chosen


def emit_shopping(plan: Plan, shopping: Path | None, fmt: str | None, *, force: bool, told: bool = False) -> None:
    """Write the plan's shopping list (every member's foods summed) when one was asked for;
    ``told`` when a CSV plan has already put what the plan keeps to on stderr."""
    from .report import render_shopping
    from .report.common import wishes_lines

    if shopping is not None and fmt is not None:
        emit(render_shopping(plan, fmt), output=shopping, force=force, fmt=f"shopping list, {fmt}",
             option="--shopping-list")  # fmt: skip
        if fmt == "csv" and not told:  # a CSV has no place for what the list was made to avoid
            for line in wishes_lines(plan):
                typer.echo(line, err=True)


def in_profile_terms(exc: InfeasiblePlan, cli: dict[str, Any]) -> InfeasiblePlan:
    """``exc`` with each suggestion about a list option that only the profile file gives
    (an exclusion, a diet, a required food, a cap) said as a change to that file: "drop
    --exclude seeds" cannot be done on the command line when the file excludes seeds."""
    from .explain import FILE_LIST_KEYS, as_file_change, file_names, restated, subjects
    from .options import load_profile

    path = cli.get("profile")
    if path is None or exc.explanation is None or not exc.explanation.relaxations:
        return exc
    in_file = load_profile(path)

    def change(r: Relaxation) -> Relaxation:
        # Only list keys: --protein 99 beside a file's protein is a number (coverage QA's
        # explanation, given time to lower protein, failed on it).
        if r.kind not in FILE_LIST_KEYS:
            return r
        names = subjects(r)
        in_it = all(n in file_names(in_file.get(r.kind)) for n in names)
        on_line = any(n in file_names(cli.get(r.kind)) for n in names)
        if in_it and on_line:  # lists add up, so it must go from both (review)
            return dataclasses.replace(r, option=f"{r.option}, and {as_file_change(r, str(path)).option}")
        return as_file_change(r, str(path)) if in_it else r

    return restated(exc, change)


def _plan_and_print(options: dict[str, Any], default_days: int) -> None:
    from .options import TOPUP_KEYS
    from .planner import plan_week

    force, fmt, why = options.pop("force", False), options.pop("format", None), options.pop("why", False)
    example = "day.json" if default_days == 1 else "week.json"
    note_inputs(options)
    outputs = output_targets(options.pop("output", None), fmt, force=force, example=example)
    shopping = file_option(options.pop("shopping_list", None), "--shopping-list", "shopping.csv")
    shopping_fmt = shopping_format(shopping, [path for path, _ in outputs], force=force)
    # `mealplan day` plans one day, whatever a profile says; it says so when the profile
    # asks for more, rather than planning one day without a word.
    request = checked_request(options, default_days=default_days, days=1 if default_days == 1 else None)
    if options.get("profile") is not None:
        in_file = merged_options({"profile": options["profile"]})
        note_inputs(in_file)  # its foods and prices keys
        recheck_outputs(outputs, shopping, force=force)
        asked = in_file.get("days")
        command = "day" if default_days == 1 else "week"
        if default_days == 1 and asked is not None and asked != 1:
            typer.echo(f"Note: mealplan day plans one day; {options['profile']}'s days = {asked} is for "
                       f"mealplan week --profile {options['profile']}", err=True)  # fmt: skip
        # A top-up profile planned as a whole diet (fresh-eyes QA: its keys went unsaid).
        topup = [key for key in TOPUP_KEYS if in_file.get(key) is not None]
        if topup:
            typer.echo(f"Note: mealplan {command} plans every meal of the day; {options['profile']}'s "
                       f"{' and '.join(topup)} are for mealplan topup --profile {options['profile']}",
                       err=True)  # fmt: skip
    try:
        plan = plan_week(
            request.profile, days=request.days, foods=request.foods, balance=request.balance,
            variety=request.variety, preferences=request.preferences, weekly_average=request.weekly_average,
            seed=request.seed, solve_options=request.solve_options,
        )  # fmt: skip
    except InfeasiblePlan as exc:
        raise in_profile_terms(exc, options) from None
    emit_all(plan, outputs, why=why, force=force, shopping=shopping, shopping_fmt=shopping_fmt)


@app.command(help="Plan one day of meals that reaches the magnesium RDA.")
@handles_errors
@with_options(PLAN_OPTIONS, OUTPUT_OPTIONS)
def day(**options: Any) -> None:
    _plan_and_print(options, default_days=1)


@app.command(help="Plan a week (or --days N) of varied meals, with a shopping list.")
@handles_errors
@with_options(PLAN_OPTIONS, WEEK_OPTIONS, OUTPUT_AND_SHOPPING_OPTIONS)
def week(**options: Any) -> None:
    _plan_and_print(options, default_days=7)


# topup.TOPUP_MAX_ITEMS, for the help without importing the model at start-up (tests/test_topup.py
# checks that the two agree).
TOPUP_ITEMS = 3
# Profile keys a top-up does not use (it has no day plan's balance or variety rules, and meets
# the gap every day).
TOPUP_UNUSED_KEYS = ("weekly_average", "min_foods_per_day", "min_categories_per_day", "kcal_tolerance", "macros",
                     "fiber", "sodium", "upper_limits", "protein")  # fmt: skip


@app.command(
    help="Plan the snacks or add-ons that bring your usual magnesium intake up to the RDA, "
    f"within a calorie budget, over a week with variety: at most {TOPUP_ITEMS} foods a day."
)
@handles_errors
@with_options(TOPUP_PROFILE_OPTIONS, TOPUP_OPTIONS, PREFERENCE_OPTIONS, TOPUP_SOLVER_OPTIONS, OUTPUT_OPTIONS)
def topup(**options: Any) -> None:
    from .model import Variety
    from .options import as_number
    from .topup import plan_topup

    force, fmt, why = options.pop("force", False), options.pop("format", None), options.pop("why", False)
    note_inputs(options)
    outputs = output_targets(options.pop("output", None), fmt, force=force, example="topup.json")
    merged = merged_options(options)
    note_inputs(merged)  # a profile's foods and prices keys
    recheck_outputs(outputs, force=force)
    # With a profile file, the messages also name its key: a profile's `calories` is a whole
    # day's energy, and the top-up's budget is `topup_calories` (--calories on the line).
    profile = options.get("profile")
    if merged.get("current_intake") is None:
        example = "230" if profile is None else f"--current-intake 230 or current_intake = 230 in {profile}"
        raise InputError(f"missing --current-intake; give your usual magnesium from food in mg a day, e.g. {example}")
    if merged.get("topup_calories") is None:
        example = "300" if profile is None else f"--calories 300 or topup_calories = 300 in {profile}"
        message = f"missing --calories; give the most kcal a day the top-up may add, e.g. {example}"
        if profile is not None and merged.get("calories") is not None:
            message += " (its calories key is a whole day's energy, which a top-up does not use)"
        raise InputError(message)
    # A profile shared with `week` may hold keys a top-up has no use for: say which (QA: a
    # weekly_average = true was ignored without a word).
    unused = [key for key in TOPUP_UNUSED_KEYS if merged.get(key) is not None]
    if unused:
        typer.echo(f"Warning: {profile}: {', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not used by a "
                   "top-up, which plans each day's magnesium within its calories only", err=True)  # fmt: skip
    request = checked_request(options, merged=merged)
    solve_options = request.solve_options
    if merged.get("solver") is None:  # the user named none: the top-up's default
        solve_options = dataclasses.replace(solve_options, solver=TOPUP_DEFAULT_SOLVER)
    try:
        result = plan_topup(
            request.profile, current_intake_mg=as_number(merged["current_intake"]),
            kcal_budget=as_number(merged["topup_calories"]), days=request.days, foods=request.foods,
            preferences=request.preferences, seed=request.seed, solve_options=solve_options,
            variety=None if request.variety.max_days_per_food is None
            else Variety(max_days_per_food=request.variety.max_days_per_food),
        )  # fmt: skip
    except InfeasiblePlan as exc:  # review: "drop --require …" for a profile's requirement
        raise in_profile_terms(exc, options) from None
    if not result.needed:
        if outputs == [(None, "table")]:
            to_stdout(result.no_topup_message())
            return
        # A file or a format was asked for: write the empty top-up in it, so a script gets a
        # valid document; the sentence goes to stderr for the person watching.
        typer.echo(result.no_topup_message(), err=True)
    emit_all(result.plan, outputs, why=why, force=force)


@app.command(help="Show the daily targets for a person, with their sources.")
@handles_errors
@with_options(PROFILE_OPTIONS, BALANCE_OPTIONS)
def targets(**options: Any) -> None:
    from .planner import low_calorie_notes
    from .report.common import target_lines
    from .targets import targets_for

    request = checked_request(options)
    t = targets_for(request.profile, request.balance)
    to_stdout(f"Daily targets for {person_text(request.profile)}:")
    for line in target_lines(t):
        to_stdout(f"  {line}")
    to_stdout(f"  ({supplement_ul_note(request.profile)})")
    # QA: 800 kcal for a pregnant 16-year-old was cautioned by `day` but not by `targets`.
    for note in low_calorie_notes(request.profile):
        typer.echo(f"Warning: {note}", err=True)


def person_text(profile: Profile) -> str:
    """'Ana, a 34-year-old female' or 'a pregnant 17-year-old female': the person as a phrase
    (Profile.describe, 'Ana: 34-year-old female', is a label)."""
    age = f"{profile.age:g}"
    state = "pregnant " if profile.pregnant else ("lactating " if profile.lactating else "")
    whole = age.split(".")[0]
    # "an" before a vowel sound: eight, eighty-…, eleven, eighteen.
    article = "an" if not state and (whole.startswith("8") or whole in ("11", "18")) else "a"
    phrase = f"{article} {state}{age}-year-old {profile.sex}"
    return f"{profile.name}, {phrase}" if profile.name else phrase


def supplement_ul_note(profile: Profile) -> str:
    """The magnesium upper level of the person's DRI row, said to be for supplements only.
    It differs by age (65 mg at 1–3 y, 110 mg at 4–8 y), so it is read from the data."""
    from .targets import magnesium_dri_row

    ul = (magnesium_dri_row(profile).get("supplemental_ul_mg_per_day") or "").strip()
    level = f"the {float(ul):g} mg upper level" if ul else "the upper level"
    return f"{level} for magnesium applies to supplements only, not to food"


@foods_app.callback(invoke_without_command=True)
@handles_errors
def foods_list(
    ctx: typer.Context,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    foods: Annotated[Path | None, typer.Option(help="A foods CSV instead of the default pool.")] = None,
    diet: Annotated[list[str] | None, typer.Option(help="Only foods of this diet, as a plan keeps it (repeatable).")]
    = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Leave out as a plan would: a food, category, "
                                                      "allergen, added sugars or caffeine (repeatable).")] = None,
) -> None:
    """List the pool: name, category, serving, magnesium per serving and per 100 kcal, and the
    allergens each food holds (and, after "may:", those packaged forms often hold)."""
    if ctx.invoked_subcommand is not None:
        # `foods --exclude peanuts search peanut` filters the search as it would the list (QA:
        # the options were dropped without a word, and peanut butter was listed).
        ctx.obj = {"category": category, "foods": foods, "diet": diet, "exclude": exclude}
        return
    from .plan import food_measure
    from .report.common import density_text

    listed = sorted(_pool_foods(category, foods, diet, exclude), key=lambda f: (f.category, f.name))
    if not listed:
        # QA: `foods --diet vegan --category fish` printed an empty table and exited 0, where a
        # search that finds nothing is an error (exit 2).
        given = [*([f"--category {category}"] if category else []), *(f"--diet {d}" for d in diet or ()),
                 *(f"--exclude {e}" for e in exclude or ())]  # fmt: skip
        where = "foods file" if foods is not None else "pool"
        if given:
            raise InputError(f"no food of the {where} is left with {' '.join(given)}; drop one of them")
    # The serving column fits the longest serving, as a day's table fits its longest measure,
    # up to MAX_SERVING_CHARS; a longer measure is cut with "…", and its grams are always shown.
    # As a plan says them (QA: "2 kernel", and oats' "1/2 cup" where plans say "1/2 cup, dry").
    measures = {f.ndb_no: food_measure(f, 1) for f in listed}
    width = min(MAX_SERVING_CHARS, max((len(serving_text(measures[f.ndb_no], f.serving_grams)) for f in listed),
                                       default=len("serving")))  # fmt: skip
    to_stdout(f"{'name':<24} {'ndb_no':<6} {'category':<10} {'serving':<{width}} {'Mg mg':>6} {'Mg/100kcal':>10}"
              "  allergens")  # fmt: skip
    for food in listed:
        serving = serving_text(measures[food.ndb_no], food.serving_grams, width)
        to_stdout(
            f"{food.name:<24} {food.ndb_no:<6} {food.category:<10} {serving:<{width}} "
            f"{food.per_serving('magnesium_mg') or 0:>6.0f} {density_text(food, thousands=False):>10}  "
            f"{allergen_text(food)}".rstrip()
        )


def _pool_foods(category: str | None = None, foods: Path | None = None, diet: list[str] | None = None,
                exclude: list[str] | None = None) -> list[Food]:  # fmt: skip
    """The pool's foods (or the foods file's) of ``category`` that a plan with ``diet`` and
    ``exclude`` may use, resolved as a plan's are; the notes the exclusions give go to stderr."""
    from .catalog import load_foods
    from .preferences import Preferences, canonical_category, resolve

    catalog = load_foods(foods)
    kept = None
    if diet or exclude:
        # The same resolution as a plan's, so the list shows what a plan may use.
        wishes = Preferences(exclude=tuple(exclude or ()), diets=tuple(diet or ()))
        resolved = resolve(wishes, catalog, 7)
        kept = {f.ndb_no for f in resolved.foods}
        for note in resolved.notes:  # QA: `foods --exclude coconut` listed every food without a word
            typer.echo(f"Note: {note}", err=True)
    chosen = None
    if category is not None:
        chosen = canonical_category(category)
        if chosen is None:
            from .catalog import CATEGORIES, normalize_name, suggest

            raise InputError(f"unknown category {category!r}{suggest(normalize_name(category), CATEGORIES)}")
    return [f for f in catalog if chosen in (None, f.category) and (kept is None or f.ndb_no in kept)]


def allergen_text(food: Food) -> str:
    """'milk, soy' — the allergens a food holds, then 'may: milk' for those its packaged
    forms often hold (QA: the tags behind an exclusion could not be inspected)."""
    from .preferences import ALLERGEN_WORDS

    if not food.tags_known:
        return "unknown (added from USDA)"
    held = [word for a, word in ALLERGEN_WORDS.items() if a in food.allergens]
    may = [word for a, word in ALLERGEN_WORDS.items() if a in food.may_contain]
    return ", ".join(held + ([f"may: {', '.join(may)}"] if may else []))


# Widest serving column of `mealplan foods` (the pool's longest serving takes 53 characters).
MAX_SERVING_CHARS = 60


def serving_text(measure: str, grams: float, width: int | None = None) -> str:
    """'1 cup (245 g)': a serving as `mealplan foods` lists it. Cut to ``width`` characters,
    the measure ends in "…" and the grams stay whole."""
    weight = f" ({grams:g} g)"
    text = measure + weight
    if width is None or len(text) <= width:
        return text
    return measure[: max(1, width - len(weight) - 1)].rstrip() + "…" + weight


# Longest `foods search` text (the longest USDA description has 134 characters).
MAX_SEARCH_CHARS = 200


@foods_app.command("search", help="Search foods by words in their name.")
@handles_errors
def foods_search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to look for, e.g. walnut.")],
    all_foods: Annotated[
        bool, typer.Option("--all", help="Search all 8,789 USDA SR28 foods, not only the pool.")
    ] = False,
    limit: Annotated[int, typer.Option(help="Most results to show.")] = 25,
) -> None:
    from .catalog import MAX_SEARCH_LIMIT, load_foods, match_rank, search_usda, search_words, usda_words_like

    if not (1 <= limit <= MAX_SEARCH_LIMIT):
        raise InputError(f"limit {limit} is out of range; give 1 to {MAX_SEARCH_LIMIT}")
    if len(query) > MAX_SEARCH_CHARS:
        raise InputError(f"the search is {len(query):,} characters long; give at most {MAX_SEARCH_CHARS}")
    pool_options = {k: v for k, v in (ctx.obj or {}).items() if v}
    filters = ", ".join(f"--{k}" for k in pool_options if k != "foods")
    if all_foods:
        if "foods" in pool_options:  # review: --foods is a file to search, not a filter
            raise InputError("search --all searches all USDA foods, not your foods file; drop --all to search "
                             f"{pool_options['foods']}, or drop --foods")  # fmt: skip
        if filters:
            raise InputError(f"search --all searches all USDA foods, which carry no allergen or diet tags, so it "
                             f"cannot filter them by {filters}; drop --all to search the filtered pool")  # fmt: skip
        hits = search_usda(query, limit)
        if not hits:
            close = usda_words_like(query)
            hint = f"did you mean: {', '.join(close)}?" if close else "try fewer or shorter words"
            raise InputError(f"no USDA food matches {query!r}; {hint}")
        to_stdout(f"{'ndb_no':<6}  {'Mg mg/100 g':>11}  {'kcal/100 g':>10}  description")
        for hit in hits:
            mg = hit.per_100g["magnesium_mg"]
            mg_text = "unknown" if mg is None else f"{mg:g}"
            to_stdout(f"{hit.ndb_no:<6}  {mg_text:>11}  {hit.per_100g['energy_kcal'] or 0:>10g}  {hit.description}")
        to_stdout("Add one to a plan with --add-food NDB_NO. 'unknown' magnesium cannot be planned with.")
        return
    words = search_words(query)
    if not words:
        raise InputError("empty search; give a word such as 'walnut'")
    pool = _pool_foods(**pool_options) if pool_options else list(load_foods())
    # As search --all: a word starts a word of the name (QA: "oats" listed buckwheat, for its
    # "groats", before oats), the food named by the search first; else in the pool's order.
    ranks = {f.ndb_no: match_rank(words, f.name, f.name + " " + f.usda_description) for f in pool}
    pool_hits = sorted((f for f in pool if ranks[f.ndb_no] is not None), key=lambda f: ranks[f.ndb_no] or 0)
    if not pool_hits:
        where = f"your foods file {pool_options['foods']}" if "foods" in pool_options else "the pool"
        if filters:
            raise InputError(f"no food matches {query!r} in {where} filtered by {filters}; drop {filters} to search "
                             f"all of {where}")  # fmt: skip
        if "foods" in pool_options:
            raise InputError(f"no food of {where} matches {query!r}; drop --foods to search the default pool")
        raise InputError(f"no pool food matches {query!r}; add --all to search all USDA foods")
    for food in pool_hits[:limit]:
        to_stdout(f"{food.name:<24} {food.ndb_no:<6} {food.category:<10} {food.usda_description}")


HOUSEHOLD_OPTIONS = [
    _opt(
        "shared_meals",
        Annotated[
            bool | None,
            typer.Option(
                "--shared-meals/--separate",
                help="One shared menu with per-member portions (one model), or a separate plan per member "
                "(default: as the household file says, else separate).",
            ),
        ],
    ),  # fmt: skip
    _opt("days", Annotated[int | None, typer.Option(
        help=f"Number of days, {DAYS_RANGE} (overrides the household file; default 7).")]),
]


def _household_overrides(options: dict[str, Any]) -> dict[str, Any]:
    """[household] keys given on the command line, checked like the file's (and blamed on the
    command line, not the file)."""
    from .household import check_overrides
    from .options import check_options

    keys = ("days", "solver", "gap", "time_limit", "seed")
    given = {k: options.pop(k) for k in keys if options.get(k) is not None}
    for k in keys:
        options.pop(k, None)
    overrides = check_options(given, "command line")
    check_overrides(overrides, command_line=True)
    return overrides


@app.command(help="Plan a household file: a week for every member (or one shared menu), and one shopping list.")
@handles_errors
@with_options(HOUSEHOLD_OPTIONS, HOUSEHOLD_SOLVER_OPTIONS, OUTPUT_AND_SHOPPING_OPTIONS)
def household(
    file: Annotated[Path, typer.Argument(help="Household TOML file with [household] and [[members]].")],
    **options: Any,
) -> None:
    from .household import load_household, plan_household
    from .output import note_read

    force, fmt, why = options.pop("force", False), options.pop("format", None), options.pop("why", False)
    note_read(file, "the household file")
    outputs = output_targets(options.pop("output", None), fmt, force=force, example="household.json")
    shopping = file_option(options.pop("shopping_list", None), "--shopping-list", "shopping.csv")
    shopping_fmt = shopping_format(shopping, [path for path, _ in outputs], force=force)
    shared = options.pop("shared_meals", None)
    loaded = load_household(file, _household_overrides(options))
    note_inputs(loaded.settings)  # its foods and prices files
    recheck_outputs(outputs, shopping, force=force)
    plan = plan_household(loaded, shared_meals=shared, progress=lambda line: typer.echo(f"{line} …", err=True))
    emit_all(plan, outputs, why=why, force=force, shopping=shopping, shopping_fmt=shopping_fmt)


BATCH_EXIT_CODES = "Exit codes: 0 every household planned; 2 bad input; 5 some households not planned; 130 interrupted."


@app.command(
    help="Plan many households in parallel: PATH is a folder of household .toml files, or one .csv/.jsonl "
    "with a row per member and a 'household' id column. Writes OUT/<household>.json as each finishes and "
    f"OUT/summary.csv. {BATCH_EXIT_CODES}"
)
@handles_errors
@with_options(HOUSEHOLD_OPTIONS, HOUSEHOLD_SOLVER_OPTIONS)
def batch(
    path: Annotated[Path, typer.Argument(help="Folder of household .toml files, or a .csv or .jsonl file.")],
    # A str, not a Path: Path("") is ".", and an empty --out must be refused, not mean "here".
    out: Annotated[str, typer.Option("--out", help="Folder for the results (created if missing).")],
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: every core).")] = None,
    resume: Annotated[
        bool, typer.Option(help="Skip households whose result in OUT is finished and made from the same input.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Plan every household again, replacing results in OUT.")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run on this Dask distributed scheduler, e.g. tcp://host:8786 (needs mealplan[dask])."),
    ] = None,
    **options: Any,
) -> None:
    from .batch import MAX_WORKERS, BatchSettings, discover, run_batch
    from .output import note_read

    if workers is not None and not (1 <= workers <= MAX_WORKERS):
        raise InputError(f"--workers {workers} is out of range; give 1 to {MAX_WORKERS}")
    if scheduler is not None and workers is not None:
        raise InputError("--workers applies to local worker processes; a --scheduler has its own workers, drop one")
    if resume and force:
        raise InputError("--resume keeps finished results and --force replaces them; drop one of the two")
    if scheduler is not None and not scheduler.strip():
        raise InputError("--scheduler is empty; give an address such as tcp://host:8786")
    settings = BatchSettings(shared_meals=options.pop("shared_meals", None), overrides=_household_overrides(options))
    tasks = discover(path)
    if path.is_file():
        note_read(path, "the batch file")
    cores = os.cpu_count() or 1
    if workers is not None and workers > cores:
        # QA: --workers 1000 on 2 cores was taken without a word; each worker solves on one core.
        typer.echo(f"Note: --workers {workers} is more than this machine's {cores} cores; each worker solves on "
                   f"one core, so more than {cores} only share them", err=True)  # fmt: skip
    _note_other_results(Path(out), tasks)
    _note_skipped(path, tasks)
    printer = _ProgressPrinter()
    try:  # SIGTERM is a KeyboardInterrupt here too (handles_errors)
        report = run_batch(
            tasks, out, settings=settings, workers=workers, resume=resume, force=force, scheduler=scheduler,
            on_progress=printer, on_notice=printer.notice,
        )  # fmt: skip
    except KeyboardInterrupt:
        printer.close()
        # QA: a --resume interrupted at once said "0 finished household(s) are saved" over 6 results.
        now = f" ({printer.saved} in this run)" if printer.kept else ""
        done = printer.saved + printer.kept
        raise fail(
            f"interrupted; the results of {done} household{'' if done == 1 else 's'} are saved in {out}{now}; "
            "rerun with --resume to plan the rest",
            INTERRUPTED_EXIT,
        ) from None
    printer.close()
    _print_summary(report)
    if not report.complete:
        from .errors import BatchIncomplete

        raise BatchIncomplete(
            # QA: "1 of 7 households were not planned".
            f"{report.failed} of {len(report.outcomes)} households {'was' if report.failed == 1 else 'were'} "
            f"not planned (reasons in {report.out_dir / 'summary.csv'}); fix them and rerun with --resume"
        )


def _note_other_results(out: Path, tasks: Sequence[Task]) -> None:
    """A note when ``out`` already holds results of households this batch does not have: its
    summary.csv will list only this batch's (QA: another batch's summary was replaced without
    a word)."""
    from .output import is_folder

    if not is_folder(out):
        return
    ours = {f"{t.household_id}.json" for t in tasks}
    others = sorted(p.name for p in out.glob("*.json") if p.name not in ours and not p.name.startswith("."))
    if others:
        more = ", …" if len(others) > 1 else ""
        typer.echo(f"Note: {out} also holds {len(others)} result(s) of other households ({others[0]}{more}); "
                   "its summary.csv will list only this batch's", err=True)  # fmt: skip


def _note_skipped(folder: Path, tasks: Sequence[Task]) -> None:
    """A note when a batch folder holds entries that are neither household files nor files
    they name (foods, prices), which are not read (QA: a subfolder of households and a readme
    were skipped without a word)."""
    from .options import PATH_KEYS
    from .output import real_path

    if not folder.is_dir():
        return
    named = {
        real_path(Path(t.base_dir or folder) / str(section[key]))
        for t in tasks if t.data is not None
        for section in (t.data.get("household") or {}, *(t.data.get("members") or []))
        if isinstance(section, dict)
        for key in PATH_KEYS if key in section
    }  # fmt: skip
    skipped = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir()
                     if p.suffix.lower() != ".toml" and not p.name.startswith(".")
                     and real_path(p) not in named)  # fmt: skip
    if skipped:
        more = ", …" if len(skipped) > 1 else ""
        what = "entry that is not a household .toml file" if len(skipped) == 1 else \
            "entries that are not household .toml files"
        typer.echo(f"Note: {folder} also holds {len(skipped)} {what} ({skipped[0]}{more}), not read; a batch "
                   "reads the .toml files of the folder itself, not of its subfolders", err=True)  # fmt: skip


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


class _ProgressPrinter:
    """The batch's progress on stderr: done/total, rate and ETA. Redrawn in place on a
    terminal; elsewhere (a log) a line every few seconds and at the end."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.saved = 0  # results written by this run
        self.kept = 0  # results of an earlier run that --resume kept
        self.open_line = False
        self.unsaid = ""  # the latest line, when it was not printed (see __call__'s pace)

    def notice(self, text: str) -> None:
        """A warning in the middle of the batch, after the progress it was not yet told of
        (QA: a batch waiting for Dask workers showed "[1/8]" with 5 households done)."""
        self.close()
        if self.unsaid:
            typer.echo(self.unsaid, err=True)
            self.unsaid = ""
        typer.echo(f"Warning: {text}", err=True)

    def __call__(self, progress: Any) -> None:
        import time

        if progress.outcome.resumed:
            self.kept += 1
        else:
            self.saved += 1
        now = time.monotonic()
        final = progress.done == progress.total
        eta = progress.eta_s
        eta_text = "--:--" if eta is None else _clock(eta)
        width = len(str(progress.total))
        line = (
            f"[{progress.done:>{width}}/{progress.total}] {100 * progress.done / progress.total:3.0f}%  "
            f"{progress.rate_per_s:.2f} households/s  ETA {eta_text}  "
            f"planned {progress.planned}, not planned {progress.failed}"
        )
        if progress.skipped:
            line += f", {progress.skipped} already done"
        # The results --resume keeps are counted at once, before any planning: a line for the
        # first of them read "[1/8] … 1 already done" with 7 kept (QA).
        if not final and (progress.outcome.resumed or now - self.last < (0.2 if self.tty else 5.0)):
            self.unsaid = line
            return
        self.last, self.unsaid = now, ""
        if self.tty:
            sys.stderr.write("\r" + line + "\x1b[K")
            sys.stderr.flush()
            self.open_line = True
        else:
            typer.echo(line, err=True)

    def close(self) -> None:
        if self.open_line:
            sys.stderr.write("\n")
            self.open_line = False


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


SUMMARY_TABLE_ROWS = 100
SUMMARY_ID_WIDTH = 40  # the summary table's household column, at most


def _print_summary(report: Any) -> None:
    from .batch import summary_rows

    rows = summary_rows(report)
    shown = rows if len(rows) <= SUMMARY_TABLE_ROWS else [r for r in rows if r["status"] != "planned"]
    # An id longer than the column is cut there (QA: a 300-character id made the table 90 wide).
    width = min(SUMMARY_ID_WIDTH, max([len("household"), *(len(r["household"]) for r in shown)]))
    if shown:  # QA: a batch of 120 planned households printed the header over no rows
        to_stdout(f"{'household':<{width}}  {'members':>7}  {'status':<13}  {'Mg coverage':>11}  {'kcal/day':>8}  "
                   f"{'solve s':>7}")  # fmt: skip
    for r in shown:
        coverage = f"{r['magnesium_coverage_pct']}%" if r["magnesium_coverage_pct"] else "-"
        household = r["household"] if len(r["household"]) <= width else r["household"][: width - 1] + "…"
        to_stdout(
            f"{household:<{width}}  {r['members']:>7}  {r['status']:<13}  {coverage:>11}  "
            f"{r['kcal_per_day'] or '-':>8}  {r['solve_seconds']:>7}"
        )
    if len(shown) < len(rows):
        to_stdout(f"({len(rows) - len(shown)} planned households not shown; see summary.csv)")
    for r in rows:
        if r["status"] != "planned":
            to_stdout(f"{r['household']}: {r['status']}: {r['reason']}")
    # QA: the table said "planned" for plans the time limit cut short, which summary.csv marks.
    timed_out = sum(1 for r in rows if r["status"] == "planned" and r["timed_out"] == "true")
    if timed_out:
        which, them = ("household was", "it") if timed_out == 1 else ("households were", "them")
        to_stdout(f"({timed_out} planned {which} cut short by the time limit, so a quieter machine can plan {them} "
                  "otherwise: timed_out in summary.csv; raise --time-limit for plans that repeat)")  # fmt: skip
    # QA: a --resume that found every result said "Planned 4 of 4 households in 0.0 s".
    resumed = sum(1 for o in report.outcomes if o.resumed and o.planned)
    kept = sum(1 for o in report.outcomes if o.resumed)
    earlier = f" ({resumed} of them from earlier results, kept by --resume)" if resumed else ""
    if kept > resumed:  # QA: the not planned ones that --resume kept went uncounted
        earlier = (f" (--resume kept {kept} earlier result{'' if kept == 1 else 's'}: {resumed} planned, "
                   f"{kept - resumed} not planned)")  # fmt: skip
    to_stdout(
        f"Planned {report.planned} of {len(rows)} households{earlier} in {report.seconds:.1f} s; "
        f"results in {report.out_dir}, summary in {report.out_dir / 'summary.csv'}"
    )


_NOT_A_NUMBER = re.compile(r"Invalid value for '(--[\w-]+)[^']*': '(.*)' is not a valid (float|integer|int)\.", re.S)


def number_hints() -> dict[str, str]:
    """What to give instead of a value Click could not read as a number, by option (QA:
    "--age abc" got "'abc' is not a valid float", which names no range)."""
    from .planner import MAX_DAYS
    from .targets import MAX_AGE_Y, MAX_KCAL, MIN_AGE_Y, MIN_KCAL

    return {
        "--age": f"give an age in years from {MIN_AGE_Y} to {MAX_AGE_Y}, such as --age 34",
        "--calories": f"give kcal a day from {MIN_KCAL:.0f} to {MAX_KCAL:.0f}, such as --calories 2000",
        "--days": f"give a whole number of days from 1 to {MAX_DAYS}",
        "--gap": "give a fraction, such as --gap 0.02 for 2%",
        "--time-limit": "give seconds, such as --time-limit 20",
        "--seed": "give a whole number, such as --seed 1",
        "--budget": "give money a week, such as --budget 60",
    }


def usage_message(text: str) -> str:
    """Click's usage error ``text``, with a value that is not a number said plainly and what
    to give: "--age 'abc' is not a number; give an age in years from 1 to 120…"."""
    found = _NOT_A_NUMBER.fullmatch(text)
    if found is None:
        return text
    option, value, kind = found.groups()
    number = "a number" if kind == "float" else "a whole number"
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", value):  # not a decimal comma (review: 0,050)
        # QA: "--calories 1,400", as the plans print it
        return f"{option} {quoted(value)} is not {number}; write it without commas: {option} {value.replace(',', '')}"
    return f"{option} {quoted(value)} is not {number}; {number_hints().get(option, f'give {number}')}"


def _unicode_streams() -> None:
    """Standard output and error that can carry every character a plan prints ("≥", "—", a
    name's "ë"): a file or pipe gets UTF-8 whatever the locale says, and a terminal that
    cannot show a character gets "?" for it. QA: on Windows, where a redirected stdout is
    cp1252, `mealplan week > week.txt` failed with UnicodeEncodeError and an empty file. An
    encoding the user set (PYTHONIOENCODING) is kept, with "?" for what it cannot encode."""
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding == "utf8" or reconfigure is None:
            continue
        try:
            if chosen or stream.isatty():
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8")
        except (OSError, ValueError):  # a closed or detached stream: its writes report themselves
            continue


class _Unfailing:
    """Standard error whose failed writes are dropped: messages, progress and warnings are for
    a reader, and one who cannot be written to (shell QA: `2>/dev/full`) should not turn a plan
    written whole into exit 1, nor a household's first progress line into no plan at all."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError:
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main() -> None:
    """Console entry point. Click's own usage errors (a value that is not a number, an unknown
    option) come out as one line like every other error, instead of Click's three."""
    _unicode_streams()
    if sys.stderr is not None:
        sys.stderr = _Unfailing(sys.stderr)
    try:
        os.getcwd()
    except OSError:  # shell QA: CBC then failed with "try --solver highs", and --output with exit 1
        print("Error: the current folder no longer exists (it was deleted); cd to another folder and run "
              "mealplan again", file=sys.stderr)  # fmt: skip
        sys.exit(2)
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # Click's errors, as Typer ships them
        if type(exc).__name__ == "NoArgsIsHelpError":  # `mealplan` alone: the help, as Click shows it
            print(exc.format_message(), file=sys.stderr)
        else:  # Click's message already gives the way out ("Did you mean 'day'?", the options)
            print(f"Error: {usage_message(exc.format_message())}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):  # pragma: no cover - Ctrl-C outside a command
        print("Error: interrupted", file=sys.stderr)
        sys.exit(INTERRUPTED_EXIT)
    sys.exit(code if isinstance(code, int) else 0)

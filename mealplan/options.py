"""Options as a user gives them — on the command line or in a TOML profile — turned into
the typed inputs of the planner. One place validates both, so both say the same thing.

A profile file holds the same keys as the options (``max_servings`` for ``--max-servings``),
either at the top level or under ``[person]``, ``[preferences]`` and ``[plan]``.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog, food_from_usda, given_or_default, load_foods, padded_ndb_no
from .errors import InputError
from .model import Variety
from .preferences import DISLIKE_WEIGHT, REQUIRE_DAYS_HINT, WEEK_DAYS, Preferences, resolve
from .prices import load_prices
from .resources import read_at_most
from .solver import SolveOptions, check_seed
from .targets import Balance, Profile, energy_keys_problem

MAX_PROFILE_BYTES = 1_000_000

# key → (type name for messages, check)
KIND_NUMBER = "a number"
KIND_INT = "a whole number"
KIND_BOOL = "true or false"
KIND_TEXT = "a text"
KIND_LIST = "a list of texts"
KIND_WEIGHTS = "a list of names or a table of name = number"
KIND_TABLE = "a list of NAME=NUMBER texts or a table of name = number"
KIND_NDB = "an ndb_no or a list of them (texts or whole numbers)"
KEYS: Mapping[str, str] = {
    "name": KIND_TEXT, "age": KIND_NUMBER, "sex": KIND_TEXT, "pregnant": KIND_BOOL, "lactating": KIND_BOOL,
    "trimester": KIND_INT, "calories": KIND_NUMBER, "activity": KIND_TEXT,
    "diet": KIND_LIST, "exclude": KIND_LIST, "require": KIND_WEIGHTS, "like": KIND_WEIGHTS, "dislike": KIND_WEIGHTS,
    "max_servings": KIND_TABLE, "prices": KIND_TEXT, "budget": KIND_NUMBER,
    "days": KIND_INT, "weekly_average": KIND_BOOL, "seed": KIND_INT, "max_days_per_food": KIND_INT,
    "min_foods_per_day": KIND_INT, "min_categories_per_day": KIND_INT, "kcal_tolerance": KIND_NUMBER,
    "macros": KIND_BOOL, "fiber": KIND_BOOL, "sodium": KIND_BOOL, "upper_limits": KIND_BOOL, "protein": KIND_NUMBER,
    "solver": KIND_TEXT, "gap": KIND_NUMBER, "time_limit": KIND_NUMBER, "foods": KIND_TEXT, "add_food": KIND_NDB,
    "current_intake": KIND_NUMBER, "topup_calories": KIND_NUMBER,
}  # fmt: skip
# Keys only `mealplan topup` reads (a household has no top-up).
TOPUP_KEYS = ("current_intake", "topup_calories")
SECTIONS = ("person", "preferences", "plan")
# Words people write for a key, with the key they mean (a spelling suggestion would not find
# it: 'allergies' is closer to 'calories' than to 'exclude').
KEY_WORDS: Mapping[str, str] = {
    "allergies": "exclude", "allergy": "exclude", "allergens": "exclude", "allergen": "exclude",
    "avoid": "exclude", "excludes": "exclude", "exclusions": "exclude", "diets": "diet",
    "likes": "like", "dislikes": "dislike", "requires": "require", "required": "require", "kcal": "calories",
    "gender": "sex", "years": "age", "pregnancy": "pregnant", "breastfeeding": "lactating",
}  # fmt: skip
PATH_KEYS = ("prices", "foods")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _type_ok(kind: str, value: Any) -> bool:
    if kind == KIND_NUMBER:
        return _is_number(value)
    if kind == KIND_INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == KIND_BOOL:
        return isinstance(value, bool)
    if kind == KIND_TEXT:
        return isinstance(value, str)
    if kind in (KIND_LIST, KIND_NDB):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind in (KIND_TABLE, KIND_WEIGHTS):
        return (isinstance(value, list) and all(isinstance(v, str) for v in value)) or (
            isinstance(value, dict) and all(_is_number(v) for v in value.values())
        )
    return False  # pragma: no cover


# Keys whose flag is not the key's name: `mealplan topup --calories` sets topup_calories (QA:
# "--topup-calories must be a finite number", an option no command has).
_FLAG_OF = {"topup_calories": "--calories"}


def key_hint(close: Sequence[str], accepted: Sequence[str]) -> str:
    """What follows "unknown key 'x'": the close keys, or all that are taken."""
    return f"; did you mean: {', '.join(close)}?" if close else f"; known keys: {', '.join(accepted)}"


def check_options(raw: Mapping[str, Any], label: str, *, command_line: bool = False,
                  known: Sequence[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Flatten sections and check every key's name and type; raise InputError on the first problem.

    Messages name ``--an-option`` when ``command_line``, else ``label: key 'a_key'``. A single
    text is accepted where a list of texts is expected (``diet = "vegan"``), and so is a tuple
    (from Python data: ``"exclude": ("peanuts",)``); a key given twice (at the top and in a
    section) is refused. ``known``: the keys this place takes (a household member takes fewer
    than a profile), by default every key.
    """
    accepted = list(KEYS) if known is None else list(known)
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SECTIONS and not isinstance(value, dict):
            raise InputError(f"{label}: {key!r} must be a section [{key}] of keys, not {shown(value)}")
        entries = value.items() if key in SECTIONS else [(key, value)]
        for inner, inner_value in entries:
            if not isinstance(inner, str):  # Python data (API QA: {1: 2} raised AttributeError)
                raise InputError(f"{label}: key {shown(inner)} is not text; give each key as text, e.g. "
                                 f"{accepted[0]!r}")  # fmt: skip
            if inner.replace("-", "_") in (k.replace("-", "_") for k in flat):
                raise InputError(f"{label}: key {inner!r} is given twice; keep one")
            flat[inner] = inner_value
    for key, given in list(flat.items()):
        norm = key.replace("-", "_")
        flat[key] = value = _as_list_given(KEYS.get(norm), given)
        what = (_FLAG_OF.get(norm, f"--{norm.replace('_', '-')}") if command_line else f"{label}: key {key!r}")
        if norm not in accepted:
            close = difflib.get_close_matches(norm, accepted, n=2)
            meant = KEY_WORDS.get(norm)
            if meant is not None and meant in accepted and meant not in close:
                close = [meant]  # the spelling match missed what the word means
            raise InputError(f"{label}: unknown key {key!r}{key_hint(close, accepted)}")
        if not _type_ok(KEYS[norm], value):
            kind = KEYS[norm]
            if kind == KIND_NUMBER and isinstance(value, float) and not math.isfinite(value):
                kind = "a finite number"
            raise InputError(f"{what} must be {kind}, not {shown(given)}")  # as given: a tuple, not its list
    out = {k.replace("-", "_"): v for k, v in flat.items()}
    if (problem := energy_keys_problem(out, label, command_line=command_line)) is not None:
        raise InputError(problem)
    return out


def _as_list_given(kind: str | None, value: Any) -> Any:
    """``value`` of a key of ``kind`` as the list it stands for: a single text where a list of
    names is taken (``diet = "vegan"``, ``like = "salmon=2"``, ``max_servings = "nuts=1"``, one
    name with its optional number as a list's item), and add_food's ndb_no as a whole number
    (``12154``, alone or in its list) as its text, zero-padded to 5 digits (``1123``: "01123").
    QA: a single text was taken for
    diet, exclude and add_food but refused for like, dislike and require, and add_food = 12154
    was refused; then max_servings = "almonds=1" was refused too. A tuple, from Python data,
    as its list (API QA: household_from_data refused exclude=("peanuts",), the form
    Preferences takes; a TOML file only gives lists). Anything else as it is, for the type check."""
    if kind in (KIND_LIST, KIND_WEIGHTS, KIND_NDB, KIND_TABLE) and isinstance(value, str):
        return [value]
    if kind in (KIND_LIST, KIND_WEIGHTS, KIND_NDB, KIND_TABLE) and isinstance(value, tuple):
        value = list(value)
    if kind == KIND_NDB:
        items = value if isinstance(value, list) else [value] if _is_whole(value) else None
        if items is not None:
            return [padded_ndb_no(str(v)) if _is_whole(v) else v for v in items]
    return value


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_number(value: Any) -> float:
    """A number of the command line or a file as the API takes it: a whole one as an int (age
    34, not Typer's 34.0), so that a plan asked on the command line records in its JSON the
    numbers the same plan asked in Python does (API QA: "age": 34.0 against 34)."""
    number = float(value)
    return int(number) if number.is_integer() else number


def shown(value: Any) -> str:
    """A value for a message: its repr, cut short so that a huge value keeps the message one line."""
    text = ("true" if value else "false") if isinstance(value, bool) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_toml(path: Path, what: str = "profile") -> dict[str, Any]:
    """A TOML file as data (parsed, never executed); bounded in size; errors name the file."""
    try:
        raw = read_at_most(path, MAX_PROFILE_BYTES)
    except FileNotFoundError:
        raise InputError(f"{what} file {path} does not exist; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{what} file {path} is a folder; give a .toml file") from None
    except OSError as exc:
        raise InputError(f"{what} file {path} cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise InputError(f"{what} file {path} is larger than {MAX_PROFILE_BYTES:,} bytes; is it the right file?")
    try:
        text = raw.decode("utf-8-sig")  # Windows editors often start UTF-8 with a byte-order mark
    except UnicodeDecodeError:
        raise InputError(f"{what} file {path} is not UTF-8 text; save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{what} file {path} is not valid TOML ({exc}); fix the syntax") from None


def in_key_terms(text: str) -> str:
    """A problem of a file's values said with the file's keys, not the command line's flags
    (QA: a household file was told to "drop --pregnant or use --sex female" and "add
    --pregnant"; a profile, "--max-servings 'almonds': give NAME=NUMBER"):
    '--sex female' becomes 'sex = "female"', '--trimester 1' 'trimester = 1', 'add
    --pregnant' 'add pregnant = true', '--prices FILE' 'prices = "FILE"', and any other
    flag its key. A command quoted in backticks is left as it is: it is run on the command
    line (QA: "find one with `mealplan foods search WORD all`", which the command refuses)."""
    parts = text.split("`")
    return "`".join(part if i % 2 else _in_key_terms(part) for i, part in enumerate(parts))


def _in_key_terms(text: str) -> str:
    def key(flag: str) -> str:
        return flag.replace("-", "_")

    def as_items(m: re.Match[str]) -> str:
        flag = m.group(2)
        items = [v.strip("'") for v in re.findall(rf"--{flag} ('[^']*'|\S+)", m.group(3))]
        return f"give each {m.group(1)} as an item of the list: {key(flag)} = [{', '.join(map(_quoted_toml, items))}]"

    # "give one name per --exclude: --exclude milk --exclude egg" (a list written as one name)
    text = re.sub(r"give one (name|diet) per --([a-z-]+): ((?:--\2 (?:'[^']*'|\S+) ?)+)", as_items, text)

    text = re.sub(r"--(sex|activity) ([a-z]+)", lambda m: f'{m.group(1)} = "{m.group(2)}"', text)
    text = re.sub(r"--([a-z-]+) (\d+(?:\.\d+)?)\b", lambda m: f"{key(m.group(1))} = {m.group(2)}", text)
    text = re.sub(r"\badd --(pregnant|lactating)\b", lambda m: f"add {m.group(1)} = true", text)
    text = re.sub(r"--(prices|foods) FILE\b", lambda m: f'{m.group(1)} = "FILE"', text)
    text = re.sub(r"--([a-z][a-z-]*)", lambda m: key(m.group(1)), text)
    return re.sub(r"\bkey '([a-z_]+)': \1 ", r"key '\1': ", text)  # not "key 'like': like oats=11"


def _quoted_toml(text: str) -> str:
    """``text`` as a TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_profile(path: Path) -> dict[str, Any]:
    """Options from a TOML profile; relative paths inside it are relative to the file."""
    options = check_options(read_toml(path), str(path))
    for key in PATH_KEYS:
        if key in options and not Path(options[key]).is_absolute():
            options[key] = str(path.parent / options[key])
    return options


def parse_pairs(values: list[str], option: str, default: float | None) -> dict[str, float | None]:
    """['oats', 'nuts=1.5'] → {'oats': default, 'nuts': 1.5}; a name given twice, see _add_once."""
    out: dict[str, float | None] = {}
    for value in values:
        parts = [part.strip() for part in re.split(r"[,;/]", value)]
        if len(parts) > 1 and all(parts):
            if "=" in parts[-1] and not any("=" in part for part in parts[:-1]):
                # One number for the list ("milk/yogurt=1"): each name gets it (QA: the hint
                # "--max-servings milk --max-servings yogurt=1" was refused in turn).
                number = parts[-1].rpartition("=")[2]
                parts = [*(f"{part}={number}" for part in parts[:-1]), parts[-1]]
            # QA: --like oats=1,almonds=2 was "unknown food 'oats=1,almonds'", where --exclude
            # a,b says it is a list. Names here are the pool's, which hold no comma; "/" joins
            # a list as --exclude reads it (QA: 'eggs/milk'), "&" not ("salt & vinegar").
            typed = " ".join(f"--{option} {part!r}" if " " in part else f"--{option} {part}" for part in parts)
            raise InputError(f"--{option} {value!r} is a list; give one name per --{option}: {typed}")
        name, sep, number = value.rpartition("=") if "=" in value else (value, "", "")
        name = name.strip()
        if not name:
            raise InputError(f"--{option} {value!r}: give NAME or NAME=NUMBER")
        given: float | None = default
        if sep:
            try:
                given = float(number)
            except ValueError:
                raise InputError(f"--{option} {value!r}: {number!r} is not a number; give NAME=NUMBER") from None
            if not math.isfinite(given):
                raise InputError(f"--{option} {value!r}: give a finite number")
        _add_once(out, name, given, option)
    return out


def name_key(text: str) -> str:
    """The name of 'NAME' or 'NAME=NUMBER' as wishes compare it: without case or extra spaces."""
    name = text.rpartition("=")[0] if "=" in text else text
    return " ".join(name.split()).casefold()


def _add_once(pairs: dict[str, float | None], name: str, value: float | None, option: str) -> None:
    """``pairs[name] = value``, unless an earlier spelling of the same name (case and spaces
    aside) is there. QA: the last of two values won, so `--max-servings oats=1 --max-servings
    oats=2` (or a household's oats=0.5 and a member's oats=2) planned 2. The same value twice
    is one; for max-servings the lower cap holds, as caps are limits; other values that differ
    are refused."""
    key = name_key(name)
    earlier = next((n for n in pairs if name_key(n) == key), None)
    if earlier is None:
        pairs[name] = value
        return
    first = pairs[earlier]
    if first == value:
        return
    if option == "max-servings" and first is not None and value is not None:
        pairs[earlier] = min(first, value)
        return

    def shown(v: float | None) -> str:
        return "every day" if v is None and option == "require" else "no number" if v is None else f"{v:g}"

    raise InputError(f"--{option} names {earlier!r} twice, with {shown(first)} and {shown(value)}; keep one")


def _weights(value: Any, option: str, default: float | None) -> dict[str, float | None]:
    if isinstance(value, dict):
        return parse_pairs([f"{k}={v}" for k, v in value.items()], option, default)
    return parse_pairs(list(value), option, default)


@dataclass(frozen=True)
class Request:
    """Everything one person's plan is made from."""

    profile: Profile
    preferences: Preferences = field(default_factory=Preferences)
    balance: Balance = field(default_factory=Balance)
    variety: Variety = field(default_factory=Variety)
    solve_options: SolveOptions = field(default_factory=SolveOptions)
    days: int = 7
    weekly_average: bool = False
    seed: int = 0
    foods: Catalog | None = None


def build_request(options: Mapping[str, Any], *, default_days: int = 7) -> Request:
    """Typed inputs from checked options (see check_options). Raises InputError."""
    o = dict(options)
    if o.get("age") is None or o.get("sex") is None:
        missing = " and ".join(k for k in ("age", "sex") if o.get(k) is None)
        raise InputError(f"missing {missing}; give --age and --sex (or a --profile file with them)")
    sex = str(o["sex"]).strip().lower()
    sex = {"f": "female", "woman": "female", "m": "male", "man": "male"}.get(sex, sex)
    profile = Profile(
        age=as_number(o["age"]), sex=sex, pregnant=bool(o.get("pregnant", False)),
        lactating=bool(o.get("lactating", False)),
        calories=None if o.get("calories") is None else as_number(o["calories"]),
        activity=str(o.get("activity", "moderate")).strip().lower(), trimester=o.get("trimester"),
        name=str(o.get("name", "")),
    )  # fmt: skip
    foods = load_foods(o["foods"]) if o.get("foods") else None
    if o.get("add_food"):
        base = given_or_default(foods)
        # A food already in the pool keeps its curated row (its tags, slots and serving).
        present = {f.ndb_no for f in base}
        foods = base.with_foods(food_from_usda(n) for n in o["add_food"] if n.strip() not in present)
    catalog = given_or_default(foods)
    require = {
        k: (None if v is None else _whole(v, "require", k))
        for k, v in _weights(o.get("require", []), "require", None).items()
    }
    prices = load_prices(Path(o["prices"]), catalog) if o.get("prices") else {}
    preferences = Preferences(
        exclude=tuple(o.get("exclude", [])),
        diets=tuple(o.get("diet", [])),
        require=require,
        like={k: v if v is not None else 1.0 for k, v in _weights(o.get("like", []), "like", 1.0).items()},
        dislike={k: v if v is not None else DISLIKE_WEIGHT
                 for k, v in _weights(o.get("dislike", []), "dislike", DISLIKE_WEIGHT).items()},  # fmt: skip
        max_servings={k: as_number(v) for k, v in _max_servings(o.get("max_servings", {})).items()},
        prices_per_100g=prices,
        budget=None if o.get("budget") is None else as_number(o["budget"]),
    )
    balance = Balance(
        macros=bool(o.get("macros", True)), fiber=bool(o.get("fiber", True)), sodium=bool(o.get("sodium", True)),
        upper_limits=bool(o.get("upper_limits", True)), kcal_tolerance=as_number(o.get("kcal_tolerance", 0.05)),
        protein_g=None if o.get("protein") is None else as_number(o["protein"]),
    )  # fmt: skip
    variety_defaults = Variety()
    variety = Variety(
        max_days_per_food=o.get("max_days_per_food"),
        min_foods_per_day=int(o.get("min_foods_per_day", variety_defaults.min_foods_per_day)),
        min_categories_per_day=int(o.get("min_categories_per_day", variety_defaults.min_categories_per_day)),
    )
    defaults = SolveOptions()
    solve_options = SolveOptions(
        solver=str(o.get("solver", defaults.solver)).strip().lower(),  # as --format and --sex take any case
        gap=None if o.get("gap") is None else as_number(o["gap"]),
        time_limit_s=defaults.time_limit_s if o.get("time_limit") is None else as_number(o["time_limit"]),
    )
    return Request(
        profile=profile, preferences=preferences, balance=balance, variety=variety, solve_options=solve_options,
        days=int(o.get("days", default_days)), weekly_average=bool(o.get("weekly_average", False)),
        seed=check_seed(int(o.get("seed", 0))), foods=foods,
    )  # fmt: skip


def check_names(request: Request, options: Mapping[str, Any], *, keyed: bool = True) -> None:
    """Resolve every food, category, allergen and diet name now, key by key, so that a typo
    is reported at load time with the key it is in (``keyed``; the command line's messages
    name the option already)."""
    catalog = given_or_default(request.foods)
    prefs = request.preferences
    parts: dict[str, Preferences] = {
        "exclude": Preferences(exclude=prefs.exclude),
        "diet": Preferences(diets=prefs.diets),
        "require": Preferences(require=prefs.require),
        "like": Preferences(like=prefs.like),
        "dislike": Preferences(dislike=prefs.dislike),
        "max_servings": Preferences(max_servings=prefs.max_servings),
    }
    for key, part in parts.items():
        if key in options:
            try:
                resolve(part, catalog, request.days)
            except InputError as exc:
                raise InputError(f"key {key!r}: {exc}" if keyed else str(exc)) from None
    resolve(prefs, catalog, request.days)


def _whole(value: float, option: str, name: str) -> int:
    """A --require FOOD=N's whole N of days a week (QA: N=0 was told "from 1 to 28", N=8
    "1 to 7 days a week": one range, the week's)."""
    if not (1 <= value <= WEEK_DAYS) or value != int(value):
        raise InputError(f"--{option} {name}={value:g}: {REQUIRE_DAYS_HINT}")
    return int(value)


def _max_servings(value: Any) -> dict[str, float]:
    items = [f"{k}={v}" for k, v in value.items()] if isinstance(value, dict) else list(value)
    pairs = parse_pairs(items, "max-servings", None)
    for name, number in pairs.items():
        if number is None:
            raise InputError(f"--max-servings {name!r}: give NAME=NUMBER, e.g. nuts=1")
    return {k: float(v) for k, v in pairs.items() if v is not None}

"""Households: members with their own targets and wishes, planned as separate weeks or as
one shared menu with per-member portions, and one combined shopping list.

A household file is TOML::

    [household]                 # settings for everyone: the keys of a profile's [plan] and
    name = "Rivera family"      # [preferences] sections, plus name and shared_meals
    exclude = ["peanuts"]       # household-wide: added to every member's exclusions
    days = 7

    [[members]]                 # one per member: the keys of a profile's [person] section,
    name = "Ana"                # their own preferences, and balance switches
    age = 41
    sex = "female"
    exclude = ["milk"]

Members' lists (diet, exclude, require, like, dislike, max_servings) add to the household's;
a member's balance switch (macros, fiber, sodium, upper_limits, kcal_tolerance) overrides it. Everything
is validated when the household is loaded, and every problem is reported in one line that
names the file, the member and the key.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import math
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import ALLERGENS, CATEGORIES, SLOTS, Catalog, Food, given_or_default
from .errors import DataError, InfeasiblePlan, InputError, MealplanError, SolverError, as_path, listed, unprintable
from .explain import FILE_LIST_KEYS, Binding, Relaxation, as_file_change, file_names, restated, subjects
from .model import Member, ModelSpec
from .options import (
    KEYS,
    PATH_KEYS,
    TOPUP_KEYS,
    Request,
    build_request,
    check_names,
    check_options,
    in_key_terms,
    key_hint,
    read_toml,
    shown,
)
from .plan import SHARED_MODE, MemberPlan, Plan, Swap, items_from, plan_cost, unpriced_warning
from .planner import (
    B12_NOTE_START,
    BUDGET_DAYS,
    CALCIUM_NOTE_START,
    COCOA_CAFFEINE_NOTE_START,
    DATA_RELEASE,
    FISH_NOTE_START,
    HIGH_PROTEIN_NOTE_START,
    IRON_NOTE_START,
    LIKED_LEFT_OUT_START,
    LIKED_NOT_PLANNED_START,
    LISTERIA_NOTE_START,
    LOW_FAT_NOTE_START,
    MAX_DAYS,
    MERCURY_NOTE_START,
    NO_ANIMAL_FOOD_NOTE_START,
    OVERRUN_START,
    PROTEIN_NOTE_START,
    SOFT_CHEESE_NOTE_START,
    BuiltSpec,
    PlanInputs,
    age_notes,
    build_spec,
    caffeine_exclusion_notes,
    check_variety,
    diet_notes,
    liked_not_planned,
    low_calorie_notes,
    main_meal_notes,
    nutrient_notes,
    overrun_warning,
    plan_from_inputs,
    plan_inputs,
    plan_notes,
    plan_week,
    pregnancy_food_notes,
    required_days_notes,
    timing_warning,
    trace_notes,
    usable_foods,
    verify,
    wishes_and_targets,
)
from .preferences import Preferences, Resolved, added_food_warnings, not_disliked
from .solver import SHARED_DEFAULT_SOLVER, SolveOptions, SolveResult, asked_gap, for_days, relative_gap
from .strategy import solve_spec
from .targets import Targets, energy_keys_problem, energy_target

HOUSEHOLD_SECTION = "household"
MEMBERS_SECTION = "members"
MAX_MEMBERS = 12
MAX_NAME_CHARS = 60

PERSON_KEYS = ("name", "age", "sex", "pregnant", "lactating", "trimester", "calories", "activity")
PREFERENCE_KEYS = ("diet", "exclude", "require", "like", "dislike", "max_servings")
BALANCE_KEYS = ("kcal_tolerance", "macros", "fiber", "sodium", "upper_limits", "protein")
MEMBER_KEYS = (*PERSON_KEYS, *PREFERENCE_KEYS, *BALANCE_KEYS)
# Keys that can only be the same for every member: the plan's length and rules, the
# solver, the foods and their prices, the budget.
HOUSEHOLD_ONLY_KEYS = tuple(k for k in KEYS if k not in MEMBER_KEYS and k not in TOPUP_KEYS)
HOUSEHOLD_KEYS = ("name", "shared_meals", *PREFERENCE_KEYS, *BALANCE_KEYS, *HOUSEHOLD_ONLY_KEYS)
ADDITIVE_KEYS = PREFERENCE_KEYS

# A member who cannot eat a shared food may have, in that meal, a private item of a
# category that can stand in for it (a protein for a protein, soymilk for milk …).
_PROTEIN = frozenset({"legumes", "soy", "fish", "poultry", "eggs"})
SUBSTITUTES: Mapping[str, frozenset[str]] = {
    "fish": _PROTEIN, "poultry": _PROTEIN, "eggs": _PROTEIN | {"dairy"}, "legumes": _PROTEIN,
    "soy": _PROTEIN | {"dairy"}, "dairy": frozenset({"dairy", "soy", "eggs"}),
    "nuts": frozenset({"nuts", "seeds"}), "seeds": frozenset({"seeds", "nuts"}),
    "cocoa": frozenset({"cocoa", "fruit", "seeds", "nuts"}), "grains": frozenset({"grains"}),
    "vegetables": frozenset({"vegetables", "greens"}), "greens": frozenset({"greens", "vegetables"}),
    "fruit": frozenset({"fruit"}), "beverages": frozenset({"beverages", "dairy", "soy", "fruit"}),
    "other": frozenset(CATEGORIES),
}  # fmt: skip
# A private item costs this much preference weight (×PREFERENCE_WEIGHT in the objective),
# so that the menu is shared wherever the targets allow it.
SWAP_WEIGHT = -1.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class HouseholdMember:
    """One member: their name, what they were given, and their plan request."""

    name: str
    options: Mapping[str, Any]  # the member's own keys, as checked
    request: Request  # household settings and the member's keys merged


@dataclass(frozen=True)
class Household:
    """A validated household, ready to plan."""

    name: str
    members: tuple[HouseholdMember, ...]
    settings: Mapping[str, Any]  # the [household] keys, as checked
    shared_meals: bool = False
    source: str = ""

    @property
    def days(self) -> int:
        return self.members[0].request.days

    @property
    def solve_options(self) -> SolveOptions:
        return self.members[0].request.solve_options


# ------------------------------------------------------------------------ loading


def load_household(path: Path | str, overrides: Mapping[str, Any] | None = None) -> Household:
    """The household in the TOML file at ``path``; ``overrides`` replace [household] keys
    (e.g. days or solver from the command line). Raises InputError naming every problem."""
    path = as_path(path, "household file", "a .toml file")  # a str too, as discover and run_batch take one (QA)
    data = read_toml(path, "household")
    return household_from_data(data, str(path), base_dir=path.parent, default_name=path.stem, overrides=overrides)


def household_from_data(
    data: Mapping[str, Any],
    label: str,
    *,
    base_dir: Path | str | None = None,
    default_name: str = "household",
    overrides: Mapping[str, Any] | None = None,
    member_labels: Sequence[str] = (),
) -> Household:
    """A household from parsed data ``{"household": {...}, "members": [{...}, ...]}``.

    ``label`` names the source in messages, and ``member_labels``, where given, each
    member's (a batch row's line: 'rows.csv:14: household 'h7''); relative paths are
    relative to ``base_dir``.
    Every problem found is reported in one InputError, separated by "; ".
    """
    if not isinstance(data, Mapping):  # QA: a list gave AttributeError from the API
        raise InputError(f"{label}: the household must be a table with [household] and [[members]], "
                         f"not {type(data).__name__}")  # fmt: skip
    if base_dir is not None and not isinstance(base_dir, (str, os.PathLike)):
        raise InputError(f"base_dir must be a folder path, not {type(base_dir).__name__}")
    base_dir = None if base_dir is None else Path(base_dir)  # API QA: a str gave a raw TypeError
    # The household keeps what it was given as its request; a copy, so that the caller's later
    # changes to its lists do not change what the plan says it planned (API QA).
    data = copy.deepcopy(data)
    problems: list[str] = []
    for key in data:
        if key not in (HOUSEHOLD_SECTION, MEMBERS_SECTION):
            hint = " (put it under [household] or in a [[members]] entry)" if key in KEYS else ""
            problems.append(f"{label}: unknown top-level key {key!r}{hint}; use [household] and [[members]]")
    raw_settings = data.get(HOUSEHOLD_SECTION, {})
    if not isinstance(raw_settings, Mapping):
        raise InputError(f"{label}: [household] must be a table of settings")
    settings = _check_settings(raw_settings, f"{label}: [household]", problems)
    # Checked on their own first, so that a bad override is blamed on the overrides, not the file.
    if (given := _checked_overrides(overrides or {}, problems)) is not None:
        settings.update(given)
    if base_dir is not None:
        for key in PATH_KEYS:
            if key in settings and key not in (overrides or {}) and not Path(settings[key]).is_absolute():
                settings[key] = str(base_dir / settings[key])
    settings_ok = _check_household_values(settings, f"{label}: [household]", problems)
    checked_with, names_known = (settings, True) if settings_ok else _usable_settings(settings)
    raw_members = data.get(MEMBERS_SECTION)
    if isinstance(raw_members, Mapping):
        problems.append(f"{label}: [members] is a single table; write each person as a [[members]] entry "
                        "(double brackets)")  # fmt: skip
        raw_members = []
    elif raw_members is not None and not isinstance(raw_members, list):
        problems.append(f"{label}: members must be a list of [[members]] entries, not {type(raw_members).__name__}")
        raw_members = []
    elif not raw_members:
        problems.append(f"{label}: no members; add a [[members]] entry for each person, with age and sex")
        raw_members = []
    if len(raw_members) > MAX_MEMBERS:
        problems.append(f"{label}: {len(raw_members)} members is more than {MAX_MEMBERS}; split the household")
        raw_members = []
    members: list[HouseholdMember] = []
    seen: dict[str, int] = {}
    names: set[str] = set()  # as typed, case-folded
    for index, raw in enumerate(raw_members, start=1):
        where = member_labels[index - 1] if index <= len(member_labels) else label
        who = f"{where}: member {index}"
        if not isinstance(raw, Mapping):
            problems.append(f"{who}: must be a table of keys (name, age, sex …)")
            continue
        name = raw.get("name", f"member {index}")
        if isinstance(name, str) and name.strip():
            who = f"{where}: member {name.strip()!r}"
        member = _member(raw, index, who, checked_with, problems, names_known)
        if member is None:
            continue
        # The same letters however typed (QA: "Zoë" composed and decomposed, as macOS can
        # write it, were two members printed alike). NFC, not NFKC: "Ana²" is not "Ana2" (review).
        key = unicodedata.normalize("NFC", member.name).casefold()
        if key in seen:
            same = "" if member.name.casefold() in names else ", the same letters typed in another Unicode form"
            problems.append(f"{who}: duplicate member name (also member {seen[key]}{same}); give each member its own "
                            "name")  # fmt: skip
            continue
        names.add(member.name.casefold())
        seen[key] = index
        members.append(member)
    name = str(settings.get("name", default_name)).strip() or default_name
    household = Household(
        name=name,
        members=tuple(members),
        settings=dict(settings),
        shared_meals=bool(settings.get("shared_meals", False)),
        source=label,
    )
    if problems:
        # The members read without a problem have their wishes checked too, so that one run
        # shows every member's problem (review: a member's age of 500 hid another's required
        # coffee at 12 until the age was fixed).
        raise InputError("; ".join(dict.fromkeys([*problems, *_wish_problems(household)])))
    return household


def _wish_problems(household: Household) -> list[str]:
    """Each member's first problem with their wishes (_member_wishes: a food an age rule
    refuses, a required food USDA has no value for), named, as one text; none when they have none."""
    try:
        _check_each_member(household, lambda _i, m: _member_wishes(
            m, given_or_default(m.request.foods), m.request.days))  # fmt: skip
    except InputError as exc:
        return [str(exc)]
    return []


def _member_wishes(member: HouseholdMember, catalog: Catalog, days: int) -> tuple[Resolved, Targets]:
    """A member's wishes resolved on ``catalog`` for their age, and their targets (wishes_and_targets)."""
    r = member.request
    return wishes_and_targets(r.preferences, catalog, days, r.profile, r.balance)


def _check_settings(raw: Mapping[str, Any], label: str, problems: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        norm = str(key).replace("-", "_")
        if norm == "shared_meals":
            if isinstance(value, bool):
                out[norm] = value
            else:
                problems.append(f"{label}: key {key!r} must be true or false, not {value!r}")
            continue
        if norm == "name":
            if (problem := _name_problem(value, label, "the household")) is not None:
                problems.append(problem)
                continue
        elif norm in PERSON_KEYS:
            problems.append(f"{label}: key {key!r} belongs to a member; move it into a [[members]] entry")
            continue
        try:
            out.update(check_options({key: value}, label, known=HOUSEHOLD_KEYS))
        except InputError as exc:
            problems.append(str(exc))
    return out


def _name_problem(name: Any, who: str, whom: str) -> str | None:
    """What is wrong with a household's or a member's name (printed in every plan), if anything."""
    if not isinstance(name, str):  # QA: name = 5 was said to be empty
        example = "Rivera family" if whom == "the household" else "Ana"
        return (f"{who}: key 'name' must be a text, not {shown(name)}; give {whom} a name in quotes, e.g. "
                f'name = "{example}"')  # fmt: skip
    if not name.strip():
        return f"{who}: key 'name' is empty; give {whom} a name"
    if len(name) > MAX_NAME_CHARS:
        return f"{who}: key 'name' is {len(name):,} characters long; give at most {MAX_NAME_CHARS}"
    if (bad := unprintable(name)) is not None:
        return f"{who}: key 'name' holds a line break or control character ({bad}); give one plain line"
    return None


def check_overrides(overrides: Mapping[str, Any], *, command_line: bool = False) -> None:
    """[household] keys (days, solver, gap …) that replace a household file's, checked before
    any household is read: a batch must refuse a bad --gap at once, not record it as every
    household's failure (and, with --resume, over results that were fine). Problems are
    blamed on the "command line" when ``command_line``, else on the "overrides" (the API's)."""
    problems: list[str] = []
    _checked_overrides(overrides, problems, command_line=command_line)
    if problems:
        raise InputError(problems[0])


def _checked_overrides(overrides: Mapping[str, Any], problems: list[str], *,
                       command_line: bool = False) -> dict[str, Any] | None:  # fmt: skip
    """``overrides`` (their None values left out) checked as a file's [household] values are
    (_check_settings, then _check_household_values), or None with their problems added to
    ``problems``. API QA: an override's value was not checked, so {"weekly_average": "false"}
    planned a weekly average, {"days": "2.0"} raised a raw ValueError and {"exclude":
    "peanuts"} was read letter by letter, each blamed on the "command line"."""
    if not isinstance(overrides, Mapping):
        problems.append(f"overrides must be a table of [household] keys, not {type(overrides).__name__}; e.g. "
                        "overrides={'days': 3}")  # fmt: skip
        return None
    label = "command line" if command_line else "overrides"
    found = len(problems)
    _check_override_keys(overrides, problems)
    given = {key: value for key, value in overrides.items() if value is not None and key in HOUSEHOLD_KEYS}
    checked = _check_settings(given, label, problems)
    if len(problems) > found:
        return None
    # None given, none checked: the check builds a stand-in member's request, for each household of a batch.
    if checked and not _check_household_values(checked, label, problems, in_keys=not command_line):
        return None
    return checked


def _check_override_keys(overrides: Mapping[str, Any], problems: list[str]) -> None:
    """Overrides (from the API: household_from_data, BatchSettings) take [household] keys;
    QA's {"dayz": 2} was kept in the settings and planned with the file's days."""
    for key in overrides:
        if key in HOUSEHOLD_KEYS:
            continue
        if key in MEMBER_KEYS:
            problems.append(f"overrides: {key!r} is a member's key; overrides take [household] keys (days, solver …)")
        else:
            # A settings key, not a food: no "run `mealplan foods`" (API QA).
            close = difflib.get_close_matches(str(key), HOUSEHOLD_KEYS, n=2)
            problems.append(f"overrides: unknown key {key!r}{key_hint(close, HOUSEHOLD_KEYS)}")


def _check_household_values(settings: Mapping[str, Any], label: str, problems: list[str], *,
                            in_keys: bool = True) -> bool:  # fmt: skip
    """Check the household's own values once (not once per member), on a stand-in member.
    Problems are said in the file's keys (see in_key_terms) unless not ``in_keys`` (the
    command line's values: --days is a flag of `mealplan household`)."""
    options = {**merge_options(settings, {}), "age": 30, "sex": "female"}
    try:
        request = build_request(options)
        if not (1 <= request.days <= MAX_DAYS):
            raise InputError(f"days {request.days} is out of range; give 1 to {MAX_DAYS}")
        # QA: max_days_per_food = 4 with days = 1 was blamed on every member, at planning.
        check_variety(request.variety, request.days)
        check_names(request, options)
    except (InputError, DataError) as exc:
        problems.append(f"{label}: {in_key_terms(str(exc)) if in_keys else exc}")
        return False
    return True


# The [household] keys that decide which foods there are: a member's names are not checked
# without them (a food of the household's own foods file would be "unknown").
CATALOG_KEYS = ("foods", "add_food")


def _usable_settings(settings: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """When the household's values have a problem (reported as the household's): those of its
    values that are fine together, to check the members' own values with, and whether they
    still decide the foods (CATALOG_KEYS), so that the members' names can be checked too. QA:
    a kcal_tolerance of 0.5 or days = 99 hid a member's age of 500, though the docs say each
    member's first problem is reported too (it was, for a value of the wrong type only)."""
    fine = {key: value for key, value in settings.items() if _check_household_values({key: value}, "", [])}
    if not _check_household_values(fine, "", []):  # fine alone, not together: check the members on their own
        fine = {key: value for key, value in settings.items() if key in ("name", "shared_meals")}
    return fine, all(key in fine for key in CATALOG_KEYS if key in settings)


def _member(
    raw: Mapping[str, Any], index: int, who: str, settings: Mapping[str, Any], problems: list[str],
    names_known: bool = True,
) -> HouseholdMember | None:  # fmt: skip
    """The member ``raw``, or None with their first problem added to ``problems``. Without
    ``names_known`` (the household's foods are not known: see _usable_settings) the member's
    values are checked but not their names."""
    own: dict[str, Any] = {}
    found = len(problems)
    for key, value in raw.items():
        norm = str(key).replace("-", "_")
        if norm in HOUSEHOLD_ONLY_KEYS or norm == "shared_meals":
            problems.append(f"{who}: key {key!r} applies to the whole household; move it to [household]")
            continue
        try:
            own.update(check_options({key: value}, who, known=MEMBER_KEYS))
        except InputError as exc:
            problems.append(str(exc))
    if (problem := energy_keys_problem(own, who)) is not None:
        problems.append(problem)
    name = own.get("name", f"member {index}")
    if (problem := _name_problem(name, who, "the member")) is not None:
        problems.append(problem)
    for key, example in (("age", "age = 34"), ("sex", 'sex = "female"')):
        if key not in own and key not in raw:
            problems.append(f"{who}: missing key {key!r}; add it, e.g. {example}")
    if len(problems) > found:
        return None
    own["name"] = name.strip()
    merged = merge_options(settings, own)
    try:
        request = build_request(merged)
        if names_known:
            check_names(request, merged)
    except (InputError, DataError) as exc:
        problems.append(f"{who}: {_household_wish_named(in_key_terms(str(exc)), settings, own)}")
        return None
    return HouseholdMember(own["name"], own, request) if names_known else None


_CONFLICT = re.compile(r"^(like|dislike|require|exclude|diet|max_servings) (.+?) conflicts with "
                       r"(like|dislike|require|exclude|diet|max_servings) (.+?):")  # fmt: skip


def _household_wish_named(text: str, settings: Mapping[str, Any], own: Mapping[str, Any]) -> str:
    """``text``, a member's conflict between two wishes, saying which of them [household] gives
    for everyone (QA: a [household] require of salmon and a vegan member read "member 'Vee':
    require salmon conflicts with diet vegan …; drop one of the two", though Vee's own table
    had no require)."""
    if (match := _CONFLICT.match(text)) is None:
        return text
    from_household = [f"{key} {name}" for key, name in (match.group(1, 2), match.group(3, 4))
                      if file_names(name) <= file_names(settings.get(key))
                      and not file_names(name) & file_names(own.get(key))]  # fmt: skip
    if not from_household:
        return text
    return (f"{text} ({listed(from_household)} {'is' if len(from_household) == 1 else 'are'} in [household], "
            "for every member: move it to the members it is for)")


def merged_by_member(lines: Iterable[str], names: Sequence[str]) -> tuple[str, ...]:
    """``lines`` with those that say the same for several members ("for Ann: …", "for Bob:
    …") said once for all of them ("for Ann and Bob: …"), where the first of them was; others
    as they were. QA: a vegan household of three read the B12 warning three times."""
    heads = sorted((f"for {name}: " for name in names), key=len, reverse=True)
    whose: dict[str, list[str]] = {}
    order: list[str] = []
    for line in dict.fromkeys(lines):
        head = next((h for h in heads if line.startswith(h)), None)
        text = line if head is None else line[len(head):]
        if head is None or text not in whose:
            order.append(line if head is None else text)
            if head is not None:
                whose[text] = []
        if head is not None:
            whose[text].append(head[len("for "):-len(": ")])
    return tuple(f"for {listed(whose[text])}: {text}" if text in whose else text for text in order)


def merge_options(household: Mapping[str, Any], member: Mapping[str, Any]) -> dict[str, Any]:
    """The member's options on top of the household's: lists add up, other keys override."""
    out = {k: v for k, v in household.items() if k not in ("name", "shared_meals")}
    for key, value in member.items():
        if key in ADDITIVE_KEYS and key in out:
            out[key] = _as_list(out[key]) + _as_list(value)
        else:
            out[key] = value
    return out


def _as_list(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [f"{k}={v}" for k, v in value.items()]
    return [str(v) for v in value]


# ----------------------------------------------------------------------- planning


def plan_household(
    household: Household,
    *,
    shared_meals: bool | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Plan ``household``: one week per member, or (``shared_meals``) one menu for all with
    per-member portions, solved as one model. ``shared_meals=None`` follows the file.

    Raises InputError, InfeasiblePlan (naming the member, or the household when the
    shared menu is impossible) or SolverError; never prints (``progress`` gets one line
    per step).
    """
    if not isinstance(household, Household):  # QA: a dict gave AttributeError
        raise InputError(f"household must be a Household (from load_household or household_from_data), "
                         f"not {type(household).__name__}")  # fmt: skip
    # API QA: shared_meals="no" planned shared meals, and progress=5 failed with a raw TypeError.
    if shared_meals is not None and not isinstance(shared_meals, bool):
        raise InputError(f"shared_meals must be True, False or None (as the file says), not {shared_meals!r}")
    if progress is not None and not callable(progress):
        raise InputError(f"progress must be a function that takes a line of text, or None, not {progress!r}")
    shared = household.shared_meals if shared_meals is None else shared_meals
    if shared:
        return _plan_shared(household, threads, progress)
    return _plan_separate(household, threads, progress)


def _solve_options(household: Household, threads: int | None) -> SolveOptions:
    """The household's solver options, with its seed: the request's `solver.seed` is the plan's
    seed, as for one person (QA: --seed 4 gave `request.seed` 4 and `request.solver.seed` 0).
    Each member's plan and the shared menu were solved with the seed already (plan_inputs,
    solve_spec), so no plan changes."""
    options = dataclasses.replace(household.solve_options, seed=household.members[0].request.seed)
    return options if threads is None else dataclasses.replace(options, threads=threads)


def _members_method(plans: Sequence[Plan]) -> str:
    """"member by member: <the members' methods>", ending in "(reused)" when every member's
    plan was one the process had found before for the same request (strategy.reusing), and
    in "(k of n members reused)" when some were (QA: one reused member marked the whole
    household "(reused)", though its seconds included the others' solves)."""
    reused = " (reused)"
    methods = sorted({p.method.removesuffix(reused) for p in plans})
    count = sum(p.method.endswith(reused) for p in plans)
    tail = "" if count == 0 else reused if count == len(plans) else f" ({count} of {len(plans)} members reused)"
    return "member by member: " + ", ".join(methods) + tail


def _request_record(household: Household, mode: str, options: SolveOptions) -> dict[str, Any]:
    first = household.members[0].request
    return {
        "household": household.name,
        "source": household.source,
        "mode": mode,
        "days": first.days,
        "weekly_average": first.weekly_average,
        "seed": first.seed,
        "solver": dataclasses.asdict(for_days(options, first.days)),
        "foods": given_or_default(first.foods).source,
        # The mode planned, whatever the file said (QA: --separate on a file with shared_meals =
        # true was recorded as shared_meals true, and --shared-meals not at all).
        "settings": {**household.settings, "shared_meals": mode == SHARED_MODE},
        "members": [{"name": m.name, "options": dict(m.options)} for m in household.members],
    }


def _plan_separate(household: Household, threads: int | None, progress: Progress | None) -> Plan:
    options = _solve_options(household, threads)
    shares = _budget_shares(household)

    built: dict[int, tuple[PlanInputs, BuiltSpec]] = {}

    def check(index: int, member: HouseholdMember) -> None:
        r = member.request
        inputs = plan_inputs(r.profile, days=r.days, foods=r.foods, balance=r.balance, variety=r.variety,
                             preferences=_member_preferences(member, shares[index]),
                             weekly_average=r.weekly_average, seed=r.seed, solve_options=options)  # fmt: skip
        built[index] = inputs, build_spec(inputs)

    _check_each_member(household, check)
    plans: list[Plan] = []
    # Members whose share of the budget is too small, with the least household budget that gives
    # each enough: the others are planned still, so that the advice suits them all (QA: "raise the
    # household's budget to 59" for Vera, then, at 59, "raise it to 66" for the next member).
    short: list[tuple[HouseholdMember, InfeasiblePlan, int]] = []
    stopped_at = ""  # a member after them whose plan failed for another reason
    for index, member in enumerate(household.members):
        if progress is not None:
            progress(f"planning {member.name} ({index + 1} of {len(household.members)})")
        try:
            # A liked food left out is told how to get in the file's keys, not in flags.
            plan = plan_from_inputs(*built[index], liked_said_for="file")
        except MealplanError as exc:
            if (need := _household_budget_need(household, member, exc)) is None or not isinstance(exc, InfeasiblePlan):
                if short:  # the budget's advice first, and this member named
                    stopped_at = member.name
                    break
                raise _members_error(household, member, exc) from None
            short.append((member, exc, need))
            if progress is not None and len(short) == 1 and index + 1 < len(household.members):
                progress(f"{member.name}'s share of the budget is too small; planning the others to find the budget "
                         "that suits every member")  # fmt: skip
            continue
        plans.append(plan)
    if short:
        first, error, _need = short[0]
        least = max(need for _m, _e, need in short)
        told = _members_error(household, first, error, least_budget=(least, [m.name for m, _e, _n in short[1:]]))
        if stopped_at:
            told = type(told)(f"{told} {stopped_at}'s plan failed too, for another reason: plan again with the larger "
                              "budget to see it.")  # fmt: skip
        raise told
    results = [p.solve for p in plans]
    objective = sum(r.objective or 0.0 for r in results)
    bounds = [r.bound for r in results]
    bound = None if any(b is None for b in bounds) else sum(b for b in bounds if b is not None)
    gap = None if bound is None else relative_gap(objective, bound)
    nodes = [r.nodes for r in results]
    # The household's status says what its gap says (the sums'); a member whose own plan is
    # not proven within the gap asked is named in the warnings (QA: "NOT proven within the gap
    # asked: gap 0.99%" with 2% asked, when one member was at 2.11%).
    asked = for_days(options, household.members[0].request.days)
    proven = gap is not None and gap <= asked_gap(asked) + 1e-12 and all(r.has_plan for r in results)
    unproven = [
        f"{member.name}'s plan is not proven within the gap asked ({asked_gap(asked) * 100:g}%): gap "
        + ("unknown" if r.gap is None else f"{r.gap * 100:.2f}%")
        for member, r in zip(household.members, results, strict=True)
        if r.status != "optimal"
    ]
    solve = SolveResult(
        status="optimal" if proven else "feasible",
        solver=options.solver, objective=objective, bound=bound, gap=gap,
        seconds=sum(r.seconds for r in results),
        nodes=None if any(n is None for n in nodes) else sum(n for n in nodes if n is not None),
        timed_out=any(r.timed_out for r in results),
    )  # fmt: skip
    # A member's age and nutrient notes, and a plan's overrun of the time limit (which each
    # member's plan gets: API QA saw "planning took 5.2 s" three times, naming no one), name
    # the member (their plan was made as one person's).
    # Review: a member's "--exclude coconut: …" and "--dislike …" notes named no one either.
    own = (CALCIUM_NOTE_START, IRON_NOTE_START, PROTEIN_NOTE_START, LOW_FAT_NOTE_START, HIGH_PROTEIN_NOTE_START,
           SOFT_CHEESE_NOTE_START, LISTERIA_NOTE_START, MERCURY_NOTE_START, FISH_NOTE_START, COCOA_CAFFEINE_NOTE_START,
           B12_NOTE_START, NO_ANIMAL_FOOD_NOTE_START, OVERRUN_START, LIKED_LEFT_OUT_START, LIKED_NOT_PLANNED_START,
           "--exclude ", "--dislike ")  # fmt: skip
    # Any other warning that not every member's plan has is that member's too (QA: a USDA
    # food added for the household and left out for a 6-year-old named no one).
    everyone = set.intersection(*(set(p.warnings) for p in plans))
    warnings = tuple(dict.fromkeys(
        w
        for member, p in zip(household.members, plans, strict=True)
        for w in p.warnings
        if w in everyone and w not in age_notes(member.request.profile) and not w.startswith(own)
    ))  # fmt: skip
    warnings += tuple(n for m in household.members for n in age_notes(m.request.profile, m.name))
    warnings += tuple(
        f"for {m.name}: {w}"
        for m, p in zip(household.members, plans, strict=True)
        for w in p.warnings
        if w.startswith(own) or (w not in everyone and w not in age_notes(m.request.profile))
    )
    names = [m.name for m in household.members]
    warnings = merged_by_member((*warnings, *unproven), names)
    # A member's plan's notes are its magnesium and sodium notes, made again naming them.
    notes = merged_by_member((n for m, p in zip(household.members, plans, strict=True)
                              for n in plan_notes(p.members[0], m.name)), names)  # fmt: skip
    if household.settings.get("budget") is not None and len(plans) > 1:
        notes += ("the budget is split between the members' separate plans in proportion to their calories",)
    costs, budgets = [p.cost for p in plans], [p.budget for p in plans]
    return Plan(
        members=tuple(p.members[0] for p in plans),
        solve=solve,
        method=_members_method(plans),
        request=_request_record(household, "separate plans", options),
        data_version=plans[0].data_version,
        weekly_average=plans[0].weekly_average,
        warnings=warnings,
        notes=notes,
        cost=_total(costs),
        budget=_total(budgets),
        excluded_as={name: words for p in plans for name, words in p.excluded_as.items()},
    )


def _member_preferences(member: HouseholdMember, share: float) -> Preferences:
    """The member's wishes, with their ``share`` of the household's budget when it has one."""
    prefs = member.request.preferences
    return prefs if prefs.budget is None else dataclasses.replace(prefs, budget=prefs.budget * share)


def _check_each_member(household: Household, check: Callable[[int, HouseholdMember], object]) -> None:
    """Run ``check`` on every member before anything is planned, and raise one InputError
    with each member's first problem (QA: a household with three members' problems took
    three runs to show them, the later ones only after the first member's plan)."""
    problems = []
    for index, member in enumerate(household.members):
        try:
            check(index, member)
        except InputError as exc:
            problems.append(str(_members_error(household, member, exc)))
    if problems:
        raise InputError("; ".join(problems))  # as the file's own checks join them


PLAN_SEPARATE = "plan separate meals (--separate, or shared_meals = false in the file)"


def _raise_for_a_member_without_a_day(household: Household, options: SolveOptions) -> None:
    """When no shared menu exists: the first member who has no plan of one day even alone
    (under their share of a budget), as separate plans would report them, with what to
    change. QA: the message advised separate plans, which then failed for the same member."""
    shares = _budget_shares(household)
    for index, member in enumerate(household.members):
        r = member.request
        prefs = _member_preferences(member, shares[index])
        try:  # seed 0, as before _solve_options carried the seed: whether a day exists is the same for any
            plan_week(r.profile, days=1, foods=r.foods, balance=r.balance, variety=r.variety, preferences=prefs,
                      solve_options=dataclasses.replace(options, seed=0))  # fmt: skip
        except InfeasiblePlan as exc:
            error = _members_error(household, member, exc)
            if not isinstance(error, InfeasiblePlan) or len(household.members) < 2:
                raise error from None
            # QA: the change offered (checked on the member's own day) was applied, and no
            # shared menu existed still: the others' wishes narrow the menu as well.
            text = str(error).rstrip(".")
            raise InfeasiblePlan(
                f"{text}. Such a change gives {member.name} a day of their own; a shared menu must suit the others "
                f"too, so it may need more: {PLAN_SEPARATE} if it does not", error.explanation,
            ) from None  # fmt: skip


def _shared_changes(household: Household, options: SolveOptions) -> str:
    """The single changes to one member's wishes (a protein floor, an exclusion, a diet) or
    to the household's exclusions with which a shared menu of one day exists, each checked by
    solving that day, each stopped by nodes (strategy.solve_spec's by_nodes) so that a busy
    machine gives the same changes, all within the explanation's budget of time
    (explain.EXPLAIN_TIMES × the time limit, at least EXPLAIN_MIN_S) as a safety net. QA: a
    pregnant vegan's protein floor ruled out the shared menu, and the message blamed the
    exclusions."""
    from .explain import EXPLAIN_MIN_S, EXPLAIN_SOLVER, EXPLAIN_TIMES, LOOSER_DIET

    deadline = time.perf_counter() + max(EXPLAIN_MIN_S, EXPLAIN_TIMES * options.time_limit_s)
    where = f" of {household.source}" if household.source else ""
    found: list[str] = []
    cut_short = False

    def changed(member: HouseholdMember | None, text: str, how: Callable[[HouseholdMember, Request], Request]) -> None:
        nonlocal cut_short
        left = deadline - time.perf_counter()
        if left < 1.0:
            cut_short = True
            return
        check = dataclasses.replace(options, solver=EXPLAIN_SOLVER, time_limit_s=left,
                                    gap=max(options.gap or 0, 0.05))  # fmt: skip
        members = tuple(dataclasses.replace(m, request=dataclasses.replace(
            how(m, m.request) if member is None or m is member else m.request, days=1, solve_options=check))
            for m in household.members)  # fmt: skip
        try:
            _plan_shared(dataclasses.replace(household, members=members), check.threads, None, explain=False)
        except InfeasiblePlan:
            return
        except MealplanError:
            cut_short = True  # no day found in the nodes or time given: neither a change nor a refutation
            return
        found.append(text)

    def dropped(name: str) -> Callable[[HouseholdMember, Request], Request]:
        def how(_m: HouseholdMember, r: Request) -> Request:
            exclude = tuple(n for n in r.preferences.exclude if n.strip().casefold() != name.strip().casefold())
            return dataclasses.replace(r, preferences=dataclasses.replace(r.preferences, exclude=exclude))

        return how

    def looser(diet: str) -> Callable[[HouseholdMember, Request], Request]:
        def how(_m: HouseholdMember, r: Request) -> Request:
            diets = tuple(d for d in (LOOSER_DIET.get(d) if d == diet else d for d in r.preferences.diets) if d)
            return dataclasses.replace(r, preferences=dataclasses.replace(r.preferences, diets=diets))

        return how

    def no_floor(m: HouseholdMember, r: Request) -> Request:
        return dataclasses.replace(r, balance=dataclasses.replace(r.balance, protein_g=None))

    own_floor = {m.name for m in household.members if m.options.get("protein") is not None}
    if household.settings.get("protein") is not None:  # for those without a floor of their own
        changed(None, f"no protein floor in [household] (remove protein from [household]{where})",
                lambda m, r: r if m.name in own_floor else no_floor(m, r))  # fmt: skip
    for m in household.members:
        if m.name in own_floor:
            changed(m, f"no protein floor for {m.name} (remove protein from member {m.name!r}{where})", no_floor)
    # A word in [household] and in a member's own list too (lists add up) is dropped from both,
    # and the change names both places (review: removing it from one did not plan).
    def places(key: str, name: str) -> str:
        own = [f"member {m.name!r}" for m in household.members if name in file_names(m.options.get(key))]
        return listed(["[household]", *own]) if name in file_names(household.settings.get(key)) else own[0]

    shared_exclude = file_names(household.settings.get("exclude"))
    for name in shared_exclude:
        changed(None, f"allow {name} for everyone (remove {name!r} from exclude in {places('exclude', name)}{where})",
                dropped(name))  # fmt: skip
    def diet_change(diet: str, whom: str, place: str) -> str:
        to = LOOSER_DIET.get(diet)
        change = f"change diet {diet!r} to {to!r}" if to else f"remove {diet!r} from diet"
        return f"{f'eat {to}' if to else f'drop {diet}'} for {whom} ({change} in {place}{where})"

    shared_diets = file_names(household.settings.get("diet"))
    for diet in shared_diets:
        changed(None, diet_change(diet, "everyone", places("diet", diet)), looser(diet))
    for m in household.members:
        for name in file_names(m.options.get("exclude")) - shared_exclude:
            changed(m, f"allow {name} for {m.name} (remove {name!r} from exclude in member {m.name!r}{where})",
                    dropped(name))  # fmt: skip
        for diet in file_names(m.options.get("diet")) - shared_diets:
            changed(m, diet_change(diet, m.name, f"member {m.name!r}"), looser(diet))
    if not found:
        # Only the wishes the file has (QA: a household without an exclusion was told to relax
        # one, where a member's required salmon was what no child's portion could share).
        def anywhere(key: str) -> bool:
            return any(file_names(o.get(key)) for o in (household.settings, *(m.options for m in household.members)))

        relax = [what for key, what in (("exclude", "exclusions"), ("diet", "diet")) if anywhere(key)]
        wishes = [f"relax a member's {' or '.join(relax)}"] if relax else []
        wishes += ["require fewer foods"] * anywhere("require")
        text = f"; {PLAN_SEPARATE}" + "".join(f", or {w}" for w in wishes)
    else:
        text = (". Any one of these changes gives a shared menu of one day (each checked by solving that day; a "
                f"longer menu can need more): {'; '.join(found)}. Or {PLAN_SEPARATE}")  # fmt: skip
    return text + ("; some changes were not checked in the time given" if cut_short else "") + "."


def _household_budget_need(household: Household, member: HouseholdMember, exc: MealplanError) -> int | None:
    """The least household budget, in whole units, whose share gives ``member`` the weekly
    money their explanation found enough (checked by solving), when separate plans split a
    budget and ``exc`` offers raising it; else None."""
    share = _budget_share(household, member)
    explanation = exc.explanation if isinstance(exc, InfeasiblePlan) else None
    if share is None or explanation is None:
        return None
    money = [r.value for r in explanation.relaxations if r.kind == "budget" and r.value is not None]
    return _budget_giving(money[0], share[0]) if money else None


def _budget_giving(money: float, fraction: float) -> int:
    """The least household budget, in whole units, whose ``fraction`` is ``money``."""
    return math.ceil(money / fraction - 1e-9)


# The least household budget that gives every member short of money enough, and the names of
# the others short of it (see _plan_separate).
LeastBudget = tuple[int, Sequence[str]]


def _members_error(household: Household, member: HouseholdMember, exc: MealplanError,
                   least_budget: LeastBudget | None = None) -> MealplanError:  # fmt: skip
    """``exc`` of one member's plan, naming the member; a bad input also names the file, as
    the file's other problems do, and a no-plan explanation's changes are said as changes to
    the file (see _in_file_terms); ``least_budget``, when other members are short of money too."""
    where = f"{household.source}: " if isinstance(exc, InputError) and household.source else ""
    if isinstance(exc, InfeasiblePlan):
        exc = _in_file_terms(exc, household, member, least_budget)
    text = str(exc)
    others = [] if least_budget is None else list(least_budget[1])
    explanation = exc.explanation if isinstance(exc, InfeasiblePlan) else None
    if others and explanation is not None and any(r.kind != "budget" for r in explanation.relaxations):
        one = len(others) == 1
        text += (f" The changes other than the budget's are for {member.name} alone: {listed(others)} "
                 f"{'has' if one else 'have'} no plan within {'their share' if one else 'their shares'} of "
                 "the budget either.")  # fmt: skip
    if isinstance(exc, SolverError) and (share := _budget_share(household, member)) is not None:
        # QA: "with --budget 15.75 a plan may not exist": the member's share, and no flag.
        text = re.sub(r"with --budget \S+ a plan may not exist, (.*): try a larger --budget, or raise --time-limit$",
                      lambda m: f"with {member.name}'s share of the budget, {_money(share[1])} a week, a plan may not "
                                f"exist, {m.group(1)}: try a larger budget, or raise time_limit, in [household]"
                                + (f" of {household.source}" if household.source else ""),
                      text)  # fmt: skip
    if isinstance(exc, InputError) and household.source:
        # An age rule's "drop --require coffee", said for the file the wish came from.
        text = re.sub(r"; drop --require (.+)$",
                      lambda m: f"; remove {m.group(1)} from require in {_required_in(household, member, m.group(1))} "
                                f"of {household.source}",
                      text)  # fmt: skip
    return type(exc)(f"{where}member {member.name!r}: {text}")


def _required_in(household: Household, member: HouseholdMember, typed: str) -> str:
    """Where the file requires ``typed`` for ``member``: "[household]", "member 'K'", or both
    (lists add up, so it must go from both). QA: a [household] require of coffee with an
    8-year-old member was blamed on the member, who had no require at all."""
    name = file_names(typed).pop()
    own = name in file_names(member.options.get("require"))
    if name not in file_names(household.settings.get("require")):
        return f"member {member.name!r}"
    return listed(["[household]", f"member {member.name!r}"]) if own else "[household]"


def _in_file_terms(exc: InfeasiblePlan, household: Household, member: HouseholdMember,
                   least_budget: LeastBudget | None = None) -> InfeasiblePlan:  # fmt: skip
    """``exc`` with each suggested change that the file gives said as a change to the file:
    "drop --exclude seeds" cannot be typed for a household file (QA), "remove 'seeds' from
    exclude in member 'T' of family.toml" can. Other changes (the command line's) stay."""
    path = household.source
    if not path:
        return exc
    share = _budget_share(household, member)

    def change(r: Relaxation) -> Relaxation:
        if share is not None and r.kind in ("budget", "calories") and r.value is not None:
            return _share_change(r, household, member, share, least_budget)
        names = subjects(r)
        places = [(f"member {member.name!r}", member.options), ("[household]", household.settings)]
        # Both places when both hold it: lists add up, so it must go from both (review).
        holding = [label for label, table in places
                   if r.kind in FILE_LIST_KEYS and all(n in file_names(table.get(r.kind)) for n in names)]  # fmt: skip
        if holding:
            return as_file_change(r, f"{listed(holding)} of {path}")
        if r.kind == "calories" and r.value is not None:
            return dataclasses.replace(r, option=f"calories = {r.value:g} in member {member.name!r} of {path}")
        # Neither `household` nor `batch` takes --no-macros, --budget … (QA: a batch was told to
        # give --no-macros): a member's balance switch, or the household's plan rule, in the file.
        if r.kind == "protein" and r.value is not None:  # the member's own, which overrides [household]'s
            return dataclasses.replace(r, option=f"protein = {r.value:g} in member {member.name!r} of {path}")
        if r.kind in BALANCE_KEYS:
            return dataclasses.replace(r, option=f"{r.kind} = false in member {member.name!r} of {path}")
        if (key := _RULE_KEYS.get(r.kind)) is not None and r.value is not None:
            return dataclasses.replace(r, option=f"{key} = {r.value:g} in [household] of {path}")
        return r

    def held(b: Binding) -> Binding:
        if share is None or b.kind != "budget":
            return b
        return dataclasses.replace(b, text=f"{member.name}'s share of the budget, {_money(share[1])} of "
                                           f"{_money(share[2])} a week (split by calories)")  # fmt: skip

    return restated(exc, change, held)


def _budget_share(household: Household, member: HouseholdMember) -> tuple[float, float, float] | None:
    """(fraction, money a week, the household's budget) of ``member``'s share of the
    household's budget, when separate plans split one between several members; else None."""
    budget = household.settings.get("budget")
    if budget is None or len(household.members) < 2:
        return None
    fraction = _budget_shares(household)[household.members.index(member)]
    return fraction, float(budget) * fraction, float(budget)


def _money(amount: float) -> str:
    """'13.75', '19' (QA: a share of a budget was printed as 12.3239)."""
    return f"{amount:,.2f}".removesuffix(".00")


def _share_change(r: Relaxation, household: Household, member: HouseholdMember, share: tuple[float, float, float],
                  least_budget: LeastBudget | None = None) -> Relaxation:  # fmt: skip
    """A change checked on ``member``'s own plan under their share of a split budget, said as
    the change to the household file that gives it (QA: "raise the budget to 19" was the
    member's share, and the household's budget at 19 gave them 10.45 and the same advice).
    The check solved the member's plan with the money ``r`` says (a budget) or their share
    as it was (calories), so the household's budget is what gives the member that much:
    their share is a fraction of it by calories, and lower calories make the fraction smaller."""
    path = household.source
    fraction, money, budget = share
    if r.kind == "budget":
        needed = _budget_giving(float(r.value or 0.0), fraction)
        least, others = least_budget or (needed, ())
        needed = max(needed, least)
        # With others short of money too, the budget that suits them all, each share found
        # enough by solving that member's plan (a larger share never makes a plan impossible).
        also = f" and {listed(list(others))} enough of theirs" if others else ""
        return dataclasses.replace(
            r, value=float(needed), option=f"budget = {needed} in [household] of {path}",
            text=f"raise the household's budget to {needed} a week, which gives {member.name} "
                 f"{_money(needed * fraction)} of it{also}",
        )  # fmt: skip
    calories = float(r.value or 0.0)
    kcal = _calorie_estimates(household)
    own = kcal[household.members.index(member)]
    smaller = calories / (sum(kcal) - own + calories)
    option = f"calories = {calories:g} in member {member.name!r} of {path}"
    needed = _budget_giving(money, smaller)
    if needed <= budget:
        return dataclasses.replace(r, option=option)
    return dataclasses.replace(
        r, option=f"{option}, and budget = {needed} in [household]",
        text=f"{r.text}, with the household's budget raised to {needed} a week so that {member.name}'s share of it, "
             f"smaller with fewer calories, stays {_money(money)}",
    )  # fmt: skip


# An explanation's kinds of change that are a household's plan rule, and their keys.
_RULE_KEYS = {"budget": "budget", "min_foods": "min_foods_per_day", "min_categories": "min_categories_per_day",
              "max_days_per_food": "max_days_per_food"}  # fmt: skip


def _total(amounts: Sequence[float | None]) -> float | None:
    """The household's sum of its members' amounts; None when one is unknown (a partial sum
    would understate it)."""
    return None if any(a is None for a in amounts) else sum(a for a in amounts if a is not None)


def _calorie_estimates(household: Household) -> list[float]:
    """Each member's calories a day, which split a budget between separate plans. The calorie
    estimate only: targets_for would also check each member's balance (a protein floor), whose
    problem the members' own checks report naming the member (review)."""
    return [energy_target(m.request.profile)[0] for m in household.members]


def _budget_shares(household: Household) -> list[float]:
    kcal = _calorie_estimates(household)
    total = sum(kcal)
    return [k / total for k in kcal]


@dataclass(frozen=True)
class _Eater:
    """A member as the shared model sees them."""

    name: str
    resolved: Resolved
    allowed: frozenset[str]


def _plan_shared(household: Household, threads: int | None, progress: Progress | None, *,
                 explain: bool = True) -> Plan:  # fmt: skip
    """The shared menu of ``household``; when there is none, an InfeasiblePlan that says why
    (or, without ``explain``, says only that: for the checks of _shared_changes)."""
    options = _solve_options(household, threads)
    if household.settings.get("solver") is None:  # the user named none: the shared menu's default
        options = dataclasses.replace(options, solver=SHARED_DEFAULT_SOLVER)
    first = household.members[0].request
    catalog = given_or_default(first.foods)
    days = first.days
    eaters: list[_Eater] = []
    targets = []
    warnings: list[str] = list(catalog.warnings)
    wishes: dict[int, tuple[Resolved, Targets]] = {}

    def check(index: int, member: HouseholdMember) -> None:
        wishes[index] = _member_wishes(member, catalog, days)

    _check_each_member(household, check)
    for index, member in enumerate(household.members):
        r = member.request
        resolved, t = wishes[index]
        usable, dropped = usable_foods(resolved.foods, t)
        notes = [f"for {member.name}: {w}" for w in
                 (*added_food_warnings(resolved, catalog), *required_days_notes(resolved, r.variety))]  # fmt: skip
        notes += [f"for {member.name}: {w}" for w in main_meal_notes(usable)]
        warnings += [*notes, *low_calorie_notes(r.profile, member.name), *dropped, *age_notes(r.profile, member.name)]
        targets.append(t)
        eaters.append(_Eater(member.name, resolved, frozenset(f.ndb_no for f in usable)))
    shared_ndb = frozenset().union(*(e.allowed for e in eaters))
    pool = tuple(f for f in catalog if f.ndb_no in shared_ndb)
    copies, swaps = _private_copies(pool, eaters)
    spec = ModelSpec(
        foods=pool + tuple(copies.values()),
        members=tuple(
            Member(e.name, t, e.allowed | {p for p, (_f, m) in swaps.items() if m == i})
            for i, (e, t) in enumerate(zip(eaters, targets, strict=True))
        ),
        days=days,
        variety=first.variety,
        weekly_average=first.weekly_average,
        preferences=_shared_weights(eaters, swaps),
        required=_merged(e.resolved.required for e in eaters),
        food_caps=_copied(_tightest(e.resolved.food_caps for e in eaters), swaps),
        category_caps=_tightest(e.resolved.category_caps for e in eaters),
        prices_per_100g=_copied(dict(eaters[0].resolved.prices_per_100g), swaps),
        # A budget is a week's money, pro rata for other plan lengths (as for one person).
        budget=None if eaters[0].resolved.budget is None else eaters[0].resolved.budget * days / BUDGET_DAYS,
        seed=first.seed,
        swaps=swaps,
    )
    if progress is not None:
        people = f"{len(eaters)} member{'s' if len(eaters) != 1 else ''}"
        progress(f"planning one shared menu for {people} over {days} day{'s' if days != 1 else ''}")
    # A check of _shared_changes (not ``explain``) stops by nodes, as an explanation's do.
    solution = solve_spec(spec, options) if explain else solve_spec(spec, options, by_nodes=True)
    if solution.result.status == "infeasible":
        if not explain:
            raise InfeasiblePlan(f"no shared menu for {household.name!r}")
        _raise_for_a_member_without_a_day(household, options)
        raise InfeasiblePlan(
            f"no shared menu lets every member of {household.name!r} meet their own magnesium, energy and "
            "balance targets with the foods they may eat, though each has a day of their own"
            + _shared_changes(household, options)
        )
    if solution.result.status == "no_solution":
        # QA: the family of four's one shared day had no plan from CBC in 10 s, where HiGHS proved
        # one optimal in 3.5 s (of five example households' shared days, HiGHS took 9.6 s in all,
        # CBC 27 s and one unproven; CBC was the faster on three).
        other = " (or try --solver highs, which finds some shared menus CBC does not)" * (options.solver == "cbc")
        raise SolverError(
            f"{options.solver} found no shared menu within the time limit of {options.time_limit_s:g} s; "
            f"raise --time-limit{other} or plan separate meals"
        )
    # A private copy is reported as the food it copies, so outputs and the shopping list
    # see one food under its real ndb_no.
    by_ndb = {f.ndb_no: f for f in pool}
    by_ndb.update({p: by_ndb[f] for p, (f, _m) in swaps.items()})
    members = tuple(
        MemberPlan(
            r.profile, t, items_from(solution.half_servings, by_ndb, i, days),
            swaps=describe_swaps(solution.half_servings, i, eaters[i], swaps, by_ndb, days),
        )
        for i, (r, t) in enumerate(zip((m.request for m in household.members), targets, strict=True))
    )  # fmt: skip
    names = [e.name for e in eaters]
    plan = Plan(
        members=members,
        solve=solution.result,
        method=f"shared menu, {solution.method}",
        request=_request_record(household, SHARED_MODE, options),
        data_version=f"{DATA_RELEASE}; foods {catalog.source} sha256:{catalog.version}",
        weekly_average=first.weekly_average and days > 1,
        warnings=merged_by_member([
            *warnings, *overrun_warning(solution.result, options, days), *timing_warning(solution.result, days > 1),
            *unpriced_warning((d for m in members for d in m.days), eaters[0].resolved.prices_per_100g),
            *solution.notes,
            *(f"for {e.name}: {note}" for e, m in zip(eaters, members, strict=True)
              for note in trace_notes(e.resolved.diets, (i.food for d in m.days for i in d.items))),
            *cross_contact_notes(eaters, members),
            *(n for e, m in zip(eaters, members, strict=True)
              for n in pregnancy_food_notes(m, e.name, in_member=e.name)),
            *(n for e, m in zip(eaters, members, strict=True)
              for n in caffeine_exclusion_notes(m, e.resolved, e.name, in_member=e.name)),
            *(n for e, m in zip(eaters, members, strict=True)
              for n in diet_notes(e.resolved.diets, e.name, (i.food for d in m.days for i in d.items),
                                  not_disliked((f for f in pool if f.ndb_no in e.allowed), e.resolved),
                                  in_member=e.name)),
            # QA: a member's liked salmon, absent from the shared menu, went unsaid.
            *(f"for {e.name}: {w}" for e, m in zip(eaters, members, strict=True)
              for w in liked_not_planned(e.resolved, (f for f in pool if f.ndb_no in e.allowed), m,
                                            said_for="shared menu")),
            *(n for e, m in zip(eaters, members, strict=True)
              for n in nutrient_notes(m, not_disliked((f for f in pool if f.ndb_no in e.allowed), e.resolved),
                                      e.name)),
        ], names),  # fmt: skip
        notes=merged_by_member((n for e, m in zip(eaters, members, strict=True) for n in plan_notes(m, e.name)),
                               names),  # fmt: skip
        # The model's budget row counts every member's portions, and so does the cost.
        cost=_total([plan_cost(m.days, eaters[0].resolved.prices_per_100g) for m in members]),
        budget=spec.budget,
        excluded_as={name: words for e in eaters for name, words in e.resolved.excluded_as.items()},
    )
    verify(plan, spec, solution.half_servings)
    return plan


def private_ndb(ndb_no: str, member: int) -> str:
    """The ndb_no of member ``member``'s private copy of a food."""
    return f"{ndb_no}_s{member}"


def _private_copies(
    pool: Sequence[Food], eaters: Sequence[_Eater]
) -> tuple[dict[str, Food], dict[str, tuple[str, int]]]:
    """Private copies of the foods a member may eat in place of a shared food they cannot,
    for each member who cannot eat some food of the shared pool."""
    copies: dict[str, Food] = {}
    swaps: dict[str, tuple[str, int]] = {}
    for m, eater in enumerate(eaters):
        missed = {f.category for f in pool if f.ndb_no not in eater.allowed}
        if not missed:
            continue
        stand_ins = frozenset().union(*(SUBSTITUTES.get(c, frozenset(CATEGORIES)) for c in missed))
        for food in pool:
            if food.ndb_no in eater.allowed and food.category in stand_ins:
                p = private_ndb(food.ndb_no, m)
                copies[p] = dataclasses.replace(food, ndb_no=p)
                swaps[p] = (food.ndb_no, m)
    return copies, swaps


def _shared_weights(eaters: Sequence[_Eater], swaps: Mapping[str, tuple[str, int]]) -> dict[str, float]:
    """A shared food's weight is the members' mean; a private copy has its member's, less SWAP_WEIGHT."""
    weights: dict[str, float] = {}
    for eater in eaters:
        for ndb, w in eater.resolved.weights.items():
            weights[ndb] = weights.get(ndb, 0.0) + w / len(eaters)
    for p, (f, m) in swaps.items():
        weights[p] = eaters[m].resolved.weights.get(f, 0.0) + SWAP_WEIGHT
    return {k: v for k, v in weights.items() if v}


def _merged(tables: Iterable[Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in tables:
        for key, value in table.items():
            out[key] = max(out.get(key, 0), value)
    return out


def _tightest(tables: Iterable[Mapping[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for table in tables:
        for key, value in table.items():
            out[key] = min(out.get(key, math.inf), value)
    return out


def _copied(table: Mapping[str, float], swaps: Mapping[str, tuple[str, int]]) -> dict[str, float]:
    out = dict(table)
    for p, (f, _m) in swaps.items():
        if f in table:
            out[p] = table[f]
    return out


def cross_contact_notes(eaters: Sequence[_Eater], members: Sequence[MemberPlan]) -> list[str]:
    """For each member who avoids an allergen or gluten (an exclusion, or the gluten-free or
    dairy-free diet, which people who react keep), the shared menu's foods that hold it or may
    hold it, which others eat at the same table (QA: a husband allergic to tree nuts got only a
    swap line for the almond butter on the menu): keep them apart, or exclude them for the
    whole household. A food added from USDA, whose allergens are not known, counts."""
    eaten: dict[str, set[int]] = {}
    foods: dict[str, Food] = {}
    for member in members:
        for day in member.days:
            for item in day.items:
                eaten.setdefault(item.food.ndb_no, set()).add(day.index)
                foods[item.food.ndb_no] = item.food
    notes = []
    for eater in eaters:
        avoided = _avoided(eater.resolved)
        held: dict[str, Food] = {}
        which: set[str] = set()
        for ndb_no, food in foods.items():
            found = {a for a in avoided if _may_hold(food, a)}
            if found:
                held[ndb_no] = food
                which |= found
        if not held:
            continue
        words = " or ".join(_AVOIDED_WORDS.get(a, a) for a in avoided if a in which)
        # Celiac disease is only about gluten (QA: a tree-nut note named it).
        condition = "an allergy or celiac disease" if "gluten" in which else "an allergy"
        listed = "; ".join(f"{food.name} ({_days_text(eaten[n])})" for n, food in sorted(held.items(),
                           key=lambda kv: (min(eaten[kv[0]]), kv[1].name)))  # fmt: skip
        notes.append(
            f"for {eater.name}: the shared menu has foods that hold or may hold {words}, which {eater.name} "
            f"avoids: {listed}. If that is {condition}, keep {eater.name}'s food apart from them "
            f"(their own jar, knife and board), or exclude {words.replace(' or ', ' and ')} for the whole household "
            "to keep them out of the kitchen"
        )
    return notes


# What cross_contact_notes says for each thing a member avoids.
_AVOIDED_WORDS = {**{a: a.replace("_", " ") for a in ALLERGENS}, "gluten": "gluten"}


def _avoided(resolved: Resolved) -> list[str]:
    """The allergens (ALLERGENS' names) and "gluten" a member avoids for their health: their
    excluded allergens, milk for the dairy-free diet, gluten for the gluten-free diet or an
    exclusion of gluten (or of barley or malt, which leave out what is not gluten-free)."""
    avoided = set(resolved.allergens)
    if "dairy-free" in resolved.diets:
        avoided.add("milk")
    gluten = "gluten-free" in resolved.diets or any(
        why.option.startswith("--exclude") and "gluten-free" in why.reason for why in resolved.excluded.values()
    )
    return [a for a in (*ALLERGENS, "gluten") if a in avoided or (a == "gluten" and gluten)]


def _may_hold(food: Food, avoided: str) -> bool:
    if not food.tags_known:
        return True
    if avoided == "gluten":
        return "gluten-free" not in food.diets
    return avoided in food.allergens or avoided in food.may_contain


def _days_text(days: Iterable[int]) -> str:
    """'day 3', 'days 1–4', 'days 1, 3, 5–7' for day indexes counted from 0."""
    ordered = sorted(days)
    runs: list[list[int]] = []
    for d in ordered:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [f"{r[0] + 1}" if len(r) == 1 else f"{r[0] + 1}–{r[-1] + 1}" for r in runs]
    return f"day {parts[0]}" if len(ordered) == 1 else f"days {', '.join(parts)}"


def _why_missed(eater: _Eater, ndb_no: str) -> str:
    exclusion = eater.resolved.excluded.get(ndb_no)
    # "exclude beverages", not "--exclude beverages": a household's wishes come from its file.
    if exclusion is None:
        return "no USDA value for a target"
    return f"{exclusion.option.removeprefix('--')}: {exclusion.reason}"


def describe_swaps(
    half_servings: Mapping[tuple[int, int, str, str], int],
    member: int,
    eater: _Eater,
    swaps: Mapping[str, tuple[str, int]],
    foods: Mapping[str, Food],
    days: int,
) -> tuple[Swap, ...]:
    """Each meal where the member does not eat the whole shared menu: the menu foods they may
    not eat, and their private copies' foods in that meal (see Swap)."""
    menu: dict[tuple[int, str], set[str]] = {}
    own: dict[tuple[int, str], set[str]] = {}
    for (m, d, s, f), n in half_servings.items():
        if n <= 0:
            continue
        if f in swaps:
            if m == member:
                own.setdefault((d, s), set()).add(swaps[f][0])
        else:
            menu.setdefault((d, s), set()).add(f)
    found = []
    for d in range(days):
        for slot in SLOTS:
            missed = sorted(f for f in menu.get((d, slot), set()) if f not in eater.allowed)
            if not missed:
                continue
            has = sorted(own.get((d, slot), set()), key=lambda f: foods[f].name)
            reasons = tuple(sorted({_why_missed(eater, f) for f in missed}))
            found.append(Swap(d, slot, tuple(foods[f] for f in missed), tuple(foods[f] for f in has), reasons))
    return tuple(found)

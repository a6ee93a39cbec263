"""The inputs a plan was asked with, in words: the "Asked with:" of the table, Markdown and HTML.

Read from ``Plan.request``, the record the JSON prints as ``request``, so the printed plan and
the JSON say the same, and a reader of a printed plan can ask for it again (QA, an auditor: a
plan asked with --seed 3 --min-foods 8 --max-days-per-food 1 said none of them outside JSON).
Every value the command line or a file can set is said, defaults too (a default may change
between versions); a value only the Python API sets (days alike back to back) is said when it
is not the default.

A person's and a top-up's record hold typed sub-records (``balance``, ``variety``,
``preferences``); a household's holds its file's keys as given (``settings`` and each member's
``options``), which are read the way options.build_request reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import listed
from ..plan import Plan
from ..preferences import DISLIKE_WEIGHT
from ..targets import Balance, profile_record
from .common import excluded_words, member_name, texts_of

# The balance switches, as a plan's record names them, in words.
BALANCE_RULES = (("macros", "macronutrient ranges"), ("fiber", "fiber target"), ("sodium", "sodium limit"),
                 ("upper_limits", "upper limits"))  # fmt: skip
# A household file's keys for a member's balance, with the record's names of the same.
_BALANCE_KEYS = {"kcal_tolerance": "kcal_tolerance", "protein": "protein_g",
                 **{key: key for key, _ in BALANCE_RULES}}  # fmt: skip
# Label of the household's own wishes, which every member keeps besides their own.
WHOLE_HOUSEHOLD = "whole household"


@dataclass(frozen=True)
class AskedWith:
    """``text``: the plan's inputs; ``parts``: (who, their inputs) for a household, whose
    wishes and balance are the household's and each member's."""

    text: str
    parts: tuple[tuple[str, str], ...] = ()

    def lines(self, indent: str = "  ") -> list[str]:
        """'Asked with: …', then '  Ana: …' for each part."""
        return [f"Asked with: {self.text}", *(f"{indent}{who}: {text}" for who, text in self.parts)]


def asked_with(plan: Plan) -> AskedWith | None:
    """What ``plan`` was asked with (see the module docstring); None for a plan without a
    request record (one made by hand through the API)."""
    request = plan.request
    if not request:
        return None
    if "members" in request:
        return _household(plan, request)
    days = _int(request.get("days"), plan.days)
    topup = request.get("mode") == "topup"
    # The person as the plan's record says them (targets.profile_record: no activity where it
    # had no part), not the request, which echoes the options as given.
    profile = profile_record(plan.members[0].profile) if plan.members else request.get("profile") or {}
    # The name heads the plan and is part of the request (fresh-eyes QA: --name was only in the title).
    parts = [("" if not profile.get("name") else f"{profile['name']}, ") + _person(profile, topup=topup)]
    if topup:
        parts.append(f"usual intake {_number(request.get('current_intake_mg'))} mg of magnesium a day, adding at most "
                     f"{_number(request.get('kcal_budget'))} kcal a day")  # fmt: skip
    parts += [_length(request, days, topup=topup), _solver(request.get("solver") or {})]
    parts.append(_variety(request.get("variety") or {}, days, topup=topup))
    if not topup:  # a top-up has no balance rule (TOPUP_NOTE), whatever its record holds
        parts += _balance(request.get("balance") or {})
    parts += _wishes(request.get("preferences") or {}, plan.excluded_as)
    parts.append(_foods(request.get("foods")))
    return AskedWith("; ".join(p for p in parts if p))


def _household(plan: Plan, request: Mapping[str, Any]) -> AskedWith:
    settings: Mapping[str, Any] = request.get("settings") or {}
    members: Sequence[Mapping[str, Any]] = request.get("members") or []
    days = _int(request.get("days"), plan.days)
    variety = {key: settings[key] for key in ("max_days_per_food", "min_foods_per_day", "min_categories_per_day")
               if key in settings}  # fmt: skip
    head = [str(request.get("mode") or ""), _length(request, days), _solver(request.get("solver") or {}),
            _variety(variety, days)]  # fmt: skip
    # A member's balance is the household's with their own keys over it: said once when all agree.
    balances = [_balance(_balance_record({**settings, **(m.get("options") or {})})) for m in members]
    shared = bool(balances) and all(b == balances[0] for b in balances)
    if shared:
        head += balances[0]
    head += [_foods(request.get("foods")), _added_foods(settings.get("add_food"))]
    parts = []
    if household_wishes := _wishes(_preferences_record(settings), plan.excluded_as):
        parts.append((WHOLE_HOUSEHOLD, "; ".join(household_wishes)))
    for index, member in enumerate(plan.members):
        options: Mapping[str, Any] = members[index].get("options") or {} if index < len(members) else {}
        own = [_person(profile_record(member.profile))]
        if not shared and index < len(balances):
            own += balances[index]
        own += _wishes(_preferences_record(options), plan.excluded_as)
        parts.append((member_name(member), "; ".join(p for p in own if p)))
    return AskedWith("; ".join(p for p in head if p), tuple(parts))


def _person(profile: Mapping[str, Any], *, topup: bool = False) -> str:
    """'34-year-old female, moderate activity'; a top-up's energy is its own allowance, so its
    person is their life stage alone."""
    if "age" not in profile or "sex" not in profile:
        return ""
    parts = [f"{_number(profile['age'])}-year-old {profile['sex']}"]
    if profile.get("pregnant"):
        trimester = profile.get("trimester")
        parts.append("pregnant" + ("" if trimester is None else f" (trimester {trimester})"))
    if profile.get("lactating"):
        parts.append("breastfeeding")
    if not topup:
        calories = profile.get("calories")
        activity = profile.get("activity")
        # DGA's levels are sedentary, moderately active and active (QA: "active activity"). No
        # activity is said where it had no part (targets.profile_record; QA: a 2-year-old's).
        if calories is not None:
            parts.append(f"{_number(calories)} kcal a day")
        elif activity is not None:
            parts.append("moderate activity" if activity == "moderate" else activity)
    return ", ".join(parts)


def _length(request: Mapping[str, Any], days: int, *, topup: bool = False) -> str:
    """'2 days, magnesium every day, seed 3'. A day's average is that day: one day says no rule
    (QA: a day asked with --weekly-average read "met on average over the days")."""
    span = "1 day" if days == 1 else f"{days} days"
    how = "" if topup or days == 1 else (", magnesium on average over the days" if request.get("weekly_average")
                                         else ", magnesium every day")  # fmt: skip
    return f"{span}{how}, seed {request.get('seed', 0)}"


def _solver(solver: Mapping[str, Any]) -> str:
    """'solver cbc, gap 5%, time limit 20 s' (the gap solved to: the record holds the default
    that applied, not None)."""
    if not solver:
        return ""
    parts = [f"solver {solver.get('solver')}"]
    if (gap := solver.get("gap")) is not None:
        parts.append(f"gap {_percent(gap)}")
    if (limit := solver.get("time_limit_s")) is not None:
        parts.append(f"time limit {_number(limit)} s")
    if (threads := solver.get("threads")) is not None:
        parts.append(f"{threads} threads")
    return ", ".join(parts)


def _variety(variety: Mapping[str, Any], days: int, *, topup: bool = False) -> str:
    """'at least 8 foods and 4 categories a day, a food on at most 1 day'. Defaults are the
    model's: a food's days then depend on the plan's length, so the number is said."""
    from ..model import Variety

    defaults = Variety()
    parts = []
    if not topup:  # a top-up adds a few foods: it has no minimum of foods or categories
        foods = _int(variety.get("min_foods_per_day"), defaults.min_foods_per_day)
        categories = _int(variety.get("min_categories_per_day"), defaults.min_categories_per_day)
        parts.append(f"at least {foods} foods and {categories} categories a day")
    most = variety.get("max_days_per_food")
    if most is not None and days > 1:  # QA: a 1-day top-up was "a food on at most 1 day"
        parts.append(f"a food on at most {_days(int(most))}")
    elif days > 1:
        rule = Variety()
        if (window := rule.days_in_window(days)) is not None:
            parts.append(f"a food on at most {_days(window)} in any 7 (the default)")
        else:
            parts.append(f"a food on at most {_days(rule.days_per_food(days))} (the default)")
    if variety.get("distinct_consecutive_days") is False and days > 1:
        parts.append("the same day may come twice in a row")
    return ", ".join(parts)


def _balance(balance: Mapping[str, Any]) -> list[str]:
    """['energy ±10%', 'macronutrient ranges, sodium limit and upper limits on', 'fiber target off']."""
    defaults = Balance()
    parts = [f"energy ±{_percent(balance.get('kcal_tolerance', defaults.kcal_tolerance))}"]
    if (protein := balance.get("protein_g")) is not None:
        parts.append(f"protein ≥ {_number(protein)} g a day")
    on = [words for key, words in BALANCE_RULES if balance.get(key, True)]
    off = [words for key, words in BALANCE_RULES if not balance.get(key, True)]
    if on:
        parts.append(f"{listed(on)} on")
    if off:
        parts.append(f"{listed(off)} off")
    return parts


def _balance_record(options: Mapping[str, Any]) -> dict[str, Any]:
    """A household's or member's balance keys as a plan's ``balance`` record."""
    return {record: options[key] for key, record in _BALANCE_KEYS.items() if key in options}


def _preferences_record(options: Mapping[str, Any]) -> dict[str, Any]:
    """A household's or member's wish keys as given (``diet = "vegan"``, ``like = ["oats",
    "nuts=2"]``, ``max_servings = {nuts = 1}``) as a plan's ``preferences`` record."""
    return {
        "diets": texts_of(options.get("diet")),
        "exclude": texts_of(options.get("exclude")),
        "require": _pairs(options.get("require"), None),
        "like": _pairs(options.get("like"), 1.0),
        "dislike": _pairs(options.get("dislike"), DISLIKE_WEIGHT),
        "max_servings": _pairs(options.get("max_servings"), None),
        "prices": options.get("prices"),
        "budget": options.get("budget"),
    }


def _wishes(prefs: Mapping[str, Any], excluded_as: Mapping[str, tuple[str, ...]]) -> list[str]:
    """['diet vegan', 'excluding peanuts', 'requiring oats every day', …]: what was asked, as
    the user named it, but exclusions by what they were taken as (``excluded_as``: the plan's)."""
    parts = []
    if diets := texts_of(prefs.get("diets")):
        parts.append(f"diet{'s' if len(diets) > 1 else ''} {', '.join(diets)}")
    if excluded := texts_of(prefs.get("exclude")):
        parts.append(f"excluding {excluded_words(excluded, excluded_as)}")
    if required := prefs.get("require"):
        parts.append("requiring " + ", ".join(f"{name} every day" if days is None
                                              else f"{name} on {_days(int(days))} a week"
                                              for name, days in required.items()))  # fmt: skip
    for key, verb in (("like", "liking"), ("dislike", "disliking")):
        if weights := prefs.get(key):
            parts.append(f"{verb} " + ", ".join(f"{name} (weight {_number(w)})" for name, w in weights.items()))
    if caps := prefs.get("max_servings"):
        parts.append("at most " + ", ".join(f"{_number(n)} serving{'' if n == 1 else 's'} a day of {name}"
                                            for name, n in caps.items()))  # fmt: skip
    if prices := prefs.get("prices_per_100g"):
        parts.append(f"prices given for {len(prices)} food{'' if len(prices) == 1 else 's'}")
    elif prefs.get("prices"):
        parts.append(f"prices from {prefs['prices']}")
    if (budget := prefs.get("budget")) is not None:
        parts.append(f"budget {float(budget):,.2f} a week")
    return parts


def _foods(source: object) -> str:
    """The foods planned from, unless the default pool (the Data line names it anyway)."""
    return "" if source in (None, "default pool") else f"foods from {source}"


def _added_foods(value: object) -> str:
    added = texts_of(value)
    return f"adding USDA food{'s' if len(added) > 1 else ''} {', '.join(added)}" if added else ""


def _pairs(value: object, default: float | None) -> dict[str, Any]:
    """{'oats': default, 'nuts': 2.0} from ['oats', 'nuts=2'] or {'nuts': 2}, as the file gave them."""
    if isinstance(value, Mapping):
        return dict(value)
    out: dict[str, Any] = {}
    for text in texts_of(value):
        name, sep, number = text.rpartition("=")
        if not sep:
            out[text.strip()] = default
            continue
        try:
            out[name.strip()] = float(number)
        except ValueError:  # checked when the file was read; said as given all the same
            out[text.strip()] = default
    return out


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _number(value: object) -> str:
    """1900.0 → '1,900', 0.5 → '0.5'."""
    return f"{value:,g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _percent(fraction: object) -> str:
    """0.05 → '5%', 0.001 → '0.1%'."""
    if not isinstance(fraction, (int, float)):
        return str(fraction)
    return f"{round(fraction * 100, 6):g}%"


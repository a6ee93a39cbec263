"""Daily targets for one person: magnesium, energy and balance.

Sources (numbers live in the shipped tables or beside the constant that uses them):

* Magnesium RDA/AI: Food and Nutrition Board, Institute of Medicine (1997), Dietary Reference
  Intakes for Calcium, Phosphorus, Magnesium, Vitamin D, and Fluoride, doi:10.17226/5776
  (``data/magnesium_dri.csv``). Its upper levels (65 mg at 1–3 y, 110 mg at 4–8 y, 350 mg
  from 9 y) are for supplements only and are never applied to food.
* Energy: Dietary Guidelines for Americans 2020–2025, Appendix 2, Estimated Calorie Needs per
  Day, by Age, Sex, and Physical Activity Level (``data/energy_dga2020.csv``).
* Macronutrient ranges (AMDR) and fiber (14 g per 1,000 kcal): IOM (2005), Dietary Reference
  Intakes for Energy, Carbohydrate, Fiber, Fat, Fatty Acids, Cholesterol, Protein, and Amino Acids.
* Sodium: Chronic Disease Risk Reduction intake, NASEM (2019), Dietary Reference Intakes for
  Sodium and Potassium.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .errors import InputError, is_number, is_whole, unprintable
from .frozen import FrozenDict
from .nutrients import KCAL_PER_G
from .resources import data_file

SEXES = ("female", "male")
ACTIVITIES = ("sedentary", "moderate", "active")
DEFAULT_ACTIVITY = "moderate"
MIN_AGE_Y, MAX_AGE_Y = 1, 120
MIN_KCAL, MAX_KCAL = 800.0, 6000.0

MAGNESIUM_SOURCE = "FNB/IOM 1997 Dietary Reference Intakes, doi:10.17226/5776"
ENERGY_SOURCE = "Dietary Guidelines for Americans 2020–2025, Appendix 2"
AMDR_SOURCE = "IOM 2005 Acceptable Macronutrient Distribution Ranges"
FIBER_SOURCE = "IOM 2005 Adequate Intake basis, 14 g per 1,000 kcal"
SODIUM_SOURCE = "NASEM 2019 Chronic Disease Risk Reduction intake"
UPPER_LIMITS_SOURCE = (
    "Tolerable Upper Intake Levels, which count food: calcium IOM 2011, phosphorus IOM 1997, iron and zinc IOM 2001"
)
# Minerals mealplan tracks whose UL counts food as well as supplements (data/upper_limits.md):
# not magnesium (its UL is for supplements only) nor sodium (kept under its lower CDRR).
UPPER_LIMIT_NUTRIENTS: tuple[str, ...] = ("calcium_mg", "iron_mg", "phosphorus_mg", "zinc_mg")
# A day that reaches this share of an upper level is near it: the day lines show the mineral
# beside the day's totals (report.common.near_limits), and the plan's supplement note names it
# (planner.supplement_notes), so that the note and the days it speaks of name the same minerals.
# A day at 90% leaves a tenth of the upper level, which any supplement holding the mineral
# would use up or pass; further below, the note would be on most plans and tell the reader little.
NEAR_UPPER_LIMIT = 0.9

FIBER_G_PER_1000_KCAL = 14.0

# Extra energy in pregnancy (by trimester) and lactation (first 6 months): DGA 2020–2025,
# Appendix 2, Table A2-3; see data/energy_dga2020.md.
PREGNANCY_EXTRA_KCAL = {1: 0.0, 2: 340.0, 3: 452.0}
LACTATION_EXTRA_KCAL = 330.0
LACTATION_LATER_EXTRA_KCAL = 400.0  # the second 6 months (not planned by default; see energy_target)
# Toddlers (12–23 months) are not in Table A2-2; Table A2-1 gives their needs by month and
# sex (data/energy_toddlers_dga2020.csv, transcribed in data/energy_dga2020.md).


@dataclass(frozen=True)
class Range:
    """An inclusive range ``low ≤ value ≤ high``."""

    low: float
    high: float


def _check_switches(owner: object, keys: tuple[str, ...]) -> None:
    """Each of the flags ``keys`` of the frozen dataclass ``owner`` is True or False: numpy's
    booleans are taken (as bool), anything else raises InputError, as a text such as "false"
    would count as true and 0 or None as false."""
    for key in keys:
        value = getattr(owner, key)
        if isinstance(value, bool):
            continue
        if not (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")):
            raise InputError(f"{key} {value!r} is not true or false; give {key}=True or {key}=False")
        object.__setattr__(owner, key, bool(value))


# Most characters of a person's name (it is printed in the plan's title line).
MAX_NAME_CHARS = 80
_EXAMPLES = {"sex": "female", "activity": "moderate", "name": "Ana"}


def energy_keys_problem(options: Mapping[str, Any], label: str, *, command_line: bool = False) -> str | None:
    """What is wrong when ``options`` give both calories and an activity level: the level is
    only for the calorie estimate, which calories replace (QA: --calories 1800 --activity
    active planned 1,800 kcal and said nothing of the activity)."""
    if "calories" not in options or "activity" not in options:
        return None
    if command_line:
        return ("--calories and --activity: the activity level is only for the calorie estimate, which --calories "
                "replaces; drop one of the two")  # fmt: skip
    return (f"{label}: keys 'calories' and 'activity': the activity level is only for the calorie estimate, which "
            "calories replaces; drop one of the two")  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """Who the plan is for. Validated on construction; bad values raise InputError."""

    age: float
    sex: str
    pregnant: bool = False
    lactating: bool = False
    calories: float | None = None
    activity: str = DEFAULT_ACTIVITY
    trimester: int | None = None
    name: str = ""

    def _check_name(self) -> None:
        """A name goes into the plan's title and file contents: one short line of text."""
        if len(self.name) > MAX_NAME_CHARS:
            raise InputError(f"name is {len(self.name):,} characters long; give at most {MAX_NAME_CHARS}")
        if (bad := unprintable(self.name)) is not None:
            raise InputError(f"name {self.name[:40]!r} holds a line break or control character ({bad}); give one "
                             "plain line")  # fmt: skip
        if self.name and not self.name.strip():
            raise InputError("name is blank; give a name, or leave it out")

    def _check_types(self) -> None:
        """Values of the wrong type (from the Python API: a numpy number, the text "no" for
        a flag) are taken when they mean a number or a flag, and refused otherwise."""
        for key in ("age", "calories"):
            value = getattr(self, key)
            if value is None and key == "calories":
                continue
            if not is_number(value):
                example = "give years, e.g. --age 34" if key == "age" else "give kcal a day, e.g. --calories 2000"
                raise InputError(f"{key} {value!r} is not a number; {example}")
            kind: object = type(value)
            if kind is not int and kind is not float:  # numpy and other real numbers
                object.__setattr__(self, key, int(float(value)) if is_whole(value) else float(value))
        _check_switches(self, ("pregnant", "lactating"))
        for key in ("sex", "activity", "name"):
            if not isinstance(getattr(self, key), str):
                raise InputError(f"{key} {getattr(self, key)!r} is not text; give e.g. {key}={_EXAMPLES[key]!r}")
        if self.trimester is not None and not is_whole(self.trimester):
            raise InputError(f"trimester {self.trimester!r} is not 1, 2 or 3; give --trimester 1, 2 or 3")

    def __post_init__(self) -> None:
        self._check_types()
        if not math.isfinite(self.age):
            raise InputError(f"age {self.age!r} is not a number; give years, e.g. --age 34")
        if self.age < 0 or self.age > MAX_AGE_Y:
            raise InputError(f"age {self.age:g} is out of range; give an age from {MIN_AGE_Y} to {MAX_AGE_Y}")
        if self.age < MIN_AGE_Y:
            raise InputError(
                f"age {self.age:g} is under 1 year: infants get their magnesium (AI 30–75 mg) from "
                "breast milk or formula, not a meal plan; ask a pediatrician"
            )
        if self.sex not in SEXES:
            close = difflib.get_close_matches(self.sex.strip().lower(), SEXES, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""  # QA: "femail"
            raise InputError(f"sex {self.sex!r} is not one of: female, male{hint}")
        self._check_name()
        if self.activity not in ACTIVITIES:
            raise InputError(f"activity {self.activity!r} is not one of: {', '.join(ACTIVITIES)}")
        # An activity other than the default is one given (API QA: calories=2000,
        # activity="active" was taken and the activity ignored, where files refuse both).
        if self.calories is not None and self.activity != DEFAULT_ACTIVITY and (
            problem := energy_keys_problem({"calories": self.calories, "activity": self.activity}, "Profile")
        ):
            raise InputError(problem)
        if self.calories is not None:
            if not math.isfinite(self.calories) or not (MIN_KCAL <= self.calories <= MAX_KCAL):
                raise InputError(
                    f"calories {self.calories:g} are out of range; give {MIN_KCAL:.0f} to {MAX_KCAL:.0f} kcal a day"
                )
        if self.pregnant and self.lactating:
            raise InputError("pregnant and lactating at once is not supported; choose one of --pregnant, --lactating")
        if (self.pregnant or self.lactating) and self.sex != "female":
            which = "pregnant" if self.pregnant else "lactating"
            raise InputError(f"--{which} applies to sex female only; drop --{which} or use --sex female")
        stage = "pregnancy" if self.pregnant else "lactation"
        if (self.pregnant or self.lactating) and not (14 <= self.age < 51):
            flag = "pregnant" if self.pregnant else "lactating"  # QA: the message named no way out at 78
            raise InputError(
                f"--{flag} is for ages 14–50: no magnesium RDA is published for {stage} at age {self.age:g} "
                f"(FNB 1997 covers 14–50 y); drop --{flag}, or ask a clinician for a target"
            )
        if self.trimester is not None:
            if not self.pregnant:
                raise InputError("--trimester applies to pregnancy only; add --pregnant or drop --trimester")
            if self.trimester not in PREGNANCY_EXTRA_KCAL:
                raise InputError(f"trimester {self.trimester} is not 1, 2 or 3; give --trimester 1, 2 or 3")

    @property
    def life_stage(self) -> str:
        if self.pregnant:
            return "pregnancy"
        if self.lactating:
            return "lactation"
        return "child" if self.age < 14 else ("adolescent" if self.age < 19 else "adult")

    def describe(self) -> str:
        state = ", pregnant" if self.pregnant else (", breastfeeding" if self.lactating else "")
        who = f"{self.name}: " if self.name else ""
        return f"{who}{self.age:g}-year-old {self.sex}{state}"


# Grams of protein a day --protein takes: from a toddler's RDA (13 g, IOM 2005) to more than
# 35 % of the most energy a plan may have (6,000 kcal: 525 g), which the AMDR check refuses.
MIN_PROTEIN_G = 10.0
MAX_PROTEIN_G = 600.0
# Protein RDA in pregnancy and lactation, 71 g a day at every age (IOM 2005, Dietary Reference
# Intakes for Energy, Carbohydrate, Fiber, Fat, Fatty Acids, Cholesterol, Protein, and Amino
# Acids, doi 10.17226/10490): a plan says when its days fall short of it (see protein_floor).
PREGNANCY_PROTEIN_RDA_G = 71.0
PROTEIN_SOURCE = "IOM 2005"


@dataclass(frozen=True)
class Balance:
    """Which balance constraints apply, and the energy window. All on by default."""

    macros: bool = True
    fiber: bool = True
    sodium: bool = True
    upper_limits: bool = True
    kcal_tolerance: float = 0.05
    # Grams of protein a day at least (None: none beyond the AMDR share; see protein_floor).
    # QA: an athlete's 1.6 g/kg could not be asked for.
    protein_g: float | None = None

    def __post_init__(self) -> None:
        # API QA: macros="false" kept the macronutrient ranges on, and sodium=None switched
        # the sodium limit off.
        _check_switches(self, ("macros", "fiber", "sodium", "upper_limits"))
        if not is_number(self.kcal_tolerance):  # API QA: "0.1" gave a raw TypeError
            raise InputError(f"calorie tolerance {self.kcal_tolerance!r} is not a number; give e.g. "
                             "kcal_tolerance=0.05")  # fmt: skip
        tolerance = float(self.kcal_tolerance)
        if not (0.01 <= tolerance <= 0.25):
            raise InputError(f"calorie tolerance {tolerance:g} is out of range; give 0.01 to 0.25 (1–25%)")
        if self.protein_g is not None:
            if not is_number(self.protein_g) or not math.isfinite(float(self.protein_g)):
                raise InputError(f"protein {self.protein_g!r} is not a number; give grams a day, e.g. --protein 110")
            grams = float(self.protein_g)
            if not (MIN_PROTEIN_G <= grams <= MAX_PROTEIN_G):
                raise InputError(f"protein {grams:g} g is out of range; give {MIN_PROTEIN_G:g} to "
                                 f"{MAX_PROTEIN_G:g} g a day")  # fmt: skip
            object.__setattr__(self, "protein_g", grams)


@dataclass(frozen=True)
class Targets:
    """Daily targets. Percent ranges are shares of the day's energy (0–1)."""

    magnesium_mg: float
    magnesium_basis: str
    kcal: float
    kcal_basis: str
    kcal_tolerance: float
    protein_pct: Range | None
    fat_pct: Range | None
    carbohydrate_pct: Range | None
    fiber_g_per_1000kcal: float | None
    sodium_max_mg: float | None
    sources: tuple[str, ...] = field(default=())
    kcal_window: Range | None = None  # replaces kcal ± tolerance (a top-up: 0 to its budget)
    # Most servings of caffeinated drinks a day (None: no cap; see caffeine_limit).
    caffeinated_servings_max: float | None = None
    caffeine_basis: str = ""
    # Share of an adult's portions (per food and meal, a day) a young child may be planned;
    # see portion_scale.
    portion_scale: float = 1.0
    # Most mg a day of each UPPER_LIMIT_NUTRIENTS (see upper_limits); empty when switched off.
    upper_limits_mg: Mapping[str, float] = field(default_factory=dict)
    # Grams of protein a day at least, and why (see protein_floor); None: no floor in grams.
    protein_min_g: float | None = None
    protein_basis: str = ""

    def __post_init__(self) -> None:
        # Read-only, as a plan's checks read them (API QA: a caller's change failed them).
        object.__setattr__(self, "upper_limits_mg", FrozenDict(self.upper_limits_mg))

    @property
    def kcal_range(self) -> Range:
        if self.kcal_window is not None:
            return self.kcal_window
        return Range(self.kcal * (1 - self.kcal_tolerance), self.kcal * (1 + self.kcal_tolerance))


@cache
def _dri_rows() -> tuple[dict[str, str], ...]:
    with data_file("magnesium_dri.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _energy_rows() -> tuple[dict[str, str], ...]:
    with data_file("energy_dga2020.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _upper_limit_rows() -> tuple[dict[str, str], ...]:
    with data_file("upper_limits.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _toddler_rows() -> tuple[dict[str, str], ...]:
    with data_file("energy_toddlers_dga2020.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def _in_band(age_y: int, row: dict[str, str]) -> bool:
    upper = row["age_to_y"].strip()
    return float(row["age_from_y"]) <= age_y and (upper == "" or age_y <= float(upper))


def magnesium_dri_row(profile: Profile) -> dict[str, str]:
    """The row of data/magnesium_dri.csv for the profile: its life stage (pregnancy and
    lactation have rows of their own), sex, and the age band of its whole years."""
    age_y = math.floor(profile.age)
    stage = profile.life_stage
    for row in _dri_rows():
        if row["life_stage"] in ("infant",):
            continue
        stage_ok = row["life_stage"] == stage or (
            stage not in ("pregnancy", "lactation") and row["life_stage"] in ("child", "adolescent", "adult")
        )
        if stage_ok and row["sex"] in ("any", profile.sex) and _in_band(age_y, row):
            return row
    raise InputError(f"no magnesium RDA for {profile.describe()}")  # unreachable after validation


def magnesium_target(profile: Profile) -> tuple[float, str]:
    """The RDA (mg/day) for the profile's life stage, and a sentence saying which row."""
    row = magnesium_dri_row(profile)
    band = f"{row['age_from_y']}–{row['age_to_y']} y" if row["age_to_y"] else f"{row['age_from_y']}+ y"
    who = {"any": "children", "female": "females", "male": "males"}[row["sex"]]
    if profile.life_stage in ("pregnancy", "lactation"):
        who = profile.life_stage
    return float(row["mg_per_day"]), f"{row['kind']} for {who} {band} ({MAGNESIUM_SOURCE})"


def with_calories(profile: Profile, kcal: float) -> Profile:
    """``profile`` asked with ``kcal`` a day in place of its estimate, and so with no activity
    level (the default), as Profile refuses calories with another."""
    return dataclasses.replace(profile, calories=kcal, activity=DEFAULT_ACTIVITY)


def activity_used(profile: Profile) -> bool:
    """Whether the profile's activity level had a part in its energy target: not when calories
    were given, nor under 2 years (Table A2-1 has none), nor at an age whose DGA row gives every
    level the same kcal (2 years: 1,000 kcal each)."""
    if profile.calories is not None or profile.age < 2:
        return False
    age_y = math.floor(profile.age)
    rows = [r for r in _energy_rows() if r["sex"] == profile.sex and _in_band(age_y, r)]
    return any(len({r[f"{level}_kcal"] for level in ACTIVITIES}) > 1 for r in rows)


def profile_record(profile: Profile) -> dict[str, Any]:
    """The profile as plain data, saying what was used: activity is None where it had no part in
    the energy target (QA: a member given calories, and a 2-year-old, were recorded and "asked
    with" moderate activity, which `mealplan targets --calories … --activity …` then refused)."""
    record = dataclasses.asdict(profile)
    if not activity_used(profile):
        record["activity"] = None
    return record


def energy_target(profile: Profile) -> tuple[float, str]:
    """The day's energy (kcal): the user's, or the DGA estimate for age, sex and activity."""
    if profile.calories is not None:
        return float(profile.calories), "given by the user"
    if profile.age < 2:
        months = math.floor(profile.age * 12 + 1e-9)
        row = max((r for r in _toddler_rows() if r["sex"] == profile.sex and int(r["age_from_months"]) <= months),
                  key=lambda r: int(r["age_from_months"]))  # fmt: skip
        return float(row["kcal"]), (f"DGA estimate for a {profile.sex} toddler aged {months} months, "
                                    f"Table A2-1 ({ENERGY_SOURCE})")  # fmt: skip
    age_y = math.floor(profile.age)
    for row in _energy_rows():
        if row["sex"] == profile.sex and _in_band(age_y, row):
            kcal = float(row[f"{profile.activity}_kcal"])
            article = "an" if profile.activity[0] in "aeiou" else "a"
            basis = f"DGA estimate for {article} {profile.activity} {profile.sex} aged {age_y}"
            assumed = ""
            if profile.pregnant:
                trimester = profile.trimester or 2
                kcal += PREGNANCY_EXTRA_KCAL[trimester]
                assumed = "" if profile.trimester else f"; trimester {trimester} is assumed: set --trimester"
                basis += f", +{PREGNANCY_EXTRA_KCAL[trimester]:.0f} kcal for trimester {trimester}"
            if profile.lactating:
                kcal += LACTATION_EXTRA_KCAL
                basis += f", +{LACTATION_EXTRA_KCAL:.0f} kcal for lactation in the first 6 months"
                # QA: said as assumed, as a trimester is (the DGA adds more from 7 months).
                assumed = (f"; from 7 to 12 months the DGA adds {LACTATION_LATER_EXTRA_KCAL:.0f} kcal "
                           "instead: set --calories")  # fmt: skip
            return kcal, f"{basis} ({ENERGY_SOURCE}){assumed}"
    raise InputError(f"no energy estimate for {profile.describe()}; give --calories")


# The AMDR's children's bands end at 18 (IOM 2005). Under this age a plan does not offer to
# drop the macronutrient ranges or the upper levels (explain), and a plan without the ranges
# says which days' fat is under the AMDR's low end (planner.nutrient_notes; QA: a 1-year-old's
# day had 9% of its energy from fat, against 30–40%).
AMDR_ADULT_FROM_Y = 19


def macro_ranges(age: float) -> tuple[Range, Range, Range]:
    """AMDR (protein, fat, carbohydrate) as shares of energy, by age (IOM 2005)."""
    if age < 4:
        return Range(0.05, 0.20), Range(0.30, 0.40), Range(0.45, 0.65)
    if age < AMDR_ADULT_FROM_Y:
        return Range(0.10, 0.30), Range(0.25, 0.35), Range(0.45, 0.65)
    return Range(0.10, 0.35), Range(0.20, 0.35), Range(0.45, 0.65)


def upper_limits(profile: Profile) -> dict[str, float]:
    """Each UPPER_LIMIT_NUTRIENTS' Tolerable Upper Intake Level (mg a day) for ``profile``:
    the row of data/upper_limits.csv for its life stage and the age band of its whole years."""
    stage = "pregnancy" if profile.pregnant else ("lactation" if profile.lactating else "general")
    age_y = math.floor(profile.age)
    for row in _upper_limit_rows():
        if row["life_stage"] == stage and _in_band(age_y, row):
            return {n: float(row[n]) for n in UPPER_LIMIT_NUTRIENTS}
    raise InputError(f"no upper intake levels for {profile.describe()}; give an age from 1")


# Calcium RDA (mg a day) by age, the same in pregnancy and lactation: IOM, "Dietary Reference
# Intakes for Calcium and Vitamin D" (2011), doi 10.17226/13050, as tabled in Nutrients 2018;
# 10:1930 (Table 1) and by NICHD. Not a target of the plan: a plan says when its days fall
# short of it (planner.calcium_notes). QA: toddlers' plans had 364–541 mg against 700.
CALCIUM_SOURCE = "IOM 2011"


def calcium_rda_mg(profile: Profile) -> float:
    """The calcium RDA of ``profile``: 700 mg at 1–3 y, 1,000 at 4–8, 1,300 at 9–18, 1,000
    at 19–50, then 1,200 for women from 51 and for men from 71 (1,000 for men at 51–70)."""
    age = profile.age
    if age < 4:
        return 700.0
    if age < 9:
        return 1000.0
    if age < 19:
        return 1300.0
    if age < 51 or (age < 71 and profile.sex == "male"):
        return 1000.0
    return 1200.0


# Sodium Adequate Intake (mg a day) by age, the same in pregnancy and lactation: NASEM,
# "Dietary Reference Intakes for Sodium and Potassium" (2019), doi 10.17226/25353. Not a
# target of the plan (its foods are as USDA measured them, mostly unsalted): a plan says when
# its days fall short of it (planner.nutrient_notes). QA: an athlete's days had 88–229 mg.
SODIUM_AI_SOURCE = "NASEM 2019"


# Sodium by age band (NASEM 2019): (under this age in years, AI, CDRR), mg a day.
SODIUM_BY_AGE: tuple[tuple[float, float, float], ...] = (
    (4, 800.0, 1200.0), (9, 1000.0, 1500.0), (14, 1200.0, 1800.0), (math.inf, 1500.0, 2300.0),
)


def sodium_ai_mg(age: float) -> float:
    """The sodium AI: 800 mg at 1–3 y, 1,000 at 4–8, 1,200 at 9–13, 1,500 from 14."""
    return next(ai for under, ai, _cdrr in SODIUM_BY_AGE if age < under)


def protein_floor(balance: Balance) -> tuple[float | None, str]:
    """Grams of protein a day at least, and why: the user's (Balance.protein_g), else none.

    The RDA in pregnancy and lactation (71 g) is not a default floor: a household's shared
    menu with a pregnant member (examples' family of four, 2 days, CBC) took 100 s instead of
    10 s with it, as CBC then found no day within its node limit, even with a floor of 40 g
    that the AMDR share already implied. A plan says when its days fall short of it instead
    (planner.nutrient_notes), and --protein 71 plans it."""
    return (balance.protein_g, "given by the user") if balance.protein_g is not None else (None, "")


def protein_excess(grams: float, most_kcal: float, share: Range | None) -> str | None:
    """None when a day of at most ``most_kcal`` holds ``grams`` of protein (4 kcal a gram)
    within the AMDR's top ``share`` (without the AMDR, all of its energy); else what the
    grams are, said as "284 kcal, more than the 30% of at most 945 kcal that the protein
    range (AMDR) allows"."""
    per_g = KCAL_PER_G["protein_g"]
    if grams <= protein_room_g(most_kcal, share) + 1e-9:
        return None
    within = (f"more than the {share.high * 100:.0f}% of at most {most_kcal:,.0f} kcal that the protein range "
              "(AMDR) allows" if share is not None else f"more than the day's {most_kcal:,.0f} kcal")  # fmt: skip
    return f"{grams * per_g:,.0f} kcal, {within}"


def protein_room_g(most_kcal: float, share: Range | None) -> float:
    """The most grams of protein a day of at most ``most_kcal`` holds within the AMDR's top
    ``share`` (without the AMDR, all of its energy)."""
    return (share.high if share is not None else 1.0) * most_kcal / KCAL_PER_G["protein_g"]


def _check_protein(grams: float, most_kcal: float, share: Range | None) -> None:
    """Refuse a protein floor that the day's energy cannot hold (protein_excess)."""
    if (excess := protein_excess(grams, most_kcal, share)) is not None:
        # Said without flags: a household or batch file sets protein and calories as keys (review).
        raise InputError(f"protein {grams:g} g a day is {excess}; give protein "
                         f"{math.floor(protein_room_g(most_kcal, share)):.0f} g or less, or more calories")  # fmt: skip


def sodium_limit_mg(age: float) -> float:
    """Sodium CDRR (mg/day) by age (NASEM 2019): 1,200 at 1–3 y, 1,500 at 4–8, 1,800 at 9–13,
    2,300 from 14."""
    return next(cdrr for under, _ai, cdrr in SODIUM_BY_AGE if age < under)


# Caffeine. The USDA extract has no caffeine values, so mealplan cannot count milligrams; it
# caps the servings of caffeinated drinks a day instead (a serving is the pool's: 1 cup of
# coffee or tea, 2 fl oz of espresso), below what these sources advise:
# * adults: FDA, "Spilling the Beans: How Much Caffeine is Too Much?" (2018): 400 mg a day,
#   "about four or five cups of coffee", is not generally associated with negative effects;
# * breastfeeding: CDC, "Maternal Diet" (breastfeeding): up to 300 mg a day, about 2 to 3 cups;
# * pregnancy: ACOG Committee Opinion 462 (2010): less than 200 mg a day;
# * teens: the American Academy of Pediatrics discourages caffeine for children and
#   adolescents, who are 12 to 18 in its advice, so 18-year-olds are teens here too, as in
#   the DRI's 14–18 band (children under 14 get none: planner.AGE_RULES).
CAFFEINE_SERVINGS = {"adult": 3.0, "lactating": 2.0, "pregnant": 1.0, "teen": 1.0, "child": 0.0}
CAFFEINE_ADULT_AGE_Y = 19
CAFFEINE_SOURCES = {
    "adult": "FDA: up to 400 mg of caffeine a day for adults, about 4–5 cups of coffee",
    "lactating": "CDC: up to 300 mg of caffeine a day while breastfeeding, about 2–3 cups of coffee",
    "pregnant": "ACOG: under 200 mg of caffeine a day in pregnancy; planned only when asked for",
    "teen": "the AAP discourages caffeine for teens; planned only when asked for",
    "child": "the AAP discourages caffeine for children; none under 14",
}
CAFFEINE_CHILD_AGE_Y = 14  # planner.AGE_RULES leaves caffeinated drinks out below this age too


def caffeine_limit(profile: Profile) -> tuple[float, str]:
    """Most servings of caffeinated drinks a day for ``profile``, and why (see CAFFEINE_SERVINGS)."""
    if profile.age < CAFFEINE_CHILD_AGE_Y:
        group = "child"
    elif profile.pregnant:
        group = "pregnant"
    elif profile.age < CAFFEINE_ADULT_AGE_Y:
        group = "teen"
    elif profile.lactating:
        group = "lactating"
    else:
        group = "adult"
    return CAFFEINE_SERVINGS[group], CAFFEINE_SOURCES[group]


# Young children eat smaller portions: the pool's servings and caps are an adult's, so a
# 1-year-old was planned 2 cups of strawberries and 1 cup of edamame in a day. mealplan's own
# rule: under 4 every food's daily and per-meal servings are halved, from 4 to 8 cut to three
# quarters (for scale, the DGA 2020–2025's pattern for 12–23 months has ½–1 cup of fruit a
# day in all, where an adult's pool caps allow 2 cups of one fruit).
PORTION_SCALE_BY_AGE: tuple[tuple[float, float], ...] = ((4.0, 0.5), (9.0, 0.75))  # (below age, scale)


def portion_scale(age: float) -> float:
    """Share of an adult's portions for a person of ``age`` (1.0 from 9; PORTION_SCALE_BY_AGE)."""
    return next((scale for below, scale in PORTION_SCALE_BY_AGE if age < below), 1.0)


def targets_for(profile: Profile, balance: Balance | None = None) -> Targets:
    """Every daily target for ``profile``; ``balance`` switches balance constraints off."""
    if not isinstance(profile, Profile):
        raise InputError(f"targets_for takes a Profile, not {type(profile).__name__}")
    if balance is not None and not isinstance(balance, Balance):  # QA: "x" gave an AttributeError
        raise InputError(f"balance must be a Balance or None, not {type(balance).__name__}")
    balance = balance or Balance()
    magnesium_mg, mg_basis = magnesium_target(profile)
    kcal, kcal_basis = energy_target(profile)
    protein, fat, carbohydrate = macro_ranges(profile.age)
    caffeine = caffeine_limit(profile)
    protein_min_g, protein_basis = protein_floor(balance)
    if protein_min_g is not None:
        _check_protein(protein_min_g, kcal * (1 + balance.kcal_tolerance), protein if balance.macros else None)
    sources = [MAGNESIUM_SOURCE, ENERGY_SOURCE if profile.calories is None else "energy: given by the user"]
    if balance.macros:
        sources.append(AMDR_SOURCE)
    if balance.fiber:
        sources.append(FIBER_SOURCE)
    if balance.sodium:
        sources.append(SODIUM_SOURCE)
    if balance.upper_limits:
        sources.append(UPPER_LIMITS_SOURCE)
    return Targets(
        magnesium_mg=magnesium_mg,
        magnesium_basis=mg_basis,
        kcal=kcal,
        kcal_basis=kcal_basis,
        kcal_tolerance=balance.kcal_tolerance,
        protein_pct=protein if balance.macros else None,
        fat_pct=fat if balance.macros else None,
        carbohydrate_pct=carbohydrate if balance.macros else None,
        fiber_g_per_1000kcal=FIBER_G_PER_1000_KCAL if balance.fiber else None,
        sodium_max_mg=sodium_limit_mg(profile.age) if balance.sodium else None,
        sources=tuple(sources),
        caffeinated_servings_max=caffeine[0],
        caffeine_basis=caffeine[1],
        portion_scale=portion_scale(profile.age),
        upper_limits_mg=upper_limits(profile) if balance.upper_limits else {},
        protein_min_g=protein_min_g,
        protein_basis=protein_basis,
    )

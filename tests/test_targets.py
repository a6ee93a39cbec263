"""Targets: every DRI row, the age boundaries, the refusals, energy and balance."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mealplan.errors import InputError
from mealplan.targets import Balance, Profile, energy_target, macro_ranges, sodium_limit_mg, targets_for

DATA = Path(__file__).resolve().parents[1] / "data"


def dri_rows() -> list[dict[str, str]]:
    with (DATA / "magnesium_dri.csv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["life_stage"] != "infant"]


@pytest.mark.parametrize("row", dri_rows(), ids=lambda r: f"{r['life_stage']}-{r['age_from_y']}-{r['sex']}")
def test_every_dri_row_is_used_at_both_ends_of_its_band(row: dict[str, str]) -> None:
    ages = [float(row["age_from_y"]), float(row["age_to_y"] or 90)]
    sexes = ["female", "male"] if row["sex"] == "any" else [row["sex"]]
    for age in ages:
        for sex in sexes:
            profile = Profile(
                age, sex, pregnant=row["life_stage"] == "pregnancy", lactating=row["life_stage"] == "lactation"
            )
            assert targets_for(profile).magnesium_mg == float(row["mg_per_day"])


@pytest.mark.parametrize(
    ("younger", "older", "sex", "mg_younger", "mg_older"),
    [
        (8, 9, "female", 130, 240),
        (13, 14, "male", 240, 410),
        (13, 14, "female", 240, 360),
        (18, 19, "male", 410, 400),
        (18, 19, "female", 360, 310),
        (30, 31, "female", 310, 320),
        (50, 51, "male", 420, 420),
        (3, 4, "male", 80, 130),
    ],
)
def test_age_boundaries(younger: int, older: int, sex: str, mg_younger: float, mg_older: float) -> None:
    assert targets_for(Profile(younger, sex)).magnesium_mg == mg_younger
    assert targets_for(Profile(older, sex)).magnesium_mg == mg_older
    # A fractional age belongs to the completed year (8.9 is still 8).
    assert targets_for(Profile(younger + 0.9, sex)).magnesium_mg == mg_younger


def test_pregnancy_boundaries() -> None:
    assert targets_for(Profile(18, "female", pregnant=True)).magnesium_mg == 400
    assert targets_for(Profile(19, "female", pregnant=True)).magnesium_mg == 350
    assert targets_for(Profile(31, "female", pregnant=True)).magnesium_mg == 360
    assert targets_for(Profile(50, "female", lactating=True)).magnesium_mg == 320


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"age": 0.5, "sex": "female"},
            "age 0.5 is under 1 year: infants get their magnesium (AI 30–75 mg) from breast milk or formula, "
            "not a meal plan; ask a pediatrician",
        ),
        ({"age": 121, "sex": "female"}, "age 121 is out of range; give an age from 1 to 120"),
        ({"age": 30, "sex": "other"}, "sex 'other' is not one of: female, male"),
        (
            {"age": 30, "sex": "male", "pregnant": True},
            "--pregnant applies to sex female only; drop --pregnant or use --sex female",
        ),
        (
            {"age": 12, "sex": "female", "pregnant": True},
            "--pregnant is for ages 14–50: no magnesium RDA is published for pregnancy at age 12 (FNB 1997 covers 14–50 y); drop --pregnant, or ask a clinician for a target",
        ),
        (
            {"age": 55, "sex": "female", "lactating": True},
            "--lactating is for ages 14–50: no magnesium RDA is published for lactation at age 55 (FNB 1997 covers 14–50 y); drop --lactating, or ask a clinician for a target",
        ),
        (
            {"age": 30, "sex": "female", "pregnant": True, "lactating": True},
            "pregnant and lactating at once is not supported; choose one of --pregnant, --lactating",
        ),
        ({"age": 30, "sex": "female", "calories": 500}, "calories 500 are out of range; give 800 to 6000 kcal a day"),
        (
            {"age": 30, "sex": "female", "activity": "lazy"},
            "activity 'lazy' is not one of: sedentary, moderate, active",
        ),
        (
            {"age": 30, "sex": "female", "trimester": 2},
            "--trimester applies to pregnancy only; add --pregnant or drop --trimester",
        ),
    ],
)
def test_refusals(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as info:
        Profile(**kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_energy_comes_from_the_dga_table() -> None:
    with (DATA / "energy_dga2020.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 60
    for row in rows:
        age = float(row["age_from_y"])
        for activity in ("sedentary", "moderate", "active"):
            kcal, _basis = energy_target(Profile(age, row["sex"], activity=activity))
            assert kcal == float(row[f"{activity}_kcal"])


def test_energy_given_by_user_and_pregnancy_increment() -> None:
    assert energy_target(Profile(34, "female", calories=1900))[0] == 1900
    base = energy_target(Profile(25, "female"))[0]
    assert energy_target(Profile(25, "female", pregnant=True, trimester=3))[0] == base + 452
    assert energy_target(Profile(25, "female", pregnant=True, trimester=1))[0] == base
    assert energy_target(Profile(25, "female", lactating=True))[0] == base + 330


def test_upper_limits_come_from_the_table_by_life_stage() -> None:
    """Every row of data/upper_limits.csv is what a profile in its band gets, at both ends of
    the band; a few values written out from the IOM reports pin the table itself."""
    with (DATA / "upper_limits.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 11
    for row in rows:
        stage = row["life_stage"]
        last = float(row["age_to_y"] or 120)
        for age in (float(row["age_from_y"]), last + 0.9 if last < 120 else last):
            profile = Profile(age, "female", pregnant=stage == "pregnancy", lactating=stage == "lactation",
                              trimester=2 if stage == "pregnancy" else None)  # fmt: skip
            expected = {n: float(row[n]) for n in ("calcium_mg", "iron_mg", "phosphorus_mg", "zinc_mg")}
            assert targets_for(profile).upper_limits_mg == expected, (stage, age)
    assert targets_for(Profile(2, "male")).upper_limits_mg["zinc_mg"] == 7
    assert targets_for(Profile(75, "male")).upper_limits_mg["phosphorus_mg"] == 3000
    assert targets_for(Profile(60, "female")).upper_limits_mg["calcium_mg"] == 2000
    assert targets_for(Profile(17, "female", pregnant=True, trimester=1)).upper_limits_mg["phosphorus_mg"] == 3500
    assert targets_for(Profile(40, "male"), Balance(upper_limits=False)).upper_limits_mg == {}


def test_balance_ranges_by_age_and_switches() -> None:
    assert [(r.low, r.high) for r in macro_ranges(2)] == [(0.05, 0.20), (0.30, 0.40), (0.45, 0.65)]
    assert [(r.low, r.high) for r in macro_ranges(10)] == [(0.10, 0.30), (0.25, 0.35), (0.45, 0.65)]
    assert [(r.low, r.high) for r in macro_ranges(40)] == [(0.10, 0.35), (0.20, 0.35), (0.45, 0.65)]
    assert [sodium_limit_mg(a) for a in (1, 3, 4, 8, 9, 13, 14, 80)] == [1200, 1200, 1500, 1500, 1800, 1800, 2300, 2300]
    t = targets_for(Profile(40, "male"), Balance(macros=False, fiber=False, sodium=False))
    assert (t.protein_pct, t.fat_pct, t.carbohydrate_pct, t.fiber_g_per_1000kcal, t.sodium_max_mg) == (None,) * 5
    with pytest.raises(InputError, match="calorie tolerance 0.5 is out of range"):
        Balance(kcal_tolerance=0.5)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a\nb", r"^name 'a\\nb' holds a line break or control character \(U\+000A\); give one plain line$"),
        ("tab\there", r"holds a line break or control character"),
        ("   ", r"^name is blank; give a name, or leave it out$"),
        ("x" * 81, r"^name is 81 characters long; give at most 80$"),
    ],
)
def test_a_name_is_one_short_plain_line(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Profile(30, "female", name=name)
    assert Profile(30, "female", name="Ana María").name == "Ana María"


# DGA 2020–2025 Table A2-1 (ages 12 through 23 months), written out here: (months, sex) → kcal.
TODDLERS = {(12, "male"): 800, (15, "male"): 900, (18, "male"): 1000, (21, "male"): 1000,
            (12, "female"): 800, (15, "female"): 800, (18, "female"): 900, (21, "female"): 1000}  # fmt: skip


@pytest.mark.parametrize(("age", "months"), [(1.0, 12), (1.1, 13), (1.25, 15), (1.4, 16), (1.5, 18), (1.75, 21),
                                             (1.99, 23)])  # fmt: skip
@pytest.mark.parametrize("sex", ["female", "male"])
def test_a_toddlers_energy_is_table_a2_1_for_their_age_in_months(age: float, months: int, sex: str) -> None:
    row = max(m for m, s in TODDLERS if s == sex and m <= months)
    kcal, basis = energy_target(Profile(age, sex))
    assert kcal == TODDLERS[row, sex]
    assert basis.startswith(f"DGA estimate for a {sex} toddler aged {months} months, Table A2-1")


def test_the_energy_basis_reads_as_english() -> None:
    assert energy_target(Profile(70, "male", activity="active"))[1].startswith("DGA estimate for an active male")
    assert energy_target(Profile(70, "male", activity="sedentary"))[1].startswith("DGA estimate for a sedentary male")


def test_calories_well_under_the_estimate_get_a_caution_in_pregnancy_breastfeeding_and_youth() -> None:
    from mealplan.planner import low_calorie_notes

    pregnant = low_calorie_notes(Profile(16, "female", pregnant=True, calories=1500))
    assert pregnant == ["1,500 kcal a day is well under the 2,340 kcal the Dietary Guidelines estimate in "
                        "pregnancy; ask a doctor or dietitian before eating this little"]  # fmt: skip
    assert low_calorie_notes(Profile(31, "female", lactating=True, calories=1500), "Ana")[0].startswith(
        "for Ana: 1,500 kcal a day is well under the 2,330 kcal"
    )
    assert low_calorie_notes(Profile(15, "male", calories=1500))  # estimate 2,600: growing
    assert low_calorie_notes(Profile(16, "female", pregnant=True, calories=2000)) == []  # within 80 %
    assert low_calorie_notes(Profile(30, "female", calories=1200)) == []  # an adult's own choice (60 %)
    assert low_calorie_notes(Profile(16, "female", pregnant=True)) == []  # the estimate itself
    # Found in QA: 900 kcal for a 78-year-old woman (half her estimate) came without a word.
    assert low_calorie_notes(Profile(78, "female", calories=900)) == [
        "900 kcal a day is well under the 1,800 kcal the Dietary Guidelines estimate for their age, sex and "
        "activity (moderate); ask a doctor or dietitian before eating this little"
    ]
    assert low_calorie_notes(Profile(78, "female", calories=1300)) == []  # 72 %


def test_a_child_given_far_more_calories_than_the_estimate_gets_a_caution() -> None:
    from mealplan.planner import low_calorie_notes

    assert low_calorie_notes(Profile(1, "female", calories=2500)) == [
        "2,500 kcal a day is well over the 800 kcal the Dietary Guidelines estimate for their age; ask a doctor "
        "or dietitian before planning this much"
    ]
    assert low_calorie_notes(Profile(8, "male", calories=1700)) == []  # estimate 1,600 (moderate): within 125 %
    assert low_calorie_notes(Profile(30, "male", calories=4000)) == []  # an adult's own choice


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"age": 30, "sex": "female", "pregnant": "no"}, "pregnant 'no' is not true or false; give pregnant=True or "
                                                       "pregnant=False"),
     ({"age": 30, "sex": "female", "lactating": 1}, "lactating 1 is not true or false; give lactating=True or "
                                                     "lactating=False"),
     ({"age": "34", "sex": "female"}, "age '34' is not a number; give years, e.g. --age 34"),
     ({"age": 30, "sex": "female", "calories": "2000"}, "calories '2000' is not a number; give kcal a day, e.g. "
                                                         "--calories 2000"),
     ({"age": 30, "sex": "female", "name": None}, "name None is not text; give e.g. name='Ana'"),
     ({"age": 30, "sex": ["female"]}, "sex ['female'] is not text; give e.g. sex='female'"),
     ({"age": 30, "sex": "female", "pregnant": True, "trimester": 1.5}, "trimester 1.5 is not 1, 2 or 3; give "
                                                                        "--trimester 1, 2 or 3")],
)  # fmt: skip
def test_api_values_of_the_wrong_type_are_refused_not_taken_as_true(kwargs: dict[str, object], message: str) -> None:
    """Profile(pregnant="no") used to plan a pregnancy ("no" is truthy), and calories="2000"
    raised a TypeError from deep inside."""
    with pytest.raises(InputError) as raised:
        Profile(**kwargs)  # type: ignore[arg-type]
    assert str(raised.value) == message
    assert raised.value.exit_code == 2  # what the CLI would exit with


def test_numpy_numbers_and_booleans_are_taken_as_python_ones() -> None:
    np = pytest.importorskip("numpy")
    profile = Profile(np.int64(30), "female", pregnant=np.bool_(True), calories=np.float64(2100.0))
    assert (profile.age, profile.pregnant, profile.calories) == (30, True, 2100.0)
    assert type(profile.age) is int and type(profile.pregnant) is bool and type(profile.calories) is float
    assert targets_for(profile) == targets_for(Profile(30, "female", pregnant=True, calories=2100.0))

"""Profiles in TOML carry everything the options do; the command line overrides a file
(lists add up); every shipped example runs."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest

from mealplan.cli import merged_options
from mealplan.options import KEYS, build_request
from tests.prefs_helpers import EXAMPLES, LOOSE, REPO, cli, plan_json, planned_items

PROFILES = sorted(EXAMPLES.glob("*.toml"))


def test_the_examples_named_in_the_issue_are_shipped() -> None:
    names = {p.name for p in PROFILES}
    assert {"vegan-runner.toml", "pregnant-teen-vegan.toml", "gluten-free.toml", "budget.toml"} <= names
    assert len(names) >= 5


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_example_profile_plans(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    flat = {k: v for section in data.values() if isinstance(section, dict) for k, v in section.items()} | data
    if "current_intake" in flat:
        result = cli("topup", "--profile", str(path), "--days", "2", *LOOSE)
        title = "mealplan — 2-day magnesium top-up"
    else:
        # One day keeps the suite fast; `mealplan day` ignores the profile's days.
        result = cli("day", "--profile", str(path), *LOOSE)
        title = "mealplan — 1-day plan"
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(title)
    assert re.search(r"Checked: (\d+) of \1 targets met", result.stdout)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_example_profiles_use_only_known_keys(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key, value in data.items():
        inner = value.items() if isinstance(value, dict) and key in ("person", "preferences", "plan") else [(key, 0)]
        for name, _ in inner:
            assert name in KEYS, (path.name, name)


def test_the_command_line_overrides_the_file_and_lists_add_up() -> None:
    options = merged_options(
        {"profile": EXAMPLES / "vegan-runner.toml", "age": 30.0, "exclude": ["seeds"], "like": ["oats=5"],
         "max_servings": ["nuts=0.5"], "diet": None, "days": 3}
    )  # fmt: skip
    request = build_request(options)
    assert request.profile.age == 30  # the file says 28
    assert request.profile.activity == "active"  # from the file
    assert request.days == 3
    prefs = request.preferences
    assert prefs.exclude == ("peanuts", "seeds")
    assert prefs.diets == ("vegan",)
    assert prefs.like == {"oats": 5.0, "chia seeds": 1.0}  # the line's weight wins
    assert prefs.dislike == {"tofu": 4.0}  # a dislike without a weight: preferences.DISLIKE_WEIGHT
    assert prefs.max_servings == {"nuts": 0.5}


@pytest.mark.parametrize(
    ("line", "pregnant", "lactating", "trimester", "sex"),
    [({"pregnant": False}, False, False, None, "female"),
     ({"lactating": True}, False, True, None, "female"),
     ({"sex": "male", "age": 30.0}, False, False, None, "male"),
     ({"sex": "M", "age": 30.0}, False, False, None, "male"),
     ({"sex": "female"}, True, False, 2, "female"),
     ({"trimester": 3}, True, False, 3, "female")],
)  # fmt: skip
def test_a_life_stage_on_the_line_replaces_the_profiles(line: dict[str, object], pregnant: bool, lactating: bool,
                                                        trimester: int | None, sex: str) -> None:  # fmt: skip
    """QA: with the pregnant teen's profile, --not-pregnant was refused for a --trimester the
    user never typed, --lactating for pregnant and breastfeeding at once, and --sex male for
    --pregnant; the line's life stage wins, with the keys that go with it."""
    options = merged_options({"profile": EXAMPLES / "pregnant-teen-vegan.toml", **line})
    profile = build_request(options).profile
    assert (profile.pregnant, profile.lactating, profile.trimester, profile.sex) == (pregnant, lactating, trimester,
                                                                                    sex)  # fmt: skip


def test_a_life_stage_given_twice_on_the_line_is_still_refused() -> None:
    result = cli("day", "--profile", str(EXAMPLES / "pregnant-teen-vegan.toml"), "--lactating", "--pregnant")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: pregnant and lactating at once is not supported; choose one of --pregnant, --lactating"
    ]
    result = cli("day", "--profile", str(EXAMPLES / "pregnant-teen-vegan.toml"), "--not-pregnant")
    assert result.exit_code == 0, result.output
    assert "RDA for females 14–18 y" in result.stdout


def test_an_age_on_the_line_past_the_profiles_pregnancy_names_the_file_and_the_flag_that_overrides_it() -> None:
    """QA: --age 60 with a pregnant profile was told to "drop --pregnant", a flag never typed."""
    path = EXAMPLES / "pregnant-teen-vegan.toml"
    result = cli("day", "--profile", str(path), "--age", "60")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path} gives pregnant = true, which is for ages 14–50: no magnesium RDA is published for pregnancy "
        "at age 60 (FNB 1997 covers 14–50 y); give --not-pregnant, or ask a clinician for a target\n")  # fmt: skip
    # Typed on the line, the flag is the line's to drop.
    typed = cli("day", "--profile", str(path), "--age", "60", "--pregnant")
    assert typed.exit_code == 2 and "; drop --pregnant, or ask a clinician" in typed.stderr


def test_paths_in_a_profile_are_relative_to_the_file() -> None:
    request = build_request(merged_options({"profile": EXAMPLES / "budget.toml"}))
    assert request.preferences.budget == 60
    assert len(request.preferences.prices_per_100g) == 108  # data/prices.csv prices the whole pool


def test_a_profile_may_give_a_single_diet_as_text(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('age = 30\nsex = "female"\ndiet = "vegan"\nexclude = "peanuts"\n', encoding="utf-8")
    request = build_request(merged_options({"profile": path}))
    assert request.preferences.diets == ("vegan",)
    assert request.preferences.exclude == ("peanuts",)


@pytest.mark.parametrize(("single", "listed"), [
    ('like = "salmon=2"', 'like = ["salmon=2"]'),
    ('dislike = "fish"', 'dislike = ["fish"]'),
    ('require = "oats=3"', 'require = ["oats=3"]'),
    ('require = "coffee"', 'require = ["coffee"]'),
    ('max_servings = "almonds=1"', 'max_servings = ["almonds=1"]'),
    ("add_food = 12154", 'add_food = ["12154"]'),
    ("add_food = 1123", 'add_food = ["01123"]'),
    ('add_food = [1123, "11090"]', 'add_food = ["01123", "11090"]'),
])  # fmt: skip
def test_a_profile_may_give_one_name_as_text_and_an_added_food_as_a_number(
    tmp_path: Path, single: str, listed: str
) -> None:
    """QA: a single text was taken for diet, exclude and add_food but refused for like, dislike
    and require ("must be a list of names ..."), and add_food = 12154 was refused. One text is one
    name, with its =N as a list's item; a whole number is the ndb_no, zero-padded to 5 digits."""
    one, many = tmp_path / "one.toml", tmp_path / "many.toml"
    one.write_text(f'age = 30\nsex = "female"\n{single}\n', encoding="utf-8")
    many.write_text(f'age = 30\nsex = "female"\n{listed}\n', encoding="utf-8")
    # The command line's --like adds to a file's single like, as to its list.
    extra = {"like": ["oats"]} if single.startswith("like") else {}
    request = build_request(merged_options({"profile": one, **extra}))
    assert request == build_request(merged_options({"profile": many, **extra}))
    if single.startswith("like"):
        assert request.preferences.like == {"salmon": 2.0, "oats": 1.0}


@pytest.mark.parametrize("value", ["1.5", "true"])
def test_an_added_food_that_is_neither_a_text_nor_a_whole_number_is_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(f'age = 30\nsex = "female"\nadd_food = {value}\n', encoding="utf-8")
    result = cli("day", "--profile", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: key 'add_food' must be an ndb_no or a list of them (texts or whole numbers), not {value}"
    ]


def test_an_unknown_added_food_in_a_profile_is_told_the_command_that_finds_one(tmp_path: Path) -> None:
    """QA: the hint's `mealplan foods search WORD --all` lost its dashes with the flags that a
    file's message says as keys, and the command so given is refused."""
    path = tmp_path / "p.toml"
    path.write_text('age = 30\nsex = "female"\nadd_food = ["99999"]\n', encoding="utf-8")
    result = cli("day", "--profile", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: unknown USDA ndb_no '99999'; find one with `mealplan foods search WORD --all`"
    ]


def test_the_budget_example_keeps_to_its_budget() -> None:
    """Cost recomputed from data/prices.csv and the planned grams; a week's 60 is 60/7 a day."""
    with (REPO / "data" / "prices.csv").open(encoding="utf-8") as fh:
        first = fh.readline()
        assert first.startswith("#") and "placeholder" in first and "NOT market data" in first
        prices = {row["food"]: float(row["price_per_100g"]) for row in csv.DictReader(fh)}
    data = plan_json("day", "--profile", str(EXAMPLES / "budget.toml"))
    cost = sum(prices[item["name"]] * item["grams"] / 100 for item in planned_items(data))
    assert cost <= 60 / 7 + 0.01
    assert data["cost"]["total"] == pytest.approx(cost, abs=0.01)
    assert data["cost"]["budget"] == pytest.approx(60 / 7)
    for day in data["members"][0]["days"]:
        nuts = sum(i["servings"] for m in day["meals"] for i in m["items"] if i["category"] == "nuts")
        assert nuts <= 1


def test_calories_and_an_activity_level_together_are_refused_and_one_on_the_line_replaces_the_other(
    tmp_path: Path,
) -> None:
    """QA: --calories 1800 --activity active planned 1,800 kcal without a word on the activity,
    which only the calorie estimate uses."""
    result = cli("day", "--age", "30", "--sex", "female", "--calories", "1800", "--activity", "active")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: --calories and --activity: the activity level is only for the calorie estimate, which --calories "
        "replaces; drop one of the two"
    ]
    both = tmp_path / "both.toml"
    both.write_text('[person]\nage = 30\nsex = "female"\ncalories = 1800\nactivity = "active"\n', encoding="utf-8")
    result = cli("day", "--profile", str(both))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {both}: keys 'calories' and 'activity': the activity level is only for the calorie estimate, which "
        "calories replaces; drop one of the two"
    ]
    household = tmp_path / "h.toml"
    household.write_text('[household]\nname = "H"\ndays = 1\n[[members]]\nname = "Ann"\nage = 30\nsex = "female"\n'
                         'calories = 1800\nactivity = "active"\n', encoding="utf-8")  # fmt: skip
    result = cli("household", str(household))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {household}: member 'Ann': keys 'calories' and 'activity': the activity level is only for the "
        "calorie estimate, which calories replaces; drop one of the two"
    ]
    # On the line, either replaces the profile's other: calories its activity, an activity its calories.
    runner = build_request(merged_options({"profile": EXAMPLES / "vegan-runner.toml", "calories": 2400.0})).profile
    assert (runner.calories, runner.activity) == (2400.0, "moderate")
    options = merged_options({"profile": EXAMPLES / "pregnant-teen-vegan.toml", "activity": "active"})
    teen = build_request(options).profile
    assert (teen.calories, teen.activity) == (None, "active")


def test_an_activity_and_a_diet_are_read_whatever_their_case() -> None:
    """QA: --activity Active was refused where --sex Female is taken, and --diet VEGAN was
    echoed as "keeps to: VEGAN diet"."""
    result = cli("day", "--age", "30", "--sex", "female", "--activity", "Active", "--diet", "VEGAN")
    assert result.exit_code == 0, result.output
    assert "DGA estimate for an active female aged 30" in result.stdout
    assert "keeps to: vegan diet" in result.stdout

"""The command line: exit codes, exact messages, help for every command."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from mealplan.cli import app
from mealplan.targets import Profile, magnesium_dri_row, magnesium_target

runner = CliRunner()
POOL = Path(__file__).resolve().parents[1] / "data" / "pool.csv"


def all_commands() -> list[list[str]]:
    root = get_command(app)
    paths: list[list[str]] = [[]]

    def walk(command: Any, prefix: list[str]) -> None:
        # Typer vendors Click, so groups are recognised by their sub-commands.
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "mealplan")
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command: Any = get_command(app)
    for name in path:
        command = command.commands[name]
    assert command.help or command.callback.__doc__, f"{path} has no help text"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help text"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["day", "--age", "0.5", "--sex", "female"], 2,
         "Error: age 0.5 is under 1 year: infants get their magnesium (AI 30–75 mg) from breast milk or formula, "
         "not a meal plan; ask a pediatrician"),
        (["day", "--age", "200", "--sex", "female"], 2, "Error: age 200 is out of range; give an age from 1 to 120"),
        (["day", "--age", "30", "--sex", "x"], 2, "Error: sex 'x' is not one of: female, male"),
        (["day", "--age", "30", "--sex", "male", "--pregnant"], 2,
         "Error: --pregnant applies to sex female only; drop --pregnant or use --sex female"),
        (["day", "--age", "12", "--sex", "female", "--pregnant"], 2,
         "Error: --pregnant is for ages 14–50: no magnesium RDA is published for pregnancy at age 12 (FNB 1997 covers 14–50 y); drop --pregnant, or "
         "ask a clinician for a target"),
        (["day", "--sex", "female"], 2, "Error: missing age; give --age and --sex (or a --profile file with them)"),
        (["day", "--age", "30", "--sex", "female", "--calories", "100"], 2,
         "Error: calories 100 are out of range; give 800 to 6000 kcal a day"),
        (["day", "--age", "30", "--sex", "female", "--exclude", "almnds"], 2,
         "Error: unknown food 'almnds'; did you mean: almonds, almond butter?"),
        (["day", "--age", "30", "--sex", "female", "--solver", "gurobi"], 2,
         "Error: solver 'gurobi' is not one of: highs, cbc"),
        (["day", "--age", "30", "--sex", "female", "--format", "pdf"], 2,
         "Error: format 'pdf' is not one of: table, markdown (or md), csv, json, html; for a PDF, write html and print "
         "it from a browser"),
        (["day", "--age", "30", "--sex", "female", "--output", "plan.xyz"], 2,
         "Error: cannot tell the format of 'plan.xyz' from its extension; use one of .csv, .htm, .html, .json, "
         ".markdown, .md, .txt or give --format"),
        (["day", "--age", "30", "--sex", "female", "--days", "3"], 2, None),
        (["day", "--age", "30", "--sex", "female", "--foods", "no-such-file.csv"], 2,
         "Error: foods file no-such-file.csv does not exist; check the path"),
        (["day", "--age", "30", "--sex", "female", "--add-food", "99999"], 2,
         "Error: unknown USDA ndb_no '99999'; find one with `mealplan foods search WORD --all`"),
        (["week", "--age", "30", "--sex", "female", "--days", "40"], 2, "Error: days 40 is out of range; give 1 to 28"),
        (["targets", "--age", "1", "--sex", "female", "--kcal-tolerance", "0.9"], 2,
         "Error: calorie tolerance 0.9 is out of range; give 0.01 to 0.25 (1–25%)"),
        (["foods", "--category", "candy"], 2, "Error: unknown category 'candy'; choose one of: beverages, cocoa, dairy, eggs, fish, fruit, grains, greens, legumes, nuts, other, poultry, seeds, soy, vegetables"),
        (["foods", "search", "zzzzqq", "--all"], 2, "Error: no USDA food matches 'zzzzqq'; try fewer or shorter words"),
    ],
)  # fmt: skip
def test_bad_input_exit_codes_and_messages(args: list[str], code: int, message: str | None) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if message is not None:
        assert result.output.strip().splitlines()[-1] == message


def test_infeasible_request_exits_3_with_a_reason() -> None:
    excluded = ["seeds", "nuts", "cocoa", "greens", "beverages", "grains", "legumes", "soy"]
    args = ["day", "--age", "30", "--sex", "male", "--calories", "800", "--diet", "vegan"]
    result = runner.invoke(app, args + [a for e in excluded for a in ("--exclude", e)])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ") and "400 mg" in result.output


def test_day_prints_a_plan_with_targets_and_care_note() -> None:
    result = runner.invoke(app, ["day", "--age", "34", "--sex", "female", "--calories", "1900"])
    assert result.exit_code == 0, result.output
    for text in ("Breakfast", "Lunch", "Dinner", "Snack", "Day total", "magnesium ≥ 320 mg a day",
                 "Checked: 12 of 12 targets met", "not medical advice", "kidney disease",
                 "calcium ≤ 2,500 mg, iron ≤ 45 mg, phosphorus ≤ 4,000 mg, zinc ≤ 40 mg",
                 "grams × 4, 9, 4 kcal over the day's kcal, so with fiber counted in carbohydrate the three can add "
                 "up to more than 100%",
                 "its upper limit is for supplements and medicines only, not for magnesium in food"):  # fmt: skip
        assert text in result.output


def test_the_care_note_names_kidney_disease_and_potassium_raising_medicines() -> None:
    """QA: plans hold 5–9 g of potassium a day and phosphorus near 4,000 mg for older adults,
    the bigger risk with kidney disease or ACE inhibitors, ARBs or potassium-sparing diuretics;
    the care note named kidney disease for magnesium only. It ends every format's output."""
    from mealplan.plan import CARE_NOTE

    assert CARE_NOTE == (
        "This plan is not medical advice. Magnesium above the RDA is expected here: its upper limit is for supplements "
        "and medicines only, not for magnesium in food (IOM 1997). People with kidney disease, or who take medicines "
        "that raise potassium, should ask their doctor before following a plan rich in magnesium, potassium and "
        "phosphorus.")  # fmt: skip
    result = runner.invoke(app, ["day", "--age", "34", "--sex", "female", "--calories", "1900"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"Note: {CARE_NOTE}\n")


def test_day_says_it_plans_one_day_when_the_profile_asks_for_more(tmp_path: Path) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text('[person]\nage = 30\nsex = "female"\n[plan]\ndays = 5\n', encoding="utf-8")
    result = runner.invoke(app, ["day", "--profile", str(profile), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"Note: mealplan day plans one day; {profile}'s days = 5 is for mealplan week --profile {profile}"
    )
    assert len(json.loads(result.stdout)["members"][0]["days"]) == 1
    profile.write_text('[person]\nage = 30\nsex = "female"\n[plan]\ndays = 1\n', encoding="utf-8")
    quiet = runner.invoke(app, ["day", "--profile", str(profile), "--format", "json"])
    assert quiet.exit_code == 0, quiet.output
    assert "plans one day" not in quiet.stderr


def test_a_one_day_weekly_average_is_planned_and_said_as_a_daily_rda() -> None:
    """Over one day the average is that day: the plan was right but said "met on average over
    the days, not each day" (QA)."""
    args = ["week", "--age", "30", "--sex", "female", "--days", "1", "--weekly-average"]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["weekly_average"] is False and data["request"]["weekly_average"] is True
    member = data["members"][0]
    assert member["checks"] == [] and "magnesium_mg" in [c["name"] for c in member["days"][0]["checks"]]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "on average" not in table.stdout and "magnesium ≥ 310 mg a day" in table.stdout


def test_json_output_is_written_atomically_and_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "day.json"
    out.parent.mkdir()  # an output folder must exist: none is created
    first = runner.invoke(app, ["day", "--age", "34", "--sex", "female", "--format", "json", "--output", str(out)])
    assert first.exit_code == 0, first.output
    data = json.loads(out.read_text(encoding="utf-8"))
    item = data["members"][0]["days"][0]["meals"][0]["items"][0]
    assert {"ndb_no", "grams", "kcal", "magnesium_mg"} <= set(item)
    assert {"name", "status", "objective", "mip_gap"} <= set(data["solver"])
    again = runner.invoke(app, ["day", "--age", "34", "--sex", "female", "--output", str(out)])
    assert again.exit_code == 2
    assert again.output.strip() == f"Error: {out} already exists; use --force to replace it"
    forced = runner.invoke(app, ["day", "--age", "40", "--sex", "male", "--output", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(out.read_text(encoding="utf-8"))["request"]["profile"]["age"] == 40
    assert [p.name for p in out.parent.iterdir()] == ["day.json"]


def test_targets_command() -> None:
    result = runner.invoke(app, ["targets", "--age", "17", "--sex", "female", "--pregnant"])
    assert result.exit_code == 0, result.output
    assert "magnesium ≥ 400 mg a day — RDA for pregnancy 14–18 y" in result.output
    assert "supplements only" in result.output


DRI_CSV = Path(__file__).resolve().parents[1] / "data" / "magnesium_dri.csv"


def supplemental_ul(life_stage: str, age: float) -> str:
    """The supplemental UL for a life stage and age, read from the DRI table with plain csv."""
    with DRI_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            top = float(row["age_to_y"] or "inf")
            if row["life_stage"] == life_stage and float(row["age_from_y"]) <= int(age) <= top:
                return row["supplemental_ul_mg_per_day"]
    raise AssertionError(f"no {life_stage} row for age {age}")


@pytest.mark.parametrize(
    ("args", "life_stage", "age"),
    [
        (["--age", "1.5", "--sex", "male"], "child", 1.5),
        (["--age", "2", "--sex", "male"], "child", 2),
        (["--age", "3.5", "--sex", "female"], "child", 3.5),
        (["--age", "5", "--sex", "male"], "child", 5),
        (["--age", "9", "--sex", "female"], "child", 9),
        (["--age", "40", "--sex", "male"], "adult", 40),
        (["--age", "17", "--sex", "female", "--pregnant"], "pregnancy", 17),
        (["--age", "35", "--sex", "female", "--lactating"], "lactation", 35),
    ],
)  # fmt: skip
def test_targets_name_the_supplement_upper_level_for_the_age(args: list[str], life_stage: str, age: float) -> None:
    ul = supplemental_ul(life_stage, age)
    result = runner.invoke(app, ["targets", *args])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"  (the {float(ul):g} mg upper level for magnesium applies to supplements only, not to food)"
    )


@pytest.mark.parametrize(("sex", "state"), [("female", ""), ("male", ""), ("female", "pregnant"),
                                            ("female", "lactating")])  # fmt: skip
def test_every_person_s_rda_row_has_an_upper_level(sex: str, state: str) -> None:
    """The row the UL is read from is the RDA's, and it has a UL for every valid person."""
    ages = range(14, 51) if state else [*range(1, 121), 1.5, 3.5, 8.9, 13.99]
    for age in ages:
        profile = Profile(age, sex, pregnant=state == "pregnant", lactating=state == "lactating")
        row = magnesium_dri_row(profile)
        assert float(row["mg_per_day"]) == magnesium_target(profile)[0], profile.describe()
        assert row["supplemental_ul_mg_per_day"].strip(), profile.describe()


def test_foods_and_search() -> None:
    listing = runner.invoke(app, ["foods"])
    assert listing.exit_code == 0
    assert "pumpkin seeds" in listing.output and "12014" in listing.output
    search = runner.invoke(app, ["foods", "search", "walnut", "--all"])
    assert search.exit_code == 0
    assert "12155" in search.output and "Nuts, walnuts, english" in search.output


def test_a_list_that_its_filters_leave_empty_is_refused_as_a_search_with_no_hit_is() -> None:
    """QA: `foods --diet vegan --category fish` printed an empty table and exited 0."""
    empty = runner.invoke(app, ["foods", "--diet", "vegan", "--category", "fish", "--exclude", "peanuts"])
    assert empty.exit_code == 2
    assert empty.stdout == ""
    assert empty.stderr.strip().splitlines()[-1] == ("Error: no food of the pool is left with --category fish "
                                                    "--diet vegan --exclude peanuts; drop one of them")  # fmt: skip
    assert runner.invoke(app, ["foods", "--category", "fish"]).exit_code == 0


def test_a_pool_search_keeps_the_lists_filters() -> None:
    """QA: `foods --exclude peanuts search peanut` listed peanut butter and peanuts with exit 0:
    the group's filters were dropped without a word. They filter the pool's search as they do
    the list; USDA's foods carry no tags, so --all refuses them."""
    vegan = runner.invoke(app, ["foods", "--diet", "vegan", "search", "milk"])
    assert vegan.exit_code == 0, vegan.output
    assert [line[:24].strip() for line in vegan.stdout.splitlines()] == ["soymilk"]
    nuts = runner.invoke(app, ["foods", "--category", "nuts", "--exclude", "peanuts", "search", "butter"])
    assert nuts.exit_code == 0, nuts.output
    assert "almond butter" in nuts.stdout and "peanut" not in nuts.stdout
    none_left = runner.invoke(app, ["foods", "--exclude", "peanuts", "search", "peanut"])
    assert none_left.exit_code == 2 and none_left.stdout == ""
    assert none_left.stderr == ("Error: no food matches 'peanut' in the pool filtered by --exclude; drop --exclude to "
                                "search all of the pool\n")  # fmt: skip
    # --foods is a file to search, not a filter (review).
    own = runner.invoke(app, ["foods", "--foods", str(POOL), "search", "--all", "peanut"])
    assert own.exit_code == 2 and own.stderr == (f"Error: search --all searches all USDA foods, not your foods file; "
                                                 f"drop --all to search {POOL}, or drop --foods\n")  # fmt: skip
    found = runner.invoke(app, ["foods", "--foods", str(POOL), "search", "peanut"])
    assert found.exit_code == 0 and "peanut butter" in found.stdout
    none_in_file = runner.invoke(app, ["foods", "--foods", str(POOL), "search", "durian"])
    assert none_in_file.exit_code == 2 and none_in_file.stdout == ""
    assert none_in_file.stderr == (f"Error: no food of your foods file {POOL} matches 'durian'; drop --foods to "
                                   "search the default pool\n")  # fmt: skip
    usda = runner.invoke(app, ["foods", "--exclude", "peanuts", "--diet", "vegan", "search", "--all", "peanut"])
    assert usda.exit_code == 2 and usda.stdout == ""
    assert usda.stderr == ("Error: search --all searches all USDA foods, which carry no allergen or diet tags, so it "
                           "cannot filter them by --diet, --exclude; drop --all to search the filtered pool\n")  # fmt: skip


def test_python_m_mealplan_works() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mealplan", "--help"], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    assert done.returncode == 0 and "Usage:" in done.stdout


def test_a_plan_piped_out_is_utf_8_whatever_the_locale() -> None:
    """QA: on Windows a redirected stdout is cp1252, and `mealplan week > week.txt` failed
    with UnicodeEncodeError (exit 1) and an empty file. Piped output is UTF-8 whatever the
    locale's encoding (here ASCII); an encoding the user sets is kept, "?" for what it lacks."""
    import os
    import subprocess
    import sys

    args = [sys.executable, "-m", "mealplan", "targets", "--age", "34", "--sex", "female"]
    repo = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    ascii_locale = {**env, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = subprocess.run(args, capture_output=True, check=False, env=ascii_locale, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "magnesium ≥ 320 mg a day" in done.stdout.decode("utf-8")
    chosen = subprocess.run(args, capture_output=True, check=False, env={**env, "PYTHONIOENCODING": "cp1252"},
                            cwd=repo)  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert "magnesium ? 320 mg a day" in chosen.stdout.decode("cp1252")


def test_a_search_longer_than_any_food_name_is_refused_without_echoing_it() -> None:
    result = runner.invoke(app, ["foods", "search", "zq" * 50_000])
    assert result.exit_code == 2
    assert result.stderr == "Error: the search is 100,000 characters long; give at most 200\n"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["day", "--age", "abc"], "Error: --age 'abc' is not a number; give an age in years from 1 to 120, such as --age 34"),
        (["day", "--days", "2"], "Error: No such option: --days (Possible options: --foods)"),
        (["dya"], "Error: No such command 'dya'. Did you mean 'day'?"),
        (["week", "--days", "2.5"], "Error: --days '2.5' is not a whole number; give a whole number of days from 1 to 28"),
        (["batch", "x", "--out", "y", "--workers", "two"], "Error: --workers 'two' is not a whole number; give a whole number"),
    ],
)
def test_the_console_command_gives_click_s_usage_errors_in_one_line(args: list[str], line: str) -> None:
    """`mealplan` (main) prints Click's usage errors as one line, like every other error."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mealplan", *args], capture_output=True, text=True, check=False)
    assert "Usage:" not in done.stderr
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")


def test_a_usda_search_puts_the_food_itself_first_and_suggests_spellings() -> None:
    """Found in QA: plain Honey came 61st of 67 for "honey" (the list was by magnesium, and
    foods made with honey have more), so the default 25 hid it; "wallnut" found nothing and
    said only to try fewer words."""
    result = runner.invoke(app, ["foods", "search", "honey", "--all"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split()[0] == "19296"  # SR28 "Honey"
    walnuts = runner.invoke(app, ["foods", "search", "walnuts", "--all"]).stdout.splitlines()[1:4]
    assert all("Nuts, walnuts" in line for line in walnuts)
    typo = runner.invoke(app, ["foods", "search", "wallnut", "--all"])
    assert typo.exit_code == 2
    assert typo.stderr == "Error: no USDA food matches 'wallnut'; did you mean: walnut, walnuts?\n"


def test_a_search_word_matches_at_the_start_of_a_word_and_the_food_it_names_comes_first() -> None:
    """QA: a search word was found inside other words, so "oats" listed buckwheat (its
    "groats") before oats, "tea" ranked Salisbury steak and "Frijoles rojos volteados" above
    instant tea, and "oat" found goat and tahini (its "seed coat"). A word now matches the
    start of a word ("oat" finds Oats, Oat bran and Oatmeal), whole words and the food's own
    name first, and a word only inside another word (a compound: "milk" in "soymilk") last."""
    pool = runner.invoke(app, ["foods", "search", "oats"])
    assert pool.exit_code == 0, pool.output
    assert [line[:24].strip() for line in pool.stdout.splitlines()] == ["oats", "buckwheat"]
    tea = runner.invoke(app, ["foods", "search", "tea", "--all", "--limit", "12"])
    assert tea.exit_code == 0, tea.output
    hits = tea.stdout.splitlines()[1:-1]
    assert len(hits) == 12 and [h.split()[0] for h in hits[:3]] == ["35078", "35238", "14353"]
    assert all(re.search(r"\bTea\b", h, re.I) for h in hits), hits
    oat = runner.invoke(app, ["foods", "search", "oat", "--all", "--limit", "10000"])
    assert oat.exit_code == 0, oat.output
    found = [h.split()[0] for h in oat.stdout.splitlines()[1:-1]]
    assert found[:4] == ["20038", "20033", "20132", "20034"]  # Oats, then Oat bran and flour
    starts = [bool(re.search(r"\boat", h, re.I)) for h in oat.stdout.splitlines()[1:-1]]
    assert starts == sorted(starts, reverse=True)  # every word start before any word inside a word
    inside = set(found[starts.index(False):])
    assert {"17168", "12171", "20010"} <= inside  # goat, tahini (seed coat), buckwheat groats


def test_match_rank_orders_the_food_named_whole_words_and_word_starts() -> None:
    from mealplan.catalog import match_rank, search_words

    assert search_words("Kellogg's  OAT-bran") == ["kellogg", "s", "oat", "bran"]
    oat = search_words("oat")
    assert [match_rank(oat, text.split(",")[0], text) for text in (
        "Oats", "Oat bran, raw", "Oatmeal, cooked", "Cereals, oats, dry", "Cereals, Instant Oatmeal", "Goat, raw",
        "Seeds, sesame butter (seed coat)", "Buckwheat groats", "Beef, raw")] == [0, 1, 2, 3, 4, 5, 5, 5, None]  # fmt: skip
    assert match_rank(search_words("berry"), "Blueberries", "Blueberries, raw") == 5
    assert match_rank(search_words("blueberry"), "Blueberries", "Blueberries, raw") == 0


def test_version_prints_the_package_version() -> None:
    from mealplan import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"mealplan {__version__}\n"


def test_solver_options_show_the_solver_s_defaults() -> None:
    """Found in QA: --solver and --time-limit showed no default. The help is made from the
    solver's constants, so these are the numbers the planner uses."""
    from mealplan.solver import DEFAULT_GAP, DEFAULT_SOLVER, DEFAULT_TIME_LIMIT_S, ONE_DAY_GAP

    week = " ".join(runner.invoke(app, ["week", "--help"]).stdout.split())
    assert f"--solver <str> highs or cbc (default {DEFAULT_SOLVER})." in week
    assert f"--time-limit <float> Seconds the solver may take, 0.1 to 86400 (default {DEFAULT_TIME_LIMIT_S:g})." in week
    assert (f"--gap <float> Relative MIP gap to stop at (default: {ONE_DAY_GAP:g}, proven optimal, for one day; "
            f"{DEFAULT_GAP:g} = {DEFAULT_GAP:.0%} for more days).") in week  # fmt: skip
    topup = " ".join(runner.invoke(app, ["topup", "--help"]).stdout.split())
    assert (f"--gap <float> Relative MIP gap to stop at (default: {ONE_DAY_GAP:g}, proven optimal, for one day; "
            f"{DEFAULT_GAP:g} = {DEFAULT_GAP:.0%} for more days).") in topup  # fmt: skip


def test_require_and_why_help_say_what_they_do() -> None:
    week = " ".join(runner.invoke(app, ["week", "--help"]).stdout.split())
    assert "A food to eat every day, or FOOD=N on at least N days a week (repeatable)." in week
    assert "share of the day (not in CSV: its columns are fixed)." in week


@pytest.mark.parametrize("fmt", ["MD", "Markdown", "md"])
def test_format_takes_any_case(fmt: str) -> None:
    """Found in QA: --format MD was refused while --output f.JSON was taken. The conflict
    message shows the format was understood; nothing is planned."""
    from mealplan.cli import output_format

    assert output_format(fmt, None, force=False) == "markdown"
    result = runner.invoke(app, ["day", "--age", "30", "--sex", "female", "--format", fmt, "--output", "plan.JSON"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: --format markdown conflicts with --output plan.JSON, whose extension says json; "
        "drop --format or name the file plan.md\n"
    )


def test_foods_shows_every_serving_whole_with_its_grams() -> None:
    """Found in QA: the serving column was cut at 34 characters, mid-word, hiding the grams. And
    each serving is said as a plan says it (QA: "2 kernel"; oats' "1/2 cup", "1/2 cup, dry" in plans)."""
    from mealplan.catalog import load_foods
    from mealplan.plan import food_measure

    lines = runner.invoke(app, ["foods"]).stdout.splitlines()
    for food in load_foods():
        row = next(line for line in lines if f" {food.ndb_no} " in line)
        assert f"{food_measure(food, 1)} ({food.serving_grams:g} g)" in row, row
    listing = "\n".join(lines)
    assert "sweet corn               11168  vegetables 1 medium ear (6-3/4\" to 7-1/2\" long) (103 g)" in listing
    for row in ("brazil nuts              12078  nuts       2 kernels (10 g) ",
                "oats                     08120  grains     1/2 cup, dry (40.5 g) ",
                "popcorn                  19034  grains     1 oz (28.4 g) "):  # fmt: skip
        assert row in listing


def test_a_serving_too_long_for_its_column_ends_in_an_ellipsis_and_keeps_its_grams() -> None:
    from mealplan.cli import serving_text

    measure = '1 ear medium (6-3/4" to 7-1/2" long)'
    assert serving_text(measure, 103) == '1 ear medium (6-3/4" to 7-1/2" long) (103 g)'
    assert serving_text(measure, 103, 34) == '1 ear medium (6-3/4" to 7… (103 g)'
    assert len(serving_text(measure, 103, 34)) == 34
    assert serving_text("1 cup", 245, 34) == "1 cup (245 g)"


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--name", "Ana", "--age", "34", "--sex", "female"], "Daily targets for Ana, a 34-year-old female:"),
        (["--age", "17", "--sex", "female", "--pregnant"], "Daily targets for a pregnant 17-year-old female:"),
        (["--age", "30", "--sex", "female", "--lactating"], "Daily targets for a lactating 30-year-old female:"),
        (["--age", "8", "--sex", "male"], "Daily targets for an 8-year-old male:"),
        (["--age", "11", "--sex", "male"], "Daily targets for an 11-year-old male:"),
        (["--age", "1.5", "--sex", "female"], "Daily targets for a 1.5-year-old female:"),
    ],
)  # fmt: skip
def test_targets_name_the_person_in_a_sentence(args: list[str], first_line: str) -> None:
    """Found in QA: 'Daily targets for Ana: 34-year-old female:' (two colons) and
    'for 17-year-old female pregnant:'."""
    result = runner.invoke(app, ["targets", *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == first_line


def test_targets_give_each_source_after_what_it_supports_without_nested_parentheses() -> None:
    """Found in QA: the trimester advice held the DGA source in its parentheses, and the
    magnesium source had parentheses in parentheses."""
    result = runner.invoke(app, ["targets", "--age", "17", "--sex", "female", "--pregnant"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "  magnesium ≥ 400 mg a day — RDA for pregnancy 14–18 y (FNB/IOM 1997 Dietary Reference Intakes, "
        "doi:10.17226/5776)"
    )
    assert lines[2] == (
        "  energy 2223–2457 kcal (target 2340 ± 5%) — DGA estimate for a moderate female aged 17, +340 kcal for "
        "trimester 2 (Dietary Guidelines for Americans 2020–2025, Appendix 2); trimester 2 is assumed: set --trimester"
    )
    given = runner.invoke(app, ["targets", "--age", "17", "--sex", "female", "--pregnant", "--trimester", "3"])
    assert given.stdout.splitlines()[2] == (
        "  energy 2329–2575 kcal (target 2452 ± 5%) — DGA estimate for a moderate female aged 17, +452 kcal for "
        "trimester 3 (Dietary Guidelines for Americans 2020–2025, Appendix 2)"
    )


def test_a_top_up_s_bound_is_a_lower_bound() -> None:
    """The top-up minimises, so its bound is a lower bound; a plan (which maximises) keeps 'bound'."""
    topup = runner.invoke(app, ["topup", "--age", "52", "--sex", "female", "--current-intake", "230",
                                "--calories", "300", "--days", "1"])  # fmt: skip
    assert topup.exit_code == 0, topup.output
    solver_line = next(line for line in topup.stdout.splitlines() if line.startswith("Solver: "))
    assert " (lower bound " in solver_line, solver_line
    day = runner.invoke(app, ["day", "--age", "34", "--sex", "female", "--calories", "1900"])
    solver_line = next(line for line in day.stdout.splitlines() if line.startswith("Solver: "))
    assert " (bound " in solver_line and "lower bound" not in solver_line, solver_line


def test_csv_puts_the_plan_s_warnings_and_care_note_on_stderr(tmp_path: Path) -> None:
    """A CSV has no place for warnings; the other formats carry them in the document."""
    from mealplan.plan import CARE_NOTE

    args = ["day", "--age", "34", "--sex", "female", "--calories", "1900", "--add-food", "19296", "--exclude", "milk"]
    warning = ("Warning: honey [19296] may contain milk (added from USDA, which does not list allergens or diets) "
               "and is left out (--exclude milk)")  # fmt: skip
    out = tmp_path / "plan.csv"
    written = runner.invoke(app, [*args, "--output", str(out)])
    assert written.exit_code == 0, written.output
    # The table's solver line too (its seconds vary): every output states the gap.
    solver = re.compile(r"Solver: cbc, certified optimal within the gap asked: gap 0\.00%, objective \d+ "
                        r"\(bound \d+\), \d+\.\d\d s \(one model\)")  # fmt: skip
    sodium = re.compile(r"Note: the plan's foods hold less sodium than its Adequate Intake: .*")
    fiber = re.compile(r"Note: the plan's fiber is well above its Adequate Intake: .*")
    near = re.compile(r"Note: the plan's food comes near the upper level of iron, .*")
    b12 = re.compile(r"Warning: the plan holds no animal food, so its vitamin B12 .*")
    stated = written.stderr.splitlines()
    assert (b12.fullmatch(stated[2]) and sodium.fullmatch(stated[3]) and fiber.fullmatch(stated[4])
            and near.fullmatch(stated[5]) and solver.fullmatch(stated[6])), stated  # fmt: skip
    # The inputs it was asked with, as the other formats say them in the document (audit).
    asked = ("Asked with: 34-year-old female, 1,900 kcal a day; 1 day, seed 0; solver cbc, gap 0%, time limit 20 s; "
             "at least 7 foods and 4 categories a day; energy ±5%; macronutrient ranges, fiber target, sodium limit "
             "and upper limits on; excluding milk; foods from default pool + USDA 19296")  # fmt: skip
    # The file is said written last, once it is in place (output.all_or_none).
    assert stated == ["Keeps to: leaves out milk", warning, *stated[2:7], asked, f"Note: {CARE_NOTE}",
                      f"Wrote {out} (csv)."]  # fmt: skip
    assert "Warning" not in out.read_text(encoding="utf-8")
    printed = runner.invoke(app, [*args, "--format", "csv"])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == out.read_text(encoding="utf-8")
    told = printed.stderr.splitlines()
    assert b12.fullmatch(told[2]) and sodium.fullmatch(told[3]) and fiber.fullmatch(told[4])
    assert near.fullmatch(told[5]) and solver.fullmatch(told[6])
    assert told == ["Keeps to: leaves out milk", warning, *told[2:7], asked, f"Note: {CARE_NOTE}"]
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert as_json.stderr == ""
    data = json.loads(as_json.stdout)
    assert data["warnings"] == [warning.removeprefix("Warning: "), told[2].removeprefix("Warning: ")]
    assert data["notes"] == [told[n].removeprefix("Note: ") for n in (3, 4, 5)]


def test_foods_lists_each_foods_allergens_and_filters_as_a_plan_would() -> None:
    """Found in QA: the tags behind an exclusion could not be inspected, nor the foods a diet
    leaves, so a caregiver could not check a plan against them."""
    listing = runner.invoke(app, ["foods", "--category", "cocoa"])
    assert listing.exit_code == 0
    rows = {line.split()[0] + " " + line.split()[1]: line for line in listing.stdout.splitlines()[1:]}
    assert rows["dark chocolate"].endswith("may: milk, tree nuts, peanuts, soy")
    assert listing.stdout.splitlines()[0].endswith("allergens")
    vegan_no_milk = runner.invoke(app, ["foods", "--diet", "vegan", "--exclude", "milk", "--category", "cocoa"])
    assert vegan_no_milk.exit_code == 0
    names = [line.split("  ")[0].strip() for line in vegan_no_milk.stdout.splitlines()[1:]]
    assert names == ["cocoa powder"]
    bad = runner.invoke(app, ["foods", "--exclude", "milk,egg"])
    assert bad.exit_code == 2 and "is a list" in bad.output


def test_upper_limits_are_printed_and_can_be_switched_off(tmp_path: Path) -> None:
    """The ULs of calcium, iron, phosphorus and zinc are targets like sodium's: printed, and
    switched off by --no-upper-limits, a profile's upper_limits = false, or a household
    member's (QA: plans went over them, an adult's iron at 50–61 mg against 45)."""
    line = ("calcium ≤ 2,000 mg, iron ≤ 45 mg, phosphorus ≤ 3,000 mg, zinc ≤ 40 mg (upper intake levels, which "
            "count food; IOM 1997, 2001, 2011)")  # fmt: skip
    assert line in runner.invoke(app, ["targets", "--age", "72", "--sex", "male"]).output
    assert "upper intake levels" not in runner.invoke(app, ["targets", "--age", "72", "--sex", "male",
                                                            "--no-upper-limits"]).output  # fmt: skip
    profile = tmp_path / "p.toml"
    profile.write_text('age = 40\nsex = "male"\nupper_limits = false\n', encoding="utf-8")
    out = tmp_path / "p.json"
    assert runner.invoke(app, ["day", "--profile", str(profile), "--output", str(out)]).exit_code == 0
    member = json.loads(out.read_text(encoding="utf-8"))["members"][0]
    assert member["targets"]["upper_limits_mg"] == {}
    assert not any("upper limit" in c["name"] for day in member["days"] for c in day["checks"])
    household = tmp_path / "h.toml"
    household.write_text('[household]\ndays = 1\n[[members]]\nname = "A"\nage = 40\nsex = "male"\n'
                         'upper_limits = false\n[[members]]\nname = "B"\nage = 40\nsex = "female"\n',
                         encoding="utf-8")  # fmt: skip
    out = tmp_path / "h.json"
    assert runner.invoke(app, ["household", str(household), "--output", str(out)]).exit_code == 0
    members = json.loads(out.read_text(encoding="utf-8"))["members"]
    assert [m["targets"]["upper_limits_mg"] == {} for m in members] == [True, False]


def test_the_request_states_the_gap_solved_to_the_default_too(tmp_path: Path) -> None:
    """QA: request.solver.gap was null when the default applied, so a reader of the JSON could
    not see the 2% that 'optimal' was proven within."""
    for args, gap in ((["day"], 0.0), (["week", "--days", "2"], 0.02), (["week", "--days", "2", "--gap", "0.05"], 0.05)):
        out = tmp_path / "p.json"
        result = runner.invoke(app, [*args, "--age", "40", "--sex", "male", "--output", str(out), "--force"])
        assert result.exit_code == 0, result.output
        assert json.loads(out.read_text(encoding="utf-8"))["request"]["solver"]["gap"] == gap, args


def test_csv_gives_the_cost_on_stderr_as_it_does_the_warnings() -> None:
    """QA: docs/households.md says the cost is stated in every format; CSV had none."""
    prices = Path(__file__).resolve().parents[1] / "data" / "prices.csv"
    result = runner.invoke(app, ["day", "--age", "40", "--sex", "male", "--prices", str(prices), "--budget", "60",
                                 "--format", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert re.search(r"^Cost: \d+\.\d\d for the day \(budget 8\.57\), at the prices given: the food eaten, priced per 100 g "
                     r"as eaten \(whole packs on the shopping list can cost more\)$", result.stderr, re.M)
    assert "Cost:" not in result.stdout


def test_the_solver_takes_any_case_as_format_and_sex_do() -> None:
    """QA: --format MD and --sex Female were taken, --solver HIGHS refused."""
    result = runner.invoke(app, ["day", "--age", "40", "--sex", "Male", "--solver", "HIGHS", "--gap", "0.1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["day", "--age", "40", "--sex", "m", "--solver", "CBC", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["solver"]["name"] == "cbc"


def test_targets_cautions_about_calories_as_a_plan_does() -> None:
    """Dietitian QA: `targets` printed 800 kcal for a pregnant 16-year-old, and 2,500 for a
    2-year-old, with no caution, where `day` warned."""
    low = runner.invoke(app, ["targets", "--age", "16", "--sex", "female", "--pregnant", "--calories", "800"])
    assert low.exit_code == 0, low.output
    assert low.stderr == ("Warning: 800 kcal a day is well under the 2,340 kcal the Dietary Guidelines estimate in "
                          "pregnancy; ask a doctor or dietitian before eating this little\n")  # fmt: skip
    high = runner.invoke(app, ["targets", "--age", "2", "--sex", "female", "--calories", "2500"])
    assert high.stderr.startswith("Warning: 2,500 kcal a day is well over the 1,000 kcal")
    assert runner.invoke(app, ["targets", "--age", "34", "--sex", "female"]).stderr == ""


def test_foods_says_when_an_exclusion_leaves_nothing_of_the_pool_out() -> None:
    """QA: `mealplan foods --exclude coconut` listed every food without a word; a plan said
    that no pool food's USDA name holds it, and so does the list now, on stderr."""
    result = runner.invoke(app, ["foods", "--exclude", "coconut"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Note: --exclude coconut: no pool food's USDA name holds 'coconut', so no plan holds it by name (the "
        "ingredients of packaged foods are not checked)"]  # fmt: skip
    assert runner.invoke(app, ["foods"]).stdout == result.stdout  # the whole pool


def test_help_gives_the_ranges_of_days_and_time_limit() -> None:
    """QA: --days 1-28 and --time-limit from 0.1 s were learnt only from the error."""
    from mealplan.cli import DAYS_RANGE
    from mealplan.planner import MAX_DAYS

    assert DAYS_RANGE == f"1 to {MAX_DAYS}"
    for command in ("week", "topup", "household"):
        shown = " ".join(runner.invoke(app, [command, "--help"], terminal_width=200).stdout.split())
        assert f"Number of days, 1 to {MAX_DAYS}" in shown, command
        assert "Seconds the solver may take, 0.1 to 86400 (default 20)" in shown, command

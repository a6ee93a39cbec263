"""Unknown names, malformed profiles and conflicting options: exit 2, one exact line on
stderr that names the problem and the fix, and never a traceback. No plan is solved here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mealplan import output
from mealplan.cli import emit
from mealplan.errors import InputError
from mealplan.report import format_for
from tests.prefs_helpers import cli, planned_items

PERSON = ["day", "--age", "40", "--sex", "male"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exclude", "almnds"], "unknown food 'almnds'; did you mean: almonds, almond butter?"),
        (["--require", "almnds"], "unknown food 'almnds'; did you mean: almonds, almond butter?"),
        (["--like", "pumkin seeds"], "unknown food 'pumkin seeds'; did you mean: pumpkin seeds?"),
        (["--dislike", "brocoli=2"], "unknown food 'brocoli'; did you mean: broccoli?"),
        (["--exclude", "nutz"], "unknown food 'nutz'; did you mean: nuts, pine nuts, tree nuts?"),
        # A typo of a word --exclude takes from the allergen-food lists (anchovy: fish).
        (["--exclude", "anchvy"], "unknown food 'anchvy'; did you mean: anchovy?"),
        # Allergy QA: a typo of a group's word was offered casein (a milk protein), coffee or nothing.
        (["--exclude", "cafeine"], "unknown food 'cafeine'; did you mean: caffeine?"),
        (["--exclude", "caffiene"], "unknown food 'caffiene'; did you mean: caffeine?"),
        (["--exclude", "glutten"], "unknown food 'glutten'; did you mean: gluten?"),
        (["--exclude", "gluton"], "unknown food 'gluton'; did you mean: gluten?"),
        (["--exclude", "shelfish"], "unknown food 'shelfish'; did you mean: shellfish?"),
        (["--dislike", "cafeine"], "unknown food, category or allergen 'cafeine'; did you mean: caffeine?"),
        (["--max-servings", "nutz=1"], "unknown food or category 'nutz'; did you mean: nuts, pine nuts, brazil nuts?"),
        (["--diet", "keto"],
         "unknown diet 'keto'; choose one of: dairy-free, gluten-free, pescatarian, vegan, vegetarian"),
        (["--require", "spinach"], "'spinach' is 2 foods (spinach (cooked), spinach (raw)); name one of them"),
    ],
)  # fmt: skip
def test_unknown_names_get_the_closest_known_names(args: list[str], message: str) -> None:
    result = cli(*PERSON, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--require", "fish"], "--require takes a food, and fish is a category: require one of its foods, such as "
                                "mackerel, or --like fish"),
        (["--require", "nuts"], "--require takes a food, and nuts is a category: require one of its foods, such as "
                                "almonds, or --like nuts"),
        (["--require", "tree nuts"], "--require takes a food, and tree nuts is an allergen: require one of the foods "
                                     "that hold it, such as almonds, or --like tree nuts"),
        (["--require", "Vegan"], "--require takes a food, and Vegan is a diet: keep to it with --diet vegan"),
        (["--max-servings", "tree nuts=1"], "--max-servings takes a food or a category; tree nuts is an allergen: "
                                            "cap the category nuts"),
        (["--max-servings", "sesame=1"], "--max-servings takes a food or a category; sesame is an allergen: cap the "
                                         "categories seeds and legumes"),
        (["--max-servings", "vegan=1"], "--max-servings takes a food or a category; vegan is a diet: keep to it with "
                                        "--diet vegan"),
        (["--exclude", "sulfites"], "--exclude sulfites: the food data does not tag sulfites (it tags milk, egg, fish, "
                                    "shellfish, tree nuts, peanuts, wheat, soy, sesame); USDA's names mark as "
                                    "sulfured: dried apricots (--exclude 'dried apricots'); exclude by name the foods "
                                    "that hold them"),
        (["--require", "caffeine"], "--require takes a food, and caffeine names the caffeinated drinks: require "
                                    "one of them, such as espresso, or --like caffeine"),
        (["--max-servings", "caffeine=1"], "--max-servings takes a food or a category; caffeine names the caffeinated "
                                           "drinks: cap them one by one (espresso, black tea, coffee, green tea)"),
        # A food of an allergen that the pool lacks is still an unknown food, and a typo a typo.
        (["--require", "shrimp"], "unknown food 'shrimp'; run `mealplan foods` to list the known names"),
        (["--require", "almnds"], "unknown food 'almnds'; did you mean: almonds, almond butter?"),
    ],
)  # fmt: skip
def test_a_group_given_where_a_food_goes_is_named_as_one_with_what_the_option_takes(
    args: list[str], message: str
) -> None:
    """QA: --require fish said "did you mean: dried figs?", --require nuts "pine nuts, brazil
    nuts?", --max-servings "tree nuts=1" "greens, pine nuts?" and foods --exclude sulfites
    "split peas?": a category, allergen or diet the option does not take is said to be one."""
    result = cli(*PERSON, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    if args[0] == "--exclude":
        listing = cli("foods", *args)
        assert (listing.exit_code, listing.stderr, listing.stdout) == (2, f"Error: {message}\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--diet", "vegan", "--require", "salmon"],
         "--require salmon conflicts with --diet vegan: salmon is not vegan; drop one of the two"),
        (["--exclude", "nuts", "--require", "almonds"],
         "--require almonds conflicts with --exclude nuts: almonds contains tree nuts; drop one of the two"),
        (["--exclude", "tree-nuts", "--require", "almonds"],
         "--require almonds conflicts with --exclude tree-nuts: almonds contains tree nuts; drop one of the two"),
        (["--exclude", "gluten", "--like", "oats"],
         "--like oats conflicts with --exclude gluten: oats is not gluten-free; drop one of the two"),
        (["--budget", "60"], "--budget needs prices; give --prices FILE"),
        (["--prices", "data/prices.csv", "--budget", "-5"],
         "--budget -5 is out of range; give more than 0 and less than 10,000,000 a week"),
        (["--require", "chia seeds=9"], "--require chia seeds=9: give a whole number of days a week from 1 to 7"),
        # QA: 0 was told "from 1 to 28", where 8 was told the week's range.
        (["--require", "chia seeds=0"], "--require chia seeds=0: give a whole number of days a week from 1 to 7"),
        (["--like", "oats=20"], "--like oats=20: the weight is out of range; give more than 0, up to 10"),
        (["--max-servings", "nuts=1.3"], "--max-servings nuts=1.3: give a whole or half number from 0 to 10"),
        (["--max-servings", "nuts"], "--max-servings 'nuts': give NAME=NUMBER, e.g. nuts=1"),
    ],
)  # fmt: skip
def test_conflicting_or_bad_options_are_refused(args: list[str], message: str) -> None:
    result = cli(*PERSON, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message}\n"
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("age = \n", "profile file {path} is not valid TOML (Invalid value (at line 1, column 7)); fix the syntax"),
        ("[person\nage = 40\n", "profile file {path} is not valid TOML (Expected ']' at the end of a table declaration "
         "(at line 1, column 8)); fix the syntax"),
        ('age = "forty"\nsex = "male"\n', "{path}: key 'age' must be a number, not 'forty'"),
        ("age = 40\nsex = \"male\"\nexclude = 3\n", "{path}: key 'exclude' must be a list of texts, not 3"),
        ("age = 40\nsex = \"male\"\n[preferences]\nmax_servings = { nuts = \"one\" }\n",
         "{path}: key 'max_servings' must be a list of NAME=NUMBER texts or a table of name = number, not {{'nuts': 'one'}}"),
        ("agee = 40\n", "{path}: unknown key 'agee'; did you mean: age?"),
        ("age = 40\nsex = \"male\"\n[preferences]\ndislikes = [\"tofu\"]\n",
         "{path}: unknown key 'dislikes'; did you mean: dislike, like?"),
        ("age = 40\n[person]\nage = 41\n", "{path}: key 'age' is given twice; keep one"),
    ],
)  # fmt: skip
def test_bad_profiles_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "me.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("day", "--profile", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message.format(path=path)}\n"
    assert "Traceback" not in result.output


def test_a_missing_profile_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    result = cli("week", "--profile", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: profile file {path} does not exist; check the path\n"


@pytest.mark.parametrize(
    "args",
    [
        ["week", "--age", "40", "--sex", "male"],
        ["day", "--age", "40", "--sex", "male"],
        ["topup", "--age", "40", "--sex", "male", "--current-intake", "200", "--calories", "300"],
        ["household", "no-such-household.toml"],
    ],
    ids=["week", "day", "topup", "household"],
)
@pytest.mark.parametrize("fmt", [[], ["--format", "json"]], ids=["no format", "json"])
def test_an_output_folder_is_called_a_folder_with_or_without_format(
    tmp_path: Path, args: list[str], fmt: list[str]
) -> None:
    result = cli(*args, *fmt, "--output", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {tmp_path} is a folder; give a file name for --output\n"
    assert result.stdout == ""


def test_a_shopping_list_folder_is_called_a_folder(tmp_path: Path) -> None:
    result = cli("week", "--age", "40", "--sex", "male", "--shopping-list", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {tmp_path} is a folder; give a file name for --shopping-list\n"


@pytest.mark.parametrize("why", ["file in the way", "read-only folder"])
def test_an_unwritable_shopping_list_names_shopping_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    blocked = tmp_path / "blocked"
    if why == "file in the way":
        blocked.write_text("a file, not a folder\n", encoding="utf-8")
        reason = f"{blocked} is a file, not a folder"
    else:
        blocked.mkdir()
        # Tests run as root, who may write anywhere; os.access is what a normal user would get.
        real_access = os.access
        monkeypatch.setattr(output.os, "access", lambda path, mode: Path(path) != blocked and real_access(path, mode))
        reason = f"folder {blocked} is not writable"
    shopping = blocked / "s.md"
    result = cli("week", "--age", "40", "--sex", "male", "--output", str(tmp_path / "w.json"),
                 "--shopping-list", str(shopping))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: cannot write {shopping}: {reason}; choose another --shopping-list\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


def test_a_shopping_list_that_fails_at_write_time_names_shopping_list(tmp_path: Path) -> None:
    """The checks are repeated when the file is written (after planning); that message too."""
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("a file, not a folder\n", encoding="utf-8")
    shopping = in_the_way / "s.md"
    with pytest.raises(InputError) as caught:
        emit("- oats\n", output=shopping, force=False, fmt="shopping list, markdown", option="--shopping-list")
    assert (
        str(caught.value)
        == f"cannot write {shopping}: {in_the_way} is a file, not a folder; choose another --shopping-list"
    )
    with pytest.raises(InputError) as caught:
        emit("{}\n", output=shopping, force=False, fmt="json")
    assert str(caught.value).endswith("; choose another --output")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["day", "--age", "40", "--sex", "male", "--output", ""],
         "--output is empty; give a file name, e.g. --output day.json"),
        (["week", "--age", "40", "--sex", "male", "--output", " "],
         "--output is empty; give a file name, e.g. --output week.json"),
        (["topup", "--age", "40", "--sex", "male", "--current-intake", "200", "--calories", "300", "--output", ""],
         "--output is empty; give a file name, e.g. --output topup.json"),
        (["household", "no-such-household.toml", "--output", ""],
         "--output is empty; give a file name, e.g. --output household.json"),
        (["week", "--age", "40", "--sex", "male", "--shopping-list", ""],
         "--shopping-list is empty; give a file name, e.g. --shopping-list shopping.csv"),
        (["household", "no-such-household.toml", "--shopping-list", ""],
         "--shopping-list is empty; give a file name, e.g. --shopping-list shopping.csv"),
    ],
)  # fmt: skip
def test_an_empty_file_name_is_called_empty(args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message}\n"


@pytest.mark.parametrize(
    ("option", "example"), [("--output", "week.json"), ("--shopping-list", "shopping.csv")]
)  # fmt: skip
def test_a_name_typed_as_a_folder_is_refused_not_written_without_its_slash(
    option: str, example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Path("week.md/") is Path("week.md"): QA's --output week.md/ wrote the file week.md."""
    monkeypatch.chdir(tmp_path)
    result = cli("week", "--age", "40", "--sex", "male", "--days", "2", option, "week.md/")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: {option} 'week.md/' ends with '/', so it names a folder; give a file name, e.g. {option} {example}\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["list.json", "list.html", "list.txt", "list.pdf", "list"])
@pytest.mark.parametrize("command", [["week", "--age", "40", "--sex", "male"], ["household", "no-such-household.toml"]],
                         ids=["week", "household"])  # fmt: skip
def test_a_shopping_list_name_gets_the_extensions_it_takes(command: list[str], name: str) -> None:
    result = cli(*command, "--shopping-list", name)
    assert result.exit_code == 2, result.output
    stem = name.split(".")[0]
    assert result.stderr == (
        f"Error: --shopping-list {name}: the shopping list is written as Markdown (.md, .markdown) or CSV (.csv); "
        f"name it {stem}.md or {stem}.csv\n"
    )


def test_md_is_another_name_for_markdown() -> None:
    assert format_for("md", None) == "markdown"
    assert format_for("md", Path("plan.md")) == "markdown"
    assert format_for("md", Path("plan.txt")) == "markdown"
    with pytest.raises(InputError) as caught:
        format_for("md", Path("plan.json"))
    assert str(caught.value) == (
        "--format markdown conflicts with --output plan.json, whose extension says json; "
        "drop --format or name the file plan.md"
    )
    help_text = cli("day", "--help").stdout
    assert "table, markdown (or md), csv, json or html" in " ".join(help_text.split())


@pytest.mark.parametrize(
    ("command", "force_help"),
    [(["week"], "Replace --output and --shopping-list if they exist."),
     (["household"], "Replace --output and --shopping-list if they exist."),
     (["day"], "Replace --output if it exists."), (["topup"], "Replace --output if it exists.")],
)  # fmt: skip
def test_force_names_the_files_the_command_writes(command: list[str], force_help: str) -> None:
    help_text = " ".join(cli(*command, "--help").stdout.split())
    assert f"--force / --no-force {force_help}" in help_text
    shopping = "--shopping-list <path> Also write the shopping list to this file (.md, .markdown or .csv)."
    assert (shopping in help_text) == (force_help != "Replace --output if it exists.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('age = 52\nsex = "female"\ncurrent_intake = 230\ncalories = 100\n',
         "missing --calories; give the most kcal a day the top-up may add, e.g. --calories 300 or "
         "topup_calories = 300 in {path} (its calories key is a whole day's energy, which a top-up does not use)"),
        ('age = 52\nsex = "female"\ncurrent_intake = 230\n',
         "missing --calories; give the most kcal a day the top-up may add, e.g. --calories 300 or "
         "topup_calories = 300 in {path}"),
        ('age = 52\nsex = "female"\n[plan]\ntopup_calories = 300\n',
         "missing --current-intake; give your usual magnesium from food in mg a day, e.g. --current-intake 230 or "
         "current_intake = 230 in {path}"),
    ],
    ids=["day calories", "no budget", "no intake"],
)  # fmt: skip
def test_a_top_up_profile_without_its_keys_is_told_their_names(tmp_path: Path, text: str, message: str) -> None:
    """Found in QA: `calories = 100` in a top-up profile gave "missing --calories", though the
    profile's key for the top-up's budget is topup_calories."""
    path = tmp_path / "topup.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("topup", "--profile", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {message.format(path=path)}\n"


def test_a_path_the_system_cannot_use_is_refused_as_input_not_as_a_bug(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: a file name over 255 bytes, or --out a loop of symbolic links, ended in 'unexpected
    failure … please report it' (exit 1)."""
    monkeypatch.chdir(tmp_path)
    long_name = "a" * 300
    expected = f"'{long_name[:60]}'… (File name too long)"
    result = cli("day", "--age", "40", "--sex", "male", "--output", f"{long_name}.json")
    assert (result.exit_code, result.stderr) == (2, f"Error: cannot write {expected}; choose another --output\n")
    result = cli("week", "--age", "40", "--sex", "male", "--shopping-list", f"{long_name}.md")
    assert (result.exit_code, result.stderr) == (2, f"Error: cannot write {expected}; choose another --shopping-list\n")
    Path("b.csv").write_text("household,name,age,sex\nh1,A,30,male\n", encoding="utf-8")
    result = cli("batch", "b.csv", "--out", long_name)
    assert (result.exit_code, result.stderr) == (2, f"Error: cannot use --out {expected}; choose another folder\n")
    Path("loop1").symlink_to("loop2")
    Path("loop2").symlink_to("loop1")
    result = cli("batch", "b.csv", "--out", "loop1")
    assert (result.exit_code, result.stderr) == (
        2, "Error: cannot use --out 'loop1' (a loop of symbolic links); choose another folder\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv", "loop1", "loop2"]


def test_a_dash_for_output_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: --output - wrote a file named '-' and printed nothing."""
    monkeypatch.chdir(tmp_path)
    result = cli("day", "--age", "40", "--sex", "male", "--output", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] and list(tmp_path.iterdir()) == []
    result = cli("week", "--age", "40", "--sex", "male", "--shopping-list", "-")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --shopping-list -: only the plan goes to standard output; give a file name, e.g. "
        "--shopping-list shopping.csv\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--require", "oats", "--require", "oats=3"], "--require names 'oats' twice, with every day and 3; keep one"),
        (["--like", "oats", "--like", "Oats=2"], "--like names 'oats' twice, with 1 and 2; keep one"),
        (["--dislike", "kale=2", "--dislike", "kale=3"], "--dislike names 'kale' twice, with 2 and 3; keep one"),
    ],
)  # fmt: skip
def test_a_wish_given_twice_with_two_values_is_refused(args: list[str], message: str) -> None:
    """QA: the last of two values won silently (`--require oats --require oats=3` turned
    'every day' into 3 days a week)."""
    result = cli(*PERSON, *args)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_a_cap_given_twice_keeps_the_lower() -> None:
    """Caps are limits: of two, the lower holds, whichever comes last and however it is
    spelt (QA: a profile's OATS = 0.5 and oats = 2, or a household's 0.5 and a member's 2,
    planned 2). The same value twice is one."""
    from mealplan.options import _max_servings, parse_pairs

    assert parse_pairs(["oats=1", "OATS=2", " oats =1"], "max-servings", None) == {"oats": 1.0}
    assert parse_pairs(["oats=2", "oats=0.5"], "max-servings", None) == {"oats": 0.5}
    assert _max_servings({"OATS": 0.5, "oats": 2}) == {"OATS": 0.5}
    assert parse_pairs(["oats", "oats"], "like", 1.0) == {"oats": 1.0}


def test_prices_missing_a_planned_food_say_why_there_is_no_cost(tmp_path: Path) -> None:
    """QA: a prices file for oats alone gave a plan with no cost line and no word why."""
    prices = tmp_path / "prices.csv"
    prices.write_text("food,price_per_100g\noats,0.2\n", encoding="utf-8")
    result = cli("day", "--age", "34", "--sex", "female", "--prices", str(prices), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cost"] is None
    unpriced = sorted({i["name"] for i in planned_items(data)} - {"oats"})
    [warning] = [w for w in data["warnings"] if w.startswith("no cost is given")]
    assert warning.startswith(f"no cost is given: the prices file has no price for {', '.join(unpriced[:5])}")
    assert warning.endswith(f" and {len(unpriced) - 5} more, which the plan eats; price every food to see the cost")
    full = cli("day", "--age", "34", "--sex", "female", "--prices", "data/prices.csv", "--format", "json")
    assert json.loads(full.stdout)["cost"] is not None
    assert not [w for w in json.loads(full.stdout)["warnings"] if w.startswith("no cost is given")]


def test_lunch_and_dinner_without_a_protein_food_say_so() -> None:
    """QA: with legumes, nuts and seeds left out of a vegan day, lunch and dinner had no
    protein food, the rule dropped in silence; the plan now says so (and still plans)."""
    result = cli("day", "--age", "34", "--sex", "female", "--calories", "800", "--diet", "vegan", "--exclude",
                 "seeds", "--exclude", "legumes", "--exclude", "nuts", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "no food for lunch or dinner is a protein food (eggs, fish, legumes, poultry, soy) after the exclusions, "
        "so lunch and dinner have none"
    ) in json.loads(result.stdout)["warnings"]
    ordinary = cli("day", "--age", "34", "--sex", "female", "--format", "json")
    assert not [w for w in json.loads(ordinary.stdout)["warnings"] if "lunch and dinner have none" in w]


def test_a_vegan_plan_names_its_foods_that_may_contain_milk() -> None:
    """QA: --diet vegan kept whole-wheat bread (may contain milk), which --diet dairy-free leaves
    out, without a word. A diet keeps a food by its ingredients; the plan now says so."""
    result = cli("day", "--age", "34", "--sex", "female", "--diet", "vegan", "--require", "whole-wheat bread",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ("whole-wheat bread: packaged forms may contain traces of milk; it keeps your vegan diet by its "
            "ingredients, so read the label if traces matter to you") in json.loads(result.stdout)["warnings"]  # fmt: skip
    excluded = cli("day", "--age", "34", "--sex", "female", "--diet", "vegan", "--exclude", "milk", "--require",
                   "whole-wheat bread")  # fmt: skip
    assert excluded.exit_code == 2 and "whole-wheat bread" in excluded.stderr

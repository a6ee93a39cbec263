"""Files as spreadsheets save them (QA, a user outside the US): a Mac's bare CR line ends,
rows of empty cells at the end, ndb_no without its leading zeros, and a European export's
semicolons. Each is read as the user meant, or refused with the reason and the way out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from mealplan.catalog import load_foods
from mealplan.cli import app
from mealplan.prices import load_prices
from tests.prefs_helpers import POOL_CSV

DAY = ["day", "--age", "34", "--sex", "female"]


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def pool_as_a_spreadsheet_saves_it(line_end: str) -> bytes:
    """data/pool.csv opened and saved by a spreadsheet: numbers lose their leading zeros
    (01256 is 1256, in ndb_no, raw_ndb_no and made_from), a byte-order mark, ``line_end``
    after each row, and a last row of empty cells."""
    rows = list(csv.DictReader(POOL_CSV.open(encoding="utf-8", newline="")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator=line_end)
    writer.writeheader()
    for row in rows:
        row["ndb_no"] = str(int(row["ndb_no"]))
        if row["raw_ndb_no"]:
            row["raw_ndb_no"] = str(int(row["raw_ndb_no"]))
        if row["made_from"]:
            row["made_from"] = ";".join(str(int(n)) for n in row["made_from"].split(";"))
        writer.writerow(row)
    writer.writerow(dict.fromkeys(rows[0], ""))
    return out.getvalue().encode("utf-8-sig")


def test_a_foods_file_saved_by_a_spreadsheet_plans_as_the_pool(tmp_path: Path) -> None:
    """The same plan as the pool's, whatever the line ends, zeros and empty last row."""
    pool = run(*DAY, "--format", "json")
    assert pool.exit_code == 0, pool.output
    for name, line_end in (("mac.csv", "\r"), ("windows.csv", "\r\n")):
        path = tmp_path / name
        path.write_bytes(pool_as_a_spreadsheet_saves_it(line_end))
        planned = run(*DAY, "--foods", str(path), "--format", "json")
        assert planned.exit_code == 0, (name, planned.output)
        # The same meals, ndb_no with their zeros (01256) included.
        days = [d["meals"] for d in json.loads(planned.stdout)["members"][0]["days"]]
        assert days == [d["meals"] for d in json.loads(pool.stdout)["members"][0]["days"]], name


def test_a_foods_file_s_tags_are_read_in_any_case(tmp_path: Path) -> None:
    """QA: a foods file with slots "Breakfast" or "LUNCH", or category "FISH", was refused as
    "not one of breakfast, lunch, ...", though names are taken in any case on the command line.
    The enumerated columns are read as their names, in any case and with spaces, dashes or
    underscores alike; a name that is none of them is still refused, as written."""
    rows = list(csv.DictReader(POOL_CSV.open(encoding="utf-8", newline="")))
    cod = next(r for r in rows if r["name"] == "cod")
    tea = next(r for r in rows if r["name"] == "black tea")
    edited = [{**cod, "category": "FISH", "slots": "LUNCH; Dinner", "allergens": "Fish",
               "diets": "Pescatarian;Gluten Free;DAIRY-FREE"},
              {**tea, "slots": "Breakfast;snack", "may_contain": "Tree Nuts;MILK"}]  # fmt: skip
    path = tmp_path / "caps.csv"

    def write() -> None:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(edited)

    write()
    read = {f.name: f for f in load_foods(path)}
    assert (read["cod"].category, read["cod"].slots, read["cod"].allergens) == ("fish", ("lunch", "dinner"),
                                                                                 frozenset({"fish"}))  # fmt: skip
    assert read["cod"].diets == frozenset({"pescatarian", "gluten-free", "dairy-free"})
    assert read["black tea"].slots == ("breakfast", "snack")
    assert read["black tea"].may_contain == frozenset({"tree_nuts", "milk"})
    listed = run("foods", "--foods", str(path), "--exclude", "fish")
    assert listed.exit_code == 0 and [line.split()[0] for line in listed.stdout.splitlines()[1:]] == ["black"]
    edited[1]["slots"] = "Brunch;LUNCH"
    write()
    refused = run("foods", "--foods", str(path))
    assert (refused.exit_code, refused.stderr) == (
        2, f"Error: {path}:3:slots: 'Brunch' is not one of breakfast, lunch, dinner, snack; did you mean 'lunch'?\n")
    # QA: an allergen cell of "peanut", the word --exclude takes, was refused without the tag meant.
    edited[1]["slots"] = "lunch"
    edited[1]["allergens"] = "peanut;tree nut"
    write()
    refused = run("foods", "--foods", str(path))
    allergens = "milk, egg, fish, shellfish, tree_nuts, peanuts, wheat, soy, sesame"
    assert (refused.exit_code, refused.stderr.splitlines()) == (2, [
        f"Error: {path}: 2 problems; fix each of these lines:",
        f"{path}:3:allergens: 'peanut' is not one of {allergens}; did you mean 'peanuts'?",
        f"{path}:3:allergens: 'tree nut' is not one of {allergens}; did you mean 'tree_nuts'?"])  # fmt: skip


def test_a_prices_file_with_mac_line_ends_and_empty_rows_is_read(tmp_path: Path) -> None:
    """QA: bare CR line ends were refused with Python's 'universal-newline mode', and ',,,'
    rows at the end were unknown foods ''."""
    for name, content in (("cr.csv", b"food,price_per_100g\rcoffee,0.10\roats,0.25\r"),
                          ("empty.csv", b"food,price_per_100g,,\r\ncoffee,0.10,,\r\noats,0.25,,\r\n,,,\r\n,,,\r\n")):  # fmt: skip
        path = tmp_path / name
        path.write_bytes(content)
        planned = run(*DAY, "--prices", str(path))
        assert planned.exit_code == 0, (name, planned.output)
        # Read whole, not just without an error (coverage QA): both prices, nothing else.
        catalog = load_foods()
        assert load_prices(path, catalog) == {catalog.find("coffee").ndb_no: 0.10, catalog.find("oats").ndb_no: 0.25}


def test_semicolon_separated_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    """A European spreadsheet's export: the prices file and the foods file say what batch
    files said already (QA: 'the header must be …', or all 23 columns 'missing')."""
    prices = tmp_path / "prices.csv"
    prices.write_text("food;price_per_100g\ncoffee;0,10\n", encoding="utf-8")
    refused = run(*DAY, "--prices", str(prices))
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == (f"Error: {prices}:1: the columns are separated by ';'; save the file with ',' between "
                              "columns (CSV, comma-delimited) and a decimal point in prices (0.25)\n")  # fmt: skip
    foods = tmp_path / "foods.csv"
    header = POOL_CSV.read_text(encoding="utf-8").splitlines()[0]
    foods.write_text(header.replace(",", ";") + "\n", encoding="utf-8")
    refused = run(*DAY, "--foods", str(foods))
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == (f"Error: {foods}:1: the columns are separated by ';'; save the file with ',' between "
                              "columns (CSV, comma-delimited) and decimal points in numbers (12.5)\n")  # fmt: skip


def test_a_batch_with_mac_line_ends_and_empty_rows_plans_its_households(tmp_path: Path) -> None:
    """QA: bare CR line ends failed as an unexpected error (exit 1), and ',,,,' rows became
    invalid households 'row-4' and 'row-5' (exit 5) though every real one was planned."""
    for name, content in (("cr.csv", "household,name,age,sex,days\rh1,Zoë,34,female,1\r"),
                          ("empty.csv", "household,name,age,sex,days,,\nh1,Zoë,34,female,1,,\n,,,,,,\n,,,,,,\n")):  # fmt: skip
        rows = tmp_path / name
        rows.write_bytes(content.encode("utf-8"))
        out = tmp_path / f"out-{name}"
        result = run("batch", str(rows), "--out", str(out), "--workers", "1", "--gap", "0.05")
        assert result.exit_code == 0, (name, result.output)
        summary = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
        assert [(r["household"], r["status"]) for r in summary] == [("h1", "planned")], name


def test_a_batch_s_column_names_are_read_in_any_case(tmp_path: Path) -> None:
    """QA: a spreadsheet's "Household" header was refused as "no 'household' column"."""
    rows = tmp_path / "rows.csv"
    rows.write_text("Household,Name,AGE,Sex,Days\nh1,Zoë,34,female,1\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(rows), "--out", str(out), "--workers", "1", "--gap", "0.05")
    assert result.exit_code == 0, result.output
    summary = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [(r["household"], r["status"]) for r in summary] == [("h1", "planned")]

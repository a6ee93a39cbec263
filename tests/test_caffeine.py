"""Caffeinated drinks are capped a day by who the plan is for: 3 servings for adults, 2 while
breastfeeding, 1 in pregnancy and at 14–18, none under 14 (FDA, CDC, ACOG, AAP; see
mealplan.targets). The caps and the pool's caffeinated drinks are written out here, and the
servings are counted on the JSON plans, not through the package."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mealplan.catalog import load_foods
from mealplan.model import build_model
from mealplan.targets import Profile, caffeine_limit
from tests.prefs_helpers import plan_json, pool_rows

POOL = pool_rows()
CAFFEINATED = {"coffee", "espresso", "black tea", "green tea"}  # the pool's, by name

# In pregnancy and at 14–18 caffeinated drinks are planned only when asked for: these people
# like them, so that the cap is what holds them back.
ASKING = ("--like", "coffee", "--like", "black tea", "--like", "espresso")
PEOPLE = [
    (("--age", "34", "--sex", "female"), 3.0),
    (("--age", "31", "--sex", "female", "--lactating"), 2.0),
    (("--age", "30", "--sex", "female", "--pregnant", *ASKING), 1.0),
    (("--age", "16", "--sex", "male", *ASKING), 1.0),
    (("--age", "10", "--sex", "female"), 0.0),
]


def _caffeinated_servings(day: dict[str, Any]) -> float:
    return sum(item["servings"] for meal in day["meals"] for item in meal["items"]
               if POOL[item["ndb_no"]]["name"] in CAFFEINATED)  # fmt: skip


def test_the_pools_caffeinated_drinks_are_its_coffee_and_tea() -> None:
    from mealplan.kinds import is_caffeinated

    assert {f.name for f in load_foods() if is_caffeinated(f)} == CAFFEINATED


@pytest.mark.parametrize(("person", "cap"), PEOPLE, ids=["adult", "lactating", "pregnant", "teen", "child"])
def test_no_day_has_more_caffeinated_servings_than_the_persons_cap(person: tuple[str, ...], cap: float) -> None:
    data = plan_json("week", *person, "--days", "3")
    targets = data["members"][0]["targets"]
    assert targets["caffeinated_servings_max"] == cap
    for day in data["members"][0]["days"]:
        assert _caffeinated_servings(day) <= cap + 1e-9


def test_the_cap_binds_a_pregnant_persons_day() -> None:
    """Without its cap the same day (coffee and tea liked) drinks more than 1 serving (they
    bring some magnesium and almost no energy, which the objective prizes), so the capped
    plans above are held back by the cap, not by chance."""
    import dataclasses

    from mealplan.model import solution_half_servings
    from mealplan.planner import build_spec, plan_inputs
    from mealplan.preferences import Preferences
    from mealplan.solver import SolveOptions, solve

    liked = Preferences(like=dict.fromkeys(CAFFEINATED, 1.0))
    spec = build_spec(plan_inputs(Profile(30, "female", pregnant=True), days=1, preferences=liked)).spec
    member = spec.members[0]
    uncapped = dataclasses.replace(
        spec, members=(dataclasses.replace(member, targets=dataclasses.replace(member.targets,
                                                                                caffeinated_servings_max=None)),),
    )  # fmt: skip
    counts = []
    for which in (spec, uncapped):
        model = build_model(which)
        assert ("caffeine:0:0" in model.prob.constraints) == (which is spec)
        assert solve(model.prob, SolveOptions(solver="cbc", gap=0.0)).has_plan
        half = solution_half_servings(model)
        counts.append(sum(n for (_m, _d, _s, f), n in half.items() if POOL[f]["name"] in CAFFEINATED) / 2)
    assert counts[0] <= 1.0 < counts[1]


def test_caps_by_life_stage() -> None:
    assert caffeine_limit(Profile(34, "female"))[0] == 3.0
    assert caffeine_limit(Profile(70, "male"))[0] == 3.0
    assert caffeine_limit(Profile(31, "female", lactating=True))[0] == 2.0
    assert caffeine_limit(Profile(17, "female", lactating=True))[0] == 1.0  # a teen's cap is lower still
    assert caffeine_limit(Profile(16, "female", pregnant=True))[0] == 1.0
    assert caffeine_limit(Profile(14, "male"))[0] == 1.0
    # The AAP's adolescents are 12 to 18: an 18-year-old keeps a teen's cap, a 19-year-old not.
    assert caffeine_limit(Profile(18.9, "female"))[0] == 1.0
    assert caffeine_limit(Profile(18, "female", lactating=True))[0] == 1.0
    assert caffeine_limit(Profile(19, "female"))[0] == 3.0
    assert caffeine_limit(Profile(13.9, "male"))[0] == 0.0
    assert "ACOG" in caffeine_limit(Profile(30, "female", pregnant=True))[1]


def test_a_top_up_keeps_the_cap_too() -> None:
    data = plan_json("topup", "--age", "30", "--sex", "female", "--pregnant", "--current-intake", "150",
                     "--calories", "200", "--like", "espresso=10", "--days", "2")  # fmt: skip
    assert data["members"][0]["targets"]["caffeinated_servings_max"] == 1.0
    for day in data["members"][0]["days"]:
        assert _caffeinated_servings(day) <= 1.0 + 1e-9


@pytest.mark.parametrize("person", [("--age", "16", "--sex", "female", "--pregnant"), ("--age", "30", "--sex", "female",
                                    "--pregnant"), ("--age", "17", "--sex", "male")], ids=["pregnant teen", "pregnant",
                                    "teen"])  # fmt: skip
def test_in_pregnancy_and_at_14_to_18_caffeine_is_planned_only_when_asked(person: tuple[str, ...]) -> None:
    """QA: a pregnant 16-year-old was planned coffee or tea on 7 days of 7, each for 4–7 mg of
    magnesium, since the objective scores a drink of almost no energy at the top. Unasked,
    no caffeinated drink is planned; the plan says why, and --require brings one back."""
    data = plan_json("week", *person, "--days", "3")
    assert all(_caffeinated_servings(day) == 0 for day in data["members"][0]["days"])
    assert data["members"][0]["targets"]["caffeine_basis"].endswith("planned only when asked for")
    required = plan_json("week", *person, "--days", "3", "--require", "coffee")
    for day in required["members"][0]["days"]:
        coffee = [item for meal in day["meals"] for item in meal["items"] if POOL[item["ndb_no"]]["name"] == "coffee"]
        assert coffee and _caffeinated_servings(day) <= 1.0


def test_an_adult_keeps_caffeinated_drinks_unasked() -> None:
    """The rule above is for pregnancy and 14–18 only: at 19 the drinks are in the pool."""
    from mealplan.planner import build_spec, plan_inputs

    for profile, kept in ((Profile(19, "female"), True), (Profile(18, "female"), False),
                          (Profile(31, "female", lactating=True), True), (Profile(31, "female", pregnant=True), False)):  # fmt: skip
        names = {f.name for f in build_spec(plan_inputs(profile, days=1)).spec.foods}
        assert (CAFFEINATED <= names) == kept, profile


def test_a_plan_without_caffeinated_drinks_to_choose_claims_no_cap_on_them() -> None:
    """QA: under --exclude caffeine a plan's targets still read "caffeinated drinks ≤ 3
    servings a day", and its checks counted the cap, which nothing in the plan could reach.
    The table, Markdown and HTML leave the line out; the JSON says null, and why."""
    from mealplan import plan_week
    from mealplan.planner import NO_CAFFEINE_CAP_BASIS
    from mealplan.preferences import Preferences
    from mealplan.report import render

    plan = plan_week(Profile(34, "female"), days=1, preferences=Preferences(exclude=("caffeine",)))
    data = json.loads(render(plan, "json"))
    targets = data["members"][0]["targets"]
    assert (targets["caffeinated_servings_max"], targets["caffeine_basis"]) == (None, NO_CAFFEINE_CAP_BASIS)
    assert not [c for c in plan.checks() if "caffein" in c.name]
    # The cap's line, not the "keeps to" line's "leaves out caffeinated drinks".
    for fmt in ("table", "markdown", "html"):
        assert "caffeinated drinks ≤" not in render(plan, fmt), fmt
        assert "leaves out caffeinated drinks" in render(plan, fmt), fmt
    assert "caffeinated drinks ≤ 3 servings a day" in render(plan_week(Profile(34, "female"), days=1), "table")


@pytest.mark.parametrize(("profile", "exclude", "cap"), [
    (Profile(34, "female"), ("caffeine",), None),
    (Profile(34, "female"), ("beverages",), None),  # the category holds every caffeinated drink
    (Profile(34, "female"), ("coffee",), 3.0),  # tea is left
    (Profile(10, "female"), ("caffeine",), 0.0),  # "no caffeinated drinks (… none under 14)": the rule, said
    (Profile(30, "female", pregnant=True), ("caffeine",), None),
    (Profile(30, "female", pregnant=True), (), 1.0),  # "planned only when asked for": asking is open
])  # fmt: skip
def test_the_cap_is_dropped_only_when_the_person_s_own_wishes_leave_no_caffeinated_drink(
        profile: Profile, exclude: tuple[str, ...], cap: float | None) -> None:  # fmt: skip
    from mealplan.planner import build_spec, plan_inputs
    from mealplan.preferences import Preferences

    built = build_spec(plan_inputs(profile, days=1, preferences=Preferences(exclude=exclude)))
    assert built.targets.caffeinated_servings_max == cap


def test_a_household_member_and_a_top_up_without_caffeinated_drinks_claim_no_cap() -> None:
    from mealplan import plan_topup
    from mealplan.household import household_from_data, plan_household
    from mealplan.preferences import Preferences

    household = household_from_data({"household": {"days": 1}, "members": [
        {"name": "Ana", "age": 34, "sex": "female", "exclude": ["caffeine"]},
        {"name": "Bo", "age": 40, "sex": "male"}]}, "h.toml")  # fmt: skip
    for shared in (False, True):
        plan = plan_household(household, shared_meals=shared)
        assert [m.targets.caffeinated_servings_max for m in plan.members] == [None, 3.0], shared
    topup = plan_topup(Profile(34, "female"), current_intake_mg=200, kcal_budget=300, days=1,
                       preferences=Preferences(exclude=("caffeine",)))  # fmt: skip
    assert topup.plan.members[0].targets.caffeinated_servings_max is None


def test_excluding_caffeine_says_that_cocoa_and_chocolate_stay_at_every_age() -> None:
    """Allergy QA: --exclude caffeine-free planned cocoa on 4 days of a 34-year-old's week, its
    note saying only that the caffeinated drinks were left out. The plan names its cocoa and
    how to leave it out too; a child's own cocoa warning stays as it was."""
    from mealplan.household import household_from_data, plan_household
    from mealplan.report.common import plan_dict

    def said(*args: str) -> list[str]:
        return [w for w in plan_json("week", "--days", "2", *args)["warnings"] if "not cocoa" in w]

    adult = ("--age", "34", "--sex", "female", "--require", "cocoa powder")
    for typed in ("caffeine-free", "caffeine"):
        assert said(*adult, "--exclude", typed) == [
            f"--exclude {typed} leaves out the caffeinated drinks, not cocoa and chocolate, which hold some caffeine: "
            "the plan has cocoa powder on 2 of its 2 days; to leave them out too, --exclude cocoa"]  # fmt: skip
    assert said(*adult) == []
    topup = plan_json("topup", "--age", "34", "--sex", "female", "--current-intake", "200", "--calories", "300",
                      "--days", "2", "--exclude", "caffeine", "--require", "cocoa powder")["warnings"]  # fmt: skip
    assert [w for w in topup if "not cocoa" in w] == [
        "--exclude caffeine leaves out the caffeinated drinks, not cocoa and chocolate, which hold some caffeine: the "
        "plan has cocoa powder on 2 of its 2 days; to leave them out too, --exclude cocoa"]  # fmt: skip
    assert said("--age", "34", "--sex", "female", "--exclude", "caffeine", "--exclude", "cocoa") == []
    child = [w for w in plan_json("week", "--days", "2", "--age", "8", "--sex", "male", "--require", "cocoa powder",
                                  "--exclude", "caffeine")["warnings"] if "cocoa" in w]  # fmt: skip
    assert len(child) == 2 and child[0].startswith("cocoa and chocolate hold some caffeine, which the caffeine rule")
    household = household_from_data({"household": {"name": "Two", "days": 1, "shared_meals": True},
                                     "members": [{"name": "Ana", "age": 34, "sex": "female", "exclude": ["caffeine"],
                                                  "require": ["cocoa powder"]},
                                                 {"name": "Ben", "age": 36, "sex": "male"}]},
                                    "test", overrides={"solver": "cbc", "gap": 0.05})  # fmt: skip
    warnings = plan_dict(plan_household(household))["warnings"]
    assert [w for w in warnings if "not cocoa" in w] == [
        "for Ana: --exclude caffeine leaves out the caffeinated drinks, not cocoa and chocolate, which hold some "
        "caffeine: the plan has cocoa powder; to leave them out too, exclude = [\"cocoa\"] in member 'Ana'"]  # fmt: skip

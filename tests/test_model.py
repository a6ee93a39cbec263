"""The model on tiny hand-solvable cases, and its structure without solving."""

from __future__ import annotations

import dataclasses
from typing import Any

import pulp
import pytest

from mealplan.catalog import SLOTS, Food
from mealplan.model import Member, ModelSpec, Variety, build_model, objective_weights
from mealplan.solver import SolveOptions
from mealplan.strategy import solve_spec
from mealplan.targets import Range, Targets


def food(ndb_no: str, name: str, category: str, mg_per_serving: float) -> Food:
    """A 100 g serving of 100 kcal and ``mg_per_serving`` magnesium, allowed in every meal."""
    per_100g = {"energy_kcal": 100.0, "magnesium_mg": mg_per_serving}
    return Food(ndb_no, name, category, 100.0, "1 serving", frozenset(), frozenset(), SLOTS, 4, per_100g)


A = food("90001", "a", "grains", 100.0)  # twice the density the day needs: log2(2) = 1, 2 points
B = food("90002", "b", "nuts", 50.0)  # exactly the density needed: 0 points
C = food("90003", "c", "fruit", 10.0)  # a fifth of it: log2 clipped to −2, −4 points


def targets(magnesium_mg: float) -> Targets:
    return Targets(magnesium_mg, "test", 800.0, "test", 0.05, None, None, None, None, None)


def spec(magnesium_mg: float = 400.0) -> ModelSpec:
    return ModelSpec(
        foods=(A, B, C),
        members=(Member("0", targets(magnesium_mg)),),
        days=1,
        variety=Variety(min_foods_per_day=1, min_categories_per_day=1),
    )


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_three_foods_exact_optimum(solver: str) -> None:
    # Energy 760–840 kcal with 50-kcal half servings forces exactly 16 half servings; A and B
    # (2 and 0 points) fit at their cap of 4 servings each and give 600 mg ≥ 400; C (−4) stays out.
    assert objective_weights(spec()) == {A.ndb_no: 2.0, B.ndb_no: 0.0, C.ndb_no: -4.0}
    solution = solve_spec(spec(), SolveOptions(solver=solver, gap=0.0))
    assert solution.result.status == "optimal"
    assert solution.result.objective == pytest.approx(2.0, abs=1e-6)
    by_food: dict[str, int] = {}
    for (_m, _d, _s, ndb_no), n in solution.half_servings.items():
        by_food[ndb_no] = by_food.get(ndb_no, 0) + n
    assert by_food == {A.ndb_no: 8, B.ndb_no: 8}


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_unreachable_magnesium_is_infeasible(solver: str) -> None:
    # At most 8 half servings of A (400 mg) and 8 of B (200 mg) fit: 600 mg, so 700 mg cannot.
    solution = solve_spec(spec(700.0), SolveOptions(solver=solver))
    assert solution.result.status == "infeasible"
    assert solution.half_servings == {}


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_an_upper_limit_holds_a_food_back(solver: str) -> None:
    """A zinc UL of 4 mg lets in 4 mg of A's zinc (1 mg a half serving): 4 half servings of A
    instead of 8. The day still needs 16 half servings and 400 mg, so it takes all 8 of B and
    4 of C (4·50 + 8·25 + 4·5 = 420 mg; with 3 of A it would reach 375): 2 + 0 − 4 points."""
    zinc_a = dataclasses.replace(A, per_100g={**A.per_100g, "zinc_mg": 2.0})
    limited = dataclasses.replace(targets(400.0), upper_limits_mg={"zinc_mg": 4.0})
    model_spec = dataclasses.replace(spec(), foods=(zinc_a, B, C), members=(Member("0", limited),))
    assert "upper_limit:zinc_mg:0:0" in {c.name for c in build_model(model_spec).prob.constraints()}
    solution = solve_spec(model_spec, SolveOptions(solver=solver, gap=0.0))
    assert solution.result.status == "optimal"
    assert solution.result.objective == pytest.approx(-2.0, abs=1e-6)
    by_food: dict[str, int] = {}
    for (_m, _d, _s, ndb_no), n in solution.half_servings.items():
        by_food[ndb_no] = by_food.get(ndb_no, 0) + n
    assert by_food == {A.ndb_no: 4, B.ndb_no: 8, C.ndb_no: 4}


def test_constraint_names_are_stable_and_inspectable() -> None:
    model = build_model(spec())
    names = {c.name for c in model.prob.constraints()}
    for expected in ("magnesium:0:0", "energy_min:0:0", "energy_max:0:0", "meal_nonempty:0:breakfast",
                     "meal_share_min:0:0:snack", "min_foods:0"):  # fmt: skip
        assert expected in names
    # Balance targets switched off add no constraints.
    assert not any(n.startswith(("protein_", "fiber:", "sodium:", "upper_limit:")) for n in names)
    magnesium = model.prob.get_constraint_by_name("magnesium:0:0")
    assert magnesium is not None and magnesium.constant == -400.0


def test_meal_share_ranges_cover_the_day() -> None:
    from mealplan.model import MEAL_ENERGY_SHARE

    low = sum(r.low for r in MEAL_ENERGY_SHARE.values())
    high = sum(r.high for r in MEAL_ENERGY_SHARE.values())
    assert low <= 1.0 <= high
    assert all(isinstance(r, Range) for r in MEAL_ENERGY_SHARE.values())


def test_highs_threads_asked_after_a_default_run() -> None:
    # A batch worker runs the week's LP relaxation with HiGHS's default threads, then each day
    # with threads=1; a thread count other than the scheduler's first one used to fail.
    from mealplan.solver import lp_relaxation

    assert lp_relaxation(build_model(spec()).prob) is not None
    for threads in (1, 2):
        solution = solve_spec(spec(), SolveOptions(solver="highs", gap=0.0, threads=threads))
        assert solution.result.status == "optimal"


def test_rows_built_from_terms_equal_pulps_operators() -> None:
    """The dense rows (macros, fiber, meal shares, portion links) are built from their terms
    for speed; each must be the row PuLP's own operators give, term by term and in order."""
    from mealplan.catalog import load_foods
    from mealplan.model import (
        KCAL_PER_G,
        MAX_SERVINGS_PER_MEAL,
        MEAL_ENERGY_SHARE,
        MIN_SERVINGS_BY_CATEGORY,
        _cap_half_servings,
        _per_half_serving,
        _sum,
    )
    from mealplan.targets import Profile, targets_for

    day = ModelSpec(foods=tuple(load_foods())[:40], members=(Member("0", targets_for(Profile(34, "female"))),))
    model = build_model(day)
    energy = model.energy[0, 0]
    t = day.members[0].targets
    expected = {}
    for nutrient, share in (("protein_g", t.protein_pct), ("fat_g", t.fat_pct), ("carbohydrate_g", t.carbohydrate_pct)):
        assert share is not None
        amount = KCAL_PER_G[nutrient] * _sum(model, 0, 0, _per_half_serving(model, nutrient))
        name = nutrient.removesuffix("_g")
        expected[f"{name}_min:0:0"] = amount >= share.low * energy
        expected[f"{name}_max:0:0"] = amount <= share.high * energy
    assert t.fiber_g_per_1000kcal is not None
    fiber = _sum(model, 0, 0, _per_half_serving(model, "fiber_g"))
    expected["fiber:0:0"] = fiber >= t.fiber_g_per_1000kcal / 1000 * energy
    kcal = _per_half_serving(model, "energy_kcal")
    for slot, share in MEAL_ENERGY_SHARE.items():
        meal = _sum(model, 0, 0, kcal, slot)
        expected[f"meal_share_min:0:0:{slot}"] = meal >= share.low * energy
        expected[f"meal_share_max:0:0:{slot}"] = meal <= share.high * energy
    foods = model.foods
    for (_m, d, s, f), x in model.x.items():
        y, z = model.y[d, s, f], model.z[d, f]
        least = 2 * MIN_SERVINGS_BY_CATEGORY.get(foods[f].category, 0) or 1
        meal_cap = min(_cap_half_servings(day, foods[f]), 2 * MAX_SERVINGS_PER_MEAL)  # an adult's
        expected[f"portion_on_menu:0:{d}:{s}:{f}"] = x <= meal_cap * y
        expected[f"portion_min:0:{d}:{s}:{f}"] = x >= least * y
        expected[f"meal_in_day:{d}:{s}:{f}"] = y <= z
    for (d, f), z in model.z.items():
        ys = [model.y[d, s, f] for s in SLOTS if (d, s, f) in model.y]
        expected[f"day_uses:{d}:{f}"] = z <= pulp.lpSum(ys)
        xs = [model.x[0, d, s, f] for s in SLOTS if (0, d, s, f) in model.x]
        expected[f"food_day_cap:0:{d}:{f}"] = pulp.lpSum(xs) <= _cap_half_servings(day, foods[f]) * z
    assert len(expected) > 100
    for name, row in expected.items():
        built = model.prob.constraints[name]
        assert (built.sense, built.constant) == (row.sense, row.constant), name
        assert [(v.name, c) for v, c in built.items()] == [(v.name, c) for v, c in row.items()], name


@pytest.mark.parametrize("days", [1, 3])
def test_start_values_of_a_plan_satisfy_every_row(days: int) -> None:
    """start_values gives every variable (x, y, z, and the continuous c and w) its value in a
    plan, so a solver handed them gets a whole, feasible first solution."""
    from mealplan.catalog import load_foods
    from mealplan.model import plan_objective, solution_half_servings, start_values
    from mealplan.planner import usable_foods
    from mealplan.targets import Profile, targets_for

    person = targets_for(Profile(34, "female"))
    usable, _ = usable_foods(tuple(load_foods()), person)
    week = ModelSpec(foods=usable, members=(Member("0", person),), days=days)
    plan = solve_spec(week, SolveOptions(solver="cbc", gap=0.05)).half_servings
    model = build_model(week)
    values = start_values(model, plan)
    assert {var.name for var, _ in values} == {var.name for var in model.prob.variables()}
    for var, value in values:
        var.varValue = value
    broken = [name for name, row in model.prob.constraints.items() if not row.valid(1e-6)]
    assert broken == []
    assert solution_half_servings(model) == plan
    assert pulp.value(model.prob.objective) == pytest.approx(plan_objective(week, plan))


def test_cbc_keeps_its_cuts_for_a_model_with_a_money_budget() -> None:
    """Without root cuts CBC is faster on the day models, but a budget row is a knapsack that
    the cuts tighten (a budgeted 2-day shared menu took 93 s without them, 15 s with)."""
    import dataclasses

    from mealplan.solver import CBC_BUDGET_SETTINGS, CBC_SETTINGS, cbc_settings

    plain = build_model(spec())
    budgeted = build_model(dataclasses.replace(spec(), prices_per_100g={"90001": 1.0}, budget=10.0))
    assert "budget" in budgeted.prob.constraints and "budget" not in plain.prob.constraints
    assert cbc_settings(plain.prob) == CBC_SETTINGS and "cuts off" in CBC_SETTINGS
    assert cbc_settings(budgeted.prob) == CBC_BUDGET_SETTINGS and "cuts off" not in CBC_BUDGET_SETTINGS


def test_cbc_goes_on_with_its_cuts_when_the_first_nodes_decide_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solve from nothing runs CBC without cuts for CBC_FIRST_NODES, then, undecided, with
    them from the plan found (float noise in its values rounded away): the default day, cut
    after 1 node, is still proven at 71 points, and its node count is both solves'."""
    import mealplan.solver as solver_module
    from mealplan import plan_day
    from mealplan.targets import Profile

    calls: list[tuple[Any, str, int | None]] = []
    real = solver_module._solve_cbc

    def recording(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls.append((kwargs.get("settings"), result.status, result.nodes))
        return result

    monkeypatch.setattr(solver_module, "_solve_cbc", recording)
    monkeypatch.setattr(solver_module, "CBC_FIRST_NODES", 1)
    plan = plan_day(Profile(34, "female"), solve_options=SolveOptions(solver="cbc"))
    assert plan.solve.status == "optimal" and plan.solve.objective == 71.0 == plan.solve.bound
    assert [(settings, status) for settings, status, _n in calls] == [
        (None, "feasible"), (solver_module.CBC_BUDGET_SETTINGS, "optimal")
    ]
    assert plan.solve.nodes == sum(n for _s, _st, n in calls if n is not None)
    # Decided within the first nodes: one solve.
    calls.clear()
    monkeypatch.setattr(solver_module, "CBC_FIRST_NODES", 500)
    assert plan_day(Profile(34, "female"), solve_options=SolveOptions(solver="cbc")).solve.objective == 71.0
    assert [status for _s, status, _n in calls] == ["optimal"]


def test_a_plan_longer_than_a_week_keeps_the_weeks_limit_in_any_7_days_in_a_row() -> None:
    """QA: in a 14-day plan, whose k over the plan is 8, coffee was on days 1–8 in a row.
    Each run of 7 days holds Σ z ≤ 4 for each food, unless the food is required or the user
    gave their own limit (over the whole plan); a week or less has no such rows."""
    fortnight = dataclasses.replace(spec(), days=14, variety=Variety(min_foods_per_day=1, min_categories_per_day=1))
    rows = build_model(fortnight).prob.constraints
    for f in (A, B, C):
        windows = [rows[f"days_in_window:{start}:{f.ndb_no}"] for start in range(8)]
        assert [row.constant for row in windows] == [-4.0] * 8  # Σ z − 4 ≤ 0
        assert [sorted(int(v.name.split("_")[1]) for v in row) for row in windows] == [
            list(range(start, start + 7)) for start in range(8)
        ]
        assert f"days_in_window:8:{f.ndb_no}" not in rows
        assert rows[f"days_per_food:{f.ndb_no}"].constant == -8.0  # and 8 of the 14, as before
    required = build_model(dataclasses.replace(fortnight, required={A.ndb_no: 14})).prob.constraints
    assert not [n for n in required if n.startswith("days_in_window:") and n.endswith(A.ndb_no)]
    assert [n for n in required if n.startswith("days_in_window:") and n.endswith(B.ndb_no)]
    # A food required on fewer days keeps a limit: 4 when once a week (review: any --require
    # lifted it), 5 when 5 days a week (10 of 14).
    for days_required, most in ((2, 4.0), (10, 5.0)):
        rows = build_model(dataclasses.replace(fortnight, required={A.ndb_no: days_required})).prob.constraints
        assert rows[f"days_in_window:0:{A.ndb_no}"].constant == -most
    own = dataclasses.replace(fortnight, variety=Variety(max_days_per_food=6, min_foods_per_day=1,
                                                          min_categories_per_day=1))  # fmt: skip
    assert not [n for n in build_model(own).prob.constraints if n.startswith("days_in_window:")]
    week = dataclasses.replace(fortnight, days=7)
    assert not [n for n in build_model(week).prob.constraints if n.startswith("days_in_window:")]
    assert (week.windows(), len(fortnight.windows())) == ([], 8)

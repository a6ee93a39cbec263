"""Plan a day and a short week from Python, and check the magnesium yourself.

Run: python examples/plan_api.py
"""

from mealplan import Preferences, Profile, plan_day, plan_week
from mealplan.report import render

me = Profile(age=34, sex="female", calories=1900)

day = plan_day(me)
today = day.members[0].days[0]
print(f"One day: {today.total('magnesium_mg'):.0f} mg magnesium in {today.total('energy_kcal'):.0f} kcal")
for item in today.items:
    print(f"  {item.slot:<9} {item.food.name:<22} {item.measure:<28} {item.magnesium_mg:5.0f} mg")

vegan = plan_week(me, days=3, preferences=Preferences(diets=("vegan",), exclude=("peanuts",)))
for plan_day_ in vegan.members[0].days:
    print(f"Vegan day {plan_day_.index + 1}: {plan_day_.total('magnesium_mg'):.0f} mg")
print(f"Solver: {vegan.solve.status}, certified gap {vegan.solve.gap:.2%}")

# Every renderer the CLI has is a function of the plan:
print(render(day, "json")[:80], "...")

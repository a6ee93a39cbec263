"""Wishes given through the Python API with values of the wrong type are refused with one
InputError naming the field, before any model is built (they used to raise TypeError or
AttributeError from deep inside, or, for a text where a list goes, be read letter by letter)."""

from __future__ import annotations

import pytest

from mealplan.catalog import load_foods
from mealplan.errors import InputError
from mealplan.preferences import Preferences, resolve


@pytest.mark.parametrize(
    ("prefs", "message"),
    [(Preferences(exclude="peanuts"), "exclude must be a list of names, not 'peanuts'; give e.g. exclude=('peanuts',)"),
     (Preferences(diets="vegan"), "diets must be a list of names, not 'vegan'; give e.g. diets=('vegan',)"),
     (Preferences(exclude=(None,)), "exclude holds None, not a name; give names as text"),
     (Preferences(require=["black beans"]), "require must map names to numbers, not ['black beans']; give e.g. "
                                            "require={'oats': 1}"),
     (Preferences(like={"oats": "a lot"}), "like['oats'] is 'a lot', not a number; give a finite number"),
     (Preferences(require={"oats": "2"}), "require['oats'] is '2', not a number; give a finite number"),
     (Preferences(prices_per_100g={"12014": -100.0}, budget=1.0), "prices_per_100g['12014'] is -100; give 0 to "
                                                                  "10,000"),
     (Preferences(prices_per_100g={"12014": float("nan")}, budget=1.0), "prices_per_100g['12014'] is nan, not a "
                                                                        "number; give a finite number"),
     (Preferences(prices_per_100g={"12014": 1.0}, budget="60"), "budget '60' is not a number; give money a week, "
                                                                "e.g. budget=60")],
)  # fmt: skip
def test_a_wish_of_the_wrong_type_is_one_input_error(prefs: Preferences, message: str) -> None:
    with pytest.raises(InputError) as raised:
        resolve(prefs, load_foods(), 1)
    assert str(raised.value) == message


def test_a_negative_price_no_longer_makes_a_plan_that_costs_less_than_nothing() -> None:
    """Before, a price of -100 was taken, and a plan with a negative cost met a budget of 1."""
    prices = {f.ndb_no: 0.5 for f in load_foods()}
    with pytest.raises(InputError, match="is -100; give 0 to 10,000"):
        resolve(Preferences(prices_per_100g={**prices, "12014": -100.0}, budget=1.0), load_foods(), 7)
    assert resolve(Preferences(prices_per_100g=prices, budget=30.0), load_foods(), 7).budget == 30.0

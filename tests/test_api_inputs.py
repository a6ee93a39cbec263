"""Inputs made in Python (a web service's foods, profiles and preferences) are checked as
the command line and files are, and what a plan hands back cannot be changed under it
(API QA round: a developer embedding mealplan in a web service)."""

from __future__ import annotations

import pytest

from mealplan import Catalog, InputError, load_foods


def test_a_food_given_twice_is_refused_naming_its_ndb_no() -> None:
    pool = load_foods()
    chia = pool.find("chia seeds")
    at = pool.foods.index(chia)
    with pytest.raises(InputError) as refused:
        Catalog(foods=(*pool.foods, chia), source="my pool")
    assert type(refused.value) is InputError
    assert str(refused.value) == (
        f"my pool: foods[{len(pool)}] 'chia seeds':ndb_no: duplicate ndb_no 12006 (also foods[{at}]); keep one of them"
    )

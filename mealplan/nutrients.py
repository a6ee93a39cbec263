"""The nutrients mealplan tracks, as named in the USDA extract (per 100 g)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Nutrient:
    column: str
    label: str
    unit: str


NUTRIENTS: tuple[Nutrient, ...] = (
    Nutrient("energy_kcal", "Energy", "kcal"),
    Nutrient("protein_g", "Protein", "g"),
    Nutrient("fat_g", "Fat", "g"),
    Nutrient("carbohydrate_g", "Carbohydrate", "g"),
    Nutrient("fiber_g", "Fiber", "g"),
    Nutrient("sugars_g", "Sugars", "g"),
    Nutrient("water_g", "Water", "g"),
    Nutrient("magnesium_mg", "Magnesium", "mg"),
    Nutrient("sodium_mg", "Sodium", "mg"),
    Nutrient("potassium_mg", "Potassium", "mg"),
    Nutrient("calcium_mg", "Calcium", "mg"),
    Nutrient("phosphorus_mg", "Phosphorus", "mg"),
    Nutrient("iron_mg", "Iron", "mg"),
    Nutrient("zinc_mg", "Zinc", "mg"),
)
NUTRIENT_COLUMNS: tuple[str, ...] = tuple(n.column for n in NUTRIENTS)

# Energy from each macronutrient (Atwater general factors, kcal per gram), used for the
# share of energy from protein, fat and carbohydrate.
KCAL_PER_G = {"protein_g": 4.0, "fat_g": 9.0, "carbohydrate_g": 4.0}

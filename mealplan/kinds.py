"""What kind of food a pool food is, for the rules that depend on it: caffeinated drinks
(capped a day, and none for children), energy drinks (none under 19), alcoholic drinks, the
choking hazards of the youngest, foods with added sugars and milks other than whole cow's
milk or fortified soy milk (none under 2), and the foods advised against in pregnancy
(see planner.AGE_RULES and targets.caffeine_limit), and foods USDA weighs cooked or dry
(the shopping list and the measures say so). Judged from the food's category and its name
and USDA description, so that a food added from USDA is judged too."""

from __future__ import annotations

import re

from .catalog import Food

# Nut and seed foods that are spreads, powders or oils, not whole pieces: whole words (QA
# audit: "oil" inside "boiled", and the word in "oil roasted", let 25 oil-roasted or boiled
# nuts and seeds through to children under 4; "butter" inside "butternuts" made a spread).
_NOT_WHOLE = re.compile(r"\b(butter|tahini|paste|flour|meal|ground|milk)\b|\boil\b(?![ -]roasted)")
# Nut and seed foods that are spread (the youngest get them thinly: model.scaled_caps).
_SPREADS = re.compile(r"\b(butter|tahini|paste)\b")
# QA: USDA drinks that say only "contains caffeine", "with caffeine" or "high caffeine" (a
# pepper-type soda, a limeade) were planned for a 10-year-old and past a pregnancy's cap.
_CAFFEINATED = re.compile(r"\b(coffee|espresso|tea|cola|energy drink|mate|caffeine)\b")
# Coffee cream is no coffee.
_COFFEE_MILK = re.compile(r"\b(coffee|mocha|chai|espresso|latte|cappuccino)\b(?! (cream|creamer|whitener))")
_CAFFEINE_FREE = re.compile(r"\b(decaf\w*|herb\w*|chamomile|peppermint|hibiscus|rooibos|coffee substitute|"
                            r"caffeine[- ]free|(without|no) caffeine)\b")
# The brand is not the drink: "The COCA-COLA company, DASANI, water" is no cola.
_COLA_BRAND = re.compile(r"\bcoca-cola\b")
# QA: "Molasses" (75 g of sugars per 100 g) was planned under --exclude "added sugars" and
# offered to an 18-month-old as a calcium source.
_SWEETENED = re.compile(
    r"\b(sweetened|chocolate|cand(y|ies)|syrups?|honey|molasses|jams?|jelly|marmalade|sugar(ed|s)?|frosted|"
    r"vanilla)\b"
)
_UNSWEETENED = re.compile(r"\b(unsweetened|not sweetened|sugar[- ]free|no sugar added|without (added )?sugar)\b")
# Breakfast cereals are grain: more sugars than this (g per 100 g) is sugar added to them.
_CEREAL_SUGARS_G = 5.0
_RAW = re.compile(r"\braw\b")
# Animal foods USDA weighs before cooking without saying "raw" (QA audit: "Chicken breast
# tenders, breaded, uncooked", "Pork, cured, bacon, unprepared", pork sausage links
# "unprepared" were planned, as eaten, in pregnancy).
_UNCOOKED = re.compile(r"\b(uncooked|unprepared)\b")
_MIX = re.compile(r"\b(mix|flavou?r(ed)?)\b")
# Beyond whole nuts and seeds, popcorn and dried fruit, the AAP's list of choking hazards
# under 4 names hard candy, marshmallows, chewing gum and hot dogs; trail mix is nuts, seeds
# and dried fruit together (QA: a 3-year-old was planned "Snacks, trail mix"). By the start
# of the USDA description, so that a hot dog roll, marshmallow cream or a granola bar named
# "trail mix" is not one.
_CHOKING_STARTS = ("snacks, trail mix", "candies, hard", "candies, marshmallows", "chewing gum")  # hot dogs: _HOT_DOG
# Hot dogs and the sausages of their shape and size, whole or in coins (the AAP names hot
# dogs; QA audit: "OSCAR MAYER, Wieners", Vienna sausage, kielbasa, smokies and the like, some
# 27 USDA foods, escaped the rule, which knew only "Frankfurter," at the start). Not a roll,
# relish or soup named after them.
_HOT_DOG = re.compile(r"\b(wieners?|\w*furters?|franks?|smokies|knackwurst|kielbasa|bratwurst|sausage, vienna|"
                      r"links?|hot ?dogs?)\b")
_NAMED_AFTER_HOT_DOGS = ("rolls,", "pickle relish", "soup,")
# Candy a young child can choke on beyond "Candies, hard" (the AAP names hard candy, jelly
# beans, gum drops and caramels), and candy or snacks with whole nuts or raisins in them
# (QA audit: butterscotch, jellybeans, gumdrops, caramels, peanut brittle, M&M's Peanut and
# chocolate-coated raisins were planned for a 2- or 3-year-old).
_CHOKING_CANDY = re.compile(r"^candies, .*\b(butterscotch|jelly ?beans?|gum ?drops?|caramels?|brittle|nougat|toffee|"
                            r"taff(y|ies)|lollipops?|gummy|licorice|starburst|skittles|peanuts?|almonds?|nuts?|"
                            r"raisins?)\b")  # fmt: skip
# Whole nuts and kernels sold as snacks outside the nut group (QA audit: McDonald's peanuts,
# Navajo pinon nuts, CORNNUTS, roasted soy nuts).
_NUT_SNACK = re.compile(r"\b(cornnuts|soy ?nuts|pinon nuts|peanuts \(for sundaes\))\b|^soybeans, mature seeds, roasted")
# Dried fruit by water: less than this, g per 100 g; by name when water is not measured
# (see is_choking_hazard).
_DRIED_FRUIT = re.compile(r"\b(dried|dehydrated|raisins?|prunes?|dates?)\b")
DRIED_FRUIT_WATER_G = 50.0
# SR28 spells them "brazilnuts"; a pool or a user's file may write "Brazil nuts".
_BRAZIL_NUT = re.compile(r"\bbrazil ?nuts?\b")
# FDA/EPA, "Advice about Eating Fish" (2021): the "choices to avoid" for their mercury.
_HIGH_MERCURY_FISH = re.compile(r"swordfish|\bshark\b|mackerel, king|king mackerel|tilefish|roughy|marlin|bigeye")
# The "Good Choices" of FDA/EPA's "Advice about Eating Fish" (2021): bluefish, buffalofish,
# carp, Chilean sea bass, grouper, halibut, mahi mahi, monkfish, rockfish, sablefish,
# sheepshead, snapper, Spanish mackerel, striped bass (ocean), tilefish (Atlantic), albacore
# (white) and yellowfin tuna, weakfish (seatrout), white croaker. Of the pool's fish, halibut.
_GOOD_CHOICE_FISH = re.compile(r"bluefish|buffalofish|\bcarp\b|sea bass|toothfish|grouper|halibut|mahi|dolphinfish|"
                               r"monkfish|rockfish|sablefish|sheepshead|snapper|mackerel, spanish|spanish mackerel|"
                               r"striped bass|tilefish|albacore|tuna, white|yellowfin|weakfish|seatrout|croaker, white")
# FDA, "Food Safety for Pregnant Women and Their Unborn Babies": soft cheeses (feta, brie,
# camembert, blue-veined, queso fresco, queso blanco, panela) carry listeria unless made with
# pasteurized milk; cotija is one of the Hispanic-style cheeses FDA names with them.
# QA audit: queso asadero (a Hispanic-style cheese) and limburger too.
_SOFT_CHEESE = re.compile(r"\bbrie\b|camembert|\bfeta\b|cheese, blue|roquefort|gorgonzola|"
                          r"queso (fresco|blanco|cotija|asadero)|panela|goat, soft|limburger")
# Giblets hold the liver (QA audit: "Chicken giblets, raw" and 21 more were not caught).
_LIVER = re.compile(r"\bliver|braunschweiger|\bp[aâ]t[eé]\b|\bgiblets\b")
# USDA descriptions of meat, poultry, fish, shellfish and eggs begin with one of these.
_ANIMAL_FOODS = ("fish,", "mollusks,", "crustaceans,", "egg,", "beef,", "pork,", "lamb,", "veal,", "chicken,",
                 "turkey,", "duck,", "goose,", "game meat,")  # fmt: skip
# Most others hold one of these words (QA: "Turkey sausage, fresh, raw" and "Pork loin, fresh,
# backribs, …, raw" were planned in pregnancy); read only for foods USDA files under a group
# the pool has no category for ("other": meats, sausages, American Indian/Alaska Native foods),
# so that "Eggplant, raw" and "Lambsquarters, raw" stay plants. Checked against every SR28
# food with "raw" in its description: these catch every one in the meat, poultry, sausage and
# fish groups and the Alaska Native meats and fish, and no plant.
_MEAT = re.compile(r"\b(beef|pork|lamb|veal|mutton|bison|buffalo|venison|deer|elk|moose|caribou|bear|rabbit|squirrel|"
                   r"beaver|muskrat|opossum|raccoon|game meat|chicken|turkey|duck|goose|quail|pheasant|squab|emu|"
                   r"ostrich|owl|sausages?|bockwurst|bratwurst|frankfurters?|ham|bacon|meat|fish|seal|whale|walrus|"
                   r"octopus|squid|clams?|cockles|oysters?|mussels?|scallops?|shrimp|crab|lobster|crayfish|eggs?|roe)\b")
# Caviar is fish eggs, cured but not cooked (QA: "Fish, caviar, black and red, granular" was
# planned in pregnancy; FDA advises against raw fish and shellfish).
_UNCOOKED_ROE = re.compile(r"\bcaviar\b")
# FDA, "Food Safety for Pregnant Women and Their Unborn Babies" (listeria): hot dogs, luncheon
# meats, cold cuts and dry or fermented sausages only heated until steaming hot, and
# refrigerated smoked seafood (lox, kippered, nova-style) only cooked in a dish; canned or
# shelf-stable smoked fish is safe. USDA names: "Salami, dry or hard, pork", "Bologna, beef",
# "Roast beef, deli style", "Fish, salmon, chinook, smoked, (lox), regular".
_DELI_MEAT = re.compile(r"\b(bologna|frankfurters?|hot ?dogs?|salami|pepperoni|luncheon|pastrami|deli|beerwurst|"
                        r"thuringer|cervelat|summer sausage|chorizo|ham, sliced|mortadella|headcheese|loaf|"
                        r"cold cuts?|sliced, prepackaged|oven-roasted, sliced)\b"
                        # Meat spreads, not a margarine or a pickle sandwich spread.
                        r"|\b(chicken|ham|poultry|beef|pork|liverwurst|meat)\b[^,]*\bspread\b|sandwich spread, pork")
# A meat loaf of ground beef is baked and eaten hot.
_NOT_DELI = re.compile(r"\bground\b")
_HEATED = re.compile(r"\b(heated|boiled|grilled|pizza|soup|meatless|relish|rolls?)\b")
_SMOKED_FISH = re.compile(r"\b(smoked|kippered|lox|pickled)\b")  # pickled herring is never cooked either
# FDA: pasteurized eggs may be used raw.
_PASTEURIZED = re.compile(r"\bpasteurized\b")
# USDA names alcoholic drinks "Alcoholic beverage, …", but not all of them (QA: "Beverages,
# AMBER, hard cider" was planned in pregnancy; "Beverages, Malt liquor beverage").
_ALCOHOLIC = re.compile(r"alcoholic beverage|\bhard cider\b|\bmalt liquor\b|\b\d+ proof\b")
_NON_ALCOHOLIC = re.compile(r"\bnon-?alcoholic\b")


def food_text(food: Food) -> str:
    """What the rules read: the food's name and USDA description, in lower case."""
    return f"{food.name} {food.usda_description}".lower()


def is_choking_hazard(food: Food) -> bool:
    """Whether ``food``, as eaten, is on the AAP's list of choking hazards for children
    under 4: whole nuts and seeds, popcorn, and dried fruit (raisins). Nut and seed butters
    are not (served thinly spread, which the plan's note says).

    Dried fruit is told by its water: USDA's "Dates, deglet noor" does not say dried (QA: a
    2-year-old was planned dates), and the pool's dried fruit hold 15–31 g of water per 100 g
    where its fresh fruit hold 67 g (plantain) or more; prune juice (81 g) and stewed prunes
    (about 70 g) are not dried fruit (QA). By its name only when USDA did not measure water."""
    text = food_text(food)
    if food.category in ("nuts", "seeds"):
        return not _NOT_WHOLE.search(text)
    description = food.usda_description.lower()
    if "popcorn" in text or description.startswith(_CHOKING_STARTS):
        return True
    if _HOT_DOG.search(description) and not description.startswith(_NAMED_AFTER_HOT_DOGS):
        return True
    if _CHOKING_CANDY.search(description) or _NUT_SNACK.search(description):
        return True
    if food.category != "fruit":
        return False
    water = food.per_100g.get("water_g")
    return bool(_DRIED_FRUIT.search(text)) if water is None else water < DRIED_FRUIT_WATER_G


def is_nut_or_seed_spread(food: Food) -> bool:
    """Whether ``food`` is a nut or seed butter or paste (peanut butter, tahini)."""
    return food.category in ("nuts", "seeds") and bool(_SPREADS.search(food_text(food)))


# Under 2 the milk to drink is plain whole cow's milk; of plant drinks only fortified soy
# milk is an alternative (Healthy Eating Research, "Healthy Beverage Consumption in Early
# Childhood", 2019, with the AAP, AND, AHA and AAPD). Whole milk has 3.25 g of fat per 100 g.
WHOLE_MILK_FAT_G = 3.0
# USDA milks ("Milk, …", "Milk substitutes, …") that are not plain whole cow's milk to drink,
# whatever their fat: buttermilk, dry, condensed or evaporated milk, filled or imitation milk,
# goat's or sheep's milk, flavoured milk. Human milk is kept (breastfeeding goes on past 1).
_NOT_PLAIN_WHOLE_MILK = re.compile(
    r"\b(buttermilk|dry|powder\w*|condensed|evaporated|filled|imitation|substitutes?|goat|sheep|chocolate|"
    r"flavou?red|strawberry)\b"
)
_PLANT_MILK = re.compile(r"\b(soy ?milk|almond milk|rice ?milk|oat ?milk|coconut milk|cashew milk|hemp milk)\b")
_FORTIFIED = re.compile(r"\bfortified\b|with added calcium")
# Calcium, mg per 100 g, that only a fortified soy milk holds (SR28: fortified 116–165,
# unfortified 25).
FORTIFIED_CALCIUM_MG = 100.0


def is_milk_not_for_under_2(food: Food) -> bool:
    """Whether ``food`` is a milk other than plain whole cow's milk (or human milk) or fortified
    soy milk: reduced-fat, low-fat or skim milk (by its measured fat), buttermilk, dry,
    filled or goat's milk and the like, or a plant drink that is not soy or not fortified
    (QA: a 1-year-old was planned skim milk, and sweetened, unfortified soymilk). Judged from
    the USDA description, not the pool's name for the food."""
    description = food.usda_description.lower()
    if description.startswith(("milk,", "milk substitutes")):
        if "human" in description:
            return False
        fat = food.per_100g.get("fat_g")
        return bool(_NOT_PLAIN_WHOLE_MILK.search(description)) or fat is None or fat < WHOLE_MILK_FAT_G
    if food.category not in ("beverages", "soy", "dairy") or not (match := _PLANT_MILK.search(description)):
        return False
    # Fortified by what USDA measured when the name does not say (QA audit: SILK Plain and SILK
    # Plus for Bone Health, 123 and 165 mg of calcium per 100 g, were left out as unfortified;
    # unfortified soymilk holds 25 mg).
    calcium = food.per_100g.get("calcium_mg")
    fortified = bool(_FORTIFIED.search(description)) or (calcium is not None and calcium >= FORTIFIED_CALCIUM_MG)
    return not match.group(1).startswith("soy") or "unfortified" in description or not fortified


def is_energy_drink(food: Food) -> bool:
    """Whether ``food`` is an energy drink (USDA: "Beverages, Energy drink, RED BULL")."""
    return food.category == "beverages" and "energy drink" in food_text(food)


def is_caffeinated(food: Food) -> bool:
    """Whether ``food`` is a drink with caffeine: coffee, tea, cola, energy drinks (not
    decaffeinated or herbal ones). The pool's drinks are coffee and tea; a drink added from
    USDA (a juice, say) is judged by its name."""
    text = _COLA_BRAND.sub("", food_text(food))
    if _CAFFEINE_FREE.search(text):
        return False
    # Coffee, mocha and chai soymilks are filed as soy (QA audit: SILK Coffee for a child).
    milk_drink = food.category in ("soy", "dairy") and bool(_COFFEE_MILK.search(text))
    return milk_drink or (food.category == "beverages" and bool(_CAFFEINATED.search(text)))


# Nuts, seeds and cocoa are bought by weight as they are eaten (roasted nuts are sold roasted).
BY_WEIGHT_CATEGORIES = frozenset({"seeds", "nuts", "cocoa"})
# USDA descriptions of foods weighed as eaten after cooking: their grams are not what a
# shop weighs out (dry rice, raw spinach), so the list says so.
# ("prepared with calcium sulfate" is how tofu is made, not cooked.)
COOKED = re.compile(r"\b(cooked|boiled|baked|roasted|steamed|poached|prepared(?! with))\b", re.IGNORECASE)
_DRY = re.compile(r"\b(dry|uncooked)\b", re.IGNORECASE)


def is_cooked(food: Food) -> bool:
    """True when USDA weighs the food as eaten after cooking, so a shop weighs out another
    amount of it (less dry rice, more raw beet greens). Roasted nuts and seeds are sold
    roasted, and a drink is bought as what it is brewed from ("enough to brew 2 cups"): not
    counted."""
    if food.category in BY_WEIGHT_CATEGORIES or food.category == "beverages":
        return False
    return bool(COOKED.search(food.usda_description))


def measured_state(food: Food) -> str:
    """'cooked' or 'dry' when a cup of ``food`` is measured in that state and its name does not
    say so, else ''. QA: "oats — 1 cup" (dry, 307 kcal) sat beside "quinoa — 1 cup"
    (cooked, 222 kcal); a cup of one measured as the other is 2–3 times off. Only cup
    measures: a count or a weight of fish reads the same either way."""
    words = food.serving_measure.split()
    if len(words) < 2 or not words[1].startswith("cup"):
        return ""
    name = food.name.lower()
    if is_cooked(food):
        return "" if "cooked" in name else "cooked"
    if food.category == "grains" and _DRY.search(food.usda_description):
        return "" if "dry" in name else "dry"
    return ""


def is_alcoholic(food: Food) -> bool:
    """Whether ``food`` is an alcoholic drink (USDA names them "Alcoholic beverage, …"); none
    is in the pool, but one can be added from USDA."""
    text = food_text(food)
    return bool(_ALCOHOLIC.search(text)) and not _NON_ALCOHOLIC.search(text)


# Kinds of food made with sugar whose USDA name does not say so (QA audit: some 900 SR28 foods
# such as sodas, cakes, cookies, pies, puddings, gelatin desserts, sherbet and ice cream,
# lemonade, fruit punch and nectars, barbecue and teriyaki sauces, fruit yogurts and candied
# fruit were not caught), when USDA measured more than SWEET_FOOD_SUGARS_G of sugars per 100 g.
_SWEET_FOODS = re.compile(
    r"\b(carbonated|soda|cola|root beer|ginger ale|cakes?|cupcakes?|cookies?|brownies?|pies?|doughnuts?|"
    r"danish pastry|pastr(y|ies)|sweet rolls?|cinnamon rolls?|puddings?|frostings?|icing|toppings?|"
    r"sherbet|sorbet|ice creams?|frozen yogurts?|sundaes?|lemonade|limeade|punch|nectars?|juice drinks?|"
    r"cocktail|fruit drinks?|barbecue|teriyaki|hoisin|sweet and sour|cranberry sauce|candied|glazed|"
    r"granola bars?|fruit leather|fruit snacks?|marshmallow|yogurt, fruit|fruit yogurt|kefir, \w+ flavor|"
    r"flavored|fructose|dextrose|desserts?)\b"
)
# Foods of those kinds made without sugar (_UNSWEETENED's are left out before).
_NOT_SWEETENED = re.compile(r"\b(diet|low calorie|no sugar|sweetened with (saccharin|aspartame|sucralose|low calorie "
                            r"sweetener)|club soda|seltzer|mineral water|crust|non-carbonated|crackers?|(rice|corn|"
                            r"popcorn|fish|crab|potato) cakes|agutuk)\b")
SWEET_FOOD_SUGARS_G = 5.0


def has_added_sugars(food: Food) -> bool:
    """Whether ``food`` has sugars added to it: chocolate, candy, syrups, honey, jams,
    sweetened or vanilla-flavoured foods (QA: "Soymilk, original and vanilla" holds 4 g of
    sugars per 100 g, unsweetened soymilk 0.4 g), and breakfast cereals with more than 5 g
    of sugars per 100 g (not unsweetened cocoa). The Dietary Guidelines 2020–2025 advise
    none before age 2."""
    text = food_text(food)
    if _UNSWEETENED.search(text):
        return False
    if _SWEETENED.search(text):
        return True
    sugars = food.per_100g.get("sugars_g")
    if _SWEET_FOODS.search(text) and not _NOT_SWEETENED.search(text) and sugars is not None and (
            sugars > SWEET_FOOD_SUGARS_G):  # fmt: skip
        return True
    return "cereals ready-to-eat" in text and sugars is not None and sugars > _CEREAL_SUGARS_G


def is_raw_sprout(food: Food) -> bool:
    """Raw sprouts (alfalfa, mung bean…), which FDA advises against in pregnancy (bacteria
    grow in the warm, wet conditions sprouts need)."""
    text = food_text(food)
    return "sprouted" in text and bool(_RAW.search(text))


def is_high_mercury_fish(food: Food) -> bool:
    """A fish on the FDA/EPA list of choices to avoid for its mercury (in pregnancy, while
    breastfeeding, and for children): king mackerel,
    marlin, orange roughy, shark, swordfish, tilefish, bigeye tuna."""
    return bool(_HIGH_MERCURY_FISH.search(food_text(food)))


def holds_cocoa(food: Food) -> bool:
    """Cocoa powder, chocolate and foods named for them (not white chocolate, which holds no
    cocoa solids): they hold some caffeine, which the caffeine rule, counting drinks, does not
    see (planner.cocoa_caffeine_notes)."""
    text = food_text(food)
    return food.category == "cocoa" or bool(re.search(r"\bcocoa\b|chocolate", text.replace("white chocolate", "")))


def is_fish(food: Food) -> bool:
    """A fish or shellfish, as the FDA/EPA advice about eating fish counts it: a food of the fish
    category (the pool's cod, salmon, sardines, mussels…; USDA's "Finfish and Shellfish
    Products" added by ``ndb_no`` are put there, catalog._GROUP_CATEGORY)."""
    return food.category == "fish"


def is_good_choice_fish(food: Food) -> bool:
    """A fish on the FDA/EPA "Good Choices" list (moderate in mercury: one serving a week, not
    the two to three of the "Best Choices"); the "Choices to Avoid" are is_high_mercury_fish."""
    return is_fish(food) and bool(_GOOD_CHOICE_FISH.search(food_text(food))) and not is_high_mercury_fish(food)


def is_brazil_nut(food: Food) -> bool:
    """Brazil nuts, which hold so much selenium that a young child's serving nears or passes
    the upper level by itself (see planner.SELENIUM_MIN_AGE_Y)."""
    return bool(_BRAZIL_NUT.search(food_text(food)))


def is_soft_cheese(food: Food) -> bool:
    """A soft cheese that FDA advises against in pregnancy unless its label says it is made
    with pasteurized milk (listeria). USDA does not say how a cheese was made, so the plan
    keeps it and says so (planner.pregnancy_food_notes)."""
    return food.category == "dairy" and bool(_SOFT_CHEESE.search(food_text(food)))


def is_liver(food: Food) -> bool:
    """Liver and liver products (pâté, liver sausage, cod liver oil): rich in preformed
    vitamin A, which in large amounts can harm an unborn baby."""
    return bool(_LIVER.search(food_text(food)))


def is_raw_animal_food(food: Food) -> bool:
    """Raw meat, poultry, fish, shellfish or eggs (as USDA names them: "Fish, salmon,
    Atlantic, wild, raw"), which FDA advises against in pregnancy."""
    description = food.usda_description.lower()
    animal = (food.category in ("fish", "poultry") or description.startswith(_ANIMAL_FOODS)
              or (food.category == "other" and bool(_MEAT.search(description))))  # fmt: skip
    # A dry mix of some flavour ("Rice and vermicelli mix, chicken flavor, unprepared") is no meat.
    mix = bool(_MIX.search(description))
    uncooked = (bool(_RAW.search(food_text(food))) or (not mix and bool(_UNCOOKED.search(description)))
                or bool(_UNCOOKED_ROE.search(description)))  # fmt: skip
    return animal and uncooked and not _PASTEURIZED.search(description)


def is_ready_to_eat_listeria_risk(food: Food) -> bool:
    """A hot dog, deli meat or dry sausage not said to be heated, or a refrigerated smoked fish
    (neither canned: shelf-stable ones are safe), which FDA advises in pregnancy only heated
    until steaming hot or cooked in a dish (listeria). QA: lox, dry salami and smoked
    sablefish, added from USDA, were planned for a pregnant 16-year-old without a word. They
    may be eaten so, so the plan keeps them and says how (planner.pregnancy_food_notes), as it
    does for soft cheese."""
    description = food.usda_description.lower()
    if description.startswith(("fish,", "salmon,")):
        return bool(_SMOKED_FISH.search(description)) and "canned" not in description
    meat = food.category in ("other", "poultry")  # what the pool files USDA's sausages and fast foods under
    return (meat and bool(_DELI_MEAT.search(description)) and not _HEATED.search(description)
            and "canned" not in description and not _NOT_DELI.search(description))  # fmt: skip

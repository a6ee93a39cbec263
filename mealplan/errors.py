"""The one error family of mealplan.

Every error a user can cause is a :class:`MealplanError`; its message says what is
wrong and how to fix it, and its ``exit_code`` is what the CLI exits with.
"""

from __future__ import annotations

import numbers
import os
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from .explain import Explanation


# A name echoed in a message is cut to this many characters (QA: a 3,000-character name was
# echoed whole).
MAX_ECHOED_CHARS = 60


def quoted(name: str) -> str:
    """``repr(name)``, cut to MAX_ECHOED_CHARS characters with "…"."""
    return repr(name) if len(name) <= MAX_ECHOED_CHARS else repr(name[:MAX_ECHOED_CHARS]) + "…"


def typed(option: str, value: str) -> str:
    """``option value`` as a shell takes it, to be pasted: a value with a space or a quote is
    quoted, as elsewhere in the CLI (QA: "drop --require peanut butter" could not be pasted;
    "drop --require 'peanut butter'" can)."""
    return f"{option} {shlex.quote(value)}"


def listed(items: Iterable[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (with ``last`` 'or': 'a, b or c')."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


# Invisible characters a real name can need, though not "printable" to Python: the zero-width
# non-joiner and joiner (Persian spelling, an emoji sequence such as a cook), the left-to-right
# and right-to-left marks, and the soft hyphen. Bidi embeddings, overrides and isolates, which
# can make text read other than it is, stay refused. QA: a Persian name was refused as holding
# "a line break or control character".
NAME_INVISIBLES = frozenset("\u200c\u200d\u200e\u200f\u00ad")


def unprintable(text: str) -> str | None:
    """The first character of ``text`` that a one-line name may not hold, as 'U+202E', or None."""
    bad = next((ch for ch in text if not ch.isprintable() and ch not in NAME_INVISIBLES), None)
    return None if bad is None else f"U+{ord(bad):04X}"


def is_number(value: object) -> TypeGuard[numbers.Real]:
    """Whether ``value`` is a real number (int, float, numpy's…) and not a bool, which Python
    counts as an int but no caller means as one: the type check of InputError's callers."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def is_whole(value: object) -> bool:
    """Whether ``value`` is a whole number (int, numpy's…) and not a bool (see is_number)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


class MealplanError(Exception):
    """Base class: something the user should read, never a traceback."""

    exit_code = 1


class InputError(MealplanError):
    """A value given by the user (option, profile, file) is invalid."""

    exit_code = 2


class UnknownName(InputError):
    """A name that names no food; ``close`` holds the known names near it (none: it is no
    near miss of one, so no typo of a known food)."""

    def __init__(self, message: str, close: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.close = close


class DataError(MealplanError):
    """A data file (shipped or the user's) is malformed."""

    exit_code = 2


class InfeasiblePlan(MealplanError):
    """No plan satisfies every constraint; the message explains why, and ``explanation``
    holds the same as data (the numbers, what binds, the relaxations that were checked)."""

    exit_code = 3

    def __init__(self, message: str, explanation: Explanation | None = None) -> None:
        super().__init__(message)
        self.explanation = explanation


class SolverError(MealplanError):
    """The solver failed, or stopped before it found any plan."""

    exit_code = 4


class BatchIncomplete(MealplanError):
    """A batch ran to its end, but some households have no plan; each is recorded with
    its reason in the batch's summary."""

    exit_code = 5


def as_path(value: object, what: str, expected: str) -> Path:
    """``value``, a text or path, as a Path; anything else raises "{what} 5 is not a path;
    give {expected}" (API QA: discover(None), load_household(5) and load_foods(5) raised
    pathlib's raw TypeError)."""
    if not isinstance(value, (str, os.PathLike)):
        text = repr(value)
        shown = text if len(text) <= MAX_ECHOED_CHARS else text[:MAX_ECHOED_CHARS] + "…"
        raise InputError(f"{what} {shown} is not a path; give {expected}")
    return Path(value)

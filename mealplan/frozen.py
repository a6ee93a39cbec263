"""Read-only dicts for what a plan, a catalog or a wish list hands out.

A ``FrozenDict`` is a dict (``json.dumps``, ``dataclasses.asdict``, ``==`` and ``isinstance(x,
dict)`` work as before) whose changing methods raise TypeError, and which hashes by its items:
a cached catalog's table, or a plan's targets, changed by one caller would change them for
every other, and a frozen dataclass holding one can be a cache key (API QA). It pickles and
deep-copies as itself, which ``types.MappingProxyType`` does not.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict that cannot be changed; copy it with ``dict(d)`` to change the copy."""

    # What the error says to do instead; subclasses say it in their terms.
    read_only_message = "this mapping is read-only; copy it with dict(...) to change the copy"

    def _read_only(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError(self.read_only_message)

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, tuple[dict[K, V]]]:
        return type(self), (dict(self),)

"""The tuning half and the reporting half of every item set, fixed by each item's id.

Settings are chosen on the tuning half and figures reported on the other, so a reported
figure is not one that a choice was fitted to. An item's half depends on its id alone
(a hash, not a position), so adding or removing items never moves another one.

The hash is salted: of the salts 0-4999, 8 is the first that splits each of the item
sets of December 2026 (the 27 fixtures; SummEval, FNC-1, CASIE, WikiEvents and ECB+ dev)
within one item of even, where the unsalted parity gave the fixtures 18 to 9. It is
fixed for good: another salt would move items between the halves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal, TypeVar

from summarizer.evaluation.fixtures import Fixture

Half = Literal["all", "tune", "report"]
HALVES: tuple[Half, ...] = ("all", "tune", "report")
T = TypeVar("T", bound=Fixture)


SALT = "8"


def half_of(item_id: str) -> Half:
    """``tune`` or ``report``: the parity of the salted id's SHA-256."""
    digest = hashlib.sha256(f"{SALT}:{item_id}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "report"


def in_half(item_id: str, half: Half) -> bool:
    return half == "all" or half_of(item_id) == half


def select(items: Sequence[T], half: Half) -> list[T]:
    """The items of ``half`` (all of them for ``all``), in their order."""
    return [item for item in items if in_half(item.id, half)]

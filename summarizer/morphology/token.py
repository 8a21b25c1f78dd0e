"""A token of an analysed text: where it is, its dictionary form and what kind it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# "name": a proper noun the analyser does not tell apart (jieba's nz, unidic's 一般).
Kind = Literal[
    "person",
    "place",
    "organisation",
    "name",
    "noun",
    "verb",
    "adjective",
    "number",
    "suffix",
    "other",
]
NAME_KINDS: frozenset[Kind] = frozenset({"person", "place", "organisation", "name"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # as written
    lemma: str  # the dictionary form, lower-cased where the script has case
    kind: Kind
    tag: str = ""  # the analyser's own tag (kiwipiepy's JKS, unidic's 助詞/格助詞, ...)

    @property
    def is_name(self) -> bool:
        return self.kind in NAME_KINDS

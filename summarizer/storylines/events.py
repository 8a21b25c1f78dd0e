"""Which event mentions, in the articles of one story, are the same real-world event.

Inside a story, mentions whose actions share a lemma are one event ("captured" and
"capture"; lemminflect ships its lemma tables inside its package), and mentions never
join across stories. On the tuning half of ECB+ dev no refinement tried on top of it
did better: average linkage over the lemma and the TF-IDF cosine of the reporting
sentences (sentences of one story are alike whichever event they report), fuzzy lemma
matches, and reporting verbs ("said") kept apart per article (a tie:
scripts/tune_storylines.py, docs/storylines.md).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cache

from lemminflect import getAllLemmas

_WORD = re.compile(r"[a-z][a-z'’\-]*")
# Words of an action phrase that are not its event ("was expected to visit").
_AUXILIARIES = frozenset(
    """be is are was were been being am have has had having do does did will would shall
    should can could may might must to not also then expected set due going about""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Mention:
    """One event mention: its article (an index into the grouped articles) and its
    action as the article writes it."""

    key: Hashable
    article: int
    action: str


@cache
def action_lemma(action: str) -> str:
    """The lemma of an action's main word: its first word that is not an auxiliary,
    as a verb where it can be one ("was expected to visit" gives "visit")."""
    words = [w for w in _WORD.findall(action.lower()) if w not in _AUXILIARIES]
    if not words:
        return action.lower().strip()
    lemmas = getAllLemmas(words[0])
    for part in ("VERB", "NOUN", "ADJ"):
        if part in lemmas:
            return str(lemmas[part][0])
    return str(words[0])


def same_lemma(mentions: Sequence[Mention], groups: Sequence[Sequence[int]]) -> list[list[int]]:
    """The events, as lists of indices into ``mentions``: one per action lemma in each
    group of articles (``groups`` lists article indices; an article in no group is a
    group of its own)."""
    group_of = {article: g for g, articles in enumerate(groups) for article in articles}
    events: dict[tuple[int, str], list[int]] = {}
    for i, mention in enumerate(mentions):
        group = group_of.get(mention.article, -1 - mention.article)
        events.setdefault((group, action_lemma(mention.action)), []).append(i)
    return sorted(events.values(), key=lambda e: e[0])

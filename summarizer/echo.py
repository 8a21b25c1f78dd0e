"""A guard against a model that copies its instructions into its answer.

Small models sometimes fill a field with a line of the prompt: an event whose target is
"TASK: List the events in the article above", a summary that restates the task. Text
that repeats five words in a row of our templates, where the article itself does not
have them, is instruction, not content: it is removed, and the removal reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from summarizer.schema import Event, KeyPoint, Stance

RUN = 5
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def word_runs(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return frozenset(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))


class EchoGuard:
    def __init__(self, instructions: frozenset[tuple[str, ...]], article_text: str) -> None:
        self._runs = instructions - word_runs(article_text)
        self.removed = 0

    def echoes(self, text: str | None) -> bool:
        return bool(text) and not self._runs.isdisjoint(word_runs(text or ""))

    def key_points(self, points: Iterable[KeyPoint]) -> list[KeyPoint]:
        return [p for p in points if not self._dropped(self.echoes(p.text))]

    def events(self, events: Iterable[Event]) -> list[Event]:
        kept = []
        for event in events:
            if self._dropped(self.echoes(event.action)):
                continue
            actors = self._names(event.actors)
            targets = self._names(event.targets)
            location = None if self._dropped(self.echoes(event.location)) else event.location
            kept.append(
                event.model_copy(
                    update={"actors": actors, "targets": targets, "location": location}
                )
            )
        return kept

    def stances(self, stances: Iterable[Stance]) -> list[Stance]:
        kept = []
        for stance in stances:
            if self._dropped(
                any(self.echoes(t) for t in (stance.holder, stance.target, stance.claim))
            ):
                continue
            if self._dropped(self.echoes(stance.attribution)):
                stance = stance.model_copy(update={"attribution": None})
            kept.append(stance)
        return kept

    def text(self, text: str) -> str:
        """``text`` without the sentences that repeat the instructions."""
        sentences = _SENTENCE_END.split(text)
        return " ".join(s for s in sentences if not self._dropped(self.echoes(s)))

    def _names(self, names: list[str]) -> list[str]:
        return [n for n in names if not self._dropped(self.echoes(n))]

    def _dropped(self, echo: bool) -> bool:
        self.removed += echo
        return echo

"""Gold events as the answer the model should give: an events draft for one passage.

The answer is what the model writes in its tool call for the ``events`` request: the
JSON of the passage's sized :class:`~summarizer.drafts.EventsDraft`. Gold is fitted to
the draft's limits, which are read from the response model itself; whatever has to go
is counted:

- citations are renumbered for the passage (a chunk starts again at [1]); an event
  cites at most 3 sentences;
- names and phrases are shown as the model sees the article (one line; no quotes,
  backslashes, braces or brackets, which the draft's pattern forbids); one still too
  long for its field is dropped, as is a time or place;
- an event needs an actor; at most 3 actors and 3 targets;
- at most 6 events a passage, the first ones in sentence order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, get_args

from annotated_types import MaxLen
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from summarizer.article import Passage
from summarizer.evaluation.fixtures import GoldEvent
from summarizer.prompt_text import as_data

# What the drafts' text pattern forbids: the model cannot write it, so it is left out.
_JSON_SYNTAX = re.compile(r"[\"\\{}\[\]]")

NO_ACTOR = "events without a usable actor"
NO_ACTION = "events whose action does not fit its field"
EXTRA_EVENTS = "events beyond the passage's limit (the first in sentence order kept)"
EXTRA_ACTORS = "actors beyond the event's limit"
EXTRA_TARGETS = "targets beyond the event's limit"
EXTRA_CITATIONS = "citations beyond the event's limit"
LONG_NAMES = "names that do not fit their field (dropped)"
LONG_TIMES = "times that do not fit their field (dropped)"
LONG_PLACES = "places that do not fit their field (dropped)"
DUPLICATES = "events identical to one before them"


def events_answer(
    gold: Sequence[GoldEvent], passage: Passage, model: type[BaseModel], cut: Counter[str]
) -> str | None:
    """The answer for ``passage`` from its ``gold`` events (numbered in the article), as
    ``model`` (the request's sized response model) validates it; None when no event is
    usable. What had to go is added to ``cut``."""
    limits = _limits(model)
    drafted: list[tuple[int, dict[str, Any]]] = []
    for event in gold:
        shown = [passage.numbers.index(n) + 1 for n in event.sentences if n in passage.numbers]
        cited = list(dict.fromkeys(shown))
        if not cited:  # stated in another chunk
            continue
        draft = _draft(event, cited, limits, cut)
        if draft is not None:
            drafted.append((min(cited), draft))
    drafted.sort(key=lambda pair: pair[0])  # stable: gold order within a sentence
    events: list[dict[str, Any]] = []
    for _, draft in drafted:
        if draft in events:
            cut[DUPLICATES] += 1
        else:
            events.append(draft)
    if not events:
        return None
    cut[EXTRA_EVENTS] += max(0, len(events) - limits.events)
    answer = model.model_validate({"events": events[: limits.events]})
    return json.dumps(answer.model_dump(mode="json"), ensure_ascii=False)


@dataclass(frozen=True)
class _Limits:
    """An events draft's limits, read from the (sized) response model."""

    events: int
    citations: int
    actors: int
    targets: int
    action: TypeAdapter[Any]
    name: TypeAdapter[Any]
    time: TypeAdapter[Any]
    location: TypeAdapter[Any]


@cache
def _limits(model: type[BaseModel]) -> _Limits:
    listed = model.model_fields["events"]
    fields = get_args(listed.annotation)[0].model_fields
    return _Limits(
        events=_max_items(listed),
        citations=_max_items(fields["sentences"]),
        actors=_max_items(fields["actors"]),
        targets=_max_items(fields["targets"]),
        action=_adapter(fields["action"]),
        name=TypeAdapter(get_args(fields["actors"].annotation)[0]),
        time=_adapter(fields["time"]),
        location=_adapter(fields["location"]),
    )


def _draft(
    event: GoldEvent, cited: list[int], limits: _Limits, cut: Counter[str]
) -> dict[str, Any] | None:
    action = _fitted(event.action, limits.action)
    if action is None:
        cut[NO_ACTION] += 1
        return None
    actors = _names(event.actors, limits.name, limits.actors, cut, EXTRA_ACTORS)
    if not actors:
        cut[NO_ACTOR] += 1
        return None
    time = _optional(event.time_text, limits.time, cut, LONG_TIMES)
    location = _optional(event.location, limits.location, cut, LONG_PLACES)
    cut[EXTRA_CITATIONS] += max(0, len(cited) - limits.citations)
    return {
        "sentences": cited[: limits.citations],
        "actors": actors,
        "action": action,
        "targets": _names(event.targets, limits.name, limits.targets, cut, EXTRA_TARGETS),
        "time": time,
        "location": location,
        "status": event.status,
    }


def _names(
    names: list[str], item: TypeAdapter[Any], limit: int, cut: Counter[str], extra: str
) -> list[str]:
    fitted: list[str] = []
    for name in names:
        value = _fitted(name, item)
        if value is None:
            cut[LONG_NAMES] += 1
        elif value not in fitted:
            fitted.append(value)
    cut[extra] += max(0, len(fitted) - limit)
    return fitted[:limit]


def _optional(
    text: str | None, adapter: TypeAdapter[Any], cut: Counter[str], reason: str
) -> str | None:
    if text is None:
        return None
    value = _fitted(text, adapter)
    if value is None:
        cut[reason] += 1
    return value


def _fitted(text: str, adapter: TypeAdapter[Any]) -> str | None:
    """``text`` as the model sees it (one line, JSON syntax left out), or None if that
    does not fit the field."""
    shown = " ".join(_JSON_SYNTAX.sub(" ", as_data(text)).split())
    try:
        value = adapter.validate_python(shown)
    except ValidationError:
        return None
    return value if isinstance(value, str) else None


def _adapter(field: FieldInfo) -> TypeAdapter[Any]:
    annotated: Any = Annotated[field.annotation, field]  # the field's type with its limits
    return TypeAdapter(annotated)


def _max_items(field: FieldInfo) -> int:
    return min(m.max_length for m in field.metadata if isinstance(m, MaxLen))

"""ECB+: news documents about seed events, grouped in topics, with event and
participant mentions annotated in some sentences (and cross-document coreference, which
:mod:`summarizer.evaluation.datasets.ecbplus_topics` loads for the storyline eval).

A row ships tokens only, so its text is rebuilt deterministically (the tokenized
sentences joined by newlines). It becomes a :class:`Fixture` labelling ``events`` when
the document has a fully annotated sentence: each ACTION mention there a
:class:`GoldEvent` with that sentence's participants, times and places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from summarizer.article import Article
from summarizer.evaluation.datasets.common import (
    Row,
    _dedupe,
    _row_id,
    _unique,
    fixture_id,
    sentence_number,
)
from summarizer.evaluation.fixtures import Fixture, GoldEvent
from summarizer.schema import EventStatus

# ECB+ does not link participants to actions, so every action in an annotated sentence
# gets that sentence's participants, times and places.
ECBPLUS_ACTOR_PREFIX = "HUMAN_PART"  # _PER, _ORG, _GPE, _VEH, _GENERIC
ECBPLUS_TARGET_PREFIX = "NON_HUMAN_PART"  # "", _GENERIC
ECBPLUS_TIME_PREFIX = "TIME_"
ECBPLUS_LOCATION_PREFIX = "LOC_"
# Action class -> status. ECB+ annotates no factuality beyond negation, so occurrences
# (and reports, perceptions, aspectual and causative actions) count as having happened;
# a state holds, so it is "ongoing"; a generic action ("homicide" as a kind of crime) is
# no particular event and is left out (None), as are CASIE's generic events.
ECBPLUS_STATUS: Mapping[str, EventStatus | None] = {
    "ACTION_OCCURRENCE": "happened",
    "ACTION_REPORTING": "happened",
    "ACTION_PERCEPTION": "happened",
    "ACTION_ASPECTUAL": "happened",
    "ACTION_CAUSATIVE": "happened",
    "ACTION_STATE": "ongoing",
    "ACTION_GENERIC": None,
}
ECBPLUS_NEGATED_PREFIX = "NEG_"  # NEG_ACTION_*: the article says it did not happen
# The ECB+ topics in the dev file, by the seed event they are about; others are "news".
ECBPLUS_TOPICS: Mapping[str, str] = {
    "2": "entertainment",
    "3": "crime",
    "4": "entertainment",
    "5": "sports",
    "6": "entertainment",
    "7": "sports",
    "8": "protest",
    "9": "politics",
    "11": "politics",
    "12": "conflict",
    "13": "disaster",
    "14": "disaster",
    "16": "crime",
    "18": "crime",
    "19": "protest",
    "20": "disaster",
    "21": "crime",
    "22": "courts",
}


def ecbplus_fixture(row: Row, line: int) -> Fixture:
    """An ECB+ document: its tokenized sentences joined by newlines, with the events of
    the fully annotated sentences (a document with none labels nothing)."""
    sentences: list[str] = row["sentences"]
    if not sentences or not all(isinstance(s, str) for s in sentences):
        raise ValueError("field 'sentences' is not a non-empty list of strings")
    text = "\n".join(sentences)
    if not text.strip():
        raise ValueError("the sentences are empty")
    article = Article.from_text(text)
    starts = [0]
    for sentence in sentences[:-1]:
        starts.append(starts[-1] + len(sentence) + 1)
    annotated: list[int] = sorted(set(row["annotated_sentences"]))
    if any(not 0 <= i < len(sentences) for i in annotated):
        raise ValueError(f"annotated_sentences {annotated} name sentences that do not exist")
    by_sentence = _ecbplus_mentions(row["mentions"], sentences)
    events = [
        event
        for index in annotated
        for event in _ecbplus_events(by_sentence.get(index, []), starts[index], article)
    ]
    doc = str(_row_id(row, "doc", line)).removesuffix(".xml")
    ours = _unique(
        str(number)
        for i in annotated
        for number in range(
            sentence_number(article, starts[i]),
            sentence_number(article, starts[i] + max(len(sentences[i]) - 1, 0)) + 1,
        )
    )
    return Fixture(
        id=fixture_id("ecbplus", doc),
        source="ecbplus dev",
        topic=ECBPLUS_TOPICS.get(str(row.get("topic")), "news"),
        text=text,
        notes=(
            f"ECB+ annotates only some sentences: gold events come from sentence(s) "
            f"{', '.join(ours)} only; predictions citing other sentences are not errors."
            if annotated
            else "ECB+ annotates no sentence of this document fully: events are not labelled."
        ),
        events=_dedupe(events),
        labelled=["events"] if annotated else [],
    )


def _ecbplus_mentions(
    mentions: Iterable[Row], sentences: Sequence[str]
) -> dict[int, list[tuple[int, str, str]]]:
    """Mentions by sentence index, as (offset in the sentence, tag, text) in text order."""
    by_sentence: dict[int, list[tuple[int, str, str]]] = {}
    for mention in mentions:
        index: int = mention["sentence"]
        if not 0 <= index < len(sentences):
            raise ValueError(f"mention {mention.get('m_id')!r} is in no sentence ({index})")
        text: str = mention["text"]
        offset = _find_tokens(sentences[index], text)
        by_sentence.setdefault(index, []).append((offset, mention["tag"], text))
    for found in by_sentence.values():
        found.sort()
    return by_sentence


def _find_tokens(sentence: str, text: str) -> int:
    """Where a mention starts in its sentence: the whole text as whole tokens, else its
    first token (a discontinuous mention such as "shown door"), else the start."""
    for candidate in (text, text.split()[0] if text.split() else text):
        found = re.search(rf"(?<!\S){re.escape(candidate)}(?!\S)", sentence)
        if found:
            return found.start()
    return 0


def _ecbplus_events(
    mentions: Sequence[tuple[int, str, str]], sentence_start: int, article: Article
) -> Iterator[GoldEvent]:
    def having(prefix: str) -> list[str]:
        return _unique(text for _, tag, text in mentions if tag.startswith(prefix))

    actors, targets = having(ECBPLUS_ACTOR_PREFIX), having(ECBPLUS_TARGET_PREFIX)
    times, places = having(ECBPLUS_TIME_PREFIX), having(ECBPLUS_LOCATION_PREFIX)
    for offset, tag, text in mentions:
        if not tag.startswith(("ACTION_", ECBPLUS_NEGATED_PREFIX + "ACTION_")):
            continue
        status = _ecbplus_status(tag)
        if status is None:
            continue
        yield GoldEvent(
            actors=actors,
            action=text,
            targets=targets,
            time_text=times[0] if times else None,
            location=places[0] if places else None,
            status=status,
            sentences=[sentence_number(article, sentence_start + offset)],
        )


def _ecbplus_status(tag: str) -> EventStatus | None:
    negated = tag.startswith(ECBPLUS_NEGATED_PREFIX)
    base = tag.removeprefix(ECBPLUS_NEGATED_PREFIX)
    if base not in ECBPLUS_STATUS:
        raise ValueError(f"unknown ECB+ action tag {tag!r}")
    status = ECBPLUS_STATUS[base]
    return "denied" if negated and status is not None else status

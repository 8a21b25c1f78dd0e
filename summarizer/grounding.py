"""From the model's drafts to grounded results: sentence numbers become exact spans,
near-duplicate items merge, and content the article does not support is reported."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import regex
from rapidfuzz import fuzz

from summarizer import morphology, script_text
from summarizer.article import Article, Passage
from summarizer.dates import resolve_date
from summarizer.drafts import ClaimDraft, EventDraft, KeyPointDraft, StanceDraft
from summarizer.schema import ClaimStance, Event, KeyPoint, Span, Stance, Summary
from summarizer.words import stop_words

DUPLICATE_SIMILARITY = 90.0
MAX_MERGED_EVIDENCE = 3
_POSSESSIVE = re.compile(r"['’]s?$")
_ROMANISATION = regex.compile(r"(?<=[^\p{Latin}\p{Common}]\s?)\([\p{Latin}\s'’.\-]+\)")
# Capitalised only because they start a sentence; not content the article must contain.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "in",
        "on",
        "at",
        "of",
        "for",
        "to",
        "by",
        "with",
        "and",
        "but",
        "or",
        "as",
        "after",
        "before",
        "while",
        "during",
        "both",
        "also",
        "however",
        "meanwhile",
    ]
)

Item = TypeVar("Item", Event, Stance, KeyPoint)


def spans(passage: Passage, cited: Iterable[int]) -> list[Span]:
    return [passage.span(n) for n in sorted(set(cited))]


def key_point(passage: Passage, draft: KeyPointDraft) -> KeyPoint:
    return KeyPoint(text=_clean(draft.point), evidence=spans(passage, draft.sentences))


def event(passage: Passage, draft: EventDraft) -> Event:
    time_text = _clean_optional(draft.time)
    return Event(
        actors=_names(draft.actors),
        action=_clean(draft.action),
        targets=_names(draft.targets),
        time_text=time_text,
        date=resolve_date(time_text, passage.article.published, passage.article.language),
        location=_clean_optional(draft.location),
        status=draft.status,
        status_confidence=draft.label_probability,
        evidence=spans(passage, draft.sentences),
    )


def stance(passage: Passage, draft: StanceDraft) -> Stance:
    return Stance(
        holder=_clean(draft.holder),
        target=_clean(draft.target),
        position=draft.position,
        position_confidence=draft.label_probability,
        claim=_clean(draft.claim),
        attribution=_clean_optional(draft.attribution),
        evidence=spans(passage, draft.sentences),
    )


def claim_stance(passage: Passage, claim: str, draft: ClaimDraft) -> ClaimStance:
    evidence = [] if draft.label == "unrelated" else spans(passage, draft.sentences)
    return ClaimStance(
        claim=claim, label=draft.label, evidence=evidence, confidence=draft.label_probability
    )


def merge_duplicates(items: Iterable[Item], key: Callable[[Item], str]) -> list[Item]:
    """Keep the first of each group of near-identical items, with the group's evidence.

    Evidence stays capped: a model that loops repeats one item over every sentence, and
    "all of the article" is no evidence.
    """
    kept: list[Item] = []
    for item in items:
        for i, other in enumerate(kept):
            if fuzz.token_set_ratio(key(item), key(other)) >= DUPLICATE_SIMILARITY:
                evidence: dict[int, Span] = {s.start: s for s in other.evidence}
                for span in item.evidence:
                    if len(evidence) < MAX_MERGED_EVIDENCE:
                        evidence.setdefault(span.start, span)
                kept[i] = other.model_copy(
                    update={"evidence": [evidence[k] for k in sorted(evidence)]}
                )
                break
        else:
            kept.append(item)
    return kept


def event_key(e: Event) -> str:
    return f"{' '.join(e.actors)} | {e.action} | {' '.join(e.targets)}".lower()


def stance_key(s: Stance) -> str:
    return f"{s.holder} | {s.target} | {s.position} | {s.claim}".lower()


def key_point_key(k: KeyPoint) -> str:
    return k.text.lower()


def content_items(text: str, language: str | None = None) -> list[str]:
    """The names and numbers in ``text`` (in ``language``, if known): what a summary
    must not invent.

    Names are the capitalised words of cased scripts; in Korean, Chinese, Japanese and
    Russian, the names their analysers tag (:mod:`summarizer.morphology`); in other
    scripts without capitals, which do not mark their names, every word
    (:func:`script_text.caseless_words`: Arabic and Hindi have no name tagger on PyPI).
    Numbers are written in any script.
    """
    # "왕이 (Wang Yi)": a romanisation the model may add after a name in another script
    # names nothing new.
    text = _ROMANISATION.sub(lambda m: " " * len(m.group(0)), text)
    capitalised = [(at, _POSSESSIVE.sub("", w)) for at, w in script_text.capitalised_words(text)]
    names = [(at, w) for at, w in capitalised if w.lower() not in _FUNCTION_WORDS]
    words = script_text.caseless_words(text)
    script = _ANALYSED_SCRIPTS.get(language or "")
    if script is not None and any(script_text.script_of(w) == script for _, w in names + words):
        # The analysed script's words are names only where tagged so; other scripts'
        # (a Latin "EEZ", the Hanja of a Korean article) are counted as before.
        tagged = [(n.start, n.text) for n in morphology.names(text, language or "")]
        names = [(at, w) for at, w in names if script_text.script_of(w) != script]
        words = [(at, w) for at, w in words if script_text.script_of(w) != script] + tagged
    elif language:
        # No name tagger: every word counts, but a stop word of the language names nothing.
        stop = stop_words(language)
        words = [(at, w) for at, w in words if script_text.normal(w) not in stop]
    in_order = sorted(names + words)
    return [w for _, w in in_order] + script_text.numbers(text)


# The script of each language whose names an analyser tags.
_ANALYSED_SCRIPTS = {"ko": "hangul", "zh": "han", "ja": "han", "ru": "cased"}


def unsupported_content(article: Article, text: str) -> list[str]:
    """Names and numbers in ``text`` that appear nowhere in the article."""
    known = article.content_vocabulary
    found = content_items(text, article.language)
    return list(dict.fromkeys(i for i in found if not _supported(i, known)))


def _supported(item: str, known: frozenset[str]) -> bool:
    if " " in item.strip():  # a tagged name of several words: each must be written
        return all(_supported(word, known) for word in item.split())
    item = script_text.half_width(item)  # ＥＥＺ is EEZ
    key = item.lower().replace(",", "").rstrip(".")
    exact = key in known or script_text.ELIDED.sub("", key) in known
    return exact or script_text.supported(item, known)


def unsupported_warnings(
    article: Article, summary: Summary, events: list[Event], stances: list[Stance]
) -> list[str]:
    """One warning per field that names people, places or numbers the article lacks."""
    fields = [
        ("headline", summary.headline),
        ("summary", summary.text),
        *((f"key point {i}", k.text) for i, k in enumerate(summary.key_points, 1)),
        *(
            (f"event {i}", " ; ".join([*e.actors, *e.targets, e.location or ""]))
            for i, e in enumerate(events, 1)
        ),
        *(
            (f"stance {i}", " ; ".join([s.holder, s.target, s.attribution or ""]))
            for i, s in enumerate(stances, 1)
        ),
    ]
    warnings = []
    for where, content in fields:
        missing = unsupported_content(article, content)
        if missing:
            listed = ", ".join(repr(m) for m in missing)
            warnings.append(f"{where} names {listed}, which the article does not contain")
    return warnings


def grounded_event(e: Event) -> Event | None:
    """``e`` with only the actors and targets its cited sentences name; None if no actor
    is left (the sentence does not say who did it)."""
    cited = _words(" ".join(s.text for s in e.evidence))
    actors = [a for a in e.actors if named_in(a, cited)]
    if not actors:
        return None
    return e.model_copy(
        update={"actors": actors, "targets": [t for t in e.targets if named_in(t, cited)]}
    )


def grounded_stance(s: Stance) -> Stance | None:
    """``s`` if its cited sentences name both its holder and its target, else None."""
    cited = _words(" ".join(span.text for span in s.evidence))
    return s if named_in(s.holder, cited) and named_in(s.target, cited) else None


_WORD = re.compile(r"\w+")
# Words match on their first letters, so "Chinese" is not "China" but "ministers" is
# "minister" and "talks" is "talk".
_STEM = 5


@dataclass(frozen=True)
class CitedWords:
    """Cited sentences as :func:`named_in` looks for names in them."""

    stems: frozenset[str]  # see _STEM
    # Scripts without capitals have no word stems to compare: a name there is looked for
    # in the text itself.
    text: str


def _words(text: str) -> CitedWords:
    stems = frozenset(w[:_STEM] for w in _WORD.findall(text.lower()))
    return CitedWords(stems, script_text.normal(text))


def named_in(name: str, words: CitedWords) -> bool:
    """Whether a content word of ``name`` is among ``words`` (see :func:`_words`)."""
    content = [w for w in _WORD.findall(name.lower()) if w not in _FUNCTION_WORDS]
    return any(w[:_STEM] in words.stems for w in content) or any(
        script_text.occurs(w, words.text) for _, w in script_text.caseless_words(name)
    )


def _names(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in (_clean(x) for x in values) if v))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _clean_optional(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = _clean(text)
    return (
        cleaned if cleaned and cleaned.lower() not in {"null", "none", "n/a", "unknown"} else None
    )

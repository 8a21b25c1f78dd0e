"""Events and stances by rule, from the names code finds in each sentence.

The trivial baseline that the model's events and stances must beat, and what the
pipeline uses instead of the model where it does not (``extractor``; on the embedded
model, see docs/evaluation.md, "Choose, don't write"):

- an event is a sentence's first name and the lower-case word after it ("Halvorsen
  Motors recalled ..."), aimed at the sentence's next name or else at the verb's object
  (up to four words); in a sentence that reports speech ("X said on Monday it was
  recalling ..."), the speaker and the reported verb. Sentences without a name have no
  event: giving "It ..." the last actor was tried and scored lower on the fixtures'
  tuning half (strict F1 0.070 against 0.082);
- a stance is a sentence that reports speech ("X said", "according to X"), held by the
  speaker toward the sentence's next name, its claim the words after the verb;
- status and position are constants, the most frequent in the fixtures' tuning half
  ("happened", "support"), with no confidence (null): how often a constant is right
  over a data set says nothing of whether this event happened ("Xi is expected to
  visit" is "happened" too), so it is no probability of this label;
- time is the sentence's first time phrase
  (:func:`summarizer.candidates.sentence_times`).
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from summarizer.article import Article
from summarizer.candidates import sentence_names, sentence_times
from summarizer.dates import resolve_date
from summarizer.morphology import ANALYSED
from summarizer.schema import Event, EventStatus, Position, Span, Stance
from summarizer.words import content_stems

RULE_STATUS: EventStatus = "happened"
RULE_POSITION: Position = "support"
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|stated|added|warned|argued|insisted|believes|"
    r"according to|claimed|denied|urged|called)\b",
    re.IGNORECASE,
)
# Lower-case words only: a capitalised word after a name is more of the name.
_WORD = re.compile(r"(?<![\w'’\-])[a-z][\w'’\-]*")
_REPORTED = re.compile(
    r"\b(?:it|he|she|they|we|the \w+)\s+(?:was|were|is|are|would|will|had|has|have|could|"
    r"might|may|planned to|plans to)\s+(?:be\s+|been\s+|not\s+)?([a-z]\w+)"
)
MAX_CLAIM_WORDS = 12
# Where an action's object ends.
_OBJECT_STOPS = frozenset(
    """in on at by for from to with over after before during since
    until because as that which who while and but or said says""".split()  # noqa: SIM905
)
_QUOTE = re.compile(r"[\"“]([^\"”]{12,})[\"”]")
_DASH = re.compile(r"\s*(?:[—–-]|\(\w+\)\s*[—–-])")
# A name's verb: the next word, past an auxiliary and "to" ("is expected to visit"
# gives "expected": the reported event is the nearest content verb).
_VERB_AFTER = re.compile(
    r"(?:\s*,[^,]{1,60},)?\s+(?:(?:has|have|had|was|were|is|are|will|would|could|may|might|"
    r"also|then|later|not|been|be)\s+)*([a-z][\w'’\-]*)"
)


def rule_items(article: Article) -> tuple[list[Event], list[Stance]]:
    """One event per sentence that has a name followed by a verb, and one stance per
    sentence that reports speech (whose reported action is its event). Korean,
    Chinese, Japanese and Russian by their analysers' tags (:mod:`rules_tagged`)."""
    if article.language in ANALYSED:
        # Imported here: rules_tagged builds its items with this module's rule_event.
        from summarizer.rules_tagged import tagged_items

        return tagged_items(article)
    names = sentence_names(article)
    times = sentence_times(article)
    events: list[Event] = []
    stances: list[Stance] = []
    for sentence in article.sentences:
        text = article.text[sentence.start : sentence.end]
        span = article.span(sentence.number)
        present = names.get(sentence.number, [])
        if not present:
            continue
        speech = _SPEECH.search(text)
        if speech:
            holder = _speaker(text, present, speech)
            others = [n for n in present if n != holder and n not in holder]
            stances.append(rule_stance(holder, others, _claim(text, present), span))
            # "X said on Monday it was recalling ...": X's reported action.
            actor: str | None = holder
            verb = _reported_verb(text[speech.end() :])
        else:
            actor, verb = _subject(text, present)
        if actor is None or verb is None:
            continue
        others = [n for n in present if n != actor and n not in actor]
        time = next(iter(times.get(sentence.number, [])), None)
        events.append(_event(article, span, text, actor, verb, others[:1], time))
    return events, stances


def _event(
    article: Article,
    span: Span,
    text: str,
    actor: str,
    verb: str,
    targets: list[str],
    time: str | None,
) -> Event:
    if not targets:  # the verb's object: "recalled about 180,000 vehicles"
        found = re.search(rf"\b{re.escape(verb)}\s+((?:[a-z0-9][\w,.'’\-]*\s*){{1,4}})", text)
        words = found.group(1).split() if found else []
        phrase = []
        for word in words:
            if word.lower() in _OBJECT_STOPS:
                break
            phrase.append(word.rstrip(",."))
            if word != phrase[-1]:  # the phrase ends at its punctuation
                break
        while phrase and phrase[0] in ("a", "an", "the", "its", "their"):
            phrase = phrase[1:]
        object_ = " ".join(phrase)
        targets = [object_] if content_stems(object_) else []
    return rule_event(article, span, actor, verb, targets, time)


def rule_event(
    article: Article, span: Span, actor: str, action: str, targets: list[str], time: str | None
) -> Event:
    """An event found by rule: the constant status, no confidence, the time resolved."""
    return Event(
        actors=[actor],
        action=action,
        targets=targets,
        time_text=time,
        date=resolve_date(time, article.published, article.language),
        location=None,
        status=RULE_STATUS,
        status_confidence=None,
        evidence=[span],
    )


def rule_stance(holder: str, others: list[str], claim: str, span: Span) -> Stance:
    """A stance found by rule, toward the first of ``others`` (else the holder's own):
    the constant position, no confidence."""
    return Stance(
        holder=holder,
        target=others[0] if others else holder,
        position=RULE_POSITION,
        position_confidence=None,
        claim=claim,
        attribution=None,
        evidence=[span],
    )


def _subject(text: str, names: list[str]) -> tuple[str | None, str | None]:
    """The first name that a verb follows ("Halvorsen Motors recalled", "Xi is expected
    to visit"), and that verb; a dateline ("OSLO —") is no subject."""
    for name in names:
        after = text[text.find(name) + len(name) :]
        if _DASH.match(after):
            continue
        found = _VERB_AFTER.match(after)
        if found and _can_be_verb(found.group(1)):
            return name, found.group(1)
    return None, None


def _can_be_verb(word: str) -> bool:
    """A content word that can be a verb ("recalled", "owns"; not "supertanker" in
    "the Saudi supertanker"): lemminflect's tables know each word's parts of speech."""
    return bool(content_stems(word)) and "VERB" in getAllLemmas(word.lower())


def _reported_verb(text: str) -> str | None:
    """The verb of a reported clause: 'on Monday it was recalling', 'it would examine'."""
    found = _REPORTED.search(text)
    return found.group(1) if found and _can_be_verb(found.group(1)) else None


def _speaker(text: str, names: list[str], speech: re.Match[str]) -> str:
    """The name nearest the reporting verb: after "according to", else before "said"
    (or just after it: '..., said Marit Solberg')."""
    if speech.group().lower() == "according to":
        after = [n for n in names if text.find(n) > speech.start()]
        return after[0] if after else names[0]
    before = [n for n in names if 0 <= text.find(n) < speech.start()]
    after = [n for n in names if text.find(n) > speech.end()]
    if before:
        return before[-1]
    return after[0] if after else names[0]


def _claim(text: str, names: list[str]) -> str:
    """What is said: the quotation if the sentence has one, else the words after "that"
    (or the whole sentence), names left out, cut short."""
    quoted = _QUOTE.search(text)
    if quoted:
        text = quoted.group(1)
    for name in names:
        text = text.replace(name, " ")
    clause = re.split(r"\bthat\b", text, maxsplit=1)[-1]
    words = _WORD.findall(clause.lower())
    return " ".join(words[:MAX_CLAIM_WORDS]) or text[:80]

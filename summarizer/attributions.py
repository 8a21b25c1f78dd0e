"""Attributions by rule: who is reported to have said what, sentence by sentence.

The trivial source the learned ones must beat. In each sentence, the first reporting
cue outside a quotation ("said", "told", "according to": :mod:`attribution_cues`) makes
one attribution:

- the source is what stands next to the cue: the name, pronoun or noun phrase just
  before it ("Trump said", "the spokesman told") or just after it ("..., said Trump",
  "according to officials"), else the name nearest it in the sentence;
- the content is the quotation where the sentence has one outside the cue, else the
  clause the cue governs: what follows it ("said on Monday that ...") or, when the
  source follows the cue or ends the sentence, what precedes it ("The plan will fail,
  he said.");
- the kind is direct when the content is a quotation, mixed when it holds one, else
  indirect;
- a pronoun source ("he") is resolved to the last person named before it, and any
  source to the fullest form of its name in the article ("Trump" -> "Donald Trump"),
  keeping the span of what the article wrote.

Spans are computed by code on the article's text, so they are exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.article import Article
from summarizer.attribution_cues import CUE, SOURCE_FOLLOWS
from summarizer.candidates import sentence_names
from summarizer.schema import AttributionKind

MAX_ATTRIBUTIONS = 60
# A noun phrase that can say something: "the spokesman", "officials", "a source close to".
_NOUN = (
    r"(?:(?:the|a|an|his|her|their|its|our|one|two|three|some|many|several|other|"
    r"senior|former|top|local)\s+)*(?:[a-z][\w-]*\s+){0,2}"
    r"(?:spokesman|spokeswoman|spokesperson|official|officials|source|sources|aide|aides|"
    r"adviser|advisers|advisor|advisors|campaign|statement|report|reports|poll|polls|"
    r"analyst|analysts|expert|experts|critic|critics|supporter|supporters|voter|voters|"
    r"police|lawyer|lawyers|attorney|people|residents|witnesses|leaders|lawmakers|"
    r"democrats|republicans|president|candidate|nominee|senator|governor|secretary|"
    r"minister|chairman|director|officer|agency|department|ministry|government|"
    r"administration|committee|group|organization|company|newspaper|network|study)"
)
_PRONOUN = r"(?:he|she|they|we|I|it|you)"
_PERSON_PRONOUNS = frozenset({"he", "she"})
# The words between a source and its cue: "Trump also said", "she has said", "Clinton,
# the Democratic nominee, said".
_LINK = (
    r"(?:\s+(?:also|later|then|has|had|have|was|were|is|would|will|again|repeatedly|"
    r"previously|once|often|has\s+long|had\s+earlier))*"
)
_BEFORE_NOUN = re.compile(rf"\b({_NOUN}|{_PRONOUN}){_LINK}\s*$", re.IGNORECASE)
# After the cue, a pronoun or noun phrase is the source only where a clause ends with
# it ("..., he said."; "said the spokesman, adding"): in "said they were" it opens the
# content.
_AFTER = re.compile(rf"^\s+({_NOUN}|{_PRONOUN})(?=\s*(?:[,.;:!?\"”]|$))", re.IGNORECASE)
# "according to a poll by Gallup, ..." : the source runs to the clause's end.
_ACCORDING = re.compile(r"^\s+([^,.;:()“”\"]{2,80}?)\s*(?:[,.;:()“”\"]|$)")
# Cues whose next name is whom they speak to, not who speaks: "told The Post".
_ADDRESSED = frozenset({"tell", "tells", "told", "telling", "ask", "asks", "asked"})
# What opens the content after its cue: "that", and "que", "dass", "что" (after a comma
# in German and Russian: "sagte, dass").
_THAT = re.compile(
    r"^(?:[^,.;:\"“”]{0,40}?\b(?:that|que|dass|что)\b|\s*,(?:\s*(?:dass|que|что)\b)?)\s*",
    re.IGNORECASE,
)
# A quotation within one paragraph (it may run over sentences): its inside is group 1.
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„\n]{3,})[\"”»“]")
# A speaker's turn in a transcript, or a headline's "Pence: ...": a name and a colon at
# a paragraph's start, what follows to the paragraph's end said by them.
# A speaker is one or two capitalised words, or up to three in capitals ("Trump Visits
# Ohio: ..." is a headline, not a speaker).
_TURN = re.compile(
    r"(?m)^[ \t]*((?:[A-Z][\w.’'-]*(?:[ ][A-Z][\w.’'-]*)?)|(?:[A-Z.’'-]+(?:[ ][A-Z.’'-]+){0,2}))"
    r":[ \t]+(\S[^\n]*)"
)
# A quotation signed with a dash, a paragraph of its own: '“...” ― Sonya Herridge'.
_SIGNED = re.compile(
    r"(?m)^[ \t]*[\"“]([^\n]{3,}?)[\"”][ \t\u00a0]*[―—–][ \t]*"
    r"([A-Z][\w.’'-]*(?:[ ][A-Z][\w.’'-]*){0,3})"
)
# The subject just before a cue ("Another 19 percent said", "both countries' official
# news agencies reported"): up to six words back to a comma, quotation mark, bracket,
# dash or clause word. Longer reaches score a little higher on PolNeAR dev's tuning
# half (four words 410 matched, six 416, twenty-one 427), by sources of whole clauses.
_SUBJECT = re.compile(
    r"(?:^|[,;:()“”\"—–]|\b(?:and|but|that|which|when|as|while|because|if|so)\b)\s*"
    r"((?:[\w’'.%$-]+\s+){0,5}[\w’'.%$-]+)\s*$"
)
MAX_NAME_WORDS = 4
_EDGES = " ,.;:—–-\n\t"


@dataclass(frozen=True)
class Piece:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Found:
    """One attribution: the source as written (None where none is found) and the name it
    stands for, the cue and the content, each a stretch of the article's text."""

    source: Piece | None
    name: str | None
    cue: Piece
    content: Piece
    kind: AttributionKind
    sentence: int
    # The probability that the attribution is right, where the finder has one (the
    # tagger's, calibrated); None for the rule's.
    confidence: float | None = None


def rule_attributions(article: Article) -> list[Found]:
    """The article's attributions, in order, at most :data:`MAX_ATTRIBUTIONS`: a
    speaker's turn, else one per sentence with a cue outside quotation marks."""
    per_sentence = sentence_names(article)
    named: list[tuple[int, str]] = []  # (offset, name) of every name met so far
    found: list[Found] = []
    everyone = [
        n for s in sorted(per_sentence) for n in per_sentence[s] if len(n.split()) <= MAX_NAME_WORDS
    ]
    text = article.text
    quotes = list(_QUOTED.finditer(text))
    turns = {m.start(2): m for m in _TURN.finditer(text) if m.group(1).lower() not in _NOT_SPEAKERS}
    turns |= {m.start(1): m for m in _SIGNED.finditer(text)}
    covered = -1
    for sentence in article.sentences:
        names = per_sentence.get(sentence.number, [])
        one: Found | None = None
        turn = next((m for at, m in turns.items() if sentence.start <= at < sentence.end), None)
        if turn is not None:
            one = _turn(turn, sentence.number)
            covered = turn.end()
        elif sentence.start >= covered:
            one = _one(article, sentence.start, sentence.end, names, quotes, sentence.number)
        if one is not None:
            found.append(_resolved(one, named, everyone))
        named += [(sentence.start + text[sentence.start : sentence.end].find(n), n) for n in names]
        if len(found) == MAX_ATTRIBUTIONS:
            break
    return found


def resolved_sources(article: Article, found: list[Found]) -> list[Found]:
    """``found`` (from any source) with each source's name resolved as the rule's are: a
    pronoun to the last person named before it, a name to its fullest form."""
    per_sentence = sentence_names(article)
    text = article.text
    named = [
        (s.start + text[s.start : s.end].find(n), n)
        for s in article.sentences
        for n in per_sentence.get(s.number, [])
    ]
    everyone = [n for _, n in named if len(n.split()) <= MAX_NAME_WORDS]
    return [_resolved(f, named, everyone) for f in found]


def quotations(text: str) -> list[tuple[int, int]]:
    """The insides of the quotations in ``text``, as offsets."""
    return [q.span(1) for q in _QUOTED.finditer(text)]


def kind_of(quoted: list[tuple[int, int]], start: int, end: int) -> AttributionKind:
    """Direct when one quotation holds the content, mixed when it holds one, else
    indirect (``quoted`` from :func:`quotations`)."""
    inside = [q for q in quoted if q[0] < end and q[1] > start]
    if len(inside) == 1 and inside[0][0] <= start and inside[0][1] >= end:
        return "direct"
    return "mixed" if inside else "indirect"


# Words that open a paragraph with a colon without a speaker: "Update: ...".
_NOT_SPEAKERS = frozenset({"update", "note", "editor's note", "watch", "related", "photo", "video"})


def _turn(turn: re.Match[str], number: int) -> Found:
    """A speaker's turn ("NAME: what") or a signed quotation ("“what” ― NAME")."""

    def piece(group: int) -> Piece:
        return Piece(turn.group(group), turn.start(group), turn.end(group))

    signed = turn.re is _SIGNED
    source, content = (piece(2), piece(1)) if signed else (piece(1), piece(2))
    colon = turn.end(1)
    mark = max(turn.string.rfind(d, content.end, source.start) for d in "―—–") if signed else colon
    end = content.end
    while end > content.start and turn.string[end - 1] in _EDGES:
        end -= 1
    return Found(
        source=source,
        name=None,
        cue=Piece(turn.string[mark], mark, mark + 1),
        content=Piece(turn.string[content.start : end], content.start, end),
        kind="direct",
        sentence=number,
    )


def _one(
    article: Article,
    start: int,
    end: int,
    names: list[str],
    all_quotes: list[re.Match[str]],
    number: int,
) -> Found | None:
    text = article.text[start:end]
    offset = start
    # The quotations touching the sentence, as offsets in it (one may run past it).
    quotes = [
        (q.start() - start, q.end() - start, q.start(1) - start, q.end(1) - start)
        for q in all_quotes
        if q.start() < end and q.end() > start
    ]
    cue = next(
        (c for c in CUE.finditer(text) if not any(q[0] < c.start() < q[1] for q in quotes)),
        None,
    )
    if cue is None:
        return None
    source, after = _source(text, cue, names)
    raw = _content(text, cue, source, after, quotes)
    trimmed = _trimmed(article.text, offset + raw[0], offset + raw[1])
    if trimmed is None:
        return None
    first, last = trimmed[0] - offset, trimmed[1] - offset
    inside = [q for q in quotes if q[2] < last and q[3] > first]
    whole = len(inside) == 1 and inside[0][2] <= first and inside[0][3] >= last
    kind: AttributionKind = "direct" if whole else ("mixed" if inside else "indirect")

    def piece(begin: int, stop: int) -> Piece:
        return Piece(article.text[offset + begin : offset + stop], offset + begin, offset + stop)

    return Found(
        source=piece(*source) if source else None,
        name=None,
        cue=piece(cue.start(), cue.end()),
        content=piece(first, last),
        kind=kind,
        sentence=number,
    )


def _source(text: str, cue: re.Match[str], names: list[str]) -> tuple[tuple[int, int] | None, bool]:
    """The source's offsets in ``text``, and whether it follows the cue."""
    before, after = text[: cue.start()], text[cue.end() :]
    according = cue.group().lower() in SOURCE_FOLLOWS
    if not according:
        # "Dianne Feinstein, Democrat of California, said"; "Mike Pence (R-IN) said".
        for head in dict.fromkeys((before, _without_aside(before))):
            found = _just_before(head, names)
            if found:
                return found, False
    if according:
        phrase = _ACCORDING.match(after)
        if phrase:
            return (cue.end() + phrase.start(1), cue.end() + phrase.end(1)), True
    addressed = cue.group() in _ADDRESSED
    for name in [] if addressed else names:
        if re.match(rf"\s+{re.escape(name)}\b", after):
            at = cue.end() + after.find(name)
            return (at, at + len(name)), True
    near = None if addressed else _AFTER.match(after)
    if near:
        return (cue.end() + near.start(1), cue.end() + near.end(1)), True
    if not according:
        subject = _SUBJECT.search(before)
        if subject and before[subject.end(1) :].strip() == "":
            return subject.span(1), False
    # The nearest name, before the cue where there is one.
    placed = [(text.find(n) > cue.start(), abs(text.find(n) - cue.start()), n) for n in names]
    placed = [p for p in placed if text.find(p[2]) >= 0]
    if placed:
        name = min(placed)[2]
        at = text.find(name)
        return (at, at + len(name)), at > cue.start()
    return None, False


_ASIDE = re.compile(r"(?:,[^,]{1,90},|\([^()]{1,40}\))\s*$")


def _without_aside(before: str) -> str:
    """``before`` without a closing apposition or bracket."""
    found = _ASIDE.search(before)
    return before[: found.start()] if found else before


def _just_before(head: str, names: list[str]) -> tuple[int, int] | None:
    """A name, pronoun or noun phrase that ends ``head`` (past "also", "has" ...)."""
    for name in sorted(names, key=len, reverse=True):
        at = head.rfind(name)
        if at >= 0 and re.fullmatch(rf"{_LINK}\s*", head[at + len(name) :], re.IGNORECASE):
            return at, at + len(name)
    near = _BEFORE_NOUN.search(head)
    return near.span(1) if near else None


def _content(
    text: str,
    cue: re.Match[str],
    source: tuple[int, int] | None,
    after_cue: bool,
    quotes: list[tuple[int, int, int, int]],
) -> tuple[int, int]:
    """The content's offsets: the quotations the cue reports (those before it, or else
    those after it), else the clause it governs."""
    before = [q for q in quotes if q[1] <= cue.start()]
    after = [q for q in quotes if q[0] >= cue.end()]
    chosen = before or after
    if chosen:  # a quotation may run past the sentence: offsets beyond its text
        return chosen[0][2], chosen[-1][3]
    if cue.group().lower() in SOURCE_FOLLOWS and not text[: cue.start()].strip(_EDGES):
        # "According to the poll, the plan will fail.": what follows the source.
        begin = source[1] if source else cue.end()
        lead = _THAT.match(text[begin:])
        return begin + (lead.end() if lead else 0), len(text)
    tail = text[cue.end() :]
    if source is not None and after_cue:
        tail = text[source[1] :]
    ends_here = not tail.strip(_EDGES)
    if after_cue or ends_here or (cue.group().lower() in SOURCE_FOLLOWS and cue.start() > 0):
        # "The plan will fail, he said." / "..., according to a poll."
        head_end = min(cue.start(), source[0]) if source else cue.start()
        return 0, head_end
    lead = _THAT.match(tail)
    begin = cue.end() + (lead.end() if lead else 0)
    return begin, len(text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    return (start, end) if end - start >= 3 else None


def _resolved(found: Found, named: list[tuple[int, str]], everyone: list[str]) -> Found:
    """The source's name: a pronoun's antecedent (the last person named before it), and
    the fullest form of a name in the article."""
    if found.source is None:
        return found
    written = found.source.text
    name: str | None = written
    if written.lower() in _PERSON_PRONOUNS:
        people = [n for at, n in named if at < found.source.start and _person(n)]
        name = people[-1] if people else None
    elif not written[:1].isupper():
        name = written
    if name and name[:1].isupper():
        name = _fullest(name, everyone)
    return Found(found.source, name, found.cue, found.content, found.kind, found.sentence)


def _person(name: str) -> bool:
    """A name that can be a person: two or more capitalised words, or one after a title."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _fullest(name: str, everyone: list[str]) -> str:
    """The longest name of the article ending with ``name``'s last word ("Donald Trump"
    for "Trump" or "Mr. Trump")."""
    last = name.split()[-1]
    longer = [n for n in everyone if n.split()[-1] == last and len(n) > len(name)]
    plain = [n for n in longer if not n.lower().startswith(("mr", "mrs", "ms", "dr"))]
    return max(plain or [name], key=len)

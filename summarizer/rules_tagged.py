"""Events and stances by rule in Korean, Chinese, Japanese and Russian, from an
analyser's tags (:mod:`summarizer.morphology`): what :mod:`summarizer.rules` does with
English words, done with parts of speech.

- An event is a sentence's predicate with the name before it: in Korean and Japanese
  the last content verb (the predicate ends the sentence: 타결했다, 上陸した), with its
  object where a particle marks one (협상을, 調査団を); in Chinese and Russian the first
  content verb after the name (举行, приговорил), with the nouns that follow it. Its
  actor is the verb's marked subject, else the nearest name before the verb outside
  quotations, else the first; its target the next other name (in Chinese and Russian
  the first after the verb, where their objects stand). A name in quotation marks
  («Северолесхим») is a name, not a quotation, and a dateline in capitals
  ("АРХАНГЕЛЬСК, 14 ноября —") takes no part.
- A stance is a sentence with a reporting verb of the language (말했다, 表示, 述べた,
  заявил: :data:`SPEECH`) or an "according to" (에 따르면, 据, によると, по словам),
  held by the name nearest the cue outside quotations, toward the next other name; its
  claim the quotation, else the clause the cue reports.
- Status and position are the English rule's constants, with no confidence.
"""

from __future__ import annotations

import regex

from summarizer.article import Article
from summarizer.candidates import sentence_names, sentence_times
from summarizer.morphology import Token, tokens
from summarizer.rules import rule_event, rule_stance
from summarizer.schema import Event, Stance


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Reporting verbs (dictionary forms, as the analysers give them).
SPEECH: dict[str, frozenset[str]] = {
    "ko": _lexicon(
        """말하다 밝히다 설명하다 강조하다 주장하다 전하다 덧붙이다 반문하다 지적하다
        언급하다 발표하다 답하다 호소하다 비판하다 우려하다"""
    ),
    "zh": _lexicon("表示 说 指出 称 强调 认为 介绍 透露 坦言 呼吁 宣布 说明 回应 批评"),
    "ja": _lexicon(
        "述べる 語る 話す 言う 説明する 強調する 指摘する 発表する 批判する 訴える 答える"
    ),
    "ru": _lexicon(
        """заявить сказать сообщить отметить подчеркнуть пояснить добавить считать
        заявлять говорить рассказать признать указать объяснить"""
    ),
}
# "According to X": the holder follows the cue in Russian, precedes it elsewhere.
ACCORDING = {
    "ko": regex.compile(r"에\s*따르면"),
    "zh": regex.compile(r"据"),
    "ja": regex.compile(r"による?と"),
    "ru": regex.compile(r"по\s+(?:словам|мнению|данным)", regex.IGNORECASE),
}
# Verbs that carry tense or voice, not the event (하다 of 하기로 했다, する, 是, быть).
AUXILIARY: dict[str, frozenset[str]] = {
    "ko": _lexicon("하다 있다 되다 않다 없다 이다 보다 주다 말다 같다"),
    "zh": _lexicon("是 有 在 要 会 能 将 为 使 让"),
    "ja": _lexicon("為る する ある 居る いる 成る なる 来る 行く 貰う 呉れる 見る 仕舞う"),
    "ru": _lexicon("быть стать являться мочь"),
}
VERB_FINAL = frozenset({"ko", "ja"})
OBJECT_MARKS = {"ko": ("을", "를"), "ja": ("を",)}
MAX_OBJECT_TOKENS = 2
MAX_CLAIM_CHARS = 60
_QUOTE = regex.compile(r"[“\"«「『‘]([^”\"»」』’]{4,})[”\"»」』’]")
# A name in quotation marks («Северолесхим», «Газпром нефть»): up to three words, the
# first capitalised. It names a company or a paper; it quotes no one.
_QUOTED_NAME = regex.compile(r"\p{Lu}[\p{L}\p{M}\d-]*(?:\s[\p{L}\p{M}\d-]+){0,2}")
# A dateline that opens an article ("АРХАНГЕЛЬСК, 14 ноября —"): a place in capitals
# followed by a comma or a dash is where the report was filed, no participant.
_DATELINE = regex.compile(r"\p{Lu}[\p{Lu}\s-]*\s*[,—–-]")
_CLAUSE_END = regex.compile(r"[,，、;；:：]")


def tagged_items(article: Article) -> tuple[list[Event], list[Stance]]:
    """Events and stances of an article in a language with an analyser (else none)."""
    language = article.language
    names = sentence_names(article)
    times = sentence_times(article)
    events: list[Event] = []
    stances: list[Stance] = []
    for sentence in article.sentences:
        text = article.text[sentence.start : sentence.end]
        present = [n for n in names.get(sentence.number, []) if not _dateline(text, n)]
        found = tokens(text, language)
        if not present or not found:
            continue
        span = article.span(sentence.number)
        quoted = [
            (m.start(), m.end()) for m in _QUOTE.finditer(text) if not _QUOTED_NAME.fullmatch(m[1])
        ]
        outside = [n for n in present if not _inside(_at(text, n), quoted)] or present
        cue = _cue(text, found, language, quoted)
        verbs = [
            t
            for t in found
            if t.kind == "verb"
            and t.lemma not in AUXILIARY[language]
            and t.lemma not in SPEECH[language]
            and not _inside(t.start, quoted)
        ]
        holder = None if cue is None else _holder(text, outside, *cue, language)
        if cue is not None and holder is not None:
            others = [n for n in present if n not in holder and holder not in n]
            claim = _claim(text, quoted, cue[0], language, present)
            stances.append(rule_stance(holder, others, claim, span))
        if not verbs:
            continue
        verb = verbs[-1] if language in VERB_FINAL else None
        actor = None
        if verb is None:  # the first verb with a name before it
            for candidate in verbs:
                before = [n for n in outside if _at(text, n) < candidate.start]
                if before:
                    verb, actor = candidate, before[-1]
                    break
            verb = verb or verbs[0]
        if actor is None:
            before = [n for n in outside if _at(text, n) < verb.start]
            actor = before[-1] if before else outside[0]
        # The verb's grammatical subject, name or not ("하역 노동자들이", "政府は"), is
        # its actor where the sentence marks one.
        actor = _subject(text, found, verb, language, quoted) or actor
        others = [n for n in present if n not in actor and actor not in n]
        if language not in VERB_FINAL:  # the object follows the verb
            others = [n for n in others if _at(text, n) > verb.start] or others
        time = next(iter(times.get(sentence.number, [])), None)
        events.append(
            rule_event(article, span, actor, _action(text, found, verb, language), others[:1], time)
        )
    return events, stances


def _at(text: str, name: str) -> int:
    return text.find(name)


def _dateline(text: str, name: str) -> bool:
    return text.startswith(name) and name.isupper() and bool(_DATELINE.match(text))


def _inside(at: int, quoted: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in quoted)


def _cue(
    text: str, found: list[Token], language: str, quoted: list[tuple[int, int]]
) -> tuple[int, bool] | None:
    """Where the sentence reports speech (its reporting verb, else "according to"), and
    whether it is an "according to"."""
    for t in found:
        if t.kind == "verb" and t.lemma in SPEECH[language] and not _inside(t.start, quoted):
            return t.start, False
    according = ACCORDING[language].search(text)
    return (according.start(), True) if according else None


def _holder(text: str, names: list[str], cue: int, according: bool, language: str) -> str | None:
    """Who speaks: the name nearest the cue. "According to X" names X before the cue
    in Korean, Chinese and Japanese and after it in Russian; a Russian reporting verb
    may come either side of its speaker ("— заявил Ларин"), others' follow it."""
    before = sorted((n for n in names if 0 <= _at(text, n) < cue), key=lambda n: _at(text, n))
    behind = sorted((n for n in names if _at(text, n) > cue), key=lambda n: _at(text, n))
    if language == "ru":
        if according:
            return behind[0] if behind else None
        return behind[0] if behind else (before[-1] if before else None)
    return before[-1] if before else None


def _action(text: str, found: list[Token], verb: Token, language: str) -> str:
    """The verb as written with what completes it: in Korean its word (eojeol) and the
    object word before it; in Japanese the verb with its endings and the object before
    を; in Chinese and Russian the verb and up to two nouns after it."""
    index = found.index(verb)
    if language == "ko":
        start = text.rfind(" ", 0, verb.start) + 1
        end = _word_end(text, verb.end)
        previous = text.rfind(" ", 0, max(start - 1, 0)) + 1
        if start > 0 and text[previous : start - 1].endswith(OBJECT_MARKS["ko"]):
            start = previous
        return text[start:end].strip(" .,“”\"'")
    if language == "ja":
        start, end = verb.start, verb.end
        for t in found[index + 1 :]:
            if t.start != end or t.kind not in ("verb", "other") or _CLAUSE_END.match(t.text):
                break
            if t.text in ("と", "が", "て", "で", "。", "、", "」", "を", "に", "は"):
                break
            end = t.end
        if (
            index >= 2
            and found[index - 1].text in OBJECT_MARKS["ja"]
            and found[index - 2].kind in ("noun", "name", "person", "place", "organisation")
        ):
            start = found[index - 2].start
        return text[start:end]
    end, taken = verb.end, 0
    for t in found[index + 1 :]:
        if taken == MAX_OBJECT_TOKENS or t.kind not in ("noun", "adjective"):
            break
        if language == "zh" and t.start != end:
            break
        end, taken = t.end, taken + 1
    return text[verb.start : end]


_NOUNS = frozenset({"noun", "name", "person", "place", "organisation", "suffix"})
# Particles that mark a subject or topic: Korean 이/가 (JKS) and 은/는 (JX), Japanese が
# and は.
_SUBJECT_MARKS = {"ko": ("이", "가", "은", "는"), "ja": ("が", "は")}
_CLAUSE = regex.compile(r"[,，、;；:：。.!?！？]")
_QUOTED_GAP = regex.compile(r"\s?[«„“\"]?|[»”\"]?\s?")


def _subject(
    text: str, found: list[Token], verb: Token, language: str, quoted: list[tuple[int, int]]
) -> str | None:
    """The subject of ``verb`` as the sentence writes it: in Korean and Japanese the
    nouns before the nearest subject or topic particle before it; in Russian the first
    nouns in the nominative of its clause. Chinese marks no subject: its first nouns
    were tried and lost to the names alone on the tuning half (lenient event F1 0.125
    against 0.375)."""
    if language == "zh":
        return None
    index = found.index(verb)
    before = [t for t in found[:index] if not _inside(t.start, quoted)]
    if language in _SUBJECT_MARKS:
        gap = 1 if language == "ko" else 0  # Korean writes a space between words
        for k in range(len(before) - 1, 0, -1):
            mark = before[k]
            if mark.kind == "other" and mark.text in _SUBJECT_MARKS[language]:
                if language == "ko" and not mark.tag.startswith(("JKS", "JX")):
                    continue
                if language == "ja" and not mark.tag.startswith("助詞"):
                    continue
                marked = _chunk_before(text, before[:k], gap)
                if marked:
                    return marked
        return None
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, verb.start)), default=0)
    in_clause = [t for t in before if t.start >= clause_start]
    chunk: list[Token] = []
    for t in in_clause:
        fits = (t.kind in _NOUNS or t.kind == "adjective") and "nomn" in t.tag
        # «Северолесхим» after "компания" is part of the subject.
        if fits and (not chunk or _QUOTED_GAP.fullmatch(text[chunk[-1].end : t.start])):
            chunk.append(t)
        elif chunk:
            break
    if not chunk or not any(t.kind in _NOUNS for t in chunk):
        return None
    # "Компания «Северолесхим»": the name in quotation marks is who acted.
    named = [t for t in chunk if text[: t.start].rstrip().endswith(("«", "„", "“", '"'))]
    if named:
        return named[0].text
    return text[chunk[0].start : chunk[-1].end]


def _chunk_before(text: str, tokens_before: list[Token], gap: int) -> str | None:
    """The run of nouns that ends the tokens (at most ``gap`` characters between two)."""
    chunk: list[Token] = []
    for t in reversed(tokens_before):
        if t.kind not in _NOUNS or (chunk and chunk[0].start - t.end > gap):
            break
        chunk.insert(0, t)
    if not chunk or chunk[0].kind == "suffix":
        return None
    return text[chunk[0].start : chunk[-1].end]


def _word_end(text: str, at: int) -> int:
    found = regex.compile(r"[\s.,!?]").search(text, at)
    return found.start() if found else len(text)


def _claim(
    text: str, quoted: list[tuple[int, int]], cue: int, language: str, names: list[str]
) -> str:
    """The quotation, else the clause the cue reports: before it in Korean and
    Japanese, after it elsewhere; names left out, cut short."""
    if quoted:
        start, end = quoted[0]
        claim = text[start + 1 : end - 1]
    elif language in VERB_FINAL:
        claim = text[:cue]
    else:
        claim = text[cue:]
        pieces = _CLAUSE_END.split(claim, maxsplit=1)
        claim = pieces[-1] if len(pieces) > 1 else claim
    for name in names:
        claim = claim.replace(name, " ")
    claim = " ".join(claim.split()).strip(" ,，、.。")
    return claim[:MAX_CLAIM_CHARS] or text[:MAX_CLAIM_CHARS]

"""Content words, stemmed: what lexical comparisons (the claim gate, the scorers) count.

English words are stemmed and its stop words dropped. Chinese, Japanese and Korean
count as the words their analysers find (:mod:`summarizer.morphology`), in dictionary
form, without particles and endings; Han and Kana in other languages' texts count as
pairs of characters. Languages with a Snowball stemmer are stemmed by it; other
scripts' words count as written, normalised (:func:`summarizer.script_text.normal`:
Arabic without harakat).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import regex
import stopwordsiso
from nltk.stem.porter import PorterStemmer
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from summarizer.morphology import content_words
from summarizer.script_text import bigrams, half_width, normal, script_of

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*|\d+")
_HAN_KANA_RUN = regex.compile(r"([\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]+)")


def content_stems(text: str, language: str = "en") -> list[str]:
    """The text's words without stop words, Porter-stemmed, in order: English words so;
    runs of Han and Kana as their character pairs (a single character as itself); words
    of other scripts lower-cased as written. In another ``language`` (ISO 639-1), its
    stop words (stopwords-iso's list) are dropped too; in Chinese, Japanese and Korean
    the words are the analyser's (pairs of characters if its extra is missing)."""
    if language in SEGMENTED:
        lemmas = content_words(half_width(text), language)
        if lemmas is not None:
            stop = _segmented_stop_words(language)
            return [s for w in lemmas if w not in stop for s in _segmented(w.lower())]
    # CamelCase and snake_case labels ("banking_accounting") become words first, and
    # "didn't" is "did not".
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower().replace("n't", " not")
    # A letter with its marks: Devanagari vowel signs and Arabic harakat are marks, not
    # letters, and \w alone cut "बाढ़" into "ब" and "ढ".
    words = _WORD.findall(text.replace("n’t", " not"))
    if language == "en":
        return [stem for word in words for stem in _stems(word)]
    stop = stop_words(language)
    # A stop word is dropped as written, then the rest stemmed as the language's own
    # Snowball stemmer does (French, German, Spanish, Russian, ...; NLTK's), if it has one.
    stemmer = language if language in _SNOWBALL else None
    stems = [s for w in words if w not in stop for s in _stems(w, stemmer)]
    return [w for w in stems if w not in stop]


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words (stopwords-iso's list; none for a language it lacks)."""
    # Without them, "le", "de", "है" and "के" are content: an unrelated claim in French or
    # Hindi shared enough of them with any article to pass the claim gate.
    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(w.lower() for w in stopwordsiso.stopwords(language))


# A word's stems, remembered: a news vocabulary repeats, and working out a word's
# script letter by letter was most of the cost of grouping a million articles.
@lru_cache(maxsize=500_000)
def _stems(word: str, snowball: str | None = None) -> tuple[str, ...]:
    """``word``'s stems: Porter's for a Latin word (``snowball``: that language's
    Snowball stemmer for a word of the language's script), character pairs of Han and
    Kana, other scripts' words normalised."""
    stems: list[str] = []
    # split() keeps the runs it splits at, in its odd places.
    for i, piece in enumerate(_HAN_KANA_RUN.split(word)):
        if i % 2:
            stems += bigrams(piece) or [piece]
        elif snowball is not None and script_of(piece) == _SNOWBALL[snowball][1]:
            stems.append(_snowball_stem(normal(piece), snowball))
        elif script_of(piece) == "latin" or piece.isdecimal():
            if piece not in ENGLISH_STOP_WORDS:
                stems.append(_stem(piece))
        elif piece:
            # As the article's words are compared: الوزيرُ is الوزير, जि़ला is जिला.
            stems.append(normal(piece))
    return tuple(stems)


# Languages whose words an analyser finds: written without spaces (zh, ja), or with
# particles and endings joined to the word (ko: 해경은, 해경이 and 해경을 are one word).
SEGMENTED = frozenset({"zh", "ja", "ko"})
_DIGITS = frozenset("0123456789０１２３４５６７８９")


@cache
def _segmented_stop_words(language: str) -> frozenset[str]:
    # stopwords-iso's Korean list holds the digits: a number is content here.
    return stop_words(language) - _DIGITS


@lru_cache(maxsize=500_000)
def _segmented(word: str) -> tuple[str, ...]:
    """An analysed word as a stem: Latin words and digits written inside the text stemmed
    as English ones are, other words normalised whole."""
    if script_of(word) == "latin" or word.isdecimal():
        return _stems(word)
    return (normal(word),)


@cache
def _stem(word: str) -> str:
    return str(_porter().stem(word))


# ISO 639-1 -> NLTK's Snowball language and the script it stems. English keeps Porter
# (the gate was tuned with it); Arabic's Snowball strips prefixes that join unrelated
# words, as ISRI does (docs/languages.md), so it is left out.
_SNOWBALL = {
    "da": ("danish", "latin"),
    "de": ("german", "latin"),
    "es": ("spanish", "latin"),
    "fi": ("finnish", "latin"),
    "fr": ("french", "latin"),
    "hu": ("hungarian", "latin"),
    "it": ("italian", "latin"),
    "nl": ("dutch", "latin"),
    "no": ("norwegian", "latin"),
    "pt": ("portuguese", "latin"),
    "ro": ("romanian", "latin"),
    "ru": ("russian", "cased"),
    "sv": ("swedish", "latin"),
}


@lru_cache(maxsize=500_000)
def _snowball_stem(word: str, language: str) -> str:
    return str(_snowball(language).stem(word))


@cache
def _snowball(language: str) -> SnowballStemmer:
    return SnowballStemmer(_SNOWBALL[language][0])


@cache
def _porter() -> PorterStemmer:
    return PorterStemmer()

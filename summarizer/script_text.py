"""What counts as a word, a name and a number in each script.

English marks its names with capitals. Hangul, Han and Kana, Arabic and Devanagari have
none, so every word of theirs is a candidate name, compared the way the script builds
words: Korean and Arabic attach particles to them, Chinese and Japanese write no spaces.
Numbers are compared by value, whatever digits or numerals write them (3 = ３ = ٣ = 三).

Support is checked in two steps: :func:`support_keys` indexes the supporting text (an
article, once), and :func:`supported` asks about one item of another text.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Literal

import regex
from pyarabic import araby

from summarizer import morphology

Script = Literal["latin", "cased", "hangul", "han", "arabic", "devanagari", "other"]

# An elided article or preposition before a name: French l', d', qu', Italian dell'.
ELIDED = regex.compile(r"^[^\W\d_]{1,4}['’](?=\w)")

# --- numbers ---------------------------------------------------------------------------

_DIGITS = r"\d[\d,.٫٬]*\d|\d"
# Every Han numeral's value is unicodedata.numeric's, but for 两 (兩), "two" before a unit.
_TWO = frozenset("两兩")
_UNITS = frozenset("十百千万萬亿億백천만억")
# Korean units as the Han ones cn2an reads (1천200 is 1千200).
_HAN_UNITS = str.maketrans({"백": "百", "천": "千", "만": "万", "억": "亿"})
# Korean writes units in Hangul, but only after digits ("1천200척" is 1200 boats): alone
# they are syllables of words.
_UNITS_AFTER_DIGITS = "十百千万萬亿億백천만억"
_PERCENT = "百分之"
# 百分之五十 is "50 per cent": its 百 is no hundred.
# Indian English and Hindi count in lakhs (10^5) and crores (10^7): "3 लाख", "2.5 crore".
_INDIAN_UNITS = {"लाख": 10**5, "करोड़": 10**7, "करोड": 10**7, "lakh": 10**5, "crore": 10**7}
_INDIAN = rf"(?:{_DIGITS})\s?(?:{'|'.join(sorted(_INDIAN_UNITS, key=len, reverse=True))})s?"
# Korean native numerals before a counter ("세 척" three boats, "스물두 명"): no library
# reads them, and they are few.
_NATIVE_ONES = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4}
_NATIVE_ONES |= {"넉": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
_NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60}
_NATIVE_TENS |= {"일흔": 70, "여든": 80, "아흔": 90}
_ONES, _TENS = "|".join(_NATIVE_ONES), "|".join(_NATIVE_TENS)
_NATIVE = rf"(?<!\p{{Hangul}})(?:(?:{_TENS})?(?:{_ONES})|(?:{_TENS}))(?=\s+\p{{Hangul}})"
_NATIVE_PARTS = regex.compile(rf"({_TENS})?({_ONES})?")
NUMBER = regex.compile(
    rf"{_INDIAN}|(?:{_DIGITS})(?:[{_UNITS_AFTER_DIGITS}]+(?:{_DIGITS})?)*"
    rf"|(?:{_PERCENT})?(?:[〇零一二两兩三四五六七八九十万萬亿億]|[百千](?!分之))+"
    rf"|{_NATIVE}"
)
_INDIAN_NUMBER = regex.compile(rf"({_DIGITS})\s?(\w+?)s?")
_DIGIT_PARTS = regex.compile(rf"({_DIGITS})")
_DIGIT_RUN = regex.compile(_DIGITS)
_SEPARATORS = {",": "", "٬": "", "٫": "."}  # Arabic writes ٬ for thousands, ٫ for the point


def numbers(text: str) -> list[str]:
    """The numbers written in ``text`` in any script, as written.

    A lone 一 is left out: it is mostly a piece of a word (一些 "some", 统一 "unify") or
    "a", which is no number in an English summary either.
    """
    return [str(m[0]) for m in NUMBER.finditer(text) if m[0] != "一"]


def number_value(token: str) -> str | None:
    """``token``'s value in ASCII digits ("1,200" and "１２００" -> "1200", 十五 -> "15",
    1천200 -> "1200"), or None if it is no number."""
    # A Korean native numeral is one before a counter, which the token no longer has.
    if token and (native := _NATIVE_PARTS.fullmatch(token)):
        return str(_NATIVE_TENS.get(native[1] or "", 0) + _NATIVE_ONES.get(native[2] or "", 0))
    if not NUMBER.fullmatch(token):
        return None
    if (indian := _INDIAN_NUMBER.fullmatch(token)) and indian[2] in _INDIAN_UNITS:
        return _plain(Decimal(_ascii_digits(indian[1])) * _INDIAN_UNITS[indian[2]])
    numerals = token.removeprefix(_PERCENT)
    if not any(c in _UNITS for c in numerals):
        if _DIGIT_RUN.fullmatch(numerals):
            return _ascii_digits(numerals)
        # Numerals without units read digit by digit, as years are written: 二〇二五.
        return "".join(_digit(c) for c in numerals)
    return _composed(numerals)


def _digit(numeral: str) -> str:
    return "2" if numeral in _TWO else str(int(unicodedata.numeric(numeral)))


def _composed(numerals: str) -> str | None:
    """The value of numerals with units, by cn2an: 三百二十 = 320, 1천200 = 1200, 三万亿
    = 3 x 10^12; None where cn2an reads no number (a lone 百, digits as "1.2.3万")."""
    parts = _DIGIT_PARTS.split(numerals)
    digits = "".join(_ascii_digits(p) if p[:1].isdigit() else p for p in parts)
    # Imported here: cn2an takes a fifth of a second to import, and most texts have no
    # numerals with units.
    import cn2an

    try:
        value = cn2an.cn2an(digits.translate(_HAN_UNITS), "smart")
    except ValueError:
        return None
    return _plain(Decimal(str(value)))


def _ascii_digits(run: str) -> str:
    """Digits of any script as ASCII, thousands separators dropped ("1,200" -> "1200",
    "٣٫٥" -> "3.5"), a trailing full stop dropped as before."""
    out = []
    for c in run:
        if c in _SEPARATORS:
            out.append(_SEPARATORS[c])
        elif c == ".":
            out.append(c)
        else:
            value = unicodedata.decimal(c, unicodedata.digit(c, None))
            # A digit newer than Python's Unicode tables stays as written.
            out.append(c if value is None else str(value))
    return "".join(out).rstrip(".")


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value, "f")


# --- scripts and words ------------------------------------------------------------------

_LETTER = regex.compile(r"\p{L}")
_SCRIPT_OF_LETTER: tuple[tuple[Script, regex.Pattern[str]], ...] = (
    ("hangul", regex.compile(r"\p{Hangul}")),
    ("han", regex.compile(r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]")),
    ("arabic", regex.compile(r"\p{scx=Arabic}")),
    ("devanagari", regex.compile(r"\p{scx=Devanagari}")),
    ("latin", regex.compile(r"\p{Latin}")),
    ("cased", regex.compile(r"\p{LC}")),
)


def script_of(word: str) -> Script:
    """The script of ``word``'s first letter; "cased" is any other script with capitals
    (Cyrillic, Greek, Armenian), "han" takes in Kana."""
    letter = _LETTER.search(word)
    if letter is None:
        return "other"
    return next((s for s, pattern in _SCRIPT_OF_LETTER if pattern.match(letter[0])), "other")


# A letter or digit of a word of a cased script: what \w means in English text, less the
# letters of caseless scripts, which run into a Latin name with no space ("会见Biden").
_WORD_CHAR = r"[[\p{L}\p{N}_]--[\p{Lo}--\p{Latin}]]"
_CAPITALISED = regex.compile(
    rf"(?<!{_WORD_CHAR})[\p{{Lu}}\p{{Lt}}](?:{_WORD_CHAR}|['’\-])*", regex.V1
)
_CASED_WORD = regex.compile(rf"(?!_){_WORD_CHAR}(?:{_WORD_CHAR}|['’\-])*", regex.V1)
# Chinese runs break at its commonest function characters, so that a name is a run of
# its own, not part of a clause.
_FUNCTION_CHARACTERS = "的了是在和与及对将于为把被也都而就等與對將於為"
_CASELESS_WORD = regex.compile(
    r"(?P<hangul>[\p{Hangul}&&\p{L}]+)"
    rf"|(?P<han>[[[\p{{scx=Han}}\p{{scx=Katakana}}]&&\p{{L}}]--[{_FUNCTION_CHARACTERS}]]+)"
    r"|(?P<arabic>[\p{scx=Arabic}&&[\p{L}\p{M}]]+)"
    r"|(?P<devanagari>[\p{scx=Devanagari}&&[\p{L}\p{M}]]"
    r"(?:[\p{scx=Devanagari}&&[\p{L}\p{M}]]|\p{Join_Control})*)",
    regex.V1,
)
# Han, Kana and Hangul as the article writes them, numerals included: what a run of a
# summary is looked for in, a character pair at a time.
_CJK_RUN = regex.compile(
    r"[[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{Hangul}]&&[\p{L}\p{Nl}]]+", regex.V1
)
_HAN = regex.compile(r"\p{scx=Han}")
_POSSESSIVE = regex.compile(r"['’]s?$")


def capitalised_words(text: str) -> list[tuple[int, str]]:
    """Capitalised words of any cased script (Latin, Cyrillic, Greek), with their offsets."""
    return [(m.start(), str(m[0])) for m in _CAPITALISED.finditer(text)]


def caseless_words(text: str) -> list[tuple[int, str]]:
    """The words of scripts without capitals, with their offsets: every Hangul, Arabic
    and Devanagari word, and runs of Han and Katakana (Hiragana and function characters
    end them). An Arabic word of two letters or fewer is a particle, not a name.

    Numbers are cut out first, with the counter that follows one (the 艘 of 3艘, the
    日 of １５日, the 척씩 of 3척씩): a number in a summary may be written differently
    from the article's, and "2026年入渔" must not need the pair 年入 from it.
    """
    ends = {m.end() for m in NUMBER.finditer(text)}
    blanked = NUMBER.sub(lambda m: " " * len(m[0]), text)
    words = []
    for m in _CASELESS_WORD.finditer(blanked):
        start, word = m.start(), str(m[0])
        if start in ends and m.lastgroup == "hangul":
            continue  # a counter and its particles
        if start in ends and _HAN.match(word):
            start, word = start + 1, word[1:]
        if word and (m.lastgroup != "arabic" or len(normal(word)) > 2):
            words.append((start, word))
    return words


# A final ى and ي are one letter to compare, as search engines take them (pyarabic's
# normalize_alef would make ى an alef instead).
_ONE_YEH = str.maketrans({"ى": "ي"})
# Arabic writes "and", "so", "with", "to", "as" and "the" as part of the next word.
_CLITICS = ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


# Full-width Latin letters and signs (ＥＥＺ, ＵＮ) as their ASCII forms.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}


def half_width(text: str) -> str:
    """``text`` with full-width Latin letters, digits and signs as ASCII (one character
    for one, so offsets hold)."""
    return text.translate(_FULL_WIDTH)


def normal(text: str) -> str:
    """``text`` as words of other scripts than Latin are compared: NFC, lower-cased,
    Arabic without harakat and tatweel and with one alef, Russian ё written е, Hindi
    without the nukta (ज़िलों and जिलों are one word, spelt both ways)."""
    text = unicodedata.normalize("NFC", text).translate(_ONE_YEH)
    # Harakat, shadda and tanwin, tatweel, and the hamza forms of alef, by pyarabic.
    text = araby.normalize_alef(araby.strip_tatweel(araby.strip_tashkeel(text)))
    return text.lower().replace("ё", "е").replace(_NUKTA, "")


_NUKTA = "\u093c"  # NFC writes ज़ as ज and the nukta


def arabic_forms(word: str) -> set[str]:
    """``word`` (:func:`normal`) and the word without one leading clitic, where at least
    two letters remain."""
    return {word} | {
        word[len(c) :] for c in _CLITICS if word.startswith(c) and len(word) - len(c) >= 2
    }


def bigrams(run: str) -> list[str]:
    """The character pairs of ``run``: the words of a text written without spaces."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


# --- support ----------------------------------------------------------------------------


def _key(kind: str, text: str) -> str:
    # "#" starts no word or number, so keys share a set with plain words.
    return f"#{kind}:{text}"


def support_keys(text: str) -> frozenset[str]:
    """What :func:`supported` looks for in ``text`` (the article): number values, words
    of cased scripts split from caseless ones, prefixes of non-Latin cased words,
    Arabic and Devanagari words, and the characters and character pairs of Han, Kana
    and Hangul."""
    text = half_width(text)
    keys = {_key("n", v) for v in map(number_value, numbers(text)) if v is not None}
    for word in _CASED_WORD.findall(text):
        keys.update(_cased_keys(str(word)))
    normalised = normal(text)
    if _HANGUL_WORD.search(normalised):
        keys.update(_key("l", lemma) for _, lemma in _hangul_morphemes(normalised))
    for m in _CASELESS_WORD.finditer(normalised):
        if m.lastgroup == "arabic":
            keys.update(_key("a", form) for form in arabic_forms(m[0]))
        elif m.lastgroup == "devanagari":
            keys.add(_key("d", m[0]))
    # Korean news glosses a name in Han characters inside it (스다오(石島)항): the name
    # is also read without the gloss.
    for run in [*_CJK_RUN.findall(normalised), *_CJK_RUN.findall(_GLOSS.sub("", normalised))]:
        keys.update(_key("t", piece) for piece in [*run, *bigrams(run)])
    return frozenset(keys)


def _cased_keys(word: str) -> set[str]:
    lower = word.lower()
    keys = {lower, str(_POSSESSIVE.sub("", lower))}
    if script_of(word) == "cased":
        form = normal(word)
        keys.update(_key("c", form[:n]) for n in range(1, len(form) + 1))
    return keys


def supported(item: str, known: frozenset[str]) -> bool:
    """Whether ``known`` (:func:`support_keys` of the article) supports ``item``: a
    number by its value, a word of a script other than Latin as its script builds
    words. Latin names are left to an exact match of the caller's."""
    value = number_value(item)
    if value is not None:
        return _key("n", value) in known
    word = normal(item)
    match script_of(word):
        case "hangul":
            # Korean attaches particles and endings (외교부는, 외교부가) and fuses verb
            # endings into stems (들어가 + 았 = 들어갔): each content morpheme of the word
            # must be the article's (kiwipiepy's dictionary form), or be written there.
            # (A word the analyser cuts otherwise than the article's, 어업지도선도 as
            # 어업 + 지도 + 선도, is supported as a whole run of syllables.)
            morphemes = _hangul_morphemes(word)
            return all(
                _key("l", lemma) in known or _covered(written, known)
                for written, lemma in morphemes
            ) or _covered("".join(w for w, _ in morphemes), known)
        case "han":
            return _covered(word, known)
        case "arabic":
            return any(_key("a", form) in known for form in arabic_forms(word))
        case "devanagari":
            return _key("d", word) in known
        case "cased":
            # Russian declines names: Петров, Петрова, Петровым.
            return _key("c", word[: max(4, len(word) - 2)]) in known
        case _:
            return False


def _hangul_morphemes(text: str) -> list[tuple[str, str]]:
    """The content morphemes of Korean ``text`` (nouns, names, verbs, adjectives) as
    written and in dictionary form, by kiwipiepy; without it (the `korean` extra), each
    word's first two syllables, the stem the particles and endings leave."""
    found = morphology.tokens(text, "ko")
    if found is None:
        return [(w[:2], w[:2]) for w in _HANGUL_WORD.findall(text)]
    return [(t.text, t.lemma) for t in found if t.kind in _CONTENT_KINDS]


_CONTENT_KINDS = frozenset({"name", "noun", "verb", "adjective"})
_HANGUL_WORD = regex.compile(r"\p{Hangul}+")
_GLOSS = regex.compile(r"\((?:[\p{Han}\p{Latin}\s]{1,20})\)")


def _covered(run: str, known: frozenset[str]) -> bool:
    """Whether every character of ``run`` is in a pair of characters the article has.

    A run is often more than one word (Chinese writes no spaces), so two words that the
    article has apart meet in a pair it lacks (青岛举行 + 渔业); a new name has a
    character in no such pair (王小明, where the article has no 王小 and no 小明).
    """
    if len(run) == 1:
        return _key("t", run) in known
    found = [_key("t", pair) in known for pair in bigrams(run)]
    return all(left or right for left, right in zip([False, *found], [*found, False], strict=True))


def occurs(word: str, text: str) -> bool:
    """Whether a word of a caseless script is written in ``text`` (:func:`normal`): a
    Korean word by its first two syllables, an Arabic one with or without a clitic."""
    form = normal(word)
    match script_of(form):
        case "hangul":
            lemmas = {lemma for _, lemma in _hangul_morphemes(text)}
            plain = _GLOSS.sub("", text)  # 스다오(石島)항 is 스다오항
            return all(w in plain or m in lemmas for w, m in _hangul_morphemes(form))
        case "arabic":
            return any(f in text for f in arabic_forms(form))
        case _:
            return form in text

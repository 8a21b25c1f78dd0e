"""Numbers in every script: Han numerals by unicodedata and cn2an (the hand-written
reader they replaced is kept as its answers on every number of the fixtures), Korean
native numerals, lakhs and crores, and full-width Latin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.article import Article
from summarizer.grounding import unsupported_content
from summarizer.script_text import number_value, numbers, support_keys, supported

ROOT = Path(__file__).resolve().parent.parent
# The hand-written reader's value of every number written in the fixtures, their
# references and key facts, and the paraphrases (made before it was replaced).
BEFORE = json.loads((ROOT / "evals" / "reference" / "number-values-before.json").read_text())


def test_the_libraries_read_every_fixture_number_as_the_hand_written_reader_did() -> None:
    assert len(BEFORE) > 200
    differ = {t: (v, number_value(t)) for t, v in BEFORE.items() if number_value(t) != v}
    assert differ == {}


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("三百二十", "320"),
        ("三万亿", "3000000000000"),
        ("两千", "2000"),
        ("两万五千", "25000"),
        ("一千零五", "1005"),
        ("二〇二五", "2025"),  # digit by digit, as years are written
        ("百分之五十", "50"),
        ("1천200", "1200"),
        ("5만4천750", "54750"),
        ("３万", "30000"),
        ("1.5万", "15000"),
        # where they differ from the old reader, the libraries are right: a lone 百 is
        # a piece of a word (百姓, "the people"), not 100
        ("百", None),
        ("1.2.3万", None),
    ],
)
def test_han_and_korean_numerals_with_units(token: str, value: str | None) -> None:
    assert number_value(token) == value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("어업지도선 세 척을 투입한다", [("세", "3")]),
        ("스물두 명이 다쳤다", [("스물두", "22")]),
        ("열다섯 척", [("열다섯", "15")]),
        ("한중 양국은 합의했다", []),  # 한 of 한중 is Korea, not one
        ("네, 그렇습니다", []),  # 네 is "yes" here: no counter follows
        ("3 लाख लोग बेघर", [("3 लाख", "300000")]),
        ("2.5 करोड़ रुपये", [("2.5 करोड़", "25000000")]),
        ("about 4 lakh people", [("4 lakh", "400000")]),
    ],
)
def test_korean_native_numerals_and_indian_units(text: str, found: list[tuple[str, str]]) -> None:
    assert [(n, number_value(n)) for n in numbers(text)] == found


def test_the_same_number_written_other_ways_is_supported() -> None:
    known = support_keys("양국은 서해에 어업지도선 3척을 투입한다. 피해액은 250 लाख 루피다.")
    assert supported("세", known)  # 세 척 = 3척
    assert supported("2.5 करोड़", known)  # 250 lakh = 2.5 crore
    assert not supported("네", known)


def test_full_width_latin_is_read_as_ascii() -> None:
    article = Article.from_text("중국 어선이 한국 EEZ에서 조업했다. 해경은 단속을 강화했다.")
    assert unsupported_content(article, "중국 어선이 ＥＥＺ에서 조업했다.") == []
    assert unsupported_content(article, "어선이 ＵＮ 수역에서 조업했다.") == ["ＵＮ"]

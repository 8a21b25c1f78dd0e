from __future__ import annotations

from datetime import date

import pytest

from summarizer import Article, InputError
from summarizer.article import MAX_SENTENCE_CHARS


def test_sentences_index_the_text_exactly(seed_text: str) -> None:
    article = Article.from_text(seed_text)
    assert len(article.sentences) == 10
    for sentence in article.sentences:
        span = article.span(sentence.number)
        assert seed_text[span.start : span.end] == span.text
        assert span.text == span.text.strip()
    assert article.sentence_text(1).startswith("SEOUL/BEIJING")
    assert article.sentence_text(4).startswith("The reclusive leader")


def test_date_header_gives_the_publication_date(seed_text: str) -> None:
    assert Article.from_text(seed_text).published == date(2025, 9, 29)
    given = Article.from_text(seed_text, published="2024-01-02")
    assert given.published == date(2024, 1, 2)


def test_numbered_view_is_what_the_model_cites(seed_text: str) -> None:
    lines = Article.from_text(seed_text).numbered([2, 3]).splitlines()
    assert lines[0].startswith("[2] Wang told Choe") and lines[1].startswith("[3] North Korea's")


@pytest.mark.parametrize("text", ["", "   \n\t ", " date 2025-09-29 "])
def test_empty_articles_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        Article.from_text(text)


def test_nul_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        Article.from_text("Some text\x00 more text.")


@pytest.mark.parametrize("value", ["2025-13-45", "yesterday", "29/09/2025"])
def test_invalid_dates_are_refused(value: str) -> None:
    with pytest.raises(InputError, match="invalid publication date"):
        Article.from_text("A sentence.", published=value)


def test_text_without_punctuation_is_cut_into_citable_pieces() -> None:
    text = " ".join(["word"] * 2000)
    article = Article.from_text(text)
    assert len(article.sentences) > 10
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in article.sentences)
    assert "".join(text[s.start : s.end] for s in article.sentences).replace(
        " ", ""
    ) == text.replace(" ", "")


def test_non_english_and_mixed_scripts_keep_exact_offsets() -> None:
    text = "Der Minister traf am Sonntag ein. 北朝鮮の外相が北京を訪問した。 Это важно."
    article = Article.from_text(text)
    for s in article.sentences:
        assert text[s.start : s.end] == article.span(s.number).text
    assert len(article.sentences) >= 2


def test_citing_a_missing_sentence_is_an_error(seed_text: str) -> None:
    with pytest.raises(IndexError):
        Article.from_text(seed_text).span(11)

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
    article = Article.from_text(seed_text)
    assert article.passage().numbered().splitlines()[1].startswith("[2] Wang told Choe")
    chunk = article.passage([2, 3])  # a chunk is numbered from 1 again
    lines = chunk.numbered().splitlines()
    assert lines[0].startswith("[1] Wang told Choe") and lines[1].startswith("[2] North Korea's")
    assert chunk.citable == {1, 2} and chunk.span(2) == article.span(3)


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


def test_long_articles_split_into_balanced_chunks_of_whole_sentences(seed_text: str) -> None:
    from summarizer.chunking import plan_chunks

    body = seed_text.replace(" date 2025-09-29 ", "")
    article = Article.from_text("\n\n".join([body] * 5))
    chunks = plan_chunks(article, budget_tokens=700, count_tokens=lambda t: len(t) // 4)
    assert [n for c in chunks for n in c] == list(range(1, 51))
    sizes = [sum(len(article.sentence_text(n)) // 4 + 4 for n in c) for c in chunks]
    assert max(sizes) <= 700 - 64 and min(sizes) > max(sizes) / 2
    assert plan_chunks(article, budget_tokens=100_000, count_tokens=len) == [list(range(1, 51))]

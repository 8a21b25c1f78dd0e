from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from summarizer import InputError
from summarizer.inputs import parse_article, read_source


def test_plain_text(seed_text: str) -> None:
    article, claims = parse_article(seed_text.encode(), name="seed.txt")
    assert article.text == seed_text and claims == []


def test_json_with_title_date_and_claims() -> None:
    data = {
        "text": "Rain fell. Roads closed.",
        "title": "Storm",
        "published": "2025-01-02",
        "claims": ["Roads closed"],
    }
    article, claims = parse_article(json.dumps(data).encode(), name="a.json")
    assert (article.title, article.published, claims) == (
        "Storm",
        date(2025, 1, 2),
        ["Roads closed"],
    )


def test_json_accepts_common_field_names() -> None:
    article, _ = parse_article(b'{"body": "Rain fell.", "date": "2025-01-02"}', name="x")
    assert article.published == date(2025, 1, 2)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"txt": "Rain fell."}', "text: Field required"),
        (b'{"text": "Rain fell.", "publisher": "x"}', "Extra inputs are not permitted"),
        (b'{"text": "Rain fell.", "published": "2025-02-30"}', "invalid publication date"),
        (b'{"text": "   "}', "empty"),
        (b'{"text": "Rain', "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
    ],
)
def test_bad_json_is_explained(payload: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_article(payload, name="in.json")


def test_html_article_text_is_extracted() -> None:
    paragraph = "The council approved the new budget on Tuesday after a long debate. " * 3
    html = f"""<!doctype html><html><head><title>Budget passes</title>
    <script>alert("x")</script></head><body><nav>Home | News</nav>
    <article><h1>Budget passes</h1><p>{paragraph}</p><p>{paragraph}</p></article>
    <footer>Copyright</footer></body></html>"""
    article, _ = parse_article(html.encode(), name="page.html")
    assert "council approved" in article.text and "alert" not in article.text
    assert article.title == "Budget passes"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"", "empty"),
        (b"\n\n  \t", "empty"),
    ],
)
def test_unreadable_bytes_are_explained(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_article(data, name="in.txt")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        read_source(str(tmp_path))

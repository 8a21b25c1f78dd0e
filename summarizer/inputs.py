"""Read an article from a file, stdin or bytes: plain text, JSON, or HTML."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from summarizer.article import Article, parse_published
from summarizer.errors import InputError, one_line

MAX_BYTES = 20_000_000
_HTML_START = re.compile(
    rb"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article)\b", re.I | re.S
)


class ArticleInput(BaseModel):
    """The JSON input format: ``{"text": ..., "title": ..., "published": "YYYY-MM-DD"}``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    text: str = Field(validation_alias=AliasChoices("text", "body", "article"))
    title: str | None = None
    published: date | None = Field(
        default=None, validation_alias=AliasChoices("published", "date", "publication_date")
    )
    claims: list[str] = Field(default_factory=list)
    id: str | None = None
    source: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_published(value)
        return value


def read_source(path: str) -> bytes:
    """Bytes of ``path``, or of standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    file = Path(path)
    if not file.exists():
        raise InputError(f"no such file: {path}")
    if file.is_dir():
        raise InputError(f"{path} is a directory, not an article file")
    try:
        with file.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def parse_article(
    data: bytes, *, name: str = "input", fmt: str = "auto"
) -> tuple[Article, list[str]]:
    """An article and the claims that came with it, from raw bytes."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first"
        ) from None
    kind = fmt if fmt != "auto" else _detect(name, data)
    if kind == "json":
        return _from_json(text, name)
    if kind == "html":
        return _from_html(text, name), []
    return Article.from_text(text), []


def _detect(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".json" or data.lstrip()[:1] == b"{":
        return "json"
    if suffix in {".html", ".htm"} or _HTML_START.match(data):
        return "html"
    return "text"


def _from_json(text: str, name: str) -> tuple[Article, list[str]]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{name}: expected a JSON object with a 'text' field")
    try:
        given = ArticleInput.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{name}: {one_line(exc)}") from None
    article = Article.from_text(given.text, title=given.title, published=given.published)
    return article, given.claims


def _from_html(html: str, name: str) -> Article:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    title = getattr(document, "title", None)
    found_date = getattr(document, "date", None)
    published = None
    if found_date:
        try:
            published = parse_published(str(found_date)[:10])
        except InputError:
            published = None
    return Article.from_text(text, title=title, published=published)

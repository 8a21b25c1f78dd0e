"""Read an article from a file, stdin or bytes: plain text, JSON, or HTML."""

from __future__ import annotations

import codecs
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
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article)\b", re.I | re.S
)
# Windows editors save "Unicode" text as UTF-16 with a byte-order mark; with the mark
# the encoding is certain. UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 8192


class ArticleInput(BaseModel):
    """The JSON input format: ``{"text": ..., "title": ..., "published": "YYYY-MM-DD"}``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    text: str = Field(validation_alias=AliasChoices("text", "body", "article"))
    title: str | None = None
    published: date | None = Field(
        default=None, validation_alias=AliasChoices("published", "date", "publication_date")
    )
    claims: list[str] = Field(default_factory=list)
    language: str | None = Field(
        default=None, description="ISO 639-1 code of the article's language; default: detected."
    )
    id: str | None = None
    source: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_published(value)
        if value is None or isinstance(value, date):
            return value
        # pydantic would read a number as a Unix time: 20250214 is a day in 1970, and
        # any other number fails with a message about "zero time".
        raise InputError(
            f"invalid publication date {value!r}: expected a string YYYY-MM-DD, "
            f"not {type(value).__name__}"
        )


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
    text = _decode(data, name)
    kind = fmt if fmt != "auto" else _detect(name, text)
    if kind == "json":
        return _from_json(text, name)
    if kind == "html":
        return _from_html(text, name), []
    return Article.from_text(text), []


def _decode(data: bytes, name: str) -> str:
    """The text of ``data``: UTF-8, or UTF-16/32 when a byte-order mark says so."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} is not valid {codec.upper()} (byte {exc.start})"
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        if _looks_like_utf16(data[:SNIFF_BYTES]):
            raise InputError(
                f"{name} looks like UTF-16 text without a byte-order mark; "
                "convert it to UTF-8 first"
            )
        # The offset helps with a text file that a NUL or two got into.
        raise InputError(f"{name} is a binary file, not text (NUL byte at byte {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _looks_binary(data[:SNIFF_BYTES]):
            # An image or archive without NULs: "convert it to UTF-8" would mislead.
            raise InputError(f"{name} is a binary file, not text") from None
        raise InputError(
            f"{name} is not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first"
        ) from None


def _looks_like_utf16(sample: bytes) -> bool:
    """Text in a Latin script as UTF-16: every other byte is NUL, the others hardly ever."""
    halves = sample[0::2], sample[1::2]
    zeros = sorted(half.count(0) / max(1, len(half)) for half in halves)
    return zeros[0] < 0.05 and zeros[1] > 0.5


def _looks_binary(sample: bytes) -> bool:
    """Text in a legacy encoding (Latin-1, KOI8-R...) has no control bytes but whitespace;
    compressed or random data has about one in nine. One in forty is taken for binary."""
    decoded = sample.decode("utf-8", errors="replace")
    controls = sum(1 for c in decoded if c < " " and c not in "\t\n\r\f\v")
    return controls > len(decoded) // 40


def _detect(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".json" or text.lstrip()[:1] == "{":
        return "json"
    if suffix in {".html", ".htm"} or _HTML_START.match(text):
        return "html"
    return "text"


def _from_json(text: str, name: str) -> tuple[Article, list[str]]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in " at" (it appends the position to them).
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InputError(
            f"{name} is not valid JSON: {exc.msg.removesuffix(' at')} ({where})"
        ) from None
    if not isinstance(raw, dict):
        raise InputError(f"{name}: expected a JSON object with a 'text' field")
    try:
        given = ArticleInput.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{name}: {one_line(exc)}") from None
    except InputError as exc:  # a bad date, from the field's own validator
        raise InputError(f"{name}: {exc}") from None
    article = Article.from_text(
        given.text, title=given.title, published=given.published, language=given.language
    )
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

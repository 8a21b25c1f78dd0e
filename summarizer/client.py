"""The Python API: ``analyze`` for one call, ``Summarizer`` / ``AsyncSummarizer`` for many."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date
from typing import Any, Self

from summarizer.article import Article
from summarizer.backends import make_backend
from summarizer.cache import ResponseCache
from summarizer.pipeline import Pipeline
from summarizer.schema import Analysis, BatchRecord
from summarizer.settings import Settings, load_settings


class Summarizer:
    """A reusable client: settings resolved and the backend set up once.

    Keyword arguments override environment variables (``SUMMARIZER_*``,
    ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``), which override the defaults.

    >>> client = Summarizer(base_url="http://localhost:11434/v1", model="qwen2.5")  # doctest: +SKIP
    >>> result = client.analyze(text, published="2025-09-29")  # doctest: +SKIP
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        self.settings = settings or load_settings(**overrides)
        self._pipeline = Pipeline(self.settings, make_backend(self.settings))

    def analyze(
        self,
        article: str | Article,
        *,
        title: str | None = None,
        published: date | str | None = None,
        language: str | None = None,
        claims: Sequence[str] = (),
    ) -> Analysis:
        """Summary, events, stances (and claim stances, if claims are given) of one article.

        ``language`` is the article's (ISO 639-1), detected when not given; the language
        of the output is the ``output_language`` setting."""
        return self._pipeline.run(_article(article, title, published, language), list(claims))

    def close(self) -> None:
        """Close HTTP connections; the client can't be used afterwards."""
        self._pipeline.backend.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncSummarizer(Summarizer):
    """The same client for asyncio code."""

    async def analyze(  # type: ignore[override]
        self,
        article: str | Article,
        *,
        title: str | None = None,
        published: date | str | None = None,
        language: str | None = None,
        claims: Sequence[str] = (),
    ) -> Analysis:
        return await self._pipeline.arun(
            _article(article, title, published, language), list(claims)
        )

    async def analyze_many(
        self,
        articles: Iterable[str | Article | dict[str, Any]],
        *,
        concurrency: int = 4,
        cache: ResponseCache | None = None,
    ) -> AsyncIterator[BatchRecord]:
        """One :class:`BatchRecord` per article, in input order, as each is ready.

        A failed article is a record with its error, not an exception, so one bad input
        never costs the rest. ``concurrency`` bounds the requests in flight on an
        endpoint; the embedded model runs one at a time.

        >>> async for record in client.analyze_many(texts, concurrency=8):  # doctest: +SKIP
        ...     print(record.id, record.ok)
        """
        from summarizer.batch import Analyser, BatchItem, analyse_stream

        analyser = Analyser(
            self.settings, concurrency=concurrency, cache=cache, backend=self._pipeline.backend
        )
        items = (BatchItem.of(line, value) for line, value in enumerate(articles, 1))
        async for record in analyse_stream(analyser, items):
            yield record

    async def aclose(self) -> None:
        await self._pipeline.backend.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def analyze(
    article: str | Article,
    *,
    title: str | None = None,
    published: date | str | None = None,
    language: str | None = None,
    claims: Sequence[str] = (),
    **settings: Any,
) -> Analysis:
    """Analyse one article. Settings (``model``, ``base_url``, ``output_language``, ...)
    as keywords."""
    with Summarizer(**settings) as client:
        return client.analyze(
            article, title=title, published=published, language=language, claims=claims
        )


def _article(
    article: str | Article, title: str | None, published: date | str | None, language: str | None
) -> Article:
    if isinstance(article, Article):
        return article
    if not isinstance(article, str):
        from summarizer.errors import InputError

        raise InputError(f"the article must be a str, not {type(article).__name__}")
    return Article.from_text(article, title=title, published=published, language=language)

"""Summaries, events and stances from news articles, validated and grounded in the text."""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.article import Article
    from summarizer.batch import BatchSummary, arun_batch, run_batch
    from summarizer.cache import ResponseCache
    from summarizer.client import AsyncSummarizer, Summarizer, analyze
    from summarizer.errors import (
        ConfigError,
        EndpointError,
        ExtractiveWarning,
        InputError,
        ModelError,
        ModelNotFoundError,
        OutputError,
        OutputTruncatedError,
        SummarizerError,
        UsageError,
    )
    from summarizer.schema import (
        Analysis,
        ArticleInfo,
        Attribution,
        BatchRecord,
        ClaimStance,
        Event,
        KeyPoint,
        Metadata,
        Span,
        Stance,
        Summary,
        Usage,
    )
    from summarizer.settings import Settings
    from summarizer.storylines import (
        Story,
        StoryEvent,
        Storylines,
        StorySettings,
        build_storylines,
        storylines_from_file,
        update_storylines,
        write_storylines,
    )

__all__ = [
    "Analysis",
    "Article",
    "ArticleInfo",
    "AsyncSummarizer",
    "Attribution",
    "BatchRecord",
    "BatchSummary",
    "ClaimStance",
    "ConfigError",
    "EndpointError",
    "Event",
    "ExtractiveWarning",
    "InputError",
    "KeyPoint",
    "Metadata",
    "ModelError",
    "ModelNotFoundError",
    "OutputError",
    "OutputTruncatedError",
    "ResponseCache",
    "Settings",
    "Span",
    "Stance",
    "Story",
    "StoryEvent",
    "StorySettings",
    "Storylines",
    "Summarizer",
    "SummarizerError",
    "Summary",
    "Usage",
    "UsageError",
    "analyze",
    "arun_batch",
    "build_storylines",
    "run_batch",
    "storylines_from_file",
    "update_storylines",
    "write_storylines",
]
__version__ = "0.1.0"

# Names load on first use (PEP 562), so ``import summarizer`` and the CLI start without
# the model clients; ``summarizer eval`` on a warm cache never needs them.
_LAZY: dict[str, str] = {
    "Analysis": "summarizer.schema",
    "Article": "summarizer.article",
    "ArticleInfo": "summarizer.schema",
    "AsyncSummarizer": "summarizer.client",
    "Attribution": "summarizer.schema",
    "BatchRecord": "summarizer.schema",
    "BatchSummary": "summarizer.batch",
    "ClaimStance": "summarizer.schema",
    "ConfigError": "summarizer.errors",
    "ExtractiveWarning": "summarizer.errors",
    "EndpointError": "summarizer.errors",
    "Event": "summarizer.schema",
    "InputError": "summarizer.errors",
    "KeyPoint": "summarizer.schema",
    "Metadata": "summarizer.schema",
    "ModelError": "summarizer.errors",
    "ModelNotFoundError": "summarizer.errors",
    "OutputError": "summarizer.errors",
    "OutputTruncatedError": "summarizer.errors",
    "ResponseCache": "summarizer.cache",
    "Settings": "summarizer.settings",
    "Span": "summarizer.schema",
    "Stance": "summarizer.schema",
    "Story": "summarizer.storylines",
    "StoryEvent": "summarizer.storylines",
    "StorySettings": "summarizer.storylines",
    "Storylines": "summarizer.storylines",
    "Summarizer": "summarizer.client",
    "SummarizerError": "summarizer.errors",
    "Summary": "summarizer.schema",
    "Usage": "summarizer.schema",
    "UsageError": "summarizer.errors",
    "analyze": "summarizer.client",
    "arun_batch": "summarizer.batch",
    "build_storylines": "summarizer.storylines",
    "run_batch": "summarizer.batch",
    "storylines_from_file": "summarizer.storylines",
    "update_storylines": "summarizer.storylines",
    "write_storylines": "summarizer.storylines",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

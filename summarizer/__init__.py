"""Summaries, events and stances from news articles, validated and grounded in the text."""

from summarizer.article import Article
from summarizer.batch import BatchSummary, arun_batch, run_batch
from summarizer.cache import ResponseCache
from summarizer.client import AsyncSummarizer, Summarizer, analyze
from summarizer.errors import (
    ConfigError,
    EndpointError,
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

__all__ = [
    "Analysis",
    "Article",
    "ArticleInfo",
    "AsyncSummarizer",
    "BatchRecord",
    "BatchSummary",
    "ClaimStance",
    "ConfigError",
    "EndpointError",
    "Event",
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
    "Summarizer",
    "SummarizerError",
    "Summary",
    "Usage",
    "UsageError",
    "analyze",
    "arun_batch",
    "run_batch",
]
__version__ = "0.1.0"

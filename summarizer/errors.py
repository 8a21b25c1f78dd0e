"""Every error the library raises, under one base class.

    SummarizerError
    ├── UsageError                 the caller can fix it: exit code 2 in the CLI
    │   ├── InputError             empty, binary or undecodable article, bad date, missing file
    │   └── ConfigError            bad settings
    │       └── ModelNotFoundError the backend does not know the model
    └── ModelError                 the model or its endpoint failed: exit code 3 in the CLI
        ├── EndpointError          unreachable, timed out, or answered with an HTTP error
        └── OutputError            the model answered, but never with a valid result
            └── OutputTruncatedError  the answer hit the token limit

Vendor exceptions (openai, instructor, llama-cpp) are mapped onto these at one boundary,
``summarizer.backends.calls``, and chained with ``raise ... from``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

    from summarizer.schema import Usage


def one_line(exc: ValidationError, whole: str = "input") -> str:
    """pydantic's validation errors as ``field.path: message; ...`` for a one-line error."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or whole}: {e['msg']}" for e in exc.errors()
    )


class SummarizerError(Exception):
    """Base class of every error raised by summarizer."""


class UsageError(SummarizerError):
    """A mistake the caller can fix: bad input or bad configuration."""


class InputError(UsageError):
    """The article (or a field that comes with it) cannot be analysed."""


class ConfigError(UsageError):
    """The settings are invalid or inconsistent."""


class ModelNotFoundError(ConfigError):
    """The backend does not serve the requested model."""


class ModelError(SummarizerError):
    """The model or its endpoint failed after every bounded retry.

    Carries what a caller needs to debug or bill the failure: the last raw output the
    model produced (if any), the token usage summed over all attempts, and the number of
    attempts made.
    """

    def __init__(
        self,
        message: str,
        *,
        last_output: str | None = None,
        usage: Usage | None = None,
        attempts: int = 0,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.last_output = last_output
        self.usage = usage
        self.attempts = attempts
        self.status_code = status_code


class EndpointError(ModelError):
    """The endpoint could not be reached, timed out, or answered with an HTTP error."""


class OutputError(ModelError):
    """The model answered, but no answer passed validation within the re-ask budget."""


class OutputTruncatedError(OutputError):
    """The model's answer stopped at the token limit (finish_reason "length")."""


def public_name(exc: SummarizerError) -> str:
    """The exception's name as users can catch it: the nearest class of this module."""
    for cls in type(exc).__mro__:
        if cls.__module__ == __name__:
            return cls.__name__
    return type(exc).__name__


class ExtractiveWarning(UserWarning):
    """The embedded model cannot write the language asked for, so the headline, summary
    and key points are the article's own sentences (``metadata.extractive``).

    Python shows a warning once per message, so a batch of any size warns once.
    """

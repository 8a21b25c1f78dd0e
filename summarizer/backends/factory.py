"""Pick the backend the settings ask for."""

from __future__ import annotations

from summarizer.backends.base import Backend
from summarizer.settings import Settings


def make_backend(settings: Settings) -> Backend:
    if settings.backend == "embedded":
        from summarizer.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(settings)
    from summarizer.backends.http import HTTPBackend

    return HTTPBackend(settings)

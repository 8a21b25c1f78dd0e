"""Model access: one interface over the embedded model and OpenAI-compatible endpoints.

Backends know nothing about news or tasks: they take chat messages plus instructor's
request arguments and return an OpenAI ``ChatCompletion``.
"""

from __future__ import annotations

from summarizer.backends.base import Backend, TransientEndpointError
from summarizer.backends.factory import make_backend

__all__ = ["Backend", "TransientEndpointError", "make_backend"]

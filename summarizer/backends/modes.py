"""Which instructor mode each backend uses.

Measured with instructor 1.17 and llama-cpp-python 0.3.36: ``Mode.TOOLS`` is
grammar-constrained both in-process and in llama.cpp's server; ``JSON_SCHEMA`` is
ignored in-process and answered with HTTP 500 by the server; ``JSON`` lets a small model
echo the schema back. OpenAI, vLLM and Ollama all accept a forced tool call too, so
TOOLS is the default everywhere and the user may override it.
"""

from __future__ import annotations

import instructor

from summarizer.settings import ModeName

_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


def choose_mode(requested: ModeName) -> instructor.Mode:
    if requested == "auto":
        return instructor.Mode.TOOLS
    return _MODES[requested]

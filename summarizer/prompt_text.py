"""Text from the input as the model is shown it: data that cannot pose as the prompt.

An article, a title or a claim is pasted into the prompt, so what it contains must not
read as the prompt's own structure:

- newlines would let a line of it pose as ours ("TASK: ...", a closing ``>>>``), so it
  is shown on one line;
- ``[12]`` is how we number sentences, so one written in the article is shown as
  ``(12)``;
- chat-template control tokens (``<|im_start|>``, ``[INST]``, ``</s>``...) are parsed
  as real special tokens by llama.cpp, vLLM and Hugging Face tokenizers, which would let
  the article open a system turn of its own; they are shown defused, ``(im_start)``.

Only what the model reads changes: evidence spans always point into the original text.
"""

from __future__ import annotations

import re

_FORGED_MARKER = re.compile(r"\[(\d+)\]")
_CONTROL_TOKEN = re.compile(
    r"<\|[^<>|\s]{1,40}\|>|\[/?INST\]|<</?SYS>>|</?s>|<(?:start|end)_of_turn>", re.IGNORECASE
)


def one_line(text: str) -> str:
    return " ".join(text.split())


def as_data(text: str) -> str:
    """``text`` on one line, with forged sentence markers and control tokens defused."""
    shown = _FORGED_MARKER.sub(r"(\1)", one_line(text))
    return _CONTROL_TOKEN.sub(_defuse, shown)


def _defuse(match: re.Match[str]) -> str:
    return f"({match.group(0).strip('<>|[]')})"

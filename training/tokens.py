"""Training examples as token ids, exactly as the embedded backend would see them.

An example (one line of ``train.jsonl``) is rendered with the chat formatter the embedded
backend itself uses (:func:`summarizer.backends.embedded._formatter`: the GGUF's own chat
template, with the generation prompt) and tokenised by llama.cpp's tokenizer, as
llama-cpp-python tokenises a chat request. transformers' GGUF tokenizer is not used: it
splits digits and sets end-of-sequence differently, so a model trained on its ids would
learn a prompt it never sees.

The answer is tokenised on its own, and the end-of-turn token follows it: generation
starts right after the prompt's last token, and a grammar-constrained answer ends when the
model emits end-of-turn. The loss covers those tokens and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.backends.embedded import _formatter

if TYPE_CHECKING:
    from llama_cpp import Llama

# The label of a position the loss ignores (PyTorch's cross-entropy default).
IGNORED = -100


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user"]
    content: str


class Example(BaseModel):
    """One training example: a request the pipeline makes and the answer to learn."""

    model_config = ConfigDict(extra="forbid")
    task: str = Field(min_length=1)
    source: str = Field(min_length=1)
    source_id: str = Field(min_length=1)
    messages: list[Message] = Field(min_length=1)
    answer: str = Field(min_length=1)


def read_examples(path: Path) -> Iterator[Example]:
    """Every example of a JSONL file; a bad line stops the run and names its number."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield Example.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as exc:
                first = str(exc).splitlines()[0]
                raise ValueError(f"{path}:{number}: not a training example: {first}") from None


@dataclass(frozen=True)
class Encoded:
    """One example's token ids; ``labels`` is IGNORED over the prompt."""

    task: str
    source_id: str
    input_ids: list[int]
    labels: list[int]

    @property
    def prompt_tokens(self) -> int:
        return len(self.input_ids) - self.answer_tokens

    @property
    def answer_tokens(self) -> int:
        """The answer's tokens plus end-of-turn: the positions the loss covers."""
        return sum(1 for label in self.labels if label != IGNORED)


class Tokenizer:
    """llama.cpp's tokenizer and chat template for the embedded model's GGUF."""

    def __init__(self, model_path: Path) -> None:
        from llama_cpp import Llama

        self.llama: Llama = Llama(model_path=str(model_path), vocab_only=True, verbose=False)
        self._format = _formatter(self.llama)
        stop = self._format(messages=[{"role": "user", "content": ""}]).stop
        marker = stop[0] if isinstance(stop, list) else stop
        if not isinstance(marker, str):
            raise ValueError("the chat template names no end-of-turn marker")
        ids = self.llama.tokenize(marker.encode("utf-8"), add_bos=False, special=True)
        if len(ids) != 1:
            raise ValueError(f"end-of-turn {marker!r} is {len(ids)} tokens, not one")
        self.end_of_turn: int = ids[0]

    def prompt(self, messages: list[Message]) -> list[int]:
        """The prompt's ids as llama-cpp-python builds them for a chat completion."""
        formatted = self._format(messages=[m.model_dump() for m in messages])  # type: ignore[misc]
        return self.llama.tokenize(
            formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True
        )

    def answer(self, text: str) -> list[int]:
        """The answer's ids; a marker written in the answer stays text, as generated."""
        return self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def encode(self, example: Example) -> Encoded:
        prompt = self.prompt(example.messages)
        answer = [*self.answer(example.answer), self.end_of_turn]
        return Encoded(
            task=example.task,
            source_id=example.source_id,
            input_ids=prompt + answer,
            labels=[IGNORED] * len(prompt) + answer,
        )

    def text(self, ids: list[int]) -> str:
        return self.llama.detokenize(ids, special=True).decode("utf-8", errors="replace")

    def close(self) -> None:
        self.llama.close()

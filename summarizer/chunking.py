"""Split an article that does not fit the model's context into runs of whole sentences.

Sentence numbers stay global, so a chunk's citations are already article citations.
"""

from __future__ import annotations

from collections.abc import Callable

from summarizer.article import Article
from summarizer.errors import InputError

# Room left for the chat template's own tokens and the tokenizer's disagreements.
SAFETY_TOKENS = 64


def plan_chunks(
    article: Article,
    *,
    budget_tokens: int,
    count_tokens: Callable[[str], int],
) -> list[list[int]]:
    """Greedy packing of sentence numbers into chunks of at most ``budget_tokens``."""
    budget = budget_tokens - SAFETY_TOKENS
    chunks: list[list[int]] = [[]]
    used = 0
    for sentence in article.sentences:
        cost = count_tokens(article.numbered([sentence.number])) + 1
        if cost > budget:
            raise InputError(
                f"sentence {sentence.number} alone needs about {cost} tokens, more than the "
                f"{budget} the model's context leaves for the article; raise context_tokens"
            )
        if used + cost > budget and chunks[-1]:
            chunks.append([])
            used = 0
        chunks[-1].append(sentence.number)
        used += cost
    return chunks

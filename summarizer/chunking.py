"""Split an article that does not fit the model's context into runs of whole sentences.

Chunks are balanced: a long article that needs two chunks gets two halves, not one full
chunk and a two-sentence tail that gives a small model nothing to work with.
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
    """Sentence numbers in chunks of at most ``budget_tokens``, as even as possible."""
    budget = budget_tokens - SAFETY_TOKENS
    # "[n] " and the newline cost a few tokens on top of the sentence itself.
    costs = [count_tokens(article.sentence_text(s.number)) + 4 for s in article.sentences]
    for number, cost in enumerate(costs, 1):
        if cost > budget:
            raise InputError(
                f"sentence {number} alone needs about {cost} tokens, more than the "
                f"{budget} the model's context leaves for the article; raise context_tokens"
            )
    total = sum(costs)
    count = -(-total // budget)
    while True:
        chunks = _split_evenly(costs, count)
        if all(sum(costs[n - 1] for n in chunk) <= budget for chunk in chunks):
            return chunks
        count += 1


def _split_evenly(costs: list[int], count: int) -> list[list[int]]:
    """Assign each sentence to the chunk where its middle falls on a scale of equal parts."""
    total = sum(costs)
    chunks: list[list[int]] = [[] for _ in range(count)]
    before = 0
    for number, cost in enumerate(costs, 1):
        index = min(count - 1, int((before + cost / 2) * count / total))
        chunks[index].append(number)
        before += cost
    return [c for c in chunks if c]

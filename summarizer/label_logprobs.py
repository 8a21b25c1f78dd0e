"""A generated label's probability, from the token log-probabilities of the answer.

An endpoint asked for log-probabilities (``logprobs``) returns one per token of the
answer. The tokens that write a label's value ("happened", "oppose", "agree") carry the
model's probability for that value given everything before it: the label's confidence,
with no second call. It is read from the answer's JSON text, so it needs a mode whose
answer is the message content (JSON schema, JSON, Markdown JSON), not a tool call.
"""

from __future__ import annotations

import math
import re
from itertools import accumulate

from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer.drafts import DraftModel

# Which list of a draft holds items with which label field. The field names are unique
# to their items, so the n-th value of a field in the answer is the n-th item's.
ITEM_LABELS = {"events": "status", "stances": "position", "claims": "label"}
Saved = dict[str, list[float | None]]


def label_probabilities(completion: ChatCompletion) -> dict[str, list[float]]:
    """Each label field's values' probabilities, in the order the answer writes them;
    empty when the completion has no log-probabilities for its text."""
    if not completion.choices:
        return {}
    choice = completion.choices[0]
    tokens = choice.logprobs.content if choice.logprobs else None
    text = choice.message.content
    if not tokens or not text or "".join(t.token for t in tokens) != text:
        return {}
    ends = list(accumulate(len(t.token) for t in tokens))
    found: dict[str, list[float]] = {}
    for field in ITEM_LABELS.values():
        for match in re.finditer(rf'"{field}"\s*:\s*"([^"\\]*)"', text):
            start, end = match.span(1)
            # Every token that writes part of the value (the first may carry the quote).
            total = sum(
                t.logprob
                for t, stop in zip(tokens, ends, strict=True)
                if stop > start and stop - len(t.token) < end
            )
            found.setdefault(field, []).append(round(math.exp(total), 4))
    return found


def attach(draft: BaseModel, completion: ChatCompletion) -> None:
    """Give each item of ``draft`` its label's probability, where the answer has one
    for every item of that list."""
    found = label_probabilities(completion)
    restore(draft, {items: list(found.get(field, [])) for items, field in ITEM_LABELS.items()})


def saved(draft: BaseModel) -> Saved:
    """The items' probabilities, for a cache that stores the draft as JSON."""
    return {
        items: [i.label_probability if isinstance(i, DraftModel) else None for i in listed]
        for items in ITEM_LABELS
        if isinstance(listed := getattr(draft, items, None), list)
    }


def restore(draft: BaseModel, probabilities: Saved) -> None:
    """Set the items' probabilities: a list's, only when there is one for each item."""
    for items, values in probabilities.items():
        listed = getattr(draft, items, None)
        if isinstance(listed, list) and len(values) == len(listed):
            for item, value in zip(listed, values, strict=True):
                if isinstance(item, DraftModel):
                    item.set_label_probability(value)

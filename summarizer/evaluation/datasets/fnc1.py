"""FNC-1 (Fake News Challenge, stage 1): article bodies with headlines labelled
agree/disagree/discuss/unrelated.

A row (one body with its headlines) becomes a :class:`Fixture` labelling only
``claims``: each headline a :class:`GoldClaim` with its stance. ``fnc1-natural`` (more
bodies with all their headlines, the label mix a real run sees) is mapped the same way
under its own name.
"""

from __future__ import annotations

from summarizer.evaluation.datasets.common import Row, _row_id, _text, fixture_id
from summarizer.evaluation.fixtures import Fixture, GoldClaim


def fnc1_fixture(row: Row, line: int, dataset: str = "fnc1") -> Fixture:
    """An FNC-1 body with its headlines as claims, each labelled with its stance."""
    headlines = row["headlines"]
    if not isinstance(headlines, list):
        raise ValueError("field 'headlines' is not a list")
    return Fixture(
        id=fixture_id(dataset, _row_id(row, "body_id", line)),
        source=f"{dataset} dev",
        topic="news",
        text=_text(row, "body"),
        claims=[GoldClaim(claim=h["headline"], label=h["stance"]) for h in headlines],
        labelled=["claims"],
    )


def fnc1_natural_fixture(row: Row, line: int) -> Fixture:
    """FNC-1 natural: an FNC-1 body as :func:`fnc1_fixture` maps it, under its own name."""
    # Every headline of 100 more bodies, as a real run meets them (77% unrelated).
    return fnc1_fixture(row, line, "fnc1-natural")

"""PolNeAR: US election news from seven outlets, 2015-2016, each article's text starting
with its title line.

``polnear`` scores attributions: a row becomes a :class:`Fixture` of the text exactly
as given (title line included: the offsets index it) labelling only ``attributions``,
each a :class:`GoldAttribution` of source, cue and content pieces.

``polnear-titles`` scores headlines: a row becomes a :class:`Fixture` of the article
*without* its title line (so no system can copy it) labelling only ``headline``, with
the title as the reference. Ids are ``polnear-<article id>``, so an article falls in the
same half for every task scored on it.
"""

from __future__ import annotations

from summarizer.evaluation.datasets.common import Row, _row_id, _text, fixture_id
from summarizer.evaluation.fixtures import Fixture, GoldAttribution, GoldSpan


def polnear_titles_fixture(row: Row, line: int) -> Fixture:
    """The article's body, its title line removed, with the title as its headline."""
    title = " ".join(_text(row, "title").split())
    text = _text(row, "text")
    first, _, body = text.partition("\n")
    if " ".join(first.split()) != title:
        raise ValueError("the text does not start with the title line")
    if not body.strip():
        raise ValueError("the article has no text after its title")
    return Fixture(
        id=fixture_id("polnear", _row_id(row, "id", line)),
        source="polnear-titles dev",
        topic="politics",
        text=body.strip(),
        headlines=[title],
        labelled=["headline"],
    )


def polnear_fixture(row: Row, line: int) -> Fixture:
    """The article as given, with every attribution of it."""
    attributions = row["attributions"]
    if not isinstance(attributions, list):
        raise ValueError("field 'attributions' is not a list")
    return Fixture(
        id=fixture_id("polnear", _row_id(row, "id", line)),
        source="polnear dev",
        topic="politics",
        text=_text(row, "text"),
        attributions=[_attribution(a) for a in attributions],
        labelled=["attributions"],
    )


def _attribution(raw: object) -> GoldAttribution:
    if not isinstance(raw, dict):
        raise ValueError("an attribution is not an object")

    def pieces(key: str) -> list[GoldSpan]:
        found = raw.get(key) or []
        if not isinstance(found, list):
            raise ValueError(f"an attribution's {key!r} is not a list")
        return [GoldSpan.model_validate(p) for p in found]

    return GoldAttribution(source=pieces("source"), cue=pieces("cue"), content=pieces("content"))

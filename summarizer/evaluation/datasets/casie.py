"""CASIE: cybersecurity news articles annotated with events (data breaches, phishing,
ransom, discovered and patched vulnerabilities), their arguments and realis.

A row becomes a :class:`Fixture` labelling only ``events``: each non-generic event
mention a :class:`GoldEvent` whose actors, targets, time and place come from its
arguments' roles and whose status comes from its realis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from summarizer.article import Article
from summarizer.evaluation.datasets.common import (
    Row,
    _aliases,
    _camel_words,
    _dedupe,
    _row_id,
    _text,
    _unique,
    fixture_id,
    sentence_number,
)
from summarizer.evaluation.fixtures import Fixture, GoldEvent
from summarizer.schema import EventStatus

# Who attacks, finds or fixes (actors) and what is attacked, stolen, found vulnerable or
# fixed (targets). Tools, attack patterns, prices, CVE ids, patch numbers, purposes,
# counts and the entity a phishing mail impersonates (Trusted-Entity) are neither.
CASIE_ACTOR_ROLES = frozenset({"Attacker", "Discoverer", "Releaser"})
CASIE_TARGET_ROLES = frozenset(
    {
        "Victim",
        "Compromised-Data",
        "Vulnerable_System",
        "Vulnerable_System_Owner",
        "Vulnerability",
    }
)
CASIE_TIME_ROLES = frozenset({"Time"})
CASIE_PLACE_ROLES = frozenset({"Place"})
CASIE_ACTIONS: Mapping[str, str] = {
    "Databreach": "data breach",
    "Phishing": "phishing",
    "Ransom": "ransom",
    "DiscoverVulnerability": "discover vulnerability",
    "PatchVulnerability": "patch vulnerability",
}
# Realis -> status. "Other" covers possible, hypothetical and future events; a "Generic"
# event ("ransomware attacks hit hospitals") is no particular event, so it is skipped.
CASIE_STATUS: Mapping[str, EventStatus | None] = {
    "Actual": "happened",
    "Other": "possible",
    "Generic": None,
}


def casie_fixture(row: Row, line: int) -> Fixture:
    """A CASIE cybersecurity article with its non-generic event mentions as events.

    Coreferent mentions of one event (a CASIE "hopper") stay separate events, as the
    dataset annotates them; identical ones are merged.
    """
    text = _text(row, "text")
    article = Article.from_text(text)
    events = (_casie_event(event, article) for event in row["events"])
    title = row.get("title")
    return Fixture(
        id=fixture_id("casie", _row_id(row, "id", line)),
        source="casie dev",
        topic="cybersecurity",
        title=(title.strip() or None) if isinstance(title, str) else None,
        published=_casie_date(row.get("date")),
        text=text,
        events=_dedupe(e for e in events if e is not None),
        labelled=["events"],
    )


def _casie_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"date {value!r} is not a string")
    try:
        return dt.datetime.strptime(value.strip(), "%Y_%m_%d").date()
    except ValueError:
        raise ValueError(f"date {value!r} is not YYYY_MM_DD") from None


def _casie_event(event: Row, article: Article) -> GoldEvent | None:
    realis: str = event["realis"]
    if realis not in CASIE_STATUS:
        raise ValueError(f"unknown CASIE realis {realis!r}")
    status = CASIE_STATUS[realis]
    if status is None:
        return None
    trigger = event["trigger"]
    if article.text[trigger["start"] : trigger["end"]] != trigger["text"]:
        raise ValueError(f"trigger {trigger['text']!r} is not at offset {trigger['start']}")
    subtype: str = event["subtype"] or event["type"]
    action = CASIE_ACTIONS.get(subtype) or _camel_words(subtype)
    arguments = sorted(event["arguments"] or [], key=lambda a: (a["start"], a["end"]))

    def having(roles: frozenset[str]) -> list[str]:
        return _unique(a["text"] for a in arguments if a["role"] in roles)

    times, places = having(CASIE_TIME_ROLES), having(CASIE_PLACE_ROLES)
    return GoldEvent(
        actors=having(CASIE_ACTOR_ROLES),
        action=action,
        action_aliases=_aliases(action, trigger["text"]),
        targets=having(CASIE_TARGET_ROLES),
        time_text=times[0] if times else None,
        location=places[0] if places else None,
        status=status,
        sentences=[sentence_number(article, trigger["start"])],
    )

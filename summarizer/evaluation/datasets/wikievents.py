"""WikiEvents: Wikipedia-cited news documents annotated with KAIROS event mentions and
their arguments.

A row becomes a :class:`Fixture` labelling only ``events``: each event mention a
:class:`GoldEvent` (status "happened") whose actors, targets and place come from its
arguments' roles, whose action is a short verb for its type, and whose sentence is
ours, found from the trigger's character offset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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

# --- WikiEvents (KAIROS ontology) -----------------------------------------------------
# Roles whose filler does the action (the "who" of who-did-what-to-whom). Every other
# role is a target unless it is a place, an instrument or a circumstance (below).
WIKIEVENTS_ACTOR_ROLES = frozenset(
    {
        "Attacker",
        "Killer",
        "Injurer",
        "Jailer",
        "Communicator",
        "Participant",
        "Transporter",
        "Demonstrator",
        "Impeder",
        "Perpetrator",
        "Prosecutor",
        "Investigator",
        "Observer",
        "Identifier",
        "Disabler",
        "Damager",
        "Destroyer",
        "DamagerDestroyer",
        "Dismantler",
        "Employee",
        "JudgeCourt",
        "Giver",
        "Donor",
        "DriverPassenger",
        "Defeater",
        "Mover",
        "Preventer",
        "Researcher",
        "Teacher",
        "Voter",
    }
)
# In a purchase both parties act (the annotators use Giver and Recipient for the buyer
# interchangeably, see "Tamerlan buys ..."), so there the Recipient is an actor too;
# elsewhere (a request, a threat, a donation) the Recipient is on the receiving end.
WIKIEVENTS_ACTOR_ROLES_BY_TYPE: Mapping[str, frozenset[str]] = {
    "Transaction.ExchangeBuySell": frozenset({"Recipient"}),
}
WIKIEVENTS_PLACE_ROLES = frozenset({"Place"})
# Means, vehicles, topics, job titles, payments and directions of movement: not who the
# action was done to, so neither actors nor targets.
WIKIEVENTS_IGNORED_ROLES = frozenset(
    {
        "Instrument",
        "ExplosiveDevice",
        "Vehicle",
        "Topic",
        "Position",
        "PaymentBarter",
        "Destination",
        "Origin",
        "Medium",
        "Beneficiary",
        "Evidence",
    }
)
# A short verb per event type: the full type first, then its first two parts; any other
# type falls back to the words of its second part ("ExchangeBuySell" -> "exchange buy
# sell"). The trigger and the words of the last part are kept as action aliases.
WIKIEVENTS_ACTIONS: Mapping[str, str] = {
    "Conflict.Attack": "attack",
    "Conflict.Demonstrate": "demonstrate",
    "Life.Die": "die",
    "Life.Injure": "injure",
    "Transaction.ExchangeBuySell": "buy",
    "Contact.Contact": "say",
    "Contact.Contact.Meet": "meet",
    "Contact.Contact.Correspondence": "contact",
    "Contact.RequestCommand": "request",
    "Contact.ThreatenCoerce": "threaten",
    "Justice.ArrestJailDetain": "arrest",
    "Justice.ChargeIndict": "charge",
    "Justice.TrialHearing": "hold hearing",
    "Justice.InvestigateCrime": "investigate",
    "Disaster.Crash": "crash",
    "Disaster.DiseaseOutbreak": "break out",
    "GenericCrime.GenericCrime": "commit crime",
    "Cognitive.Inspection": "inspect",
    "Cognitive.IdentifyCategorize": "identify",
    "ArtifactExistence.DamageDestroyDisableDismantle": "damage",
    "ArtifactExistence.DamageDestroyDisableDismantle.Destroy": "destroy",
    "ArtifactExistence.DamageDestroyDisableDismantle.DisableDefuse": "disable",
    "Personnel.StartPosition": "start job",
    "Movement.Transportation": "transport",
    "Control.ImpedeInterfereWith": "impede",
}


def wikievents_fixture(row: Row, line: int) -> Fixture:
    """A WikiEvents document with its event mentions as events (status "happened")."""
    text = _text(row, "text")
    article = Article.from_text(text)
    token_starts = _wikievents_token_starts(row, text)
    entities = {e["id"]: e for e in row["entity_mentions"]}
    events = [
        _wikievents_event(mention, entities, token_starts, article)
        for mention in row["event_mentions"]
    ]
    return Fixture(
        id=fixture_id("wikievents", _row_id(row, "doc_id", line)),
        source="wikievents dev",
        topic="conflict",
        text=text,
        events=_dedupe(events),
        labelled=["events"],
    )


def _wikievents_token_starts(row: Row, text: str) -> list[int]:
    """The character offset in ``text`` of every document token.

    The tokens' own offsets index the original document, which had separators between
    sentences that ``text`` (the sentence texts concatenated) lacks; so each token is
    placed relative to its sentence's first token, from where that sentence is in ``text``.
    """
    starts: list[int] = []
    cursor = 0
    for tokens, sentence in row["sentences"]:
        if not text.startswith(sentence, cursor):
            raise ValueError(f"sentence {sentence[:40]!r} is not at offset {cursor} of the text")
        base = tokens[0][1] if tokens else 0
        for word, start, end in tokens:
            offset = cursor + start - base
            if text[offset : offset + end - start] != word:
                raise ValueError(f"token {word!r} is not at offset {offset}")
            starts.append(offset)
        cursor += len(sentence)
    return starts


def _wikievents_event(
    mention: Row, entities: Mapping[str, Row], token_starts: Sequence[int], article: Article
) -> GoldEvent:
    event_type: str = mention["event_type"]
    trigger = mention["trigger"]
    action = _wikievents_action(event_type)
    last = event_type.rsplit(".", 1)[-1]
    actors: list[tuple[int, str]] = []
    targets: list[tuple[int, str]] = []
    places: list[tuple[int, str]] = []
    for argument in mention["arguments"]:
        entity = entities.get(argument["entity_id"])
        if entity is None:
            raise ValueError(f"argument refers to unknown entity {argument['entity_id']!r}")
        role: str = argument["role"]
        filler = (entity["start"], entity["text"])
        if role in WIKIEVENTS_PLACE_ROLES:
            places.append(filler)
        elif _wikievents_is_actor(event_type, role):
            actors.append(filler)
        elif role not in WIKIEVENTS_IGNORED_ROLES:
            targets.append(filler)
    return GoldEvent(
        actors=_unique(t for _, t in sorted(actors)),
        action=action,
        action_aliases=_aliases(
            action, trigger["text"], "" if last == "Unspecified" else _camel_words(last)
        ),
        targets=_unique(t for _, t in sorted(targets)),
        location=min(places)[1] if places else None,
        status="happened",
        sentences=[sentence_number(article, token_starts[trigger["start"]])],
    )


def _wikievents_action(event_type: str) -> str:
    parts = event_type.split(".")
    for key in (event_type, ".".join(parts[:2])):
        if key in WIKIEVENTS_ACTIONS:
            return WIKIEVENTS_ACTIONS[key]
    return _camel_words(parts[1] if len(parts) > 1 else parts[0])


def _wikievents_is_actor(event_type: str, role: str) -> bool:
    by_type = WIKIEVENTS_ACTOR_ROLES_BY_TYPE.get(".".join(event_type.split(".")[:2]))
    return role in WIKIEVENTS_ACTOR_ROLES or (by_type is not None and role in by_type)

"""CASIE (Ebiquity/CASIE): 1,000 cybersecurity articles with annotated events.

A checkout's ``data/annotation/<id>.json`` holds the article (``content``), its title and
date (``info``) and its event mentions grouped in hoppers (coreferent mentions of one
event). Each file becomes the row the eval suite's ``casie_dev.jsonl`` holds and is
mapped by the eval's own :func:`casie_fixture`: attacker, discoverer and releaser are
actors; victim, compromised data and vulnerable system or owner are targets; time and
place; realis Actual -> happened, Other -> possible, Generic left out.

One addition, which changes no score: a mention with no actor of its own gets the
actors of the nearest mention of its hopper that has any (CASIE often names the
attacker once per event, not at every mention). The eval matches a gold event without
actors whatever actor is predicted, and a training answer needs one (an event draft
has 1-3 actors), so this keeps about 2,200 of CASIE's 3,688 actorless mentions usable
without inventing an actor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.evaluation.datasets.casie import CASIE_ACTOR_ROLES, casie_fixture
from training.corpus import Corpus, reason_of
from training.exclusions import Exclusions

NAME = "casie"
ANNOTATIONS = Path("data") / "annotation"
# Two articles end with the source file's closing tag.
_CLOSING_TAG = "</text>"


def read(root: Path, exclusions: Exclusions) -> Corpus:
    folder = root / ANNOTATIONS
    if not folder.is_dir():
        raise InputError(f"{root} is not a CASIE checkout: it has no {ANNOTATIONS} folder")
    exclusions.refuse_path(root)
    files = sorted(folder.glob("*.json"), key=lambda p: (len(p.stem), p.stem))
    if not files:
        raise InputError(f"{folder} holds no CASIE annotation (*.json)")
    corpus = Corpus(NAME, root)
    for path in files:
        source_id = f"{NAME}:{path.stem}"
        if reason := exclusions.excluded(source_id):
            corpus.exclude(reason, source_id)
            continue
        try:
            row = as_row(path.stem, json.loads(corpus.read_bytes(path)), corpus)
            fixture = casie_fixture(row, 0)
        except (KeyError, TypeError, ValueError) as exc:
            corpus.skip(reason_of(exc), source_id)
            continue
        corpus.admit(source_id, fixture, exclusions.is_dev_text)
    return corpus


def as_row(article_id: str, data: dict[str, Any], corpus: Corpus | None = None) -> dict[str, Any]:
    """The annotation file as a ``casie_dev.jsonl`` row (what :func:`casie_fixture`
    reads), each actorless mention given its hopper's actors."""
    text: str = data["content"]
    events = [
        {
            "hopper": hopper["index"],
            "type": event["type"],
            "subtype": event["subtype"],
            "realis": event["realis"],
            "trigger": _span(event["nugget"]),
            "arguments": [
                {"role": a["role"]["type"], "type": a["type"], **_span(a)}
                for a in event.get("argument") or []
            ],
        }
        for hopper in (data.get("cyberevent") or {}).get("hopper") or []
        for event in hopper["events"]
    ]
    _share_actors(events, corpus)
    ends = [e["trigger"]["end"] for e in events] + [
        a["end"] for e in events for a in e["arguments"]
    ]
    closing = text.rstrip()
    if closing.endswith(_CLOSING_TAG) and max(ends, default=0) <= len(closing) - len(_CLOSING_TAG):
        text = closing.removesuffix(_CLOSING_TAG)
    info = data.get("info") or {}
    return {
        "id": article_id,
        "title": info.get("title"),
        "date": info.get("date"),
        "text": text,
        "events": events,
    }


def _span(annotation: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": annotation["text"],
        "start": annotation["startOffset"],
        "end": annotation["endOffset"],
    }


def _share_actors(events: list[dict[str, Any]], corpus: Corpus | None) -> None:
    """Give each actorless mention the actors of the nearest mention of its hopper
    (by trigger offset) that has any."""

    def actors(event: dict[str, Any]) -> list[dict[str, Any]]:
        return [a for a in event["arguments"] if a["role"] in CASIE_ACTOR_ROLES]

    for event in events:
        if event["realis"] == "Generic" or actors(event):
            continue
        start = event["trigger"]["start"]
        others = [e for e in events if e["hopper"] == event["hopper"] and actors(e)]
        if others:
            nearest = min(others, key=lambda e: abs(e["trigger"]["start"] - start))
            event["arguments"] = [*event["arguments"], *actors(nearest)]
            if corpus is not None:
                corpus.counts["mentions given their hopper's actors"] += 1

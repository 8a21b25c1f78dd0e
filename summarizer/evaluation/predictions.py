"""Deterministic predictions, compared item by item between two runs.

A mean over 35 fixtures hides what a rule change does to a few of them: every related
claim's label turned from "discuss" to "disagree" moves the FNC-1 score by less than its
bootstrap interval, and the metric gate lets it pass. But what rules and code decide is
the same on every run of the same code and settings, so any difference there is a
change the gate must name, item by item, whatever the metrics say.

The fields compared, per system (its kind, ``system`` in the run's recorded config):
- ``lead3``: every content field (no model is involved);
- ``pipeline``: events and stances when its config records ``extractor=rule``, claims
  (text, label, evidence) when it records ``claim_labels=rule``, and what the model
  writes (headline, summary, key points and their evidence) when the configs of both
  runs are the same and name the embedded model at temperature 0, which reproduces
  its answers token for token (checked on the fixtures: docs/evaluation.md, "The gate");
- any other system: nothing (the gate's runs have none; a model at an endpoint need not
  answer the same twice).
Never compared: ``usage``, ``calls``, ``attempts`` and ``latency_s``, what an answer
cost, which a warm cache or a busy machine changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from summarizer.evaluation.runner import ItemRecord

# What the model writes, and what rules or code write, of a prediction.
MODEL_WRITTEN = ("headline", "summary", "key_points", "key_point_evidence")
RULE_MADE = ("events", "stances", "claims")
CONTENT = (*MODEL_WRITTEN, *RULE_MADE)
# Longest before or after shown for one change.
SHOWN_CHARS = 40


@dataclass(frozen=True)
class PredictionChange:
    system: str
    item: str
    field: str  # "claims[2].label"
    before: str  # short renderings of the two values
    after: str

    def line(self) -> str:
        return f"{self.item} ({self.system}) {self.field}: {self.before} → {self.after}"


def compared_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """The prediction fields that two runs of one system must agree on, given the
    system's recorded configuration in each."""
    kind = before.get("system")
    if kind != after.get("system"):
        return ()
    if kind == "lead3":
        return CONTENT
    if kind != "pipeline":
        return ()
    fields: list[str] = []
    # The model's text depends on every setting and prompt: compared only when none
    # changed (the configuration gate reports a change of them on its own).
    if before == after and _reproducible(before):
        fields += MODEL_WRITTEN
    # Rule output depends on the code and on ``grounded_fields``, which filters it.
    rule = ("extractor", "grounded_fields")
    if all(c.get("extractor") == "rule" for c in (before, after)) and _same(before, after, rule):
        fields += ("events", "stances")
    if all(c.get("claim_labels") == "rule" for c in (before, after)):
        fields.append("claims")
    return tuple(fields)


def _reproducible(config: dict[str, Any]) -> bool:
    return config.get("backend") == "embedded" and config.get("temperature") == 0


def _same(a: dict[str, Any], b: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return all(a.get(k) == b.get(k) for k in keys)


@dataclass(frozen=True)
class PredictionCheck:
    fields: dict[str, tuple[str, ...]]  # per system that both runs have, what is compared
    items: int  # the (system, item) pairs compared
    changes: list[PredictionChange]


def check_predictions(
    before: list[ItemRecord],
    after: list[ItemRecord],
    configs: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
) -> PredictionCheck:
    """Every difference in the compared fields of the items that both runs answered, for
    each system both ran (an item that failed in either run is the gate's other reason)."""
    a = {(r.system, r.item): r for r in before}
    b = {(r.system, r.item): r for r in after}
    systems = sorted({s for s, _ in a} & {s for s, _ in b})
    fields = {s: compared_fields(configs[0].get(s, {}), configs[1].get(s, {})) for s in systems}
    fields = {s: f for s, f in fields.items() if f}
    changes, items = [], 0
    for system, item in sorted(set(a) & set(b)):
        old, new = a[system, item], b[system, item]
        if system not in fields or not (old.ok and new.ok and old.prediction and new.prediction):
            continue
        items += 1
        keep = set(fields[system])
        was = old.prediction.model_dump(mode="json", include=keep)
        now = new.prediction.model_dump(mode="json", include=keep)
        for field in fields[system]:
            for path, x, y in _differences(field, was[field], now[field]):
                changes.append(PredictionChange(system, item, path, x, y))
    return PredictionCheck(fields, items, changes)


def _differences(path: str, a: Any, b: Any) -> Iterator[tuple[str, str, str]]:
    """Where two JSON values differ: each differing leaf, or a list whose length changed
    as one difference naming what left and what came."""
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _differences(f"{path}.{key}", a.get(key), b.get(key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(f"{path}[{n}]", x, y)
    elif isinstance(a, list) and isinstance(b, list):
        gone = [f"[{n}] {_name(x)}" for n, x in enumerate(a) if x not in b]
        came = [f"[{n}] {_name(y)}" for n, y in enumerate(b) if y not in a]
        yield path, f"{len(a)} items{_listed('gone', gone)}", f"{len(b)}{_listed('new', came)}"
    elif isinstance(a, str) and isinstance(b, str):
        yield (path, *_excerpts(a, b))
    else:
        yield (
            path,
            _short(json.dumps(a, ensure_ascii=False)),
            _short(json.dumps(b, ensure_ascii=False)),
        )


def _listed(what: str, names: list[str], most: int = 2) -> str:
    if not names:
        return ""
    more = f"; +{len(names) - most}" if len(names) > most else ""
    return f" ({what}: {'; '.join(names[:most])}{more})"


def _name(value: Any) -> str:
    """A list element in a few words: an event's actors and action, a stance's holder
    and target, a claim's text, a span's or a key point's text."""
    if isinstance(value, dict):
        if "action" in value:
            return _short(" ".join([*value.get("actors", []), value["action"]]))
        if "holder" in value:
            return _short(f"{value['holder']} on {value.get('target', '')}")
        return _short(str(value.get("claim") or value.get("text") or value))
    return _short(str(value))


def _excerpts(a: str, b: str) -> tuple[str, str]:
    """Two texts shown from a little before where they first differ."""
    same = next(
        (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, same - 10)
    lead = "…" if start else ""
    return _short(lead + a[start:]), _short(lead + b[start:])


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"

"""The guard against answers that copy the prompt's instructions."""

from __future__ import annotations

import json

from summarizer import Summarizer
from summarizer.echo import EchoGuard
from summarizer.prompts import load_prompts
from tests.scripted_server import CANNED, ScriptedServer, answer


def test_text_that_repeats_the_instructions_is_removed(
    scripted: ScriptedServer, seed_text: str
) -> None:
    summary = json.loads(json.dumps(CANNED["SummaryDraft"]))
    summary["summary"] += " Summarize the article above, using only facts from the article."
    events = json.loads(json.dumps(CANNED["EventsDraft"]))
    events["events"][0]["targets"] = ["Wang Yi", "TASK: List the events in the article above"]
    echoed = dict(events["events"][0], action="list the events in the article above")
    events["events"].append(echoed)
    scripted.push(answer(summary), answer(events))
    with Summarizer(base_url=scripted.base_url, model="scripted") as client:
        result = client.analyze(seed_text)
    assert result.summary.text == CANNED["SummaryDraft"]["summary"]
    (event,) = result.events
    assert event.targets == ["Wang Yi"]
    assert any("repeated the prompt's instructions" in w for w in result.metadata.warnings)


def test_words_the_article_itself_has_are_kept() -> None:
    instructions = load_prompts().instructions
    article = "The teacher told pupils to list the events in the article above the fold."
    guard = EchoGuard(instructions, article)
    assert not guard.echoes("pupils had to list the events in the article above")
    assert EchoGuard(instructions, "Nothing here.").echoes(
        "pupils had to list the events in the article above"
    )
    assert not guard.echoes("Choe Son-hui met Wang Yi in Beijing.") and guard.removed == 0

"""The quality options: headline recheck, grounded fields, lead summary, worked examples,
and pipeline variants in an eval run sharing their calls."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.cache import ResponseCache
from summarizer.errors import ConfigError, OutputError
from summarizer.evaluation.runner import read_records, run_eval
from summarizer.evaluation.systems import make_system, variant
from summarizer.prompts import load_prompts
from summarizer.settings import load_settings
from tests.scripted_server import CANNED, ScriptedServer, answer
from tests.test_eval_runs import fixtures

SUMMARY_TASK = "TASK: Summarize"
RECHECK = "YOUR LAST ANSWER NAMED"


def client(server: ScriptedServer, **settings: Any) -> Summarizer:
    return Summarizer(
        base_url=server.base_url, model="scripted", transport_retries=0, reasks=0, **settings
    )


def summary(headline: str, text: str | None = None) -> dict[str, Any]:
    draft = copy.deepcopy(CANNED["SummaryDraft"])
    draft["headline"] = headline
    if text is not None:
        draft["summary"] = text
    return draft


def prompts_with(server: ScriptedServer, marker: str) -> list[str]:
    last = (str(body["messages"][-1]["content"]) for body in server.requests)
    return [p for p in last if marker in p]


# --- the headline recheck ---------------------------------------------------------------


def test_an_invented_name_in_the_headline_is_asked_about_once(
    scripted: ScriptedServer, seed_text: str
) -> None:
    fixed = summary("Choe Son-hui meets Wang Yi in Beijing")
    fixed["key_points"] = [{"sentences": [3], "point": "not taken: the first points stay"}]
    scripted.rules[RECHECK] = answer(fixed)  # checked first: the recheck also summarizes
    scripted.rules[SUMMARY_TASK] = answer(summary("Kim Jong-il wins the 1994 Zanzibar vote"))
    with client(scripted) as c:
        result = c.analyze(seed_text)
    assert result.summary.headline == "Choe Son-hui meets Wang Yi in Beijing"
    assert result.summary.key_points[0].text == CANNED["SummaryDraft"]["key_points"][0]["point"]
    (asked,) = prompts_with(scripted, RECHECK)
    feedback = asked.split(RECHECK, 1)[1]
    assert "headline: Jong-il, Zanzibar, 1994" in feedback
    assert asked.startswith(prompts_with(scripted, SUMMARY_TASK)[0])  # same prefix
    assert len(scripted.requests) == 4 and result.metadata.calls == 4
    assert "recheck" in result.metadata.prompt_versions
    assert not any(w.startswith("headline names") for w in result.metadata.warnings)


def test_a_recheck_that_does_not_help_is_dropped_and_the_names_reported(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.rules[RECHECK] = answer(summary("Zorro and Batman meet in Gotham"))
    scripted.rules[SUMMARY_TASK] = answer(summary("Wang Yi meets Zorro"))
    with client(scripted) as c:
        result = c.analyze(seed_text)
    assert result.summary.headline == "Wang Yi meets Zorro"  # fewer unsupported names
    assert "headline names 'Zorro', which the article does not contain" in (
        result.metadata.warnings
    )
    assert len(prompts_with(scripted, RECHECK)) == 1  # once, not in a loop


def test_an_abstractive_summary_is_checked_too_and_a_clean_one_is_not(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.rules[SUMMARY_TASK] = answer(
        summary("Wang Yi meets Choe Son-hui", "Wang Yi met Choe Son-hui in Zanzibar.")
    )
    with client(scripted, summary="abstractive") as c:
        c.analyze(seed_text)
    (asked,) = prompts_with(scripted, RECHECK)
    feedback = asked.split(RECHECK, 1)[1]
    assert "- summary: Zanzibar" in feedback and "- headline" not in feedback

    scripted.reset_state()
    with client(scripted, summary="extractive") as c:
        c.analyze(seed_text)  # the summary is the article's own sentences
    assert prompts_with(scripted, RECHECK) == []


def test_the_recheck_can_be_turned_off(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.rules[SUMMARY_TASK] = answer(summary("Kim Jong-il wins the Zanzibar vote"))
    with client(scripted, headline_guard=False) as c:
        result = c.analyze(seed_text)
    assert prompts_with(scripted, RECHECK) == [] and len(scripted.requests) == 3
    assert "recheck" not in result.metadata.prompt_versions
    assert any(w.startswith("headline names") for w in result.metadata.warnings)


# --- grounded fields --------------------------------------------------------------------


def test_grounded_fields_keep_only_names_the_cited_sentence_has(
    scripted: ScriptedServer, seed_text: str
) -> None:
    event = CANNED["EventsDraft"]["events"][0]
    scripted.rules["TASK: List the events"] = answer(
        {
            "events": [
                {**event, "actors": ["Choe Son-hui", "Zorro"], "targets": ["Wang Yi", "Gotham"]},
                {**event, "actors": ["Batman"], "action": "flew", "sentences": [1]},
                {**event, "actors": ["Kim Jong-un"], "action": "seeks", "sentences": [1]},
            ]
        }
    )
    stance = CANNED["StancesDraft"]["stances"][0]  # Wang Yi / North Korea, sentence 2
    scripted.rules["TASK: List the positions"] = answer(
        {
            "stances": [
                stance,
                {**stance, "holder": "Batman", "claim": "x"},
                {**stance, "target": "the Gotham council", "claim": "y"},
            ]
        }
    )
    with client(scripted, grounded_fields=True) as c:
        result = c.analyze(seed_text)
    # Kim Jong-un is in sentence 3, not in sentence 1 that the event cites.
    assert [(e.actors, e.targets) for e in result.events] == [(["Choe Son-hui"], ["Wang Yi"])]
    assert [(s.holder, s.target) for s in result.stances] == [("Wang Yi", "North Korea")]

    scripted.reset_state()
    scripted.rules["TASK: List the events"] = answer(
        {"events": [{**event, "actors": ["Batman"], "action": "flew"}]}
    )
    with client(scripted) as c:  # off by default: the model's fields as given
        assert c.analyze(seed_text).events[0].actors == ["Batman"]


# --- the verify pass ---------------------------------------------------------------------

VERIFY_TASK = "TASK: Each statement below"


def test_the_verify_pass_drops_what_the_model_says_the_sentence_does_not_state(
    scripted: ScriptedServer, seed_text: str
) -> None:
    event = CANNED["EventsDraft"]["events"][0]
    scripted.rules["TASK: List the events"] = answer(
        {"events": [event, {**event, "actors": ["Batman"], "action": "flew", "targets": []}]}
    )
    scripted.rules[VERIFY_TASK] = answer({"verdicts": ["no", "yes", "no"]})
    with client(scripted, verify=True) as c:
        result = c.analyze(seed_text)
    (asked,) = prompts_with(scripted, VERIFY_TASK)
    statements = asked.split("STATEMENTS", 1)[1]
    # Events first, then stances, each with the sentence it cites quoted.
    assert (
        statements.index("Statement: Choe Son-hui met Wang Yi")
        < statements.index("Statement: Batman flew")
        < statements.index("Statement: Wang Yi supports North Korea")
    )
    assert "(1) Sentence [1]: " in statements and "(3) Sentence [2]: " in statements
    assert asked.startswith(asked.split("TASK:", 1)[0])  # the article's prefix, as every task
    assert [e.actors for e in result.events] == [["Batman"]] and result.stances == []
    assert "verify" in result.metadata.prompt_versions and result.metadata.calls == 4
    assert any(w.startswith("dropped 2 event(s) or stance(s)") for w in result.metadata.warnings)

    scripted.reset_state()
    with client(scripted) as c:  # off by default
        assert len(c.analyze(seed_text).events) == 1
    assert prompts_with(scripted, VERIFY_TASK) == []


def test_a_verify_answer_must_give_one_verdict_per_statement(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.rules[VERIFY_TASK] = answer({"verdicts": ["yes"]})  # two statements asked
    with client(scripted, verify=True) as c, pytest.raises(OutputError) as failed:
        c.analyze(seed_text)
    assert "verify" in str(failed.value) and "verdicts" in str(failed.value)


# --- the lead summary and worked examples ------------------------------------------------


def test_the_lead_summary_starts_with_the_first_sentence(
    scripted: ScriptedServer, seed_text: str
) -> None:
    draft = summary("Wang Yi meets Choe Son-hui")
    draft["key_points"] = [{"sentences": [3], "point": "a"}, {"sentences": [1], "point": "b"}]
    scripted.rules[SUMMARY_TASK] = answer(draft)
    with client(scripted, summary="lead") as c:
        result = c.analyze(seed_text)
    first = result.summary.key_points[1].evidence[0].text
    third = result.summary.key_points[0].evidence[0].text
    # Sentence 1 once, then what the points cite, in the article's order.
    assert result.summary.text == " ".join(" ".join(t.split()) for t in (first, third))


def test_worked_examples_are_shown_only_when_asked_for(
    scripted: ScriptedServer, seed_text: str
) -> None:
    with client(scripted, examples=True) as c:
        c.analyze(seed_text, claims=["Choe met Wang Yi"])
    shown = [p for p in (str(b["messages"][-1]["content"]) for b in scripted.requests)]
    assert len(shown) == 4 and all("EXAMPLE, from another article" in p for p in shown)
    # The example comes after the article, never inside it, and cites no [n] of its own.
    for prompt in shown:
        article, example = prompt.split("EXAMPLE, from another article", 1)
        assert ">>>" in article and "(1) Rail workers" in example and "\n[1] " not in example

    scripted.reset_state()
    with client(scripted) as c:
        c.analyze(seed_text)
    assert not any("EXAMPLE" in str(b["messages"][-1]["content"]) for b in scripted.requests)


def test_every_task_template_has_an_example_that_validates() -> None:
    from summarizer.drafts import ClaimsDraft, EventsDraft, StancesDraft, SummaryDraft

    models = {
        "summary": SummaryDraft,
        "events": EventsDraft,
        "stances": StancesDraft,
        "claims": ClaimsDraft,
    }
    folder = load_prompts().directory
    for task, model in models.items():
        text = (folder / f"{task}.j2").read_text("utf-8")
        example = text.split("Answer: ", 1)[1].split("\n", 1)[0]
        model.model_validate(json.loads(example))  # the example obeys the schema it teaches


# --- pipeline variants in an eval run ------------------------------------------------------


def test_variant_specs_change_only_what_they_name() -> None:
    base = load_settings()
    changed = variant("pipeline:summary=lead:examples=true:temperature=0.5", base)
    assert (changed.summary, changed.examples, changed.temperature) == ("lead", True, 0.5)
    assert (
        changed.model_copy(update={"summary": None, "examples": False, "temperature": 0.0}) == base
    )
    for bad, message in [
        ("pipeline:summary=terse", "summary: Input should be"),
        ("pipeline:api_key=x", "FIELD one of strategy"),
        ("pipeline:temperature=9", "less than or equal to 2"),
        ("pipeline:examples", "write pipeline:FIELD=VALUE"),
    ]:
        with pytest.raises(ConfigError, match=message):
            variant(bad, base)


def test_variants_share_calls_through_the_cache_and_count_their_cost(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    settings = load_settings(
        base_url=scripted.base_url, model="scripted", transport_retries=0, reasks=0
    )
    items = fixtures(seed_text)
    names = ("pipeline", "pipeline:summary=lead", "pipeline:grounded_fields=true")
    with ResponseCache(tmp_path / "cache.sqlite") as cache:
        backends: dict[str, Any] = {}
        chosen = [make_system(n, settings, cache, backends) for n in names]
        try:
            summary = run_eval(items, chosen, tmp_path / "run", cache=cache)
            assert len(backends) == 1
        finally:
            for system in chosen:
                system.close()
    # Only the plain pipeline asked the model: 3 calls for item a, and for item b (the
    # same article with a claim) only the claim's; the variants answered every call from
    # the cache, and one backend served all three.
    assert len(scripted.requests) == 4 and summary.model_calls == 4  # made, not replayed
    records = {(r.system, r.item): r for r in read_records(tmp_path / "run")}
    for item in ("a", "b"):
        plain = records[("pipeline", item)].prediction
        for name in names[1:]:
            copy_ = records[(name, item)].prediction
            assert plain is not None and copy_ is not None
            assert (copy_.usage, copy_.calls) == (plain.usage, plain.calls)
    lead = records[("pipeline:summary=lead", "a")].prediction
    assert lead is not None and lead.summary.startswith("SEOUL/BEIJING")


def test_a_bad_variant_on_the_command_line_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            *(sys.executable, "-m", "summarizer", "eval", "evals/fixtures", "--limit", "1"),
            *("--systems", "pipeline:summary=terse", "--out", str(tmp_path / "r"), "--no-cache"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bad variant 'summary=terse'" in done.stderr


def test_the_options_are_on_the_command_line(scripted: ScriptedServer, tmp_path: Path) -> None:
    import subprocess
    import sys

    scripted.rules[SUMMARY_TASK] = answer(summary("Kim Jong-il wins the Zanzibar vote"))
    done = subprocess.run(
        [
            *(sys.executable, "-m", "summarizer", "analyze", "examples/seed_article.txt"),
            *("--base-url", scripted.base_url, "--model", "scripted", "--json"),
            *("--summary", "lead", "--no-headline-guard", "--grounded-fields", "--examples"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["summary"]["text"].startswith("SEOUL/BEIJING")
    assert result["summary"]["headline"] == "Kim Jong-il wins the Zanzibar vote"
    assert "recheck" not in result["metadata"]["prompt_versions"]
    assert all("EXAMPLE" in str(b["messages"][-1]["content"]) for b in scripted.requests)


def test_eval_table_puts_systems_in_rows_for_chosen_metrics(tmp_path: Path) -> None:
    import subprocess
    import sys

    def table(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "summarizer",
                "eval",
                "table",
                "evals/reference/fixtures",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    done = table("--metrics", "rouge1,event_f1,stance_f1")
    assert done.returncode == 0, done.stderr
    header, rule, *rows = done.stdout.splitlines()
    assert (
        header == "| system | ROUGE-1 F1 | events F1 (strict) | stances F1 (strict) |"
        and rule == "|---|---|---|---|"
    )
    assert {r.split(" | ")[0] for r in rows} == {"| pipeline", "| lead3"}
    bad = table("--metrics", "rouge9")
    assert bad.returncode == 2 and "unknown metric(s) ['rouge9']" in bad.stderr

"""Every figure of the README's headline tables is read from a committed run summary.

Each row below is a line of the README (each of ``PROSE`` a part of its text) with its
figures written as fields ``{RUN|PATH|FORMAT}``: RUN a folder under ``evals/reference/``, PATH the dotted keys into
its ``summary.json`` (``systems.pipeline.event_f1``), FORMAT a format spec (``.3f`` when
left out). The test renders each row from the summaries and finds it in the README, and
every row of those tables must be one of these: a figure typed by hand, or left behind
when a run is made again, fails here. ``make eval-datasets`` makes the runs.
"""

# Rows are kept whole, one README line each, so that they read as the README does.
# ruff: noqa: E501

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
REFERENCE = ROOT / "evals" / "reference"
FIELD = re.compile(r"\{([\w/-]+)\|([^|{}]+)(?:\|([^{}]+))?\}")

# The headline table of "Evaluation", then the ECB+ table of "Storylines": each opens
# with its heading line, and every row under it is checked.
TABLES: dict[str, list[str]] = {
    "| reporting half | pipeline (defaults) | the model's own | best trivial baseline | naive-bounded |": [
        "| fixtures ({fixtures-report|items|d}): schema-valid / evidence spans exact "
        "| {fixtures-report|systems.pipeline.valid_rate} / {fixtures-report|systems.pipeline.evidence_exact} "
        "| {fixtures-report|systems.pipeline:extractor=model.valid_rate} / {fixtures-report|systems.pipeline:extractor=model.evidence_exact} "
        "| Lead-3 {fixtures-report|systems.lead3.valid_rate} / {fixtures-report|systems.lead3.evidence_exact} "
        "| {fixtures-report|systems.naive-bounded.valid_rate} / {fixtures-report|systems.naive-bounded.evidence_exact} |",
        "| fixtures: ROUGE-1 / 2 / L "
        "| {fixtures-report|systems.pipeline.rouge1} / {fixtures-report|systems.pipeline.rouge2} / {fixtures-report|systems.pipeline.rougeL} "
        "| {fixtures-report|systems.pipeline:extractor=model.rouge1} / {fixtures-report|systems.pipeline:extractor=model.rouge2} / {fixtures-report|systems.pipeline:extractor=model.rougeL} "
        "| Lead-3 {fixtures-report|systems.lead3.rouge1} / {fixtures-report|systems.lead3.rouge2} / {fixtures-report|systems.lead3.rougeL} "
        "| {fixtures-report|systems.naive-bounded.rouge1} / {fixtures-report|systems.naive-bounded.rouge2} / {fixtures-report|systems.naive-bounded.rougeL} |",
        "| fixtures: unsupported names and numbers in summary "
        "| {fixtures-report|systems.pipeline.unsupported_rate} "
        "| {fixtures-report|systems.pipeline:extractor=model.unsupported_rate} "
        "| Lead-3 {fixtures-report|systems.lead3.unsupported_rate} "
        "| {fixtures-report|systems.naive-bounded.unsupported_rate} |",
        "| fixtures: event and stance names absent from the article "
        "| {fixtures-report|systems.pipeline.absent_name_rate} "
        "| {fixtures-report|systems.pipeline:extractor=model.absent_name_rate} "
        "| rules {fixtures-report|systems.rules.absent_name_rate} "
        "| {fixtures-report|systems.naive-bounded.absent_name_rate} |",
        "| fixtures: events F1, strict (lenient) "
        "| {fixtures-report|systems.pipeline.event_f1} ({fixtures-report|systems.pipeline.event_f1_lenient}) "
        "| {fixtures-report|systems.pipeline:extractor=model.event_f1} ({fixtures-report|systems.pipeline:extractor=model.event_f1_lenient}) "
        "| rules {fixtures-report|systems.rules.event_f1} ({fixtures-report|systems.rules.event_f1_lenient}) "
        "| {fixtures-report|systems.naive-bounded.event_f1} ({fixtures-report|systems.naive-bounded.event_f1_lenient}) |",
        "| fixtures: events, status accuracy of matched "
        "| {fixtures-report|systems.pipeline.event_status_accuracy} "
        "| {fixtures-report|systems.pipeline:extractor=model.event_status_accuracy} "
        "| rules {fixtures-report|systems.rules.event_status_accuracy} "
        "| {fixtures-report|systems.naive-bounded.event_status_accuracy} |",
        "| fixtures: stances F1, strict (lenient) "
        "| {fixtures-report|systems.pipeline.stance_f1} ({fixtures-report|systems.pipeline.stance_f1_lenient}) "
        "| {fixtures-report|systems.pipeline:extractor=model.stance_f1} ({fixtures-report|systems.pipeline:extractor=model.stance_f1_lenient}) "
        "| rules {fixtures-report|systems.rules.stance_f1} ({fixtures-report|systems.rules.stance_f1_lenient}) "
        "| {fixtures-report|systems.naive-bounded.stance_f1} ({fixtures-report|systems.naive-bounded.stance_f1_lenient}) |",
        "| fixtures: claims, FNC-1 score (share of max) "
        "| **{fixtures-report|systems.pipeline.fnc1_relative}** "
        "| not run "
        "| gate:discuss {fixtures-report|systems.gate:discuss.fnc1_relative}; constant:discuss {fixtures-report|systems.constant:discuss.fnc1_relative}; FNC-1 baseline {fixtures-report|systems.fnc1-baseline.fnc1_relative} "
        "| {fixtures-report|systems.naive-bounded.fnc1_relative} |",
        "| CASIE dev ({casie-report|items|d}): events F1, strict (lenient) "
        "| {casie-report|systems.pipeline.event_f1} ({casie-report|systems.pipeline.event_f1_lenient}) "
        "| {casie-report|systems.pipeline:extractor=model.event_f1} ({casie-report|systems.pipeline:extractor=model.event_f1_lenient}) "
        "| rules {casie-report|systems.rules.event_f1} ({casie-report|systems.rules.event_f1_lenient}) "
        "| not run |",
        "| FNC-1 natural dev ({fnc1-natural-report|items|d} bodies, every headline): FNC-1 score "
        "| **{fnc1-natural-report|systems.pipeline.fnc1_relative}** "
        "| not run "
        "| gate:discuss {fnc1-natural-report|systems.gate:discuss.fnc1_relative}; constant:discuss {fnc1-natural-report|systems.constant:discuss.fnc1_relative}; FNC-1 baseline {fnc1-natural-report|systems.fnc1-baseline.fnc1_relative} "
        "| not run |",
        "| FNC-1 natural dev: related/unrelated accuracy "
        "| {fnc1-natural-report|systems.pipeline.claim_related_accuracy} "
        "| | constant:unrelated {fnc1-natural-report|systems.constant:unrelated.claim_related_accuracy} | |",
        "| FNC-1 dev ({fnc1-report|items|d} bodies): FNC-1 score "
        "| {fnc1-report|systems.pipeline.fnc1_relative} "
        "| {fnc1-report|systems.pipeline:claim_labels=scores.fnc1_relative} (`scores`) "
        "| constant:agree {fnc1-report|systems.constant:agree.fnc1_relative}; gate:agree {fnc1-report|systems.gate:agree.fnc1_relative}; FNC-1 baseline {fnc1-report|systems.fnc1-baseline.fnc1_relative} "
        "| not run |",
        "| SummEval dev ({summeval-report|items|d}): ROUGE-1 / 2 / L "
        "| {summeval-report|systems.pipeline.rouge1} / {summeval-report|systems.pipeline.rouge2} / {summeval-report|systems.pipeline.rougeL} "
        "| the same "
        "| Lead-3 {summeval-report|systems.lead3.rouge1} / {summeval-report|systems.lead3.rouge2} / {summeval-report|systems.lead3.rougeL} "
        "| not run |",
    ],
    "| attributions, strict | precision | recall | F1 | recall, sources written as names |": [
        f"| {label} | {{polnear-report|systems.{system}.attribution_precision}} "
        f"| {{polnear-report|systems.{system}.attribution_recall}} "
        f"| {{polnear-report|systems.{system}.attribution_f1}} "
        f"| {{polnear-report|systems.{system}.attribution_recall_named}} |"
        for label, system in (
            ("default: the tagger where sure, the rule elsewhere", "combined"),
            ("the tagger alone (a CRF trained on PolNeAR train)", "tagger"),
            ("the rule alone", "rules"),
            ("every sentence with a cue (baseline)", "cue-sentences"),
        )
    ],
    # The tuned adapter chosen on the tuning halves (v1 at step 988), run once on the
    # reporting halves.
    "| reporting half, the adapter | target | tuned | default (rule) | best other baseline |": [
        "| FNC-1 as it comes ({adapter-report-v1-step988/fnc1-natural|items|d} bodies): FNC-1 score | ≥ 0.90 "
        "| {adapter-report-v1-step988/fnc1-natural|systems.tuned.fnc1_relative} "
        "| {adapter-report-v1-step988/fnc1-natural|systems.pipeline.fnc1_relative} "
        "| FNC-1 baseline {adapter-report-v1-step988/fnc1-natural|systems.fnc1-baseline.fnc1_relative} |",
        "| FNC-1 dev ({adapter-report-v1-step988/fnc1|items|d} bodies): FNC-1 score | ≥ 0.70 "
        "| {adapter-report-v1-step988/fnc1|systems.tuned.fnc1_relative} "
        "| {adapter-report-v1-step988/fnc1|systems.pipeline.fnc1_relative} "
        "| constant:agree {adapter-report-v1-step988/fnc1|systems.constant:agree.fnc1_relative}; gate:agree {adapter-report-v1-step988/fnc1|systems.gate:agree.fnc1_relative}; FNC-1 baseline {adapter-report-v1-step988/fnc1|systems.fnc1-baseline.fnc1_relative} |",
        "| claim labels: calibration error (ECE), as it comes / dev | ≤ 0.10 "
        "| {adapter-report-v1-step988/fnc1-natural|systems.tuned.claim_ece} / {adapter-report-v1-step988/fnc1|systems.tuned.claim_ece} "
        "| {adapter-report-v1-step988/fnc1-natural|systems.pipeline.claim_ece} / {adapter-report-v1-step988/fnc1|systems.pipeline.claim_ece} | |",
        "| fixtures ({adapter-report-v1-step988/fixtures|items|d}): claims, FNC-1 score | above the rule "
        "| {adapter-report-v1-step988/fixtures|systems.tuned-claims.fnc1_relative} "
        "| {adapter-report-v1-step988/fixtures|systems.pipeline.fnc1_relative} "
        "| FNC-1 baseline {adapter-report-v1-step988/fixtures|systems.fnc1-baseline.fnc1_relative} |",
        "| CASIE dev ({adapter-report-v1-step988/casie|items|d}): events F1, strict (lenient) | ≥ 0.35 "
        "| {adapter-report-v1-step988/casie|systems.tuned.event_f1} ({adapter-report-v1-step988/casie|systems.tuned.event_f1_lenient}) "
        "| {adapter-report-v1-step988/casie|systems.pipeline.event_f1} ({adapter-report-v1-step988/casie|systems.pipeline.event_f1_lenient}) "
        "| the base model {adapter-report-v1-step988/casie|systems.pipeline:extractor=model.event_f1} ({adapter-report-v1-step988/casie|systems.pipeline:extractor=model.event_f1_lenient}) |",
        "| fixtures: events F1, strict (lenient) | ≥ 0.30 "
        "| {adapter-report-v1-step988/fixtures|systems.tuned-events.event_f1} ({adapter-report-v1-step988/fixtures|systems.tuned-events.event_f1_lenient}) "
        "| {adapter-report-v1-step988/fixtures|systems.pipeline.event_f1} ({adapter-report-v1-step988/fixtures|systems.pipeline.event_f1_lenient}) "
        "| the base model {adapter-report-v1-step988/fixtures|systems.pipeline:extractor=model.event_f1} ({adapter-report-v1-step988/fixtures|systems.pipeline:extractor=model.event_f1_lenient}) |",
        "| fixtures: stances F1, strict | ≥ 0.25 "
        "| {adapter-report-v1-step988/fixtures|systems.tuned-events.stance_f1} "
        "| {adapter-report-v1-step988/fixtures|systems.pipeline.stance_f1} "
        "| the base model {adapter-report-v1-step988/fixtures|systems.pipeline:extractor=model.stance_f1} |",
        "| fixtures: event and stance names absent from the article | 0 "
        "| {adapter-report-v1-step988/fixtures|systems.tuned-events.absent_name_rate} "
        "| {adapter-report-v1-step988/fixtures|systems.pipeline.absent_name_rate} "
        "| the base model {adapter-report-v1-step988/fixtures|systems.pipeline:extractor=model.absent_name_rate} |",
        "| PolNeAR titles ({adapter-report-v2-step257/polnear-titles|items|d}), v2 at step 257: headline ROUGE-L | ≥ the first sentence's "
        "| {adapter-report-v2-step257/polnear-titles|systems.tuned.headline_rougeL} "
        "| {adapter-report-v2-step257/polnear-titles|systems.pipeline.headline_rougeL} "
        "| the first sentence as it is {adapter-report-v2-step257/polnear-titles|systems.lead3.headline_rougeL} |",
    ],
    "| | storylines | baseline in the same run |": [
        "| stories, article-level CoNLL F1 "
        "| **{ecbplus-topics-report|stories.storylines.conll_f1}** ({ecbplus-topics-report|stories.storylines.topics_told_apart|s} topics' two stories told apart) "
        "| one story per topic {ecbplus-topics-report|stories.topic.conll_f1}; "
        "the similarity links alone {ecbplus-topics-report|stories.similarity only.conll_f1} |",
        "| events across articles, gold mentions, CoNLL F1 "
        "| **{ecbplus-topics-report|events_gold.storylines.conll_f1}** "
        "| same lemma in the gold topic {ecbplus-topics-report|events_gold.lemma (topic).conll_f1} |",
        "| events across articles, the embedded model's events, CoNLL F1 "
        "| {ecbplus-topics-report|events_predicted.storylines.conll_f1} "
        "| same lemma in the predicted topic {ecbplus-topics-report|events_predicted.lemma (topic).conll_f1} |",
        "| stories fed 20 articles at a time (`--update`), CoNLL F1 against one run "
        "| **{ecbplus-topics-report|chunked.in chunks of 20}** (by keys alone, as a large run finds neighbours: {ecbplus-topics-report|chunked.in chunks of 20, by keys alone}) "
        "| – |",
    ],
}


# Figures in the README's prose, each checked the same way (line breaks are spaces).
PROSE: list[str] = [
    "lose badly to Lead-3 (ROUGE-1 {strategies-fixtures-tune|systems.pipeline:summary=abstractive.rouge1} "
    "against {strategies-fixtures-tune|systems.lead3.rouge1} on the fixtures)",
    "strict event F1 {strategies-fixtures-tune|systems.pipeline.event_f1} against the model's "
    "{strategies-fixtures-tune|systems.pipeline:extractor=model.event_f1}, stances "
    "{strategies-fixtures-tune|systems.pipeline.stance_f1} against "
    "{strategies-fixtures-tune|systems.pipeline:extractor=model.stance_f1} (fixtures, `make eval-strategies`)",
    "(strict F1 on the fixtures' reporting half: events "
    "{fixtures-report|systems.pipeline.event_f1}, stances {fixtures-report|systems.pipeline.stance_f1})",
    "right about what is unrelated "
    "({fnc1-natural-report|systems.pipeline.claim_related_accuracy|.0%} of FNC-1's pairs as it comes)",
    "at {fixtures-report|systems.pipeline.total_tokens|,.0f} tokens per fixture against "
    "{fixtures-report|systems.pipeline:extractor=model.total_tokens|,.0f} when the model writes",
    "PolNeAR dev's reporting half ({polnear-report|items|d} articles; `make",
    "Its headlines (v2) score ROUGE-L {adapter-tune-v2-step257/polnear-titles|systems.tuned.headline_rougeL} "
    "against the rule's {adapter-tune-v2-step257/polnear-titles|systems.pipeline.headline_rougeL} on PolNeAR titles' tuning half",
    "in its own words {key-points-tune/fixtures|systems.model-wording.key_point_unsupported_rate|.0%} "
    "of its key points name a capitalised word or number the article lacks",
    "FNC-1 as it comes is met ({fnc1-natural-report|systems.pipeline.fnc1_relative} against 0.75; "
    "the gate's related/unrelated accuracy "
    "{fnc1-natural-report|systems.pipeline.claim_related_accuracy} against 0.95)",
]


@cache
def summary(run: str) -> dict[str, Any]:
    path = REFERENCE / run / "summary.json"
    assert path.is_file(), f"{path} is not committed: make eval-datasets writes it"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _value(run: str, path: str) -> Any:
    value: Any = summary(run)
    for key in path.split("."):
        assert isinstance(value, dict) and key in value, f"{run}/summary.json has no {path}"
        value = value[key]
    return value


def render(template: str) -> str:
    def field(match: re.Match[str]) -> str:
        run, path, spec = match.group(1), match.group(2), match.group(3) or ".3f"
        value = _value(run, path)
        # A figure with nothing to measure (no matched event) is shown as the tables do.
        return "–" if value is None else format(value, spec)

    return FIELD.sub(field, template)


def _table(heading: str) -> list[str]:
    """The rows of the README table that opens with ``heading`` (its rule line left out)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert heading in lines, f"the README has no table headed {heading!r}"
    rows = []
    for line in lines[lines.index(heading) + 1 :]:
        if not line.startswith("|"):
            break
        if not set(line) <= set("|-: "):
            rows.append(line)
    return rows


@pytest.mark.parametrize("heading", list(TABLES))
def test_every_row_of_a_headline_table_is_rendered_from_committed_summaries(heading: str) -> None:
    expected = [render(t) for t in TABLES[heading]]
    assert _table(heading) == expected


def test_a_figure_typed_by_hand_is_caught() -> None:
    # The check itself must be able to fail: one digit off in a rendered row.
    row = render(TABLES[next(iter(TABLES))][4])
    spoiled = re.sub(r"\d(?=\D*$)", lambda m: str((int(m.group()) + 1) % 10), row)
    assert spoiled != row and spoiled not in [render(t) for t in TABLES[next(iter(TABLES))]]


@pytest.mark.parametrize("sentence", PROSE)
def test_every_figure_in_the_prose_is_rendered_from_committed_summaries(sentence: str) -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert render(sentence) in text

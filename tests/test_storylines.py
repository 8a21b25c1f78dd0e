"""Storylines: many analyses grouped into stories and shared events.

The analyses come from a real batch run through the scripted server, with events and
stances by rule (no model call for them), so the grouping sees what a user's run gives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from summarizer import InputError, Settings, Storylines, build_storylines, run_batch
from summarizer.schema import Analysis
from summarizer.storylines.grouping import NEIGHBOURS, average_link, blocks, clusters
from summarizer.storylines.titles import TitleSource, story_title, usable
from tests.scripted_server import ScriptedServer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Two hijackings of different ships and a navy action: one kind of event (piracy), three
# stories told apart by their names; a flood is a story of its own.
ARTICLES = [
    (
        "tanker-1",
        "2008-11-18",
        "The Sirius Star was hijacked on Saturday off the coast of Kenya. The tanker "
        "carried two million barrels of crude oil. Pirates boarded the ship at dawn.",
    ),
    (
        "tanker-2",
        "2008-11-18",
        "The Sirius Star was hijacked on Sunday far off Kenya. Vela International Marine "
        "said it was negotiating with the pirates. The crew of the Sirius Star is safe.",
    ),
    (
        "tanker-3",
        "2008-11-19",
        "The Sirius Star anchored near Harardhere on Tuesday. Vela International Marine "
        "said it was negotiating with the pirates who hold the Sirius Star.",
    ),
    (
        "navy-1",
        "2008-11-19",
        "INS Tabar sank a pirate mother ship in the Gulf of Aden on Tuesday. The pirates "
        "had fired at INS Tabar first. Pirates often attack ships near Aden.",
    ),
    (
        "navy-2",
        "2008-11-19",
        "INS Tabar sank a pirate vessel on Tuesday. The Indian warship INS Tabar escorts "
        "merchant ships in the Gulf of Aden, where pirates attack ships.",
    ),
    (
        "flood-1",
        "2008-11-18",
        "Heavy rain flooded the streets of Valencia on Monday. The Spanish government "
        "sent soldiers to Valencia. Schools in Valencia stay closed.",
    ),
]


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("storylines")
    inputs = folder / "in.jsonl"
    inputs.write_text(
        "".join(json.dumps({"id": i, "published": p, "text": t}) + "\n" for i, p, t in ARTICLES),
        encoding="utf-8",
    )
    server = ScriptedServer().start()
    try:
        settings = Settings(base_url=server.base_url, model="scripted", extractor="rule")
        summary = run_batch(inputs, folder / "out.jsonl", settings=settings)
    finally:
        server.stop()
    assert summary.ok == len(ARTICLES)
    return folder / "out.jsonl"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "160"},
    )


def _analyses(path: Path) -> list[tuple[str, Analysis]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["id"], Analysis.model_validate(r["analysis"])) for r in rows]


def test_stories_and_shared_events_from_a_batch_run(records: Path, tmp_path: Path) -> None:
    out = tmp_path / "storylines.json"
    done = _cli("storylines", str(records), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "3 stories" in done.stdout
    result = Storylines.model_validate_json(out.read_text(encoding="utf-8"))
    groups = sorted(sorted(s.articles) for s in result.stories)
    assert groups == [["flood-1"], ["navy-1", "navy-2"], ["tanker-1", "tanker-2", "tanker-3"]]
    texts = {i: t for i, _, t in ARTICLES}
    analyses = dict(_analyses(records))
    for story in result.stories:
        for event in story.events:
            for mention in event.mentions:
                # Every mention is the article's own event, with its exact evidence.
                assert analyses[mention.article].events[mention.event].evidence == mention.evidence
                for span in mention.evidence:
                    assert texts[mention.article][span.start : span.end] == span.text
    tankers = next(s for s in result.stories if "tanker-1" in s.articles)
    hijack = next(e for e in tankers.events if e.action == "hijacked")
    assert sorted(m.article for m in hijack.mentions) == ["tanker-1", "tanker-2"]
    # One says Saturday, the other Sunday: both kept, with who says which.
    (conflict,) = hijack.conflicts
    assert conflict.field == "date"
    assert {v.value: v.articles for v in conflict.values} == {
        "2008-11-15": ["tanker-1"],
        "2008-11-16": ["tanker-2"],
    }
    # Each story is titled by what one of its articles wrote.
    for story in result.stories:
        assert usable(story.title) and any(story.title in texts[a] for a in story.articles)
    negotiating = next(e for e in tankers.events if e.action == "negotiating")
    assert sorted({s.article for s in negotiating.stances}) == ["tanker-2", "tanker-3"]
    assert {s.holder for s in negotiating.stances} == {"Vela International Marine"}


def test_a_story_is_titled_by_an_articles_own_words_never_cut_or_one_word() -> None:
    quake = "JAKARTA — A 6.2 magnitude earthquake struck Sulawesi on Friday. Rescuers came."
    first = "A 6.2 magnitude earthquake struck Sulawesi on Friday."
    # A one-word title, then a cut one, are passed over; the dateline is dropped.
    assert story_title([TitleSource("TASK", quake)]) == first
    cut = "Indonesia is facing a new threat from a powerful 6."
    assert story_title([TitleSource(cut, quake)]) == first
    assert story_title([TitleSource("Quake Hits Sulawesi", quake)]) == "Quake Hits Sulawesi"
    # A sentence may end on a year, not inside a number.
    assert usable("The quake struck on January 30, 2026.") and not usable(cut)
    # The sentences the analysis cites are its own split: no splitting again.
    cited = {1: quake[: quake.index("Friday.") + 7], 2: "Rescuers came."}
    assert story_title([TitleSource(None, quake, cited)]) == first
    # An article with nothing usable gives way to the next most central one.
    meta = "The article is about an earthquake."
    assert story_title([TitleSource(None, meta), TitleSource(None, "Rescuers searched Palu.")]) == (
        "Rescuers searched Palu."
    )
    assert (
        story_title([TitleSource(None, meta), TitleSource("", "Quake.")])
        == "Untitled story (2 articles)"
    )
    # Only a long article's opening is read: a sentence running past it is never cut.
    long = "Rescuers came to Palu. " + "They searched the ruins all night. " * 100
    assert story_title([TitleSource(None, long)]) == "Rescuers came to Palu."
    assert story_title([TitleSource(None, "word " * 600 + "end.")]) == "Untitled story (1 article)"


def test_batch_writes_storylines_in_the_same_run(tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        "".join(
            json.dumps({"id": i, "published": p, "text": t}) + "\n" for i, p, t in ARTICLES[:2]
        ),
        encoding="utf-8",
    )
    server = ScriptedServer().start()
    try:
        done = _cli(
            "batch",
            str(inputs),
            "-o",
            str(tmp_path / "out.jsonl"),
            "--storylines",
            str(tmp_path / "storylines.json"),
            "--base-url",
            server.base_url,
            "--model",
            "scripted",
            "--extractor",
            "rule",
            "--quiet",
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    result = Storylines.model_validate_json((tmp_path / "storylines.json").read_text())
    assert [s.articles for s in result.stories] == [["tanker-1", "tanker-2"]]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_bad_records_are_skipped_and_counted(records: Path, tmp_path: Path) -> None:
    lines = records.read_text(encoding="utf-8").splitlines()
    failed = json.dumps({"id": "x", "line": 9, "ok": False, "error": "boom"})
    path = _write(tmp_path / "mixed.jsonl", [*lines[:3], "not json", '{"id": 1}', failed])
    done = _cli("storylines", str(path), "-o", str(tmp_path / "s.json"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "3 record(s) skipped" in done.stdout
    result = Storylines.model_validate_json((tmp_path / "s.json").read_text())
    assert result.metadata.skipped == 3 and result.metadata.articles == 3


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "has no records"),
        (["not json", "[1, 2]"], "has no analysis to group: 0 failed record(s), 2 line(s)"),
        ([json.dumps({"id": "x", "line": 1, "ok": False, "error": "boom"})], "1 failed record(s)"),
    ],
)
def test_unusable_records_are_a_one_line_error(
    tmp_path: Path, lines: list[str], message: str
) -> None:
    done = _cli(
        "storylines", str(_write(tmp_path / "r.jsonl", lines)), "-o", str(tmp_path / "s.json")
    )
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "s.json").exists()


def test_mixed_models_are_refused(records: Path, tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [json.loads(x) for x in records.read_text().splitlines()]
    rows[1]["analysis"]["metadata"]["model"] = "another-model"
    path = _write(tmp_path / "r.jsonl", [json.dumps(r) for r in rows])
    done = _cli("storylines", str(path), "-o", str(tmp_path / "s.json"))
    assert done.returncode == 2
    assert "come from 2 models (another-model, scripted)" in done.stderr
    with pytest.raises(InputError, match="occurs twice"):
        build_storylines([_analyses(records)[0], _analyses(records)[0]])


def test_the_python_api_puts_every_article_in_exactly_one_story(records: Path) -> None:
    analyses = _analyses(records)
    result = build_storylines(analyses)
    placed = [a for s in result.stories for a in s.articles]
    assert sorted(placed) == sorted(i for i, _ in analyses)
    assert [s.id for s in result.stories] == [
        f"story-{n}" for n in range(1, len(result.stories) + 1)
    ]
    assert result.metadata.model == "scripted" and result.metadata.articles == len(ARTICLES)


def test_blocking_gives_the_same_clusters_as_clustering_everything() -> None:
    rng = np.random.default_rng(7)
    # As many rows as a run clusters exactly (each row's NEIGHBOURS nearest are all).
    dense = rng.random((NEIGHBOURS + 1, 40)) * (rng.random((NEIGHBOURS + 1, 40)) < 0.15)
    # Three planted groups of near-copies, so that blocks are not all singletons.
    for start in (0, 10, 20):
        dense[start : start + 5] = dense[start] + 0.05 * rng.random(40)
    vectors = normalize(sp.csr_matrix(dense))
    for threshold in (0.1, 0.3, 0.6, 0.9):
        blocked = clusters(vectors, threshold)
        whole = average_link(np.asarray((vectors @ vectors.T).todense()), threshold)
        assert sorted(map(sorted, blocked)) == sorted(map(sorted, whole))
    assert [0, 1, 2, 3, 4] in clusters(vectors, 0.9)


def test_a_block_too_large_is_cut_along_its_weakest_edges() -> None:
    # Two tight groups of 4 joined by one weak edge: one component of 8.
    weights = {(0, 1): 0.9, (1, 2): 0.9, (2, 3): 0.9, (4, 5): 0.8, (5, 6): 0.8, (6, 7): 0.8}
    weights[(3, 4)] = 0.2
    rows, cols = zip(*weights, strict=True)
    graph = sp.csr_matrix((list(weights.values()), (rows, cols)), shape=(8, 8))
    graph = graph.maximum(graph.T).tocsr()
    assert blocks(graph, max_block=8) == [list(range(8))]
    assert sorted(blocks(graph, max_block=4)) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def _ecbplus_tune(out: Path, floor: str) -> subprocess.CompletedProcess[str]:
    return _cli(
        "eval", str(DATA), "--dataset", "ecbplus-topics", "--half", "tune", "--systems",
        "rules", "--out", str(out), "--fail-under", floor,
    )  # fmt: skip


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
def test_ecbplus_topics_eval_scores_both_levels_next_to_the_baselines(tmp_path: Path) -> None:
    done = _ecbplus_tune(tmp_path / "run", "stories_conll_f1=0.8")
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert set(summary["stories"]) == {
        "storylines", "similarity only", "singletons", "topic", "gold"
    }  # fmt: skip
    assert set(summary["events_gold"]) >= {"storylines", "lemma (topic)", "lemma (all)"}
    assert (
        summary["events_gold"]["storylines"]["conll_f1"]
        > summary["events_gold"]["lemma (all)"]["conll_f1"]
    )
    assert 0 < summary["events_predicted"]["storylines"]["gold_mentions_found"] < 1
    # The floor trips when the figure is below it.
    failing = _ecbplus_tune(tmp_path / "run2", "stories_conll_f1=0.99")
    assert failing.returncode == 1
    assert "stories_conll_f1" in failing.stderr


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
def test_an_article_the_system_fails_on_is_counted_not_fatal(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    from tests.scripted_server import status

    scripted.push(status(400))  # the first article's first request
    done = _cli(
        "eval", str(DATA), "--dataset", "ecbplus-topics", "--half", "tune", "--limit", "3",
        "--systems", "pipeline", "--base-url", scripted.base_url, "--model", "scripted",
        "--extractor", "rule", "--no-cache", "--quiet", "--out", str(tmp_path / "run"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["events_predicted"]["storylines"]["articles_failed"] == 1

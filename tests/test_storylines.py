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
from summarizer.coreference import conll_f1
from summarizer.evaluation.storyline_eval import load_topics
from summarizer.schema import Analysis
from summarizer.storylines import Story
from summarizer.storylines.build import story_id
from summarizer.storylines.digest import Digest
from summarizer.storylines.grouping import NEIGHBOURS, average_link, blocks, clusters
from summarizer.storylines.store import StoryStore
from summarizer.storylines.stories import (
    StoryArticle,
    StorySettings,
    Tokens,
    article_tokens,
    group_stories,
)
from summarizer.storylines.titles import TitleSource, story_title, usable
from summarizer.storylines.update import Retrieval, add_articles, chunked_stories
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
    # A story's id is its first article's: the same whatever else is grouped with it.
    assert [s.id for s in result.stories] == [story_id(s.articles[0]) for s in result.stories]
    assert len({s.id for s in result.stories}) == len(result.stories)
    assert result.metadata.stories == len(result.stories)
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
        "storylines", "storylines, in chunks of 20", "storylines, in chunks of 20 by keys alone",
        "similarity only", "singletons", "topic", "gold"
    }  # fmt: skip
    assert summary["chunked"]["in chunks of 20"] >= 0.95
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


# --- updates ----------------------------------------------------------------------


def _split_records(records: Path, folder: Path, first: set[str]) -> tuple[Path, Path]:
    """The batch records of ``first`` and of the rest, as two files."""
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    early = [line for line in lines if json.loads(line)["id"] in first]
    late = [line for line in lines if json.loads(line)["id"] not in first]
    (folder / "early.jsonl").write_text("".join(early), encoding="utf-8")
    (folder / "late.jsonl").write_text("".join(late), encoding="utf-8")
    return folder / "early.jsonl", folder / "late.jsonl"


def test_an_update_gives_what_one_run_gives_with_the_same_ids(
    records: Path, tmp_path: Path
) -> None:
    early, late = _split_records(records, tmp_path, {"tanker-1", "navy-1", "flood-1"})
    out = tmp_path / "s.json"
    assert _cli("storylines", str(early), "-o", str(out)).returncode == 0
    first = Storylines.model_validate_json(out.read_text(encoding="utf-8"))
    assert (tmp_path / "s.json.state").is_file()
    done = _cli("storylines", "--update", str(out), str(late), "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert "3 new analyses" in said and "3 stories" in said
    updated = Storylines.model_validate_json(out.read_text(encoding="utf-8"))
    whole = tmp_path / "whole.json"
    assert _cli("storylines", str(records), "-o", str(whole), "-q").returncode == 0
    once = Storylines.model_validate_json(whole.read_text(encoding="utf-8"))
    # Stories, ids, titles and events as one run over all the records gives them.
    assert [s.model_dump() for s in updated.stories] == [s.model_dump() for s in once.stories]
    # The stories of the first run kept their ids and grew.
    grown = {s.id: s.articles for s in updated.stories}
    for story in first.stories:
        assert grown[story.id][: len(story.articles)] == story.articles
    assert updated.metadata.updates == 1 and updated.metadata.articles == len(ARTICLES)
    assert updated.merged == []
    # Fed again, the same records are already held: nothing changes but the count.
    again = _cli("storylines", "--update", str(out), str(late), "-o", str(out), "-q")
    assert again.returncode == 0 and "3 already held, skipped" in " ".join(again.stdout.split())
    held = Storylines.model_validate_json(out.read_text(encoding="utf-8"))
    assert held.stories == updated.stories


def test_an_update_to_another_file_leaves_the_first_alone(records: Path, tmp_path: Path) -> None:
    early, late = _split_records(records, tmp_path, {"tanker-1", "flood-1"})
    out, other = tmp_path / "s.json", tmp_path / "later" / "s2.json"
    assert _cli("storylines", str(early), "-o", str(out), "-q").returncode == 0
    before = (out.read_bytes(), (tmp_path / "s.json.state").read_bytes())
    done = _cli("storylines", "--update", str(out), str(late), "-o", str(other), "-q")
    assert done.returncode == 0, done.stderr
    assert (out.read_bytes(), (tmp_path / "s.json.state").read_bytes()) == before
    assert Storylines.model_validate_json(other.read_text()).metadata.articles == len(ARTICLES)
    assert (tmp_path / "later" / "s2.json.state").is_file()


def test_a_failed_update_leaves_the_storylines_as_they_were(records: Path, tmp_path: Path) -> None:
    early, late = _split_records(records, tmp_path, {"tanker-1", "flood-1"})
    out, state = tmp_path / "s.json", tmp_path / "s.json.state"
    assert _cli("storylines", str(early), "-o", str(out), "-q").returncode == 0
    before = (out.read_bytes(), state.read_bytes())
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    rows = [json.loads(line) for line in late.read_text(encoding="utf-8").splitlines()]
    rows[0]["analysis"]["metadata"]["model"] = "another-model"
    mixed = _write(tmp_path / "mixed.jsonl", [json.dumps(r) for r in rows[:1]])
    stranger = tmp_path / "stranger.json"
    assert _cli("storylines", str(late), "-o", str(stranger), "-q").returncode == 0
    (tmp_path / "stranger.json.state").write_bytes(state.read_bytes())
    cases = [
        (["--update", str(out), str(bad)], "has no analysis to group"),
        (["--update", str(out), str(mixed)], "analyses of another-model"),
        (["--update", str(tmp_path / "none.json"), str(late)], "storylines file not found"),
        (["--update", str(stranger), str(late)], "does not belong to"),
    ]
    for args, message in cases:
        done = _cli("storylines", *args, "-o", str(out), "-q")
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert (out.read_bytes(), state.read_bytes()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
    state.unlink()
    done = _cli("storylines", "--update", str(out), str(late), "-o", str(out), "-q")
    assert done.returncode == 2 and "s.json.state is missing" in done.stderr


def test_an_update_killed_before_its_json_was_renamed_is_taken_up_again(
    records: Path, tmp_path: Path
) -> None:
    early, late = _split_records(records, tmp_path, {"tanker-1", "flood-1"})
    out = tmp_path / "s.json"
    assert _cli("storylines", str(early), "-o", str(out), "-q").returncode == 0
    written_first = out.read_bytes()
    assert _cli("storylines", "--update", str(out), str(late), "-o", str(out)).returncode == 0
    updated = Storylines.model_validate_json(out.read_text(encoding="utf-8"))
    # Planted: the state was committed, the process died before the JSON was renamed.
    out.write_bytes(written_first)
    again = _cli("storylines", "--update", str(out), str(late), "-o", str(out), "-q")
    assert again.returncode == 0, again.stderr
    assert f"{len(ARTICLES) - 2} already held" in " ".join(again.stdout.split())
    taken_up = Storylines.model_validate_json(out.read_text(encoding="utf-8"))
    assert taken_up.stories == updated.stories
    # Two writes behind, the JSON is another run's: refused, both files left alone.
    out.write_bytes(written_first)
    state = (tmp_path / "s.json.state").read_bytes()
    refused = _cli("storylines", "--update", str(out), str(late), "-o", str(out), "-q")
    assert refused.returncode == 2 and "does not belong to" in refused.stderr
    assert (out.read_bytes(), (tmp_path / "s.json.state").read_bytes()) == (written_first, state)


def _digests(texts: list[str]) -> list[tuple[Digest, Tokens]]:
    return [
        (Digest.of_text(f"a{i}", t, None, None), article_tokens(StoryArticle(f"a{i}", t)))
        for i, t in enumerate(texts)
    ]


BRIDGE_OPENED = (
    "Ines Varga opened the Kalora bridge on Monday. The bridge over the Tamsin river cost "
    "twelve million euros. Ines Varga thanked the builders."
)


def test_an_update_that_joins_two_stories_records_the_merge() -> None:
    resigned = (
        "Omar Duffa resigned as Halvik police chief on Tuesday. He led the Halvik police for "
        "ten years. Omar Duffa will be replaced in March."
    )
    both = (
        "Omar Duffa, the Halvik police chief, resigned after Ines Varga opened the Kalora "
        "bridge over the Tamsin river. Ines Varga and Omar Duffa had quarrelled over the "
        "bridge and the police."
    )
    found = _digests([BRIDGE_OPENED, resigned, both])
    store = StoryStore()
    settings = StorySettings()
    add_articles(store, found[:2], settings)
    assert sorted(store.story_ids()) == sorted([story_id("a0"), story_id("a1")])
    change = add_articles(store, found[2:], settings)
    # The story of the earlier first article keeps its id; the other's leads to it.
    assert change.merged == {story_id("a1"): story_id("a0")}
    assert store.story_ids() == [story_id("a0")]
    assert store.merged() == [(story_id("a1"), story_id("a0"))]


def test_an_update_that_parts_a_story_records_the_split() -> None:
    closed = (
        "Omar Duffa closed the Kalora bridge on Tuesday after cracks appeared. Engineers from "
        "Halvik inspected the cracks. Omar Duffa ordered repairs."
    )
    names = ["Nadia Olsen", "Piet Moreau", "Lena Kraus", "Tomas Berg", "Ada Lund", "Ivo Sarr"]
    # Articles that make the bridge and its river common words, so that the first two
    # no longer share enough to be one story.
    books = [
        f"{n} wrote a book about the Kalora bridge and the Tamsin river. {n} visited the "
        f"bridge in {1990 + i}. The book about the bridge sold well."
        for i, n in enumerate(names)
    ]
    found = _digests([BRIDGE_OPENED, closed, *books])
    store = StoryStore()
    add_articles(store, found[:2], StorySettings())
    assert store.story_ids() == [story_id("a0")]
    change = add_articles(store, found[2:], StorySettings())
    assert change.split == {story_id("a1"): story_id("a0")}
    parted = {
        i: Story.model_validate_json(j) for i, j in store.story_json(store.story_ids()).items()
    }
    assert parted[story_id("a1")].split_from == story_id("a0")
    assert "a1" not in parted[story_id("a0")].articles
    assert parted[story_id("a0")].split_from is None


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_ecbplus_fed_in_chunks_of_twenty_gives_the_stories_of_one_run() -> None:
    articles = [StoryArticle(a.doc, a.article.text) for a in load_topics(DATA, "tune")]
    full = group_stories(articles)
    assert conll_f1(full, chunked_stories(articles, 20)) >= 0.95
    # By keys alone, as a run too large to compare every article does.
    keys_only = Retrieval(exhaustive=0)
    assert conll_f1(full, chunked_stories(articles, 20, retrieval=keys_only)) >= 0.95

"""The same-story model: the particulars it reads, its training on a planted ECB+
checkout with the dev topics kept out, the shipped model and its manifest, and how it
links stories."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from summarizer.errors import ConfigError
from summarizer.storylines.particulars import dates, quantities, years
from summarizer.storylines.same_story import (
    FEATURES,
    MODEL,
    pair_features,
    same_story_model,
)
from summarizer.storylines.stories import (
    StoryArticle,
    StorySettings,
    article_vectors,
    group_stories,
)
from training.exclusions import load_exclusions
from training.same_story import detokenized
from training.same_story import main as train_main

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
QUAKES = [
    "A magnitude 6.1 earthquake struck Sulawesi in Indonesia on March 3, 2009, killing 12 "
    "people. Rescuers searched the ruins in Palu.",
    "The magnitude 6.1 earthquake that hit Sulawesi on March 3, 2009 killed 12 people, "
    "officials in Palu said. Rescuers searched the ruins.",
    "A magnitude 7.4 earthquake struck Sulawesi in Indonesia on September 28, 2018, killing "
    "2000 people. Rescuers searched the ruins in Palu.",
    "The magnitude 7.4 earthquake that hit Sulawesi on September 28, 2018 killed 2000 "
    "people, officials in Palu said. Rescuers searched the ruins.",
    "Heavy rain flooded the streets of Valencia on Monday. The Spanish government sent "
    "soldiers to Valencia.",
]


def test_particulars_are_years_dates_and_numbers_with_what_they_count() -> None:
    text = (
        "A 6.1-magnitude earthquake struck on March 29, 2009, killing 1,000 people. The "
        "magnitude 6.1 quake hit Aceh. Somali pirates seized 23 sailors."
    )
    found, units = quantities(text)
    # "29" is a day, "2009" a year; "seized 23" counts sailors, not seizures.
    assert found == ["magnitud=6.1", "peopl=1000", "quak=6.1", "sailor=23"]
    assert units == ["magnitud", "peopl", "quak", "sailor"]
    assert dates(text) == ["mar-29"] and years(text) == ["2009"]
    assert quantities("Decimal comma: 6,1 magnitude.")[0] == ["magnitud=6.1"]


def test_conflicting_particulars_count_against_one_story() -> None:
    articles = [StoryArticle(str(i), t) for i, t in enumerate(QUAKES)]
    vectors = article_vectors(articles)
    features = dict(zip(FEATURES, pair_features(vectors, np.arange(5, dtype=np.intp)), strict=True))
    # The two 2009 reports share their year, date and toll; a 2009 and a 2018 one conflict.
    assert features["years shared"][0, 1] == 1 and features["years conflict"][0, 2] == 1
    assert features["dates conflict"][0, 2] == 1 and features["quantities shared"][0, 1] > 0
    assert features["quantities conflict"][0, 2] > features["quantities conflict"][0, 1]
    model = same_story_model()
    for name in ("years conflict", "dates conflict", "quantities conflict"):
        assert model.weights[FEATURES.index(name)] < 0, name
    chance = model.probability(list(features.values()))
    assert chance[0, 1] > chance[0, 4] and chance[0, 4] < 0.3  # the flood: another story
    # A link the model doubts is never made: at a bound above every pair's chance, each
    # article is a story of its own; the similarity alone joins the four reports.
    assert group_stories(articles, StorySettings(method="similarity")) == [[0, 1, 2, 3], [4]]
    doubtful = StorySettings(method="cannot-link", same_story=1.0)
    assert group_stories(articles, doubtful) == [[0], [1], [2], [3], [4]]


def _document(name: str, sentences: list[str]) -> str:
    tokens, t = [], 1
    for number, sentence in enumerate(sentences):
        for word in sentence.replace(".", " .").replace(",", " ,").split():
            tokens.append(f'<token t_id="{t}" sentence="{number}" number="0">{word}</token>')
            t += 1
    return f'<Document doc_name="{name}" doc_id="x">\n' + "\n".join(tokens) + "\n</Document>\n"


def _checkout(root: Path) -> Path:
    """Five training topics (two stories each) and a document of dev topic 2."""
    stories = {
        "ecb": "Pirates seized the tanker {ship} off {place} in {year}, taking {n} sailors.",
        "ecbplus": "A magnitude {n} earthquake shook {place} in {year}, officials said.",
    }
    places = ["Kenya", "Aden", "Chile", "Java", "Peru"]
    for k, topic in enumerate(["1", "3", "4", "6", "7"]):
        folder = root / "ECB+" / topic
        folder.mkdir(parents=True)
        for kind, template in stories.items():
            for i in range(3):
                values = {"ship": f"Star{k}", "place": places[k], "year": 2000 + k, "n": 5 + k}
                text = template.format(**values)
                name = f"{topic}_{i + 1}{kind}.xml"
                (folder / name).write_text(_document(name, [text, "Reports followed."]))
    dev = root / "ECB+" / "2"
    dev.mkdir(parents=True)
    (dev / "2_1ecb.xml").write_text(_document("2_1ecb.xml", ["A dev article."]))
    return root


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data (the exclusions)")
def test_trained_here_on_training_topics_only(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path / "ecbplus")
    out = tmp_path / "model"
    assert train_main(["--ecbplus", str(checkout), "--out", str(out)]) == 0
    made = json.loads((out / "same-story.json").read_text())
    assert made["features"] == list(FEATURES) and len(made["weights"]) == len(FEATURES)
    assert made["data"]["topics"] == ["1", "3", "4", "6", "7"]
    assert made["data"]["left_out"] == {"ECB+ dev or test topic": 1}
    assert not any(f.startswith("ECB+/2/") for f in made["data"]["files"])
    assert made["data"]["pairs"] == 5 * 15 and made["data"]["same_story_pairs"] == 5 * 6
    # The dev split itself is refused, not read.
    assert train_main(["--ecbplus", str(SHARED), "--out", str(out)]) != 0


def test_tokens_are_joined_back_into_text() -> None:
    import xml.etree.ElementTree as ET

    document = ET.fromstring(_document("1_1ecb.xml", ["Pirates, it said, seized it.", "Yes."]))
    assert detokenized(document) == "Pirates, it said, seized it.\nYes."


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data (the exclusions)")
def test_the_shipped_model_was_made_from_training_topics() -> None:
    made = json.loads(MODEL.read_text())
    assert made["features"] == list(FEATURES)
    assert same_story_model().weights == tuple(made["weights"])
    never = load_exclusions().ecbplus_topics
    assert made["data"]["topics"] and not set(made["data"]["topics"]) & never
    assert all(f.split("/")[1] in made["data"]["topics"] for f in made["data"]["files"])
    assert made["held_out"]["auc"] > 0.8


def test_a_missing_model_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="same-story model is missing"):
        same_story_model(tmp_path / "none.json")

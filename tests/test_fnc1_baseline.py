"""The FNC-1 official baseline: its features by hand, the shipped model's exact answers,
the training command on a tiny corpus, and its scores on the FNC-1 dev sets through
``summarizer eval``."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.evaluation.baselines import Fnc1BaselineSystem
from summarizer.evaluation.fixtures import Fixture, GoldClaim
from summarizer.evaluation.fnc1_baseline import (
    FEATURE_NAMES,
    claim_labels,
    feature_matrix,
    load_model,
    model_digest,
    pair_features,
    shipped_model,
)
from summarizer.evaluation.fnc1_baseline.features import char_grams
from summarizer.evaluation.fnc1_baseline.model import MANIFEST_PATH, MODEL_PATH
from summarizer.evaluation.systems import SYSTEMS, article_of, make_system
from summarizer.settings import Settings
from tests.conftest import ROOT
from training.fnc1_baseline import main, read_train


def named(row: list[float]) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, row, strict=True))


def test_features_of_a_short_pair_worked_out_by_hand() -> None:
    # Cleaned, the body is "police said it is not a hoax police found nothing": 49
    # characters, so its first 100 and 255 are all of it.
    row = named(
        pair_features(
            "Police deny the hoax", "Police said: it is not a hoax. Police found nothing."
        )
    )
    # police, hoax; not deny, nor "the" (no "the" anywhere in the body).
    assert row["words_in_body"] == row["words_in_body_early"] == 2
    # Without the stop word "the": police, hoax; the reference counts it twice.
    assert row["content_words_in_body"] == row["content_words_in_body_again"] == 2
    # Grams of "police deny hoax". Of 2: po ol li ic ce "e " " h" ho oa ax are in the
    # body; " d" de en ny "y " are not.
    assert [row[f"char2_{w}"] for w in ("body", "early", "first")] == [10, 10, 10]
    # Of 4: poli olic lice "ice " " hoa" hoax, not the 7 that span "deny".
    assert [row[f"char4_{w}"] for w in ("body", "early", "first")] == [6, 6, 6]
    # Each 8-gram spans "deny" or "police d"; the one 16-gram is the whole string.
    assert row["char8_body"] == row["char16_body"] == 0
    # "police deny", "deny the", "the hoax": none in the body ("a hoax" is).
    assert all(row[f"word{n}_{w}"] == 0 for n in (2, 3, 4, 5, 6) for w in ("body", "early"))
    # deny + hoax in the headline, not + hoax in the body: both even.
    assert row["polarity_headline"] == row["polarity_body"] == 0
    refuting = {name: value for name, value in row.items() if name.startswith("refuting_")}
    assert refuting == {
        name: float(name in ("refuting_deny", "refuting_hoax")) for name in refuting
    }
    # {police, hoax} shared; 4 headline words + 9 body words - 2 shared = 11.
    assert row["word_overlap"] == 2 / 11


def test_features_see_how_early_the_body_says_it() -> None:
    # "fraud" at characters 120-125 (after the first 100, within 255), "claims" at 306.
    body = "lorem " * 20 + "Fraud" + " ipsum" * 30 + " claims."
    row = named(pair_features("Fraud claims", body))
    assert (row["words_in_body"], row["words_in_body_early"]) == (2, 1)
    # The 11 grams of "fraud claims": all in the body ("d " before ipsum, " c" before
    # claims); fr ra au ud "d " before character 255; none in the first 100 (lorem).
    assert [row[f"char2_{w}"] for w in ("body", "early", "first")] == [11, 5, 0]
    # frau raud "aud " " cla" clai laim aims; "ud c" and "d cl" are not in the body.
    assert [row[f"char4_{w}"] for w in ("body", "early", "first")] == [7, 3, 0]
    assert row["char8_body"] == row["char16_body"] == row["word2_body"] == 0
    assert row["polarity_headline"] == row["polarity_body"] == 1  # one "fraud" each
    assert row["refuting_fraud"] == 1 and row["refuting_hoax"] == 0
    assert row["word_overlap"] == 2 / 4  # {fraud, claims} of {lorem, fraud, ipsum, claims}


def test_words_match_inside_longer_words_and_grams_keep_spaces() -> None:
    # As in the reference: a headline word counts when the body contains it anywhere.
    assert named(pair_features("Cat", "Concatenate."))["words_in_body"] == 1
    assert char_grams("ab c", 2) == ["ab", "b ", " c"]
    assert feature_matrix([]).shape == (0, len(FEATURE_NAMES))


# Scores of the shipped model, recorded when it was fitted: the predictor is plain
# float64 sums in a fixed order, so they are the same on every machine.
ALLIGATOR = (
    "A man in Florida says he found a live alligator in his swimming pool on Sunday morning. "
    "Police confirmed the alligator was removed by a trapper. "
    "Officials said no one was hurt and the animal was released into a nearby lake."
)
RECORDED = [
    ("Florida man finds live alligator in swimming pool", "discuss"),
    ("Alligator in Florida pool was a hoax, police deny reports", "agree"),
    ("Stock markets fall as oil prices rise in Asia", "unrelated"),
    ("Police confirmed the alligator was removed by a trapper", "agree"),
    ("Reports claim alligator was found in pool, but officials have not confirmed", "discuss"),
]
RECORDED_SCORES = [
    [0.9425805108537509, -0.717127520648789, 2.3421589763081387, -3.0380948770910265],
    [-1.4305049349175163, -2.698360612197028, -0.8870936123402402, 4.69073811758361],
]


def test_the_shipped_model_gives_the_recorded_answers() -> None:
    headlines = [h for h, _ in RECORDED]
    assert claim_labels(ALLIGATOR, headlines) == [label for _, label in RECORDED]
    pairs = [(headlines[0], ALLIGATOR), (headlines[2], ALLIGATOR)]
    scores = shipped_model().raw_scores(feature_matrix(pairs))
    assert scores.tolist() == RECORDED_SCORES
    assert claim_labels(ALLIGATOR, []) == []


def test_the_shipped_model_is_what_its_manifest_says() -> None:
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    data = MODEL_PATH.read_bytes()
    assert manifest["model_sha256"] == hashlib.sha256(data).hexdigest()
    assert model_digest() == manifest["model_sha256"][:16]
    assert len(data) < 1_000_000
    assert manifest["pairs"] == manifest["files"]["train_stances.csv"]["rows"] == 49_972
    assert manifest["files"]["train_bodies.csv"]["rows"] == 1_683
    # FNC-1 train's published label counts.
    assert manifest["label_counts"] == {
        "agree": 3_678,
        "disagree": 840,
        "discuss": 8_909,
        "unrelated": 36_545,
    }
    assert manifest["features"] == list(FEATURE_NAMES)
    assert "competition_test" not in manifest["command"]
    assert shipped_model().stages == manifest["params"]["n_estimators"] == 200


def test_a_model_for_other_features_is_refused(tmp_path: Path) -> None:
    model = shipped_model()
    names = (*FEATURE_NAMES[:-1], "something_else")
    other = type(model)(**{**model.__dict__, "feature_names": names})
    other.save(tmp_path / "other.npz")
    with pytest.raises(InputError, match="other labels or features"):
        load_model(tmp_path / "other.npz")
    with pytest.raises(InputError, match="cannot read the model"):
        load_model(tmp_path / "missing.npz")


def test_the_system_labels_every_claim_of_a_fixture() -> None:
    assert "fnc1-baseline" in SYSTEMS
    system = make_system("fnc1-baseline", Settings())
    assert isinstance(system, Fnc1BaselineSystem)
    assert system.cache_parts() == {"system": "fnc1-baseline", "model": model_digest()}
    fixture = Fixture(
        id="alligator",
        source="written for this test",
        topic="news",
        text=ALLIGATOR,
        claims=[GoldClaim(claim=h, label=label) for h, label in RECORDED],
        labelled=["claims"],
    )
    prediction = system.predict(fixture, article_of(fixture))
    assert [(c.claim, c.label) for c in prediction.claims] == RECORDED


# --- the training command, on a corpus small enough to fit in a second ---------------


def _write_corpus(folder: Path, *, official: bool) -> None:
    """Four bodies, each with a headline of each label: the official files' columns
    (``Body ID``, stance words) or the other copy's (``Body_ID``, 0-3, CRLF)."""
    folder.mkdir()
    topics = ["a flood in Gaza", "a meteorite in Managua", "a spider in Sydney", "a crab in Kent"]
    body_id = "Body ID" if official else "Body_ID"
    with (folder / "train_bodies.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n" if official else "\r\n")
        writer.writerow([body_id, "articleBody"])
        for n, topic in enumerate(topics):
            writer.writerow([n, f"Officials reported {topic} on Monday.\nNobody was hurt."])
    labels = ["agree", "disagree", "discuss", "unrelated"]
    with (folder / "train_stances.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n" if official else "\r\n")
        writer.writerow(["Headline", body_id, "Stance"])
        for n, topic in enumerate(topics):
            for k, label in enumerate(labels):
                other = topics[(n + 1) % len(topics)]
                headline = [
                    f"Officials report {topic}",
                    f"No {topic}, a hoax",
                    f"Is there {topic}?",
                ]
                headline.append(f"Markets fall after {other}")
                writer.writerow([headline[k], n, label if official else k])


def test_the_training_command_fits_checks_and_records(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "fnc1", official=False)
    out = tmp_path / "model"
    argv = ["--fnc1", str(tmp_path / "fnc1"), "--out", str(out), "--stages", "3", "--seed", "1"]
    assert main(argv) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pairs"] == 16
    assert manifest["label_counts"] == {
        label: 4 for label in ("agree", "disagree", "discuss", "unrelated")
    }
    stances = (tmp_path / "fnc1" / "train_stances.csv").read_bytes()
    assert manifest["files"]["train_stances.csv"]["sha256"] == hashlib.sha256(stances).hexdigest()
    assert manifest["seed"] == 1 and manifest["params"]["n_estimators"] == 3
    assert manifest["command"].endswith("--stages 3 --seed 1")
    model = load_model(out / "model.npz")
    assert model.stages == 3 and model.value.shape[1] == 4
    # Refit to the same trees, the file is byte for byte the same.
    first = (out / "model.npz").read_bytes()
    assert main(argv) == 0
    assert (out / "model.npz").read_bytes() == first


def test_both_copies_of_fnc1_train_read_the_same(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "official", official=True)
    _write_corpus(tmp_path / "copy", official=False)
    official, copy = read_train(tmp_path / "official"), read_train(tmp_path / "copy")
    assert official == copy
    assert "\r" not in next(iter(copy[0].values()))


def test_an_lfs_pointer_or_a_missing_body_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_corpus(tmp_path / "fnc1", official=True)
    stances = tmp_path / "fnc1" / "train_stances.csv"
    text = stances.read_text(encoding="utf-8")
    stances.write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:52d8a1\nsize 3938867\n",
        encoding="utf-8",
    )
    assert main(["--fnc1", str(tmp_path / "fnc1"), "--out", str(tmp_path / "out")]) == 2
    assert "LFS pointer" in capsys.readouterr().err
    stances.write_text(text + "A headline,99,agree\n", encoding="utf-8")
    with pytest.raises(InputError, match="body 99"):
        read_train(tmp_path / "fnc1")
    assert not (tmp_path / "out" / "model.npz").exists()


# --- the FNC-1 dev sets, through `summarizer eval` --------------------------------------

# Measured when the shipped model was fitted (``summarizer eval --systems fnc1-baseline``):
# the share of the FNC-1 maximum and the macro-F1 over every pair, and the mean accuracy
# of an item.
DEV_FIGURES = {
    "fnc1-natural": (0.8308071906943955, 0.46919092578022553, 0.8158842784667645),
    "fnc1": (0.403125, 0.29989894406863554, 0.3615410215410214),
}


@pytest.mark.parametrize("dataset", sorted(DEV_FIGURES))
def test_dev_set_scores_are_the_measured_ones(
    shared_data: Path, dataset: str, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    command = [sys.executable, "-m", "summarizer", "eval", "run", "--dataset", dataset]
    command += [str(shared_data), "--systems", "fnc1-baseline", "--out", str(out)]
    command += ["--no-cache", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    figures = json.loads((out / "summary.json").read_text(encoding="utf-8"))["systems"]
    ours = figures["fnc1-baseline"]
    measured = (ours["fnc1_relative"], ours["claim_macro_f1"], ours["claim_accuracy"])
    assert measured == DEV_FIGURES[dataset]
    assert "0 model calls" in done.stdout

"""PolNeAR (networkdynamics/PolNeAR): 1,008 US election news articles of 2015-2016
from seven outlets; ``data/train/text/<article>.txt`` starts with the title line.

Only ``data/train`` is read (the exclusions forbid ``data/dev`` and ``data/test``). Each
article becomes what the eval's ``polnear-titles`` set holds: the text without its title
line, the title as the reference headline (:func:`polnear_titles_fixture`), so the
headline is learnt from articles shown as the eval shows them.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.errors import InputError
from summarizer.evaluation.datasets.polnear import polnear_titles_fixture
from training.corpus import Corpus, reason_of
from training.exclusions import Exclusions

NAME = "polnear"
TEXTS = Path("data") / "train" / "text"


def read(root: Path, exclusions: Exclusions) -> Corpus:
    folder = root / TEXTS
    if not folder.is_dir():
        raise InputError(f"{root} is not a PolNeAR checkout: it has no {TEXTS} folder")
    exclusions.refuse_path(root)
    exclusions.refuse_path(folder)
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"{folder} holds no PolNeAR article (*.txt)")
    corpus = Corpus(NAME, root)
    for path in files:
        source_id = f"{NAME}:train/{path.stem}"
        if reason := exclusions.excluded(source_id):
            corpus.exclude(reason, source_id)
            continue
        try:
            text = corpus.read_bytes(path).decode("utf-8")
            title = text.partition("\n")[0]
            row = {"id": path.stem, "title": title, "text": text}
            fixture = polnear_titles_fixture(row, 0)
        except (UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
            corpus.skip(reason_of(exc), source_id)
            continue
        if exclusions.is_dev_text(text):  # the dev rows hold the text title included
            corpus.exclude("same text as a dev-set article", source_id)
            continue
        corpus.admit(source_id, fixture, exclusions.is_dev_text)
    return corpus

"""PolNeAR (networkdynamics/PolNeAR): 1,008 US election news articles of 2015-2016
from seven outlets; ``data/train/text/<article>.txt`` starts with the title line, and
``data/train/attributions/<article>_<annotator>.ann`` holds its attributions (brat).

Only ``data/train`` is read (the exclusions forbid ``data/dev`` and ``data/test``).

- :func:`read`: each article becomes what the eval's ``polnear-titles`` set holds: the
  text without its title line, the title as the reference headline
  (:func:`polnear_titles_fixture`), so the headline is learnt from articles shown as the
  eval shows them.
- :func:`read_attributions`: each article becomes what the eval's ``polnear`` set
  holds: the text as given and every attribution as source, cue and content pieces
  (:func:`polnear_fixture`), for the attribution tagger.
"""

from __future__ import annotations

import re
from pathlib import Path

from summarizer.errors import InputError
from summarizer.evaluation.datasets.polnear import polnear_fixture, polnear_titles_fixture
from training.corpus import Corpus, reason_of
from training.exclusions import Exclusions

NAME = "polnear"
TEXTS = Path("data") / "train" / "text"
ANNOTATIONS = Path("data") / "train" / "attributions"
# brat: "T3<TAB>Content 120 211;215 230<TAB>text" and "E1<TAB>Attribution:T4 Content:T3 ...".
_SPAN = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t", re.MULTILINE)
_RELATION = re.compile(r"^E\d+\t([^\n]+)$", re.MULTILINE)
_ROLES = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}


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


def read_attributions(root: Path, exclusions: Exclusions) -> Corpus:
    """Every train article with its attributions; where two annotators did one article,
    the first annotation file by name."""
    folder, annotations = root / TEXTS, root / ANNOTATIONS
    for path in (root, folder, annotations):
        exclusions.refuse_path(path)
    if not folder.is_dir() or not annotations.is_dir():
        raise InputError(f"{root} is not a PolNeAR checkout: it needs {TEXTS} and {ANNOTATIONS}")
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"{folder} holds no PolNeAR article (*.txt)")
    corpus = Corpus("polnear-attributions", root)
    for path in files:
        source_id = f"{NAME}:train/{path.stem}"
        if reason := exclusions.excluded(source_id):
            corpus.exclude(reason, source_id)
            continue
        found = sorted(annotations.glob(f"{path.stem}_*.ann"))
        if not found:
            corpus.skip("no annotation file", source_id)
            continue
        try:
            text = corpus.read_bytes(path).decode("utf-8")
            brat = corpus.read_bytes(found[0]).decode("utf-8")
            row = {"id": path.stem, "text": text, "attributions": brat_attributions(brat, text)}
            fixture = polnear_fixture(row, 0)
        except (UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
            corpus.skip(reason_of(exc), source_id)
            continue
        if exclusions.is_dev_text(text):
            corpus.exclude("same text as a dev-set article", source_id)
            continue
        corpus.admit(source_id, fixture, exclusions.is_dev_text)
    return corpus


def brat_attributions(brat: str, text: str) -> list[dict[str, list[dict[str, object]]]]:
    """The attributions of one brat file, as the dev set's rows hold them; a span whose
    text is not the article's at its offsets raises ValueError."""
    pieces: dict[str, list[dict[str, object]]] = {}
    for match in _SPAN.finditer(brat):
        found = []
        for part in match.group(3).split(";"):
            start, end = (int(n) for n in part.split())
            if not 0 <= start < end <= len(text):
                raise ValueError(f"span {start}-{end} is outside the article")
            found.append({"text": text[start:end], "start": start, "end": end})
        pieces[match.group(1)] = found
    attributions = []
    for match in _RELATION.finditer(brat):
        one: dict[str, list[dict[str, object]]] = {"source": [], "cue": [], "content": []}
        for arg in match.group(1).split()[1:]:
            role, _, ref = arg.partition(":")
            if role in _ROLES and ref in pieces:
                one[_ROLES[role]].extend(pieces[ref])
        if one["cue"] and one["content"]:
            attributions.append(one)
    return attributions

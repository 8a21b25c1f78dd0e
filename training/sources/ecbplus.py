"""ECB+ (cltl/ecbPlus): news documents on 43 topics, with actions, their participants,
times and places annotated in selected sentences.

The folder holds the corpus's documents (``ECB+/<topic>/<topic>_<n>ecb[plus].xml``, as
``ECB+.zip`` unpacks) and ``ECBplus_coreference_sentences.csv``, the sentences that are
fully annotated. Each document becomes the row the eval suite's ``ecbplus_dev.jsonl``
holds (its tokens joined by spaces, a sentence a line; each markable's tokens, tag and
sentence) and is mapped by the eval's own :func:`ecbplus_fixture`: every ACTION of an
annotated sentence an event with that sentence's human participants as actors, the
others as targets, its first time and place; NEG_ actions are denied.

Only training topics are read: the dev and test topics and the documents set aside
(training_exclusions.json) are skipped before their file is opened.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.evaluation.datasets.ecbplus import ecbplus_fixture
from training.corpus import Corpus, reason_of
from training.exclusions import Exclusions

NAME = "ecbplus"
SENTENCES_FILE = "ECBplus_coreference_sentences.csv"
_DOCUMENT = re.compile(r"^(\d+)_\d+ecb(?:plus)?\.xml$")


def read(root: Path, exclusions: Exclusions) -> Corpus:
    if not root.is_dir():
        raise InputError(f"ECB+ folder not found: {root}")
    exclusions.refuse_path(root)
    documents = sorted(
        (p for p in root.rglob("*.xml") if _DOCUMENT.match(p.name)), key=lambda p: _order(p.name)
    )
    tables = sorted(root.rglob(SENTENCES_FILE))
    if not documents or not tables:
        raise InputError(
            f"{root} is not an ECB+ checkout with its documents unpacked: it needs "
            f"ECB+/<topic>/*.xml (from ECB+.zip) and {SENTENCES_FILE}"
        )
    corpus = Corpus(NAME, root)
    annotated = _annotated_sentences(corpus.read_bytes(tables[0]))
    for path in documents:
        doc = path.name.removesuffix(".xml")
        source_id = f"{NAME}:{doc}"
        if reason := exclusions.excluded(source_id):
            corpus.exclude(reason, source_id)
            continue
        try:
            row = as_row(ET.fromstring(corpus.read_bytes(path)), annotated)
            fixture = ecbplus_fixture(row, 0)
        except (ET.ParseError, KeyError, TypeError, ValueError) as exc:
            corpus.skip(reason_of(exc), source_id)
            continue
        if not fixture.labelled:
            corpus.skip("no fully annotated sentence", source_id)
            continue
        corpus.admit(source_id, fixture, exclusions.is_dev_text)
    return corpus


def as_row(document: ET.Element, annotated: dict[str, list[int]]) -> dict[str, Any]:
    """The document as an ``ecbplus_dev.jsonl`` row (what :func:`ecbplus_fixture` reads)."""
    doc = document.attrib["doc_name"]
    tokens: dict[str, tuple[int, str]] = {}
    sentences: dict[int, list[str]] = {}
    for token in document.iter("token"):
        sentence, text = int(token.attrib["sentence"]), token.text or ""
        tokens[token.attrib["t_id"]] = (sentence, text)
        sentences.setdefault(sentence, []).append(text)
    if not sentences:
        raise ValueError(f"document {doc} has no tokens")
    clusters = {
        source.attrib["m_id"]: relation.attrib.get("note")
        for relation in document.find("Relations") or []
        for source in relation.iter("source")
    }
    mentions = []
    for markable in document.find("Markables") or []:
        anchors = [a.attrib["t_id"] for a in markable.iter("token_anchor")]
        if not anchors:  # an instance (a cross-document entity), not a mention in the text
            continue
        mentions.append(
            {
                "m_id": markable.attrib["m_id"],
                "tag": markable.tag,
                "text": " ".join(tokens[a][1] for a in anchors),
                "sentence": tokens[anchors[0]][0],
                "cross_doc_instance": clusters.get(markable.attrib["m_id"]),
            }
        )
    return {
        "doc": doc,
        "topic": doc.split("_")[0],
        "sentences": [" ".join(sentences.get(i, [])) for i in range(max(sentences) + 1)],
        "mentions": mentions,
        "annotated_sentences": annotated.get(doc, []),
    }


def _annotated_sentences(data: bytes) -> dict[str, list[int]]:
    """Document file name -> the numbers of its fully annotated sentences."""
    found: dict[str, set[int]] = {}
    for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        try:
            doc = f"{row['Topic'].strip()}_{row['File'].strip()}.xml"
            found.setdefault(doc, set()).add(int(row["Sentence Number"]))
        except (KeyError, AttributeError, ValueError):
            raise InputError(f"{SENTENCES_FILE}: not ECB+'s sentence table (row {row})") from None
    return {doc: sorted(numbers) for doc, numbers in found.items()}


def _order(name: str) -> tuple[int, int, str]:
    topic, _, rest = name.partition("_")
    number = re.match(r"\d+", rest)
    return int(topic), int(number.group(0)) if number else 0, name

"""Measure the unsupported-content check on hand-written paraphrases: faithful ones
(reworded, no new name) must not be flagged, and every planted invented name must be.

    python scripts/measure_unsupported.py [--paraphrases evals/paraphrases]

Each file of ``evals/paraphrases`` (ko, ar, hi) belongs to one fixture and holds
``faithful`` paraphrases of it and ``invented`` sentences with one ``name`` each that
the article lacks, all written by hand. An invented name is caught when a flagged item
holds it or one of its words. The output is committed as
``evals/reference/unsupported-paraphrases.txt``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from summarizer.article import Article
from summarizer.evaluation.fixtures import load_fixtures
from summarizer.grounding import unsupported_content

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measured:
    language: str
    faithful: int
    flagged: dict[str, list[str]]  # faithful paraphrase -> what was flagged in it
    invented: int
    missed: list[str]  # invented names not caught


def measure(path: Path, fixtures: Path = ROOT / "evals" / "fixtures") -> Measured:
    data = json.loads(path.read_text(encoding="utf-8"))
    fixture = next(f for f in load_fixtures(fixtures) if f.id == data["fixture"])
    article = Article.from_text(fixture.text, title=fixture.title, published=fixture.published)
    flagged = {t: found for t in data["faithful"] if (found := unsupported_content(article, t))}
    missed = []
    for planted in data["invented"]:
        found = unsupported_content(article, planted["text"])
        name = planted["name"]
        if not any(name in f or any(w in f for w in name.split()) for f in found):
            missed.append(name)
    return Measured(data["language"], len(data["faithful"]), flagged, len(data["invented"]), missed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paraphrases", type=Path, default=ROOT / "evals" / "paraphrases")
    options = parser.parse_args()
    print("| language | faithful flagged | invented names caught | words flagged in faithful |")
    print("|---|---|---|---|")
    for path in sorted(options.paraphrases.glob("*.json")):
        m = measure(path)
        words = sorted({w for found in m.flagged.values() for w in found})
        print(
            f"| {m.language} | {len(m.flagged)}/{m.faithful} | "
            f"{m.invented - len(m.missed)}/{m.invented} | {', '.join(words) or '-'} |"
        )


if __name__ == "__main__":
    main()

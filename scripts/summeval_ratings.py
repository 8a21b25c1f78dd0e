"""SummEval's expert ratings per system, on each half of SummEval dev.

    python scripts/summeval_ratings.py [DATA_DIR]    # default ../shared/data

For each of the 16 systems whose summaries SummEval's experts rated (1-5), the mean
relevance and consistency over the articles of the tuning half, then of the reporting
half. No model is called. The tuning half's table is what the summary default on
endpoints rests on (`abstractive`: the best abstractive systems against Lead-3, M0;
README, "Using a stronger model"); the reporting half's is printed for the record, and
no choice reads it. Its output is committed as evals/reference/summeval_ratings.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from summarizer.evaluation.datasets import load_summeval_systems
from summarizer.evaluation.halves import half_of


def main() -> None:
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    items = load_summeval_systems(data)
    for half in ("tune", "report"):
        chosen = [item for item in items if half_of(item.fixture.id) == half]
        ratings: dict[str, list[tuple[float, float]]] = {}
        for item in chosen:
            for s in item.systems:
                ratings.setdefault(s.system, []).append((s.relevance, s.consistency))
        print(f"{half} half: {len(chosen)} articles; mean expert rating (1-5)")
        print(f"  {'system':8} {'relevance':>9} {'consistency':>11}")
        rows = {
            system: (sum(r for r, _ in rs) / len(rs), sum(c for _, c in rs) / len(rs))
            for system, rs in ratings.items()
        }
        for system, (relevance, consistency) in sorted(rows.items(), key=lambda r: -r[1][0]):
            print(f"  {system:8} {relevance:9.2f} {consistency:11.2f}")


if __name__ == "__main__":
    main()

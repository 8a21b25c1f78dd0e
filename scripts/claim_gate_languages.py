"""How the claim gate did on the fixtures in other languages than English, in a run's
item records: related claims it called unrelated, unrelated ones it let through.

    python scripts/claim_gate_languages.py [RUN]    # default evals/reference/fixtures

Read from the pipeline's predictions (the gate decides *unrelated*; the rest is the
rule's or the model's label).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from summarizer.evaluation.fixtures import load_fixtures

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", nargs="?", type=Path, default=ROOT / "evals/reference/fixtures")
    options = parser.parse_args()
    fixtures = {f.id: f for f in load_fixtures(ROOT / "evals" / "fixtures")}
    missed = related = passed = unrelated = 0
    with (options.run / "items.jsonl").open(encoding="utf-8") as records:
        for line in records:
            record = json.loads(line)
            fixture = fixtures[record["item"]]
            if record["system"] != "pipeline" or fixture.language == "en":
                continue
            gold = {c.claim: c.label for c in fixture.claims}
            for claim in record["prediction"]["claims"]:
                if gold[claim["claim"]] == "unrelated":
                    unrelated += 1
                    passed += claim["label"] != "unrelated"
                else:
                    related += 1
                    missed += claim["label"] == "unrelated"
    print(
        f"{missed} of {related} related claims called unrelated; "
        f"{passed} of {unrelated} unrelated ones let through"
    )


if __name__ == "__main__":
    main()

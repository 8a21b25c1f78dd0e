"""Meta-evaluation: do our summary scorers agree with human experts?

On SummEval, each article has 16 system summaries with mean expert ratings. For each of
our scorers we report Kendall's tau with the expert consistency and relevance ratings,
the way the SummEval paper does:

- summary level: tau across the 16 summaries of one article, averaged over articles;
- system level: tau across the 16 systems of their scores averaged over all articles.

Tau is undefined on an article where a scorer gives all 16 summaries the same score (the
unsupported-content check often does: no summary names anything the article lacks).
Every scorer's summary-level figure is taken over the same articles, those where no
scorer and no rating is constant, and the table says how many.

ROUGE is scored against all the references, as the eval does; the summaries under test
are not among them.

With a judge (:mod:`summarizer.evaluation.judge`), its faithfulness and relevance grades
are two more scorers, correlated like the others and under the same rule. One article's
summaries are graded one after another, criterion by criterion, so an in-process judge
reuses the prompt's prefix (the criterion and the article) from its KV cache.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy.stats import kendalltau

from summarizer.article import Article
from summarizer.evaluation.datasets import SummEvalItem
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.judge import CRITERIA, Judge
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.scorers import grounding, summary

RATINGS = ("consistency", "relevance")


@dataclass(frozen=True)
class Correlation:
    scorer: str
    rating: str
    summary_level: float
    system_level: float
    articles: int  # how many articles the summary-level figure averages over


def _scorers() -> dict[str, Callable[[Prediction, Fixture, Article], float]]:
    def rouge(name: str) -> Callable[[Prediction, Fixture, Article], float]:
        return lambda p, f, a: float(summary(p, f)[name] or 0.0)

    def supported(p: Prediction, f: Fixture, a: Article) -> float:
        # Higher is better, like the ratings: the share of names/numbers the article has.
        return 1.0 - float(grounding(p, a)["unsupported_rate"] or 0.0)

    def known_words(p: Prediction, f: Fixture, a: Article) -> float:
        return 1.0 - float(grounding(p, a)["novel_word_rate"] or 0.0)

    return {
        "ROUGE-1": rouge("rouge1"),
        "ROUGE-2": rouge("rouge2"),
        "ROUGE-L": rouge("rougeL"),
        "supported content (1 - unsupported rate)": supported,
        "words in the article (1 - novel word rate)": known_words,
    }


def judge_scorer(judge: Judge, criterion: str) -> str:
    """The name of a judge's row in the table: "judge (MODEL): faithfulness"."""
    return f"judge ({judge.name}): {criterion}"


def meta_evaluate(
    items: Sequence[SummEvalItem],
    judge: Judge | None = None,
    on_article: Callable[[int, int], None] | None = None,
) -> list[Correlation]:
    """Every scorer's correlations with every rating; ``judge`` adds its criteria as
    scorers; ``on_article(done, total)`` is told as each article is scored."""
    scorers = _scorers()
    # scores[scorer][article][system] and ratings[rating][article][system]
    scores: dict[str, list[dict[str, float]]] = {name: [] for name in scorers}
    if judge is not None:
        scores.update({judge_scorer(judge, c): [] for c in CRITERIA})
    ratings: dict[str, list[dict[str, float]]] = {r: [] for r in RATINGS}
    for done, item in enumerate(items, 1):
        article = Article.from_text(item.fixture.text)
        for name, scorer in scorers.items():
            scores[name].append(
                {
                    s.system: scorer(Prediction(summary=s.summary), item.fixture, article)
                    for s in item.systems
                }
            )
        if judge is not None:
            for criterion in CRITERIA:
                scores[judge_scorer(judge, criterion)].append(
                    {
                        s.system: judge.score(item.fixture.text, s.summary, criterion).score
                        for s in item.systems
                    }
                )
        for rating in RATINGS:
            ratings[rating].append({s.system: float(getattr(s, rating)) for s in item.systems})
        if on_article:
            on_article(done, len(items))
    # The articles where every scorer and every rating tells the summaries apart.
    shared = [
        i
        for i in range(len(items))
        if all(len(set(table[i].values())) > 1 for table in (*scores.values(), *ratings.values()))
    ]
    out = []
    for name in scores:
        for rating in RATINGS:
            out.append(
                Correlation(
                    scorer=name,
                    rating=rating,
                    summary_level=_summary_level(
                        [scores[name][i] for i in shared], [ratings[rating][i] for i in shared]
                    ),
                    system_level=_system_level(scores[name], ratings[rating]),
                    articles=len(shared),
                )
            )
    return out


def _tau(x: Sequence[float], y: Sequence[float]) -> float:
    if len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan  # undefined when one side is constant
    return float(kendalltau(x, y).statistic)


def _summary_level(scores: list[dict[str, float]], ratings: list[dict[str, float]]) -> float:
    taus = []
    for s, r in zip(scores, ratings, strict=True):
        systems = sorted(s)
        tau = _tau([s[k] for k in systems], [r[k] for k in systems])
        if not math.isnan(tau):
            taus.append(tau)
    return sum(taus) / len(taus) if taus else math.nan


def _system_level(scores: list[dict[str, float]], ratings: list[dict[str, float]]) -> float:
    systems = sorted(set().union(*scores))

    def mean(table: list[dict[str, float]], system: str) -> float:
        values = [row[system] for row in table if system in row]
        return sum(values) / len(values)

    return _tau([mean(scores, k) for k in systems], [mean(ratings, k) for k in systems])

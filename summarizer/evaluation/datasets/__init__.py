"""Loaders that map the public research datasets onto the fixture format.

Each dataset is a JSON-lines file (one article per line, as in ``shared/data/``); each
loader maps a row onto a :class:`Fixture` that labels only what the dataset annotates:

- ``summeval``: CNN/DailyMail articles with 11 reference summaries (``summary``); the 16
  system summaries with their mean expert ratings come from :func:`load_summeval_systems`.
- ``fnc1``: article bodies with headlines labelled agree/disagree/discuss/unrelated
  (``claims``).
- ``polnear``: PolNeAR articles with every attribution (``attributions``): source, cue
  and content as pieces of the text.
- ``polnear-titles``: PolNeAR articles without their title line, the title as the
  reference headline (``headline``).
- ``wikievents``, ``ecbplus``, ``casie``: event annotations mapped onto
  :class:`GoldEvent` (``events``). Sentence numbers are those of
  ``Article.from_text(fixture.text)``, computed from character offsets, never taken from
  the dataset's own sentence split.

``text`` is always the article exactly as the row gives it (ECB+ ships tokens only, so
its text is rebuilt deterministically), so that evidence offsets index it.

One module per dataset holds its constants and mappers (``summeval``, ``fnc1``,
``wikievents``, ``ecbplus``, ``casie``); ``common`` holds the loading and the helpers
they share; ``ecbplus_topics`` loads the ECB+ whole topics the storyline eval scores.
This package holds the registry of mappers and the public API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from summarizer.errors import InputError
from summarizer.evaluation.datasets.casie import (
    CASIE_ACTIONS,
    CASIE_ACTOR_ROLES,
    CASIE_PLACE_ROLES,
    CASIE_STATUS,
    CASIE_TARGET_ROLES,
    CASIE_TIME_ROLES,
    casie_fixture,
)
from summarizer.evaluation.datasets.common import (
    Row,
    _check_unique_ids,
    _load,
    fixture_id,
    sentence_number,
)
from summarizer.evaluation.datasets.ecbplus import (
    ECBPLUS_ACTOR_PREFIX,
    ECBPLUS_LOCATION_PREFIX,
    ECBPLUS_NEGATED_PREFIX,
    ECBPLUS_STATUS,
    ECBPLUS_TARGET_PREFIX,
    ECBPLUS_TIME_PREFIX,
    ECBPLUS_TOPICS,
    ecbplus_fixture,
)
from summarizer.evaluation.datasets.fnc1 import fnc1_fixture, fnc1_natural_fixture
from summarizer.evaluation.datasets.polnear import polnear_fixture, polnear_titles_fixture
from summarizer.evaluation.datasets.summeval import (
    SummEvalItem,
    SystemSummary,
    summeval_fixture,
    summeval_item,
)
from summarizer.evaluation.datasets.wikievents import (
    WIKIEVENTS_ACTIONS,
    WIKIEVENTS_ACTOR_ROLES,
    WIKIEVENTS_ACTOR_ROLES_BY_TYPE,
    WIKIEVENTS_IGNORED_ROLES,
    WIKIEVENTS_PLACE_ROLES,
    wikievents_fixture,
)
from summarizer.evaluation.fixtures import Fixture

__all__ = [
    "CASIE_ACTIONS",
    "CASIE_ACTOR_ROLES",
    "CASIE_PLACE_ROLES",
    "CASIE_STATUS",
    "CASIE_TARGET_ROLES",
    "CASIE_TIME_ROLES",
    "DATASETS",
    "ECBPLUS_ACTOR_PREFIX",
    "ECBPLUS_LOCATION_PREFIX",
    "ECBPLUS_NEGATED_PREFIX",
    "ECBPLUS_STATUS",
    "ECBPLUS_TARGET_PREFIX",
    "ECBPLUS_TIME_PREFIX",
    "ECBPLUS_TOPICS",
    "WIKIEVENTS_ACTIONS",
    "WIKIEVENTS_ACTOR_ROLES",
    "WIKIEVENTS_ACTOR_ROLES_BY_TYPE",
    "WIKIEVENTS_IGNORED_ROLES",
    "WIKIEVENTS_PLACE_ROLES",
    "Row",
    "SummEvalItem",
    "SystemSummary",
    "casie_fixture",
    "dataset_file",
    "ecbplus_fixture",
    "fixture_id",
    "fnc1_fixture",
    "fnc1_natural_fixture",
    "load_dataset",
    "load_summeval_systems",
    "polnear_fixture",
    "polnear_titles_fixture",
    "sentence_number",
    "summeval_fixture",
    "summeval_item",
    "wikievents_fixture",
]

DATASETS = (
    "summeval",
    "fnc1",
    "fnc1-natural",
    "wikievents",
    "ecbplus",
    "casie",
    "polnear",
    "polnear-titles",
)

_MAPPERS: Mapping[str, Callable[[Row, int], Fixture]] = {
    "summeval": summeval_fixture,
    "fnc1": fnc1_fixture,
    "fnc1-natural": fnc1_natural_fixture,
    "wikievents": wikievents_fixture,
    "ecbplus": ecbplus_fixture,
    "casie": casie_fixture,
    "polnear": polnear_fixture,
    "polnear-titles": polnear_titles_fixture,
}
# Datasets read from another dataset's file: ``<path>/<file>_dev.jsonl``.
_FILES: Mapping[str, str] = {"polnear-titles": "polnear"}


def dataset_file(name: str) -> str:
    """The dataset whose file ``name`` reads (itself, unless listed in ``_FILES``): also
    the prefix of its items' ids, so an article is in one half whatever is scored."""
    return _FILES.get(name, name)


def load_dataset(name: str, path: Path, *, limit: int | None = None) -> list[Fixture]:
    """The fixtures of one dataset file (or of ``<path>/<name>_dev.jsonl``)."""
    mapper = _MAPPERS.get(name)
    if mapper is None:
        raise InputError(f"unknown dataset {name!r}: expected one of {', '.join(DATASETS)}")
    fixtures = _load(name, path, mapper, limit, file=dataset_file(name))
    _check_unique_ids(fixtures, name)
    return [fixture for _, fixture in fixtures]


def load_summeval_systems(path: Path, *, limit: int | None = None) -> list[SummEvalItem]:
    """SummEval articles with their 16 rated system summaries, for meta-evaluation."""
    items = _load("summeval", path, summeval_item, limit)
    _check_unique_ids([(line, item.fixture) for line, item in items], "summeval")
    return [item for _, item in items]

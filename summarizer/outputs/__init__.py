"""The analysis's outputs: summary, headline, events, stances, claim labels and
attributions.

Each output has one interface and interchangeable sources, chosen by one setting:

- rule: code over the Article, no call (:mod:`summarizer.rules`, the claim gate);
- model: the model fills a bounded draft in the plan's calls (:mod:`summarizer.strategies`);
- scores: the model's log-probability for each label, calibrated, nothing generated
  (claim labels on the embedded model).

The pipeline asks each output's source which model tasks the plan must include, runs the
plan, and hands the drafts back to each source for its items. A source never looks at
another output's setting.
"""

from summarizer.outputs.attributions import AttributionSource, attribution_source
from summarizer.outputs.claims import ClaimSource, claim_source
from summarizer.outputs.events import EventSource, event_source
from summarizer.outputs.headline import HeadlineSource, headline_source
from summarizer.outputs.job import Job, Sources, sources_for
from summarizer.outputs.stances import StanceSource, stance_source
from summarizer.outputs.summary import SummarySource, summary_source

__all__ = [
    "AttributionSource",
    "ClaimSource",
    "EventSource",
    "HeadlineSource",
    "Job",
    "Sources",
    "StanceSource",
    "SummarySource",
    "attribution_source",
    "claim_source",
    "event_source",
    "headline_source",
    "sources_for",
    "stance_source",
    "summary_source",
]

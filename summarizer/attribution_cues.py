"""The words that report speech ("said", "according to"): where attributions are found.

English for now: the reporting verbs of news in every inflection that reports (said,
says, told, claims, denied, tweeted ...), and the phrases that attribute without a
verb ("according to"). Each match is the cue of an attribution; its source and content
are found around it.
"""

from __future__ import annotations

import re

# Reporting verbs, each with the forms that report (the bare form too: "they say").
_VERBS = """
say says said tell tells told add adds added state states stated claim claims
claimed deny denies denied argue argues argued insist insists insisted warn warns
warned write writes wrote report reports reported announce announces announced
explain explains explained note notes noted acknowledge acknowledges acknowledged
admit admits admitted declare declares declared confirm confirms confirmed tweet
tweets tweeted predict predicts predicted promise promises promised vow vows vowed
urge urges urged suggest suggests suggested believe believes believed think thinks
thought ask asks asked contend contends contended maintain maintains maintained
allege alleges alleged recall recalls recalled describe describes described call
calls called
""".split()  # noqa: SIM905
_PHRASES = ["according to"]
CUE = re.compile(r"\b(?:" + "|".join(map(re.escape, [*_PHRASES, *_VERBS])) + r")\b", re.IGNORECASE)
# Quotation marks of the Latin, CJK and guillemet traditions.
QUOTES = '"“”„‟«»‹›「」『』'

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
say says said saying tell tells told telling add adds added adding stated claim
claims claimed claiming deny denies denied denying argue argues argued arguing insist
insists insisted warn warns warned warning write writes wrote report reports reported
announce announces announced explain explains explained note notes noted noting
acknowledge acknowledges acknowledged admit admits admitted declare declares declared
confirm confirms confirmed tweeted predict predicts predicted promise promises
promised promising vow vows vowed urge urges urged suggest suggests suggested believe
believes believed think thinks thought ask asks asked contend contends contended
maintain maintains maintained allege alleges alleged recalled describe describes
described show shows showed showing find finds found cite cites cited citing
criticize criticizes criticized estimate estimates estimated indicate indicates
indicated echo echoes echoed insisting mocked accused accuses blamed blames
""".split()  # noqa: SIM905
_PHRASES = ["according to", "According to"]
# Every reporting word, as written: a feature of the learned tagger.
CUE_WORDS = frozenset([*_VERBS, "according"])
# Case-sensitive: reporting verbs are written in lower case ("State" and "States" name
# places, "CLAIMS" shouts a headline).
CUE = re.compile(r"\b(?:" + "|".join(map(re.escape, [*_PHRASES, *_VERBS])) + r")\b")
# Quotation marks of the Latin, CJK and guillemet traditions.
QUOTES = '"“”„‟«»‹›「」『』'

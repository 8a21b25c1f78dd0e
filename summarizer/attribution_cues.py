"""The words that report speech ("said", "according to"): where attributions are found.

The reporting verbs of English news in every inflection that reports (said, says, told,
claims, denied, tweeted ...) and the phrases that attribute without a verb ("according
to"); and the commonest of German, Spanish, French and Russian news ("sagte", "dijo",
"a déclaré", "заявил"; "según", "selon", "по словам"). Not yet Chinese, Japanese or
Korean, whose sources the rule cannot find without names in those scripts (issue 27).
Each match is the cue of an attribution; its source and content are found around it.
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
# Other languages' reporting words as news writes them (past tense, third person), from
# the hand-labelled fixtures' cues and the commonest of their kind. Case-sensitive, as
# in English.
_OTHER = """
sagte sagten sagt erklärte erklärten betonte betonten warnte warnten forderte forderten
verlangte verlangten kritisierte kritisierten berichtete berichteten meinte meinten
dijo dijeron afirmó afirmaron aseguró aseguraron declaró declararon explicó explicaron
señaló señalaron indicó indicaron anunció anunciaron advirtió advirtieron añadió
añadieron informó informaron exigió exigieron pidió pidieron sostuvo manifestó
déclaré affirmé indiqué expliqué souligné annoncé assuré ajouté averti précisé estimé
prévenu déclare affirme estime
заявил заявила заявили сообщил сообщила сообщили сказал сказала сказали отметил
отметила отметили подчеркнул подчеркнула пояснил пояснила добавил добавила напомнил
напомнила
""".split()  # noqa: SIM905
# Phrases after which the source follows, as after "according to".
SOURCE_FOLLOWS = frozenset(
    {"according to", "según", "selon", "laut", "по словам", "по данным", "по версии"}
)
_OTHER_PHRASES = ["Según", "según", "Selon", "selon", "Laut", "laut", "По словам", "по словам"]
_OTHER_PHRASES += ["По данным", "по данным", "По версии", "по версии"]
# Every English reporting word, as written: a feature of the learned tagger (which is
# trained on English news).
CUE_WORDS = frozenset([*_VERBS, "according"])
# Case-sensitive: reporting verbs are written in lower case ("State" and "States" name
# places, "CLAIMS" shouts a headline).
CUE = re.compile(
    r"\b(?:" + "|".join(map(re.escape, [*_PHRASES, *_OTHER_PHRASES, *_VERBS, *_OTHER])) + r")\b"
)
# Quotation marks of the Latin, CJK and guillemet traditions.
QUOTES = '"“”„‟«»‹›「」『』'

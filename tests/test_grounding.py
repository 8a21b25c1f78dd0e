from __future__ import annotations

from summarizer import Article
from summarizer.drafts import EventDraft
from summarizer.grounding import event, event_key, merge_duplicates, unsupported_content
from summarizer.json_repair import escape_control_characters


def test_unsupported_names_and_numbers_are_found(seed_text: str) -> None:
    article = Article.from_text(seed_text)
    text = "Saudi King Salman met Kim Jong-il and Wang Yi's aides on Oct 31, with 5,000 troops."
    assert unsupported_content(article, text) == ["Saudi", "King", "Salman", "Jong-il", "5,000"]
    assert unsupported_content(article, "The North Korean minister met Wang Yi in Beijing.") == []


def test_events_get_exact_spans_and_resolved_dates(seed_text: str) -> None:
    article = Article.from_text(seed_text)
    draft = EventDraft(
        sentences=[8, 8],
        actors=["Xi", " Xi "],
        action="to  visit",
        targets=[],
        time="Oct 31-Nov 1",
        location="null",
        status="expected",
    )
    found = event(article.passage(), draft)
    assert found.actors == ["Xi"] and found.action == "to visit" and found.location is None
    assert found.date is not None and found.date.isoformat() == "2025-10-31"
    (span,) = found.evidence
    assert seed_text[span.start : span.end] == span.text and span.sentence == 8


def test_near_duplicates_merge_with_their_evidence(seed_text: str) -> None:
    article = Article.from_text(seed_text)

    def made(sentence: int, action: str) -> EventDraft:
        return EventDraft(
            sentences=[sentence],
            actors=["Choe Son-hui"],
            action=action,
            targets=["Wang Yi"],
            time=None,
            location=None,
            status="happened",
        )

    passage = article.passage()
    events = [
        event(passage, made(1, "met with")),
        event(passage, made(2, "met with")),
        event(passage, made(4, "delivered a message to")),
    ]
    merged = merge_duplicates(events, event_key)
    assert len(merged) == 2
    assert [s.sentence for s in merged[0].evidence] == [1, 2]
    looped = [event(passage, made(n, "met with")) for n in range(1, 11)]
    (one,) = merge_duplicates(looped, event_key)
    assert [s.sentence for s in one.evidence] == [1, 2, 3]


def test_control_characters_inside_strings_are_escaped() -> None:
    assert escape_control_characters('{"a": "x\ny",\n "b": 1}') == '{"a": "x\\ny",\n "b": 1}'
    assert escape_control_characters('{"a": "q\\"\t"}') == '{"a": "q\\"\\t"}'
    assert escape_control_characters('{"a": "plain"}') == '{"a": "plain"}'


def test_a_possessive_in_the_article_supports_the_plain_name() -> None:
    article = Article.from_text("Van Gaal's side won. NBC's report followed.")
    assert unsupported_content(article, "Van Gaal spoke to NBC.") == []


def test_the_given_title_supports_what_a_headline_takes_from_it() -> None:
    text = "Ransomware could be the next job applicant, researchers said."
    titled = Article.from_text(text, title="HR managers beware - TechRepublic")
    headline = "HR managers beware: ransomware - TechRepublic"
    assert unsupported_content(titled, headline) == []
    assert unsupported_content(Article.from_text(text), headline) == ["HR", "TechRepublic"]

"""The conversation starter of the retro's discussion (retro/starter.py): one
test per rule, the one-person rule for changes, byte-identical text, languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from assessments.models import Round
from retro.models import RetroSession
from retro.starter import CarriedAction, StarterFacts, distinctive_words, starter
from tests.retro.helpers import go_to

BASE = StarterFacts(
    label="Flow",
    minimum=3,
    agreement=0.3,
    low="Not Meeting",
    high="Exceeding",
    rated=6,
    rated_before=6,
)


def lines(facts: StarterFacts, language: str = "en") -> list[str]:
    with translation.override(language):
        return starter(facts)


def test_spread_names_the_lowest_and_highest_level_given() -> None:
    assert lines(BASE) == [
        "Answers on Flow run from Not Meeting to Exceeding: what does each end "
        "see that the other does not?"
    ]


def test_broad_agreement_is_said_as_such() -> None:
    facts = StarterFacts(
        label="Flow", minimum=3, agreement=0.8, low="Meeting", high="Exceeding"
    )
    assert lines(facts) == [
        "The team broadly agrees on Flow: is that shared view right?"
    ]


def test_a_hidden_team_gives_no_spread() -> None:
    assert lines(StarterFacts(label="Flow", minimum=3)) == []


def test_a_change_larger_than_one_person_is_mentioned() -> None:
    # One person over 6 answers moves the mean by at most 2/6 = 0.33.
    facts = StarterFacts(**{**BASE.__dict__, "change": -0.5})
    assert lines(facts)[1] == (
        "Since the last round the team's view of Flow fell by 0.50 levels, "
        "more than one person could explain."
    )
    rise = StarterFacts(**{**BASE.__dict__, "change": 0.5})
    assert "rose by 0.50" in lines(rise)[1]


def test_a_change_one_person_could_cause_is_not_mentioned() -> None:
    facts = StarterFacts(**{**BASE.__dict__, "change": 0.33})
    assert len(lines(facts)) == 1
    # With three answers in the last round, even 0.6 is one person's doing.
    few = StarterFacts(**{**BASE.__dict__, "change": 0.6, "rated_before": 3})
    assert not any("last round" in line for line in lines(few))


def test_the_gap_with_stakeholders_from_the_threshold() -> None:
    above = StarterFacts(**{**BASE.__dict__, "gap": 0.5})
    assert lines(above)[1] == (
        "The team rates Flow 0.50 levels higher than its stakeholders do: "
        "what do they not see?"
    )
    below = StarterFacts(**{**BASE.__dict__, "gap": -0.75})
    assert "0.75 levels lower than its stakeholders" in lines(below)[1]
    small = StarterFacts(**{**BASE.__dict__, "gap": 0.4})
    assert len(lines(small)) == 1


def test_the_carried_action_and_whether_its_dimension_moved() -> None:
    action = CarriedAction("Pair on reviews", "done")
    moved = StarterFacts(**{**BASE.__dict__, "action": action, "change": 0.5})
    assert lines(moved)[1] == (
        "The action carried over on Flow, “Pair on reviews”, is done, and the "
        "dimension has moved up since."
    )
    still = StarterFacts(**{**BASE.__dict__, "action": action, "change": 0.2})
    assert "has not clearly moved since" in lines(still)[1]
    unknown = StarterFacts(**{**BASE.__dict__, "action": CarriedAction("X", "open")})
    assert lines(unknown)[1] == "The action carried over on Flow, “X”, is still open."


NOTES = ["Reviews wait for days", "Reviews are late again", "Deploys are slow"]
OTHER = [["Standups are long", "Standups start late"], ["Deploys are slow"]]


def test_distinctive_words_from_the_notes_when_the_minimum_is_met() -> None:
    facts = StarterFacts(**{**BASE.__dict__, "notes": NOTES, "other_notes": OTHER})
    assert lines(facts)[1] == (
        "Words that stand out in the notes on Flow: reviews, days, wait."
    )
    assert distinctive_words(NOTES, OTHER)[0] == "reviews"


def test_no_words_below_the_notes_minimum() -> None:
    facts = StarterFacts(**{**BASE.__dict__, "notes": NOTES[:2], "other_notes": OTHER})
    assert len(lines(facts)) == 1


def test_at_most_three_sentences() -> None:
    facts = StarterFacts(
        **{
            **BASE.__dict__,
            "change": 0.5,
            "gap": 0.6,
            "notes": NOTES,
            "other_notes": OTHER,
        }
    )
    assert len(lines(facts)) == 3
    assert not any("stand out" in line for line in lines(facts))


FULL = StarterFacts(
    **{
        **BASE.__dict__,
        "change": -0.5,
        "gap": 0.6,
        "notes": NOTES,
        "other_notes": OTHER,
        "action": CarriedAction("Pair on reviews", "open"),
    }
)


def test_snapshot_same_data_same_text() -> None:
    snapshot = (
        "Answers on Flow run from Not Meeting to Exceeding: what does each end "
        "see that the other does not?\n"
        "The action carried over on Flow, “Pair on reviews”, is still open, and "
        "the dimension has moved down since.\n"
        "The team rates Flow 0.60 levels higher than its stakeholders do: what "
        "do they not see?"
    )
    assert "\n".join(lines(FULL)) == snapshot
    shuffled = StarterFacts(
        **{**FULL.__dict__, "notes": NOTES[::-1], "other_notes": OTHER[::-1]}
    )
    assert "\n".join(lines(shuffled)) == snapshot


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "0,60"),
        ("fr", "0,60"),
        ("es", "0,60"),
    ],
)
def test_it_speaks_every_language(language: str, expected: str) -> None:
    english = lines(FULL)
    translated = lines(FULL, language)
    assert len(translated) == 3
    assert all(a != b for a, b in zip(english, translated, strict=True))
    assert expected in translated[2]
    assert "Pair on reviews" in translated[1]  # the team's words stay as written
    assert translated == lines(FULL, language)


def test_the_discussion_screen_shows_the_starter(
    bob_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.DISCUSS)
    body = bob_client.get(f"/rounds/{closed_round.code}/retro/").content.decode()
    assert "To start the conversation" in body
    assert "run from Not Meeting Expectations to Exceeding Expectations" in body

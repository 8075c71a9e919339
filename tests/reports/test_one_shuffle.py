"""Issue 10: every reader of notes, comments and check-in reasons orders them
with the one shuffle of ``assessments.disclosure`` (rule 5), and shows what it
returns: with the shuffle reversing, the page shows the reversed order."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from assessments import disclosure, services
from assessments.models import Round
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import make_round, put_on_roster
from tests.reports.conftest import Scenario

READERS = [
    ("assessments:round", "round"),
    ("reports:round", "round"),
    ("reports:notes_csv", "round"),
    ("reports:pdf", "round"),
    ("reports:history_json", "team"),
]


@pytest.mark.parametrize(("name", "of"), READERS)
def test_every_reader_uses_the_one_shuffle(
    bob_client: Client, scenario: Scenario, name: str, of: str
) -> None:
    code = scenario.q2.code if of == "round" else scenario.team.code
    with mock.patch.object(
        disclosure, "shuffled", wraps=disclosure.shuffled
    ) as shuffled:
        r = bob_client.get(reverse(name, args=[code]))
    assert r.status_code == 200
    assert shuffled.called


def test_the_report_shows_the_shuffled_order(
    bob_client: Client, scenario: Scenario
) -> None:
    def by_text(items: object) -> list[object]:
        return sorted(items, key=lambda item: getattr(item, "text", str(item)))  # type: ignore[call-overload]

    with mock.patch.object(disclosure, "shuffled", side_effect=by_text):
        report = bob_client.get(reverse("reports:round", args=[scenario.q2.code]))
    texts = [n.text for n in report.context["report"].notes]
    assert texts == [
        "Friday deploys",
        "Pairing on hard bugs",
        "Share the roadmap earlier",
        "Writing ADRs",
    ]


def test_shuffled_keeps_every_item() -> None:
    items = list(range(50))
    orders = {tuple(disclosure.shuffled(items)) for _ in range(5)}
    assert all(sorted(order) == items for order in orders)
    assert len(orders) > 1


def test_released_answers_are_written_through_the_one_shuffle(team: Team) -> None:
    """Sealed answers are written in a fresh random order when released: the same
    shuffle (rows, ratings and notes: three calls)."""
    round = make_round(team, state=Round.State.OPEN, dimensions=2)
    dims = list(round.dimensions.all())
    for name in ("sam", "uma", "vic"):
        user = make_user(name)
        Membership.objects.create(team=team, user=user)
        put_on_roster(round, user)  # joined before the round opened
        answers = services.Answers(
            ratings=[services.RatingAnswer(d, 2) for d in dims],
            notes=[services.NoteAnswer("keep", "A note")],
        )
        services.member_response_submit(round=round, user=user, answers=answers)
    with mock.patch.object(
        disclosure, "shuffled", wraps=disclosure.shuffled
    ) as shuffled:
        services.round_close(round=round)
    assert shuffled.call_count >= 3
    assert round.responses.count() == 3
    assert round.notes.count() == 3

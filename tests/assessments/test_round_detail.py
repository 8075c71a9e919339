from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from assessments.models import Participation, Round
from teams.models import Membership, Team
from tests.factories import add_response, make_round, put_on_roster


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/"


def test_it_shows_progress_to_member(
    bob_client: Client, open_round: Round, alice: User
) -> None:
    Participation.objects.create(round=open_round, user=alice)
    r = bob_client.get(_url(open_round))
    assert r.status_code == 200
    assert "Q1 2027 check-in" in r.text
    assert "1 of 2 members have answered." in r.text
    assert f"/rounds/{open_round.code}/answer/" in r.text
    # Members get no facilitator controls.
    assert f"/rounds/{open_round.code}/close/" not in r.text


def test_it_says_when_i_answered(
    bob_client: Client, open_round: Round, bob: User
) -> None:
    Participation.objects.create(round=open_round, user=bob)
    r = bob_client.get(_url(open_round))
    assert "You have answered this round." in r.text
    assert f"/rounds/{open_round.code}/answer/" not in r.text


def test_it_shows_facilitator_controls(alice_client: Client, open_round: Round) -> None:
    r = alice_client.get(_url(open_round))
    assert f"/rounds/{open_round.code}/close/" in r.text
    assert f"/rounds/{open_round.code}/edit/" in r.text


def test_it_offers_reopen_for_closed_round(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED)
    r = alice_client.get(_url(round))
    assert "Reopen round" in r.text
    assert f"/rounds/{round.code}/open/" in r.text


def test_it_hides_notes_below_the_minimum(
    bob_client: Client, open_round: Round
) -> None:
    add_response(open_round, [1, 2, 3], notes=[("keep", "Pairing on incidents")])
    add_response(open_round, [1, 2, 3], notes=[("stop", "Friday deploys")])
    r = bob_client.get(_url(open_round))
    assert "Pairing on incidents" not in r.text
    assert "Friday deploys" not in r.text
    assert "if at least 3 members answered" in r.text


def _close(round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(state=Round.State.CLOSED)


def test_it_shows_notes_once_closed_with_the_minimum(
    alice_client: Client, open_round: Round
) -> None:
    dim = open_round.dimensions.get(position=2)
    add_response(open_round, [1, 2, 3], notes=[("keep", "Pairing on incidents", 2)])
    add_response(open_round, [1, 2, 3], notes=[("stop", "Friday deploys")])
    add_response(open_round, [1, 2, 3], notes=[("start", "Blameless reviews")])
    _close(open_round)
    r = alice_client.get(_url(open_round))
    for text in ("Pairing on incidents", "Friday deploys", "Blameless reviews"):
        assert text in r.text
    label = f'<bdi dir="auto">{escape(dim.label)}</bdi>'
    tag = f'<span class="d-block small text-body-secondary">{label}</span>'
    assert f'<bdi dir="auto">Pairing on incidents</bdi>{tag}' in r.text
    assert "In random order, without names." in r.text


def test_stakeholder_answers_do_not_count_for_team_notes(
    alice_client: Client, open_round: Round
) -> None:
    add_response(open_round, [1, 2, 3], notes=[("keep", "Pairing on incidents")])
    for _ in range(3):
        add_response(open_round, [2, 2, 2], perspective="stakeholder")
    _close(open_round)
    r = alice_client.get(_url(open_round))
    assert "Pairing on incidents" not in r.text


def test_it_shuffles_notes(alice_client: Client, open_round: Round) -> None:
    texts = [f"note number {i:02}" for i in range(12)]
    for text in texts:
        add_response(open_round, [2, 2, 2], notes=[("keep", text)])
    _close(open_round)
    orders = set()
    for _ in range(5):
        page = alice_client.get(_url(open_round)).text
        orders.add(tuple(sorted(texts, key=page.index)))
    assert len(orders) > 1


def test_live_notes_attack_fails(bob_client: Client, open_round: Round) -> None:
    """Issue 11: once the minimum had answered, the open round showed the notes, and
    a reload after the next answer showed exactly one new note: theirs."""
    for i in range(3):
        add_response(open_round, [2, 2, 2], notes=[("keep", f"early note {i}")])
    before = bob_client.get(_url(open_round)).text
    add_response(open_round, [2, 2, 2], notes=[("keep", "the late colleague")])
    after = bob_client.get(_url(open_round)).text
    for page in (before, after):
        assert "early note" not in page
        assert "the late colleague" not in page
        assert "when the round closes" in page


def test_it_hides_round_from_outsider(carol_client: Client, open_round: Round) -> None:
    r = carol_client.get(_url(open_round))
    assert r.status_code == 404
    assert "Q1 2027" not in r.text


def test_it_hides_unknown_round(bob_client: Client, team: Team) -> None:
    r = bob_client.get("/rounds/00000000-0000-4000-8000-000000000000/")
    assert r.status_code == 404


def test_its_queries_do_not_grow_with_responses(
    alice_client: Client, open_round: Round, team: Team, django_assert_max_num_queries
) -> None:
    for i in range(8):
        user = User.objects.create_user(f"member{i}")
        Membership.objects.create(team=team, user=user)
        put_on_roster(open_round, user)
        Participation.objects.create(round=open_round, user=user)
        add_response(open_round, [1, 2, 3], notes=[("keep", f"k{i}", 1), ("stop", "s")])
    _close(open_round)
    with django_assert_max_num_queries(16):
        r = alice_client.get(_url(open_round))
    assert "8 of 10 members have answered." in r.text
    assert "k7" in r.text


def test_it_closes_the_round_at_its_closing_date(
    bob_client: Client, open_round: Round
) -> None:
    Round.objects.filter(pk=open_round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    r = bob_client.get(_url(open_round))
    assert "This round is closed." in r.text
    assert f"/rounds/{open_round.code}/answer/" not in r.text
    open_round.refresh_from_db()
    assert open_round.state == Round.State.CLOSED


def test_it_warns_before_reopening(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED)
    r = alice_client.get(_url(round))
    assert f"/rounds/{round.code}/open/" in r.text
    assert "The published results stay exactly as they are until at least 3" in r.text


def test_it_says_when_the_report_opens(bob_client: Client, open_round: Round) -> None:
    r = bob_client.get(_url(open_round))
    assert "The report opens when the round closes" in r.text
    assert "comparing the report" not in r.text

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from assessments import services
from assessments.models import (
    Note,
    Participation,
    Rating,
    Response,
    Round,
    SealedAnswer,
)
from teams.models import Membership, Team
from tests.assessments.conftest import answer_data
from tests.conftest import client_for
from tests.factories import add_response, make_round, put_on_roster


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/answer/"


def test_it_shows_the_form(bob_client: Client, open_round: Round) -> None:
    r = bob_client.get(_url(open_round))
    assert r.status_code == 200
    assert "Q1 2027 check-in" in r.text
    assert "Would we consider ourselves underperforming" in r.text
    assert "What makes us feel that way?" in r.text
    dim = open_round.dimensions.order_by("position").first()
    assert dim is not None
    for text in (dim.name, dim.prompt, dim.signs_of_struggle, dim.level_1, dim.level_3):
        assert escape(text) in r.text
    assert "Don&#x27;t know" in r.text
    assert 'name="keep_1"' in r.text
    assert 'name="start_1_dimension"' in r.text
    assert 'name="viewport"' in r.text  # works on a phone


def test_it_shows_how_many_answered_not_who(
    bob_client: Client, open_round: Round, team: Team, alice: User
) -> None:
    Participation.objects.create(round=open_round, user=alice)
    r = bob_client.get(_url(open_round))
    assert "1 of 2 members have answered so far." in r.text
    assert "alice" not in r.text.replace("Sign out alice", "")


def test_it_stores_one_anonymous_answer(
    bob_client: Client, open_round: Round, bob: User
) -> None:
    data = answer_data(
        open_round,
        d1_level="1",
        d2_level="dk",
        d3_comment="Tests are flaky",
        keep_1="Pairing",
        keep_1_dimension="2",
        stop_1="Late merges",
        start_2="Demo every Friday",
    )
    r = bob_client.post(_url(open_round), data)
    assert r.status_code == 302
    assert r["Location"] == open_round.get_absolute_url()
    # Sealed until the round closes: nothing of it is readable yet.
    sealed = SealedAnswer.objects.get()
    assert (sealed.perspective, sealed.channel) == ("team", "member")
    assert b"Late merges" not in bytes(sealed.sealed)
    assert not Response.objects.exists()
    services.round_close(round=open_round)
    assert not SealedAnswer.objects.exists()
    response = Response.objects.get()
    assert (response.perspective, response.checkin) == ("team", "performing")
    assert response.checkin_reason == "We ship"
    levels = dict(
        Rating.objects.values_list("dimension__position", "level").order_by(
            "dimension__position"
        )
    )
    assert levels == {1: 1, 2: None, 3: 2}
    assert Rating.objects.get(dimension__position=3).comment == "Tests are flaky"
    notes = {
        (n.kind, n.text, n.dimension.position if n.dimension else None)
        for n in Note.objects.all()
    }
    assert notes == {
        ("keep", "Pairing", 2),
        ("stop", "Late merges", None),
        ("start", "Demo every Friday", None),
    }
    assert Participation.objects.filter(round=open_round, user=bob).count() == 1
    open_round.refresh_from_db()
    assert open_round.data_version == 1
    page = bob_client.get(r["Location"])
    assert "your answer is saved" in page.text


def test_it_keeps_input_and_shows_errors_by_the_field(
    bob_client: Client, open_round: Round
) -> None:
    data = answer_data(open_round, d3_comment="Keep this comment", keep_1="Pairing")
    del data["d2_level"]
    r = bob_client.post(_url(open_round), data)
    assert r.status_code == 200
    assert not Response.objects.exists()
    assert not Participation.objects.exists()
    assert 'id="id_d2_level_error"' in r.text
    assert 'aria-describedby="id_d2_level_about id_d2_level_error"' in r.text
    assert 'href="#id_d2_level"' in r.text  # the summary links to the field
    assert "Keep this comment" in r.text
    assert ">\nPairing</textarea>" in r.text
    assert 'value="performing" checked' in r.text
    assert 'name="d1_level" id="id_d1_level_1" value="2" checked' in r.text


def test_a_second_submit_stores_nothing_more(
    bob_client: Client, open_round: Round
) -> None:
    data = answer_data(open_round, keep_1="Pairing")
    assert bob_client.post(_url(open_round), data).status_code == 302
    r = bob_client.post(_url(open_round), data, follow=True)
    assert r.redirect_chain == [(_url(open_round), 302)]
    assert "You have already answered" in r.text
    assert SealedAnswer.objects.count() == 1
    assert Participation.objects.count() == 1


def test_it_says_already_answered_on_get(
    bob_client: Client, open_round: Round, bob: User
) -> None:
    Participation.objects.create(round=open_round, user=bob)
    r = bob_client.get(_url(open_round))
    assert r.status_code == 200
    assert "You have already answered" in r.text
    assert 'name="d1_level"' not in r.text


def test_it_says_round_is_closed(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED, dimensions=1)
    r = bob_client.get(_url(round))
    assert r.status_code == 200
    assert "This round is closed" in r.text
    r = bob_client.post(_url(round), answer_data(round), follow=True)
    assert "This round is closed" in r.text
    assert not Response.objects.exists()


def test_it_says_draft_is_not_open(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT, dimensions=1)
    r = bob_client.get(_url(round))
    assert "This round is not open yet" in r.text
    assert 'name="d1_level"' not in r.text


def test_it_closes_at_the_closing_date(bob_client: Client, open_round: Round) -> None:
    Round.objects.filter(pk=open_round.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    r = bob_client.post(_url(open_round), answer_data(open_round), follow=True)
    assert "This round is closed" in r.text
    assert not Response.objects.exists()
    open_round.refresh_from_db()
    assert open_round.state == Round.State.CLOSED


def test_it_hides_round_from_outsider(carol_client: Client, open_round: Round) -> None:
    r = carol_client.get(_url(open_round))
    assert r.status_code == 404
    assert "Q1 2027" not in r.text
    r = carol_client.post(_url(open_round), answer_data(open_round))
    assert r.status_code == 404
    assert not Response.objects.exists()


def test_outsider_sees_the_same_as_for_unknown_round(
    carol_client: Client, open_round: Round
) -> None:
    unknown = carol_client.get("/rounds/00000000-0000-4000-8000-000000000000/answer/")
    hidden = carol_client.get(_url(open_round))
    assert unknown.status_code == hidden.status_code == 404
    assert _without_csrf(unknown.text) == _without_csrf(hidden.text)


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_any_member_may_answer(
    alice_client: Client, open_round: Round, alice: User
) -> None:
    r = alice_client.post(_url(open_round), answer_data(open_round))
    assert r.status_code == 302
    assert Participation.objects.filter(user=alice).exists()


def test_its_queries_do_not_grow_with_responses(
    bob_client: Client, open_round: Round, team: Team, django_assert_max_num_queries
) -> None:
    for _ in range(10):
        add_response(open_round, [1, 2, 3], notes=[("keep", "x")])
    for i in range(5):
        user = User.objects.create_user(f"member{i}")
        Membership.objects.create(team=team, user=user)
        put_on_roster(open_round, user)
        Participation.objects.create(round=open_round, user=user)
    with django_assert_max_num_queries(12):
        r = bob_client.get(_url(open_round))
    assert "5 of 7 members" in r.text


@pytest.mark.django_db(transaction=True)
def test_two_tabs_at_once_store_one_answer(open_round: Round, bob: User) -> None:
    data = answer_data(open_round, keep_1="Pairing")
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit() -> None:
        client = client_for(bob)
        barrier.wait()
        try:
            statuses.append(client.post(_url(open_round), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert SealedAnswer.objects.count() == 1
    assert Participation.objects.count() == 1
    r = client_for(bob).get(_url(open_round))
    assert "You have already answered" in r.text


def test_the_answer_post_makes_at_most_eight_queries(
    bob_client: Client, open_round: Round, team: Team, django_assert_max_num_queries
) -> None:
    # Issue 13: session, user, the round with its dimensions and the user's role
    # (one query), then the transaction: participation, sealed answer, the "still
    # open" check. With savepoints, whatever the number of answers already in.
    for _ in range(10):
        add_response(open_round, [1, 2, 3], notes=[("keep", "x")])
    data = answer_data(open_round, keep_1="Pairing", stop_1="Late merges")
    with django_assert_max_num_queries(8):
        r = bob_client.post(_url(open_round), data)
    assert r.status_code == 302
    assert SealedAnswer.objects.count() == 1

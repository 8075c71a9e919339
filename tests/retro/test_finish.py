from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessments.models import Round
from retro.models import RetroSession
from teams.models import Team
from tests.retro.helpers import go_to, post


def test_facilitator_closes_with_a_summary_shown_on_the_team_page(
    alice_client: Client, bob_client: Client, closed_round: Round, team: Team
) -> None:
    session = go_to(closed_round, RetroSession.Step.CLOSE)
    response = post(
        alice_client, "finish", closed_round, {"summary": "We pair on reviews."}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    closed_round.refresh_from_db()
    assert session.finished_at is not None
    assert closed_round.retro_summary == "We pair on reviews."
    body = bob_client.get(team.get_absolute_url()).content.decode()
    assert "We pair on reviews." in body


def test_saving_again_updates_the_summary_only(
    alice_client: Client, closed_round: Round
) -> None:
    session = go_to(closed_round, RetroSession.Step.CLOSE)
    post(alice_client, "finish", closed_round, {"summary": "First"})
    session.refresh_from_db()
    finished = session.finished_at
    post(alice_client, "finish", closed_round, {"summary": "Second"})
    session.refresh_from_db()
    closed_round.refresh_from_db()
    assert session.finished_at == finished
    assert closed_round.retro_summary == "Second"


def test_an_empty_summary_is_refused_on_the_page(
    alice_client: Client, closed_round: Round
) -> None:
    go_to(closed_round, RetroSession.Step.CLOSE)
    response = post(alice_client, "finish", closed_round, {"summary": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert RetroSession.objects.get(round=closed_round).finished_at is None


def test_it_requires_facilitator(bob_client: Client, closed_round: Round) -> None:
    go_to(closed_round, RetroSession.Step.CLOSE)
    assert post(bob_client, "finish", closed_round, {"summary": "x"}).status_code == 403
    closed_round.refresh_from_db()
    assert closed_round.retro_summary == ""


def test_the_team_page_links_the_action_board(bob_client: Client, team: Team) -> None:
    body = bob_client.get(team.get_absolute_url()).content.decode()
    assert reverse("retro:board", args=[team.code]) in body
    assert "No retro closed yet" in body

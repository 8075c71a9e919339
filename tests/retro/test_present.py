"""The retro on a shared screen (28.4): the presenter page, joining by code, the
soft timer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round
from retro.models import RetroSession
from retro.presenting import JOIN_LENGTH, join_code_for
from tests.retro.helpers import go_to, post


def present(round: Round) -> str:
    return reverse("retro:present", args=[round.code])


def present_step(round: Round) -> str:
    return reverse("retro:present_step", args=[round.code])


def session_page(round: Round) -> str:
    return reverse("retro:session", args=[round.code])


JOIN = "/retro/join/"


@pytest.fixture
def discussing(closed_round: Round) -> RetroSession:
    session = go_to(closed_round, RetroSession.Step.DISCUSS)
    session.round = closed_round
    return session


def test_the_presenter_page_shows_the_step_the_code_and_no_controls(
    alice_client: Client, closed_round: Round, discussing: RetroSession
) -> None:
    response = alice_client.get(present(closed_round))
    assert response.status_code == 200
    body = response.content.decode()
    discussing.refresh_from_db()
    code = discussing.join_code
    assert code is not None
    assert len(code) == JOIN_LENGTH
    assert code in body
    assert "<svg" in body  # the QR code, rendered on the server
    assert "Step 3 of 6" in body
    assert "run from Not Meeting Expectations to Exceeding Expectations" in body
    for control in ("<form", "<button", "<input", "<select", "<textarea"):
        assert control not in body
    # The same code on every reading while the retro runs.
    assert alice_client.get(present(closed_round)).content.decode().count(code) >= 1
    discussing.refresh_from_db()
    assert discussing.join_code == code


def test_the_presenter_page_follows_the_facilitator(
    alice_client: Client, closed_round: Round, discussing: RetroSession
) -> None:
    alice_client.get(present(closed_round))
    discussing.refresh_from_db()
    same = alice_client.get(present_step(closed_round), {"v": discussing.version})
    assert same.status_code == 204
    post(alice_client, "next", closed_round)
    moved = alice_client.get(present_step(closed_round), {"v": discussing.version})
    assert moved.status_code == 200
    assert "present-step" in moved.content.decode()


def test_the_facilitator_finds_the_shared_screen(
    alice_client: Client,
    bob_client: Client,
    closed_round: Round,
    discussing: RetroSession,
) -> None:
    assert (
        present(closed_round)
        in alice_client.get(session_page(closed_round)).content.decode()
    )
    assert (
        present(closed_round)
        not in bob_client.get(session_page(closed_round)).content.decode()
    )


def test_a_member_gets_403_and_an_outsider_404_on_the_shared_screen(
    bob_client: Client,
    carol_client: Client,
    closed_round: Round,
    discussing: RetroSession,
) -> None:
    for url in (present(closed_round), present_step(closed_round)):
        assert bob_client.get(url).status_code == 403
        assert carol_client.get(url).status_code == 404
    assert post(bob_client, "timer", closed_round, {"minutes": 5}).status_code == 403
    assert post(carol_client, "timer", closed_round, {"minutes": 5}).status_code == 404


def test_a_member_joins_by_the_code(
    bob_client: Client, discussing: RetroSession, closed_round: Round
) -> None:
    code = join_code_for(discussing)
    response = bob_client.post(JOIN, {"code": f" {code[:3].lower()}-{code[3:]} "})
    assert response.status_code == 302
    assert response["Location"] == session_page(closed_round)
    # The QR code's link joins straight away.
    assert bob_client.get(JOIN, {"code": code}).status_code == 302


def test_the_code_never_lets_a_member_of_another_team_in(
    carol_client: Client, discussing: RetroSession, closed_round: Round
) -> None:
    code = join_code_for(discussing)
    response = carol_client.post(JOIN, {"code": code})
    assert response.status_code == 404
    assert str(closed_round.code) not in response.content.decode()
    assert carol_client.get(JOIN, {"code": code}).status_code == 404


def test_an_unknown_code_is_not_found_with_the_code_kept(
    bob_client: Client, discussing: RetroSession
) -> None:
    response = bob_client.post(JOIN, {"code": "ZZZZ22"})
    assert response.status_code == 404
    body = response.content.decode()
    assert 'value="ZZZZ22"' in body
    assert "No running retro of your teams has this code" in body
    assert bob_client.get(JOIN).status_code == 200


def test_the_code_stops_working_when_the_retro_is_closed(
    bob_client: Client, discussing: RetroSession
) -> None:
    code = join_code_for(discussing)
    RetroSession.objects.filter(pk=discussing.pk).update(finished_at=timezone.now())
    assert bob_client.post(JOIN, {"code": code}).status_code == 404


def test_the_timer_is_seen_by_everyone_and_only_a_guide(
    alice_client: Client,
    bob_client: Client,
    closed_round: Round,
    discussing: RetroSession,
) -> None:
    response = post(alice_client, "timer", closed_round, {"minutes": 5})
    assert response.status_code == 302
    assert (
        "about 5 minutes left"
        in bob_client.get(session_page(closed_round)).content.decode()
    )
    assert (
        "about 5 minutes left"
        in alice_client.get(present(closed_round)).content.decode()
    )
    RetroSession.objects.filter(pk=discussing.pk).update(
        timer_ends_at=timezone.now() - timedelta(minutes=1)
    )
    body = bob_client.get(session_page(closed_round)).content.decode()
    assert "Time box is up" in body
    # Never enforced: the facilitator still moves on, and the next dimension has
    # no time box until one is set.
    post(alice_client, "next", closed_round)
    body = bob_client.get(session_page(closed_round)).content.decode()
    assert "Time box" not in body


def test_the_timer_can_be_cleared_and_refuses_bad_minutes(
    alice_client: Client,
    bob_client: Client,
    closed_round: Round,
    discussing: RetroSession,
) -> None:
    post(alice_client, "timer", closed_round, {"minutes": 5})
    post(alice_client, "timer", closed_round, {"minutes": 0})
    assert "Time box" not in bob_client.get(session_page(closed_round)).content.decode()
    response = post(alice_client, "timer", closed_round, {"minutes": 500})
    assert response.status_code == 400
    assert 'value="500"' in response.content.decode()


def _poll_version(body: str, endpoint: str) -> str:
    found = re.search(rf'{re.escape(endpoint)}\?v=([^"]+)"', body)
    assert found is not None
    return found.group(1)


def test_the_time_box_counts_down_on_pages_that_poll(
    alice_client: Client,
    bob_client: Client,
    closed_round: Round,
    discussing: RetroSession,
) -> None:
    post(alice_client, "timer", closed_round, {"minutes": 5})
    step = reverse("retro:step", args=[closed_round.code])
    shown = _poll_version(
        bob_client.get(session_page(closed_round)).content.decode(), step
    )
    on_screen = _poll_version(
        alice_client.get(present(closed_round)).content.decode(),
        present_step(closed_round),
    )
    assert bob_client.get(step, {"v": shown}).status_code == 204
    # Time passes; the facilitator does nothing.
    RetroSession.objects.filter(pk=discussing.pk).update(
        timer_ends_at=timezone.now() - timedelta(seconds=1)
    )
    polled = bob_client.get(step, {"v": shown})
    assert polled.status_code == 200
    assert "Time box is up" in polled.content.decode()
    polled = alice_client.get(present_step(closed_round), {"v": on_screen})
    assert polled.status_code == 200
    assert "Time box is up" in polled.content.decode()
    # Once it is up, nothing new until something moves.
    again = _poll_version(polled.content.decode(), present_step(closed_round))
    assert alice_client.get(present_step(closed_round), {"v": again}).status_code == 204


def test_a_new_order_starts_without_the_time_box(
    alice_client: Client,
    bob_client: Client,
    closed_round: Round,
    discussing: RetroSession,
) -> None:
    post(alice_client, "timer", closed_round, {"minutes": 5})
    post(alice_client, "order", closed_round, {"order": "lowest"})
    assert "Time box" not in bob_client.get(session_page(closed_round)).content.decode()


def test_a_member_finds_the_join_page_on_the_team_page(
    bob_client: Client, closed_round: Round
) -> None:
    body = bob_client.get(closed_round.team.get_absolute_url()).content.decode()
    assert f'href="{JOIN}"' in body

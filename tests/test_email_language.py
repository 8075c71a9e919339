"""Emails are written in the recipient's language (issue 17, docs/languages.md):
their own setting if they have an account, else the team's default language —
never the language of whoever caused the email."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from assessments.models import RoundEmail
from assessments.tasks import send_round_email
from teams.models import LanguagePreference, Membership, Team
from tests.conftest import make_user
from tests.factories import make_round

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _by_address() -> dict[str, Any]:
    return {message.to[0]: message for message in mail.outbox}


def test_round_emails_go_out_in_each_members_language(
    team: Team, alice: User, bob: User
) -> None:
    """bob chose German, dan Spanish, alice nothing: the team's French for her."""
    dan = make_user("dan")
    Membership.objects.create(team=team, user=dan)
    LanguagePreference.objects.create(user=bob, language="de")
    LanguagePreference.objects.create(user=dan, language="es")
    team.language = "fr"
    team.save()
    round = make_round(team, title="Herbst")
    RoundEmail.objects.create(round=round, kind=RoundEmail.Kind.OPENED)
    send_round_email.call(round=str(round.code), kind=RoundEmail.Kind.OPENED)
    sent = _by_address()
    assert set(sent) == {"alice@example.com", "bob@example.com", "dan@example.com"}
    assert sent["bob@example.com"].subject == "„Alpha“: Eine neue Runde ist offen"
    assert sent["dan@example.com"].subject == "“Alpha”: hay una nueva ronda abierta"
    # French quotation marks, and the no-break spaces survive the one line.
    assert sent["alice@example.com"].subject == (
        "«\u00a0Alpha\u00a0»\u00a0: un nouveau cycle est ouvert"
    )
    # The body and its HTML part too, not only the subject.
    assert "a new round" not in sent["bob@example.com"].body
    assert "hat eine neue Runde geöffnet" in sent["bob@example.com"].body
    assert "Jetzt antworten" in sent["bob@example.com"].alternatives[0][0]
    assert "tiene una nueva ronda abierta" in sent["dan@example.com"].body
    assert "Un nouveau cycle est ouvert" in sent["alice@example.com"].body


def test_a_stakeholder_invitation_is_in_the_teams_language(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    """The facilitator reads the site in German; the stakeholder has no account:
    the team's Spanish."""
    team.language = "es"
    team.save()
    round = make_round(team, title="Primavera")
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_client.post(
            f"/rounds/{round.code}/stakeholders/invite/",
            {"addresses": "ann@example.com"},
            headers={"accept-language": "de"},
        )
    assert r.status_code == 302
    (message,) = mail.outbox
    assert message.subject == (
        "El equipo “Alpha” te invita a dar tu opinión de forma anónima"
    )


def test_a_team_invitation_is_in_the_teams_language(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    team.language = "de"
    team.save()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            f"/teams/{team.code}/members/invite-email/",
            {"addresses": "erin@example.com", "role": "member"},
            headers={"accept-language": "fr"},
        )
    (message,) = mail.outbox
    assert message.subject == (
        "Team Mirror: eine Einladung, einem Team beizutreten („Alpha“)"
    )
    assert "lädt dich ein, einem Team in Team Mirror beizutreten" in message.body

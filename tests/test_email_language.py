"""Emails are written in the recipient's language (issue 17, docs/languages.md):
their own setting if they have an account, else the team's default language —
never the language of whoever caused the email."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from assessments.models import RoundEmail
from assessments.tasks import send_round_email
from stakeholders import services as stakeholder_services
from stakeholders.tasks import remind_stakeholder, seal_address
from teams.models import LanguagePreference, Membership, Team
from tests.conftest import make_user
from tests.factories import make_round
from tests.test_translations import CHECKED
from tests.test_translations_more import english_left

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


def test_a_stakeholder_reminder_is_in_the_teams_language(
    team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    """The reminder the day before closing, like the invitation: the team's
    language, whatever the language of the worker or of whoever invited."""
    team.language = "fr"
    team.save()
    round = make_round(team, title="Printemps")
    round.closes_at = timezone.now() + timedelta(days=5)
    round.save()
    with django_capture_on_commit_callbacks(execute=True):
        [invitation] = stakeholder_services.invitations_create(
            round=round, addresses=["ann@example.com"]
        )
    mail.outbox.clear()
    with translation.override("de"):
        remind_stakeholder.call(
            sealed_address=seal_address("ann@example.com"),
            invitation=str(invitation.code),
        )
    (message,) = mail.outbox
    assert "«\u00a0Alpha\u00a0»" in message.subject
    assert "«\u00a0Printemps\u00a0»" in message.body
    assert not english_left(message.subject + "\n" + message.body, "fr")
    with translation.override("en"):
        assert translation.gettext("Reminder") not in message.subject


def test_a_coach_invitation_is_in_the_teams_language(
    alice_client: Client, team: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    """A coach without an account has no setting yet: the team's language, not the
    facilitator's."""
    team.language = "es"
    team.save()
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_client.post(
            f"/teams/{team.code}/sharing/add/",
            {"coach": "nora@example.com", "include_notes": "notes"},
            headers={"accept-language": "de"},
        )
    assert r.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["nora@example.com"]
    assert "“Alpha”" in message.subject
    assert "Nora" not in message.body
    assert not english_left(message.subject + "\n" + message.body, "es")
    assert "quiere que veas, como coach" in message.body


@pytest.mark.parametrize("language", CHECKED)
@pytest.mark.parametrize("kind", list(RoundEmail.Kind))
def test_every_round_email_has_no_english_left(
    team: Team, bob: User, language: str, kind: str
) -> None:
    """Each kind of round email, subject, text and HTML part, in the recipient's
    language with no English sentence of the catalog left."""
    dan = make_user("dan")
    Membership.objects.create(team=team, user=dan)
    LanguagePreference.objects.create(user=bob, language=language)
    LanguagePreference.objects.create(user=dan, language="en")
    round = make_round(team, title="Herbst")
    round.closes_at = timezone.now() + timedelta(days=3)
    round.save()
    RoundEmail.objects.create(round=round, kind=kind)
    send_round_email.call(round=str(round.code), kind=kind)
    sent = _by_address()
    message, english = sent["bob@example.com"], sent["dan@example.com"]
    html = message.alternatives[0][0]
    for part in (message.subject, message.body, html):
        assert not english_left(part, language), (kind, english_left(part, language))
    assert message.body != english.body.replace("dan", "bob")

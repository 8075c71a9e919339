"""POST /rounds/<code>/stakeholders/invite/: single-use invitations by email."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from pytest_django.fixtures import Settings

from assessments.models import Round, StakeholderInvitation
from stakeholders import services as stakeholders
from teams.models import Team
from tests.factories import make_round
from tests.stakeholders.conftest import answer_data, open_link

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/stakeholders/invite/"


def test_it_sends_one_invitation_per_address(
    alice_client: Client,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    addresses = "ann@example.com, ben@example.org\nCARL@example.net;ann@example.com"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        r = alice_client.post(_url(round), {"addresses": addresses}, follow=True)
    assert "3 invitations are on their way." in r.text
    assert len(callbacks) == 3
    assert StakeholderInvitation.objects.filter(round=round).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "CARL@example.net",
        "ann@example.com",
        "ben@example.org",
    ]
    message = mail.outbox[0]
    assert "Alpha" in message.subject
    assert "Spring check" in message.body
    assert "anonymous" in message.body


def test_each_email_has_its_own_working_link(
    alice_client: Client,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(_url(round), {"addresses": "a@example.com b@example.com"})
    tokens = []
    for message in mail.outbox:
        line = next(x for x in message.body.splitlines() if "/s/" in x)
        tokens.append(line.strip().rstrip("/").rsplit("/", 1)[1])
    assert len(set(tokens)) == 2
    assert all(len(token) >= 43 for token in tokens)
    client = Client()
    open_link(client, tokens[0])
    assert client.post("/s/", answer_data()).status_code == 302
    used = StakeholderInvitation.objects.filter(used=True).count()
    assert used == 1


def test_no_email_is_sent_before_commit(
    alice_client: Client,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alice_client.post(_url(round), {"addresses": "a@example.com"})
    assert len(callbacks) == 1
    assert mail.outbox == []  # the task is queued only when the commit happens
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_no_email_is_sent_when_the_transaction_rolls_back(
    round: Round, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    class Boom(Exception):
        pass

    @transaction.atomic
    def invite_then_fail() -> None:
        stakeholders.invitations_create(round=round, addresses=["a@example.com"])
        raise Boom

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
    ):
        invite_then_fail()
    assert callbacks == []
    assert mail.outbox == []
    assert not StakeholderInvitation.objects.exists()


def test_it_stores_no_address(
    alice_client: Client,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(_url(round), {"addresses": "secret.person@example.com"})
    for invitation in StakeholderInvitation.objects.values():
        assert not any("secret" in str(value) for value in invitation.values())
    field_names = {f.name for f in StakeholderInvitation._meta.get_fields()}
    assert field_names == {
        "id",
        "code",
        "round",
        "token_hash",
        "created",
        # The facilitator who made it (also in the activity log): the round page
        # counts the answers from each one's invitations.
        "invited_by",
        "used",
        "used_by_visit",  # a keyed hash of the answering visit's random value
        "reminded",
        "revoked_at",
    }


@pytest.mark.parametrize(
    ("addresses", "message"),
    [
        ("ann@example.com, not-an-address", "These are not email addresses: "),
        (" , \n ", "Enter at least one email address."),
        ("", "This field is required."),
    ],
)
def test_it_keeps_input_on_error(
    alice_client: Client, round: Round, addresses: str, message: str
) -> None:
    r = alice_client.post(_url(round), {"addresses": addresses})
    assert r.status_code == 200
    assert message in r.text
    assert addresses.strip() in r.text
    assert not StakeholderInvitation.objects.exists()
    assert mail.outbox == []


def test_it_limits_how_many_at_once(alice_client: Client, round: Round) -> None:
    addresses = "\n".join(f"p{n}@example.com" for n in range(201))
    r = alice_client.post(_url(round), {"addresses": addresses})
    assert r.status_code == 200
    assert "Invite at most 200 people at once (you entered 201)." in r.text
    assert not StakeholderInvitation.objects.exists()


def test_it_needs_an_open_round(alice_client: Client, team: Team) -> None:
    closed = make_round(team, state=Round.State.CLOSED)
    r = alice_client.post(_url(closed), {"addresses": "a@example.com"}, follow=True)
    assert "Invitations can be sent only while a round is open." in r.text
    assert not StakeholderInvitation.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, round: Round) -> None:
    r = carol_client.post(_url(round), {"addresses": "a@example.com"})
    assert r.status_code == 404
    assert not StakeholderInvitation.objects.exists()


def test_it_requires_facilitator(bob_client: Client, round: Round) -> None:
    r = bob_client.post(_url(round), {"addresses": "a@example.com"})
    assert r.status_code == 403
    assert not StakeholderInvitation.objects.exists()


def test_it_rejects_get(alice_client: Client, round: Round) -> None:
    assert alice_client.get(_url(round)).status_code == 405


def test_a_round_takes_at_most_its_cap_of_invitations(
    alice_client: Client,
    round: Round,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """STAKEHOLDER_INVITATIONS_PER_ROUND: past it, a clear message, what was typed
    kept, nothing created or sent."""
    settings.STAKEHOLDER_INVITATIONS_PER_ROUND = 3
    url = f"/rounds/{round.code}/stakeholders/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        first = alice_client.post(url, {"addresses": "a@example.com b@example.com"})
        second = alice_client.post(url, {"addresses": "c@example.com d@example.com"})
    assert first.status_code == 302
    assert second.status_code == 200
    assert (
        "A round takes at most 3 stakeholder invitations: 1 more can be sent for "
        "this one." in second.text
    )
    assert "c@example.com d@example.com" in second.text
    assert round.stakeholder_invitations.count() == 2
    assert len(mail.outbox) == 2

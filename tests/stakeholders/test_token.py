"""GET /s/<token>/: the token is swapped for the link's id in a signed cookie."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from assessments.models import Round, StakeholderInvitation, StakeholderLink
from tests.stakeholders.conftest import (
    INVITATION_TOKEN,
    LINK_TOKEN,
    open_link,
    visit_of,
)


def test_it_swaps_link_token_for_session(client: Client, link: StakeholderLink) -> None:
    r = client.get(f"/s/{LINK_TOKEN}/")
    assert r.status_code == 303
    assert r["Location"] == "/s/"
    visit = visit_of(client)
    assert visit.pop("visit")  # a random value of this visit
    assert visit == {"kind": "link", "id": link.pk}
    assert not client.session.keys()  # nothing kept on the server
    r = client.get("/s/")
    assert r.status_code == 200
    assert 'How do you see <bdi dir="auto">Alpha</bdi>?' in r.text
    assert LINK_TOKEN not in r.text


def test_it_swaps_invitation_token_for_session(
    client: Client, invitation: StakeholderInvitation
) -> None:
    open_link(client, INVITATION_TOKEN)
    visit = visit_of(client)
    assert (visit["kind"], visit["id"]) == ("invitation", invitation.pk)
    assert client.get("/s/").status_code == 200


def test_it_is_not_cached(client: Client, link: StakeholderLink) -> None:
    r = client.get(f"/s/{LINK_TOKEN}/")
    assert "no-store" in r["Cache-Control"]


def _assert_not_valid(client: Client, token: str) -> str:
    open_link(client, token)  # always a redirect: the token never sits on an error
    assert visit_of(client) is None
    r = client.get("/s/")
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert "Alpha" not in r.text
    assert "Spring check" not in r.text
    return r.text


def test_it_rejects_bad_token(client: Client, link: StakeholderLink) -> None:
    _assert_not_valid(client, "x" * 43)


def test_it_rejects_revoked_link(client: Client, link: StakeholderLink) -> None:
    link.revoked_at = timezone.now()
    link.save()
    _assert_not_valid(client, LINK_TOKEN)


def test_it_rejects_used_invitation(
    client: Client, invitation: StakeholderInvitation
) -> None:
    invitation.used = True
    invitation.save()
    _assert_not_valid(client, INVITATION_TOKEN)


def test_it_rejects_revoked_invitation(
    client: Client, invitation: StakeholderInvitation
) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save()
    _assert_not_valid(client, INVITATION_TOKEN)


def test_it_rejects_closed_round(
    client: Client, round: Round, link: StakeholderLink
) -> None:
    round.state = Round.State.CLOSED
    round.save()
    _assert_not_valid(client, LINK_TOKEN)


def test_it_rejects_round_past_closing_time(
    client: Client, round: Round, link: StakeholderLink
) -> None:
    round.closes_at = timezone.now() - timedelta(minutes=1)
    round.save()
    _assert_not_valid(client, LINK_TOKEN)


def test_it_rejects_draft_round(
    client: Client, round: Round, link: StakeholderLink
) -> None:
    round.state = Round.State.DRAFT
    round.save()
    _assert_not_valid(client, LINK_TOKEN)


def test_every_unusable_link_shows_the_same_page(
    client: Client,
    round: Round,
    link: StakeholderLink,
    invitation: StakeholderInvitation,
) -> None:
    unknown = _assert_not_valid(Client(), "x" * 43)
    invitation.used = True
    invitation.save()
    used = _assert_not_valid(Client(), INVITATION_TOKEN)
    link.revoked_at = timezone.now()
    link.save()
    revoked = _assert_not_valid(Client(), LINK_TOKEN)
    assert unknown == used == revoked


def test_a_bad_token_forgets_an_earlier_link(
    link_client: Client, link: StakeholderLink
) -> None:
    open_link(link_client, "x" * 43)
    assert link_client.get("/s/").status_code == 404

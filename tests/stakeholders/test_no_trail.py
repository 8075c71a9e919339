"""After a stakeholder answers, nothing on the server names the link or invitation
they used (issue 12, point 4): a signed-in stakeholder's own session row is left
as it was (no invitation or link id, its expiry not refreshed by the submit), and
no cache key names an invitation or a link."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from assessments.models import SealedAnswer, StakeholderInvitation, StakeholderLink
from tests.stakeholders.conftest import (
    INVITATION_TOKEN,
    LINK_TOKEN,
    answer_data,
    open_link,
)


def _session_rows() -> dict[str, tuple[str, object]]:
    return {
        s.session_key: (s.session_data, s.expire_date) for s in Session.objects.all()
    }


def test_a_signed_in_stakeholders_session_is_left_as_it_was(
    carol_client: Client, invitation: StakeholderInvitation
) -> None:
    """Carol has an account (another team's facilitator) and answers an
    invitation signed in: her session row neither learns the invitation nor gets a
    new expiry that would date the submit."""
    before = _session_rows()
    assert before  # her sign-in's row
    open_link(carol_client, INVITATION_TOKEN)
    assert carol_client.get("/s/").status_code == 200
    assert carol_client.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 1
    assert _session_rows() == before
    for row in Session.objects.all():
        decoded = str(row.get_decoded())
        assert str(invitation.code) not in decoded
        assert INVITATION_TOKEN not in decoded
        assert "invitation" not in decoded


def test_no_cache_key_names_an_invitation_or_link(
    settings: Settings,
    invitation: StakeholderInvitation,
    link: StakeholderLink,
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "no-trail-test",
        }
    }
    cache.clear()
    for token in (INVITATION_TOKEN, LINK_TOKEN):
        client = Client()
        open_link(client, token)
        assert client.post("/s/", answer_data()).status_code == 302
        assert client.post("/s/", answer_data()).status_code in (200, 302, 404)
    assert SealedAnswer.objects.count() == 2
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert keys  # the rate limits counted something
    # ":1:" is the cache's version; the rest is the key the app chose.
    parts = [part for key in keys for part in key.split(":")[2:]]
    for row in (invitation, link):
        assert str(row.pk) not in parts
        for secret in (str(row.code), row.code.hex, row.token_hash):
            assert not any(secret in key for key in keys)
    for token in (INVITATION_TOKEN, LINK_TOKEN):
        assert not any(token in key for key in keys)

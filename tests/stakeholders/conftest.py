"""Shared set-up for the stakeholder tests: an open round of Alpha with three
dimensions, links and invitations with known tokens, and a filled-in answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client
from pytest_django.fixtures import Settings

from assessments.models import Round, StakeholderInvitation, StakeholderLink
from stakeholders.views import VISIT_COOKIE, VISIT_SALT
from teams.models import Team, hash_token
from tests.factories import make_round

LINK_TOKEN = "L" * 43
INVITATION_TOKEN = "I" * 43


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings: Settings) -> None:
    # Rate limiting has its own tests; here it must not get in the way.
    settings.RATELIMIT_ANONYMOUS = "10000/600"


@pytest.fixture
def round(team: Team) -> Round:
    return make_round(team, title="Spring check", dimensions=3)


@pytest.fixture
def link(round: Round) -> StakeholderLink:
    return StakeholderLink.objects.create(
        round=round, token_hash=hash_token(LINK_TOKEN)
    )


@pytest.fixture
def invitation(round: Round) -> StakeholderInvitation:
    return StakeholderInvitation.objects.create(
        round=round, token_hash=hash_token(INVITATION_TOKEN)
    )


def visit_of(client: Client) -> Any:
    """What the browser's signed stakeholder cookie holds (None if absent)."""
    cookie = client.cookies.get(VISIT_COOKIE)
    if cookie is None or not cookie.value:
        return None
    return signing.loads(cookie.value, salt=VISIT_SALT)


def open_link(client: Client, token: str) -> None:
    """Follow a stakeholder link as a browser does: token first, then /s/."""
    response = client.get(f"/s/{token}/")
    assert response.status_code == 303
    assert response["Location"] == "/s/"


@pytest.fixture
def link_client(link: StakeholderLink) -> Client:
    client = Client()
    open_link(client, LINK_TOKEN)
    return client


@pytest.fixture
def invitation_client(invitation: StakeholderInvitation) -> Client:
    client = Client()
    open_link(client, INVITATION_TOKEN)
    return client


def answer_data(
    relationship: str = "Leadership",
    levels: tuple[str, ...] = ("1", "3", "dk"),
    **extra: str,
) -> dict[str, Any]:
    """A complete stakeholder answer for a three-dimension round."""
    data: dict[str, Any] = {"relationship": relationship, "note_rows": "3"}
    for number, level in enumerate(levels, start=1):
        data[f"d{number}_level"] = level
        data[f"d{number}_comment"] = ""
    return {**data, **extra}

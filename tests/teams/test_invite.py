from __future__ import annotations

from django.test import Client
from pytest_django.fixtures import Settings

from teams.models import Invitation, Team


def test_it_shows_a_bad_label_next_to_the_field(
    alice_client: Client, team: Team
) -> None:
    label = "a very long note " * 15
    r = alice_client.post(
        f"/teams/{team.code}/members/invite/",
        {"label": label, "role": "facilitator"},
    )
    assert r.status_code == 200
    assert 'id="error_1_id_label"' in r.text
    assert "at most 200 characters" in r.text
    assert label in r.text  # what was typed is kept
    assert '<option value="facilitator" selected>' in r.text
    assert not Invitation.objects.exists()


def test_it_shows_a_bad_role_next_to_the_field(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/members/invite/", {"label": "dave", "role": "owner"}
    )
    assert r.status_code == 200
    assert 'id="error_1_id_role"' in r.text
    assert 'value="dave"' in r.text
    assert not Invitation.objects.exists()


def test_the_page_says_when_links_expire(
    alice_client: Client, team: Team, settings: Settings
) -> None:
    settings.TEAM_INVITATION_DAYS = 7
    r = alice_client.get(f"/teams/{team.code}/members/")
    assert "It expires after 7 days" in r.text

"""seed_demo gives the demo coach, cora, teams with patterns worth seeing."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from assessments.models import Response, Round
from teams.models import AccessLogEntry, CoachShare


@pytest.fixture
def seeded(db: None) -> None:
    call_command("seed_demo")


def _cora() -> Client:
    client = Client()
    assert client.login(username="cora", password="mirror-demo")
    return client


def test_cora_coaches_several_teams(seeded: None) -> None:
    shares = dict(
        CoachShare.objects.active()
        .filter(coach__username="cora")
        .values_list("team__name", "include_notes")
    )
    assert shares == {
        "Payments": True,
        "Mobile": False,
        "Platform": True,
        "Search": True,
        "Identity": True,
        "Onboarding": True,
    }
    assert AccessLogEntry.objects.filter(action="granted").count() == 6


def test_the_coached_teams_have_closed_rounds_with_enough_answers(
    seeded: None,
) -> None:
    for name in ("Search", "Identity", "Onboarding"):
        rounds = Round.objects.filter(team__name=name, state=Round.State.CLOSED)
        assert rounds.count() == 3
        for round in rounds:
            team_answers = round.responses.filter(perspective=Response.Perspective.TEAM)
            assert team_answers.count() >= round.min_responses


def test_cora_sees_patterns_on_the_dashboard(seeded: None) -> None:
    page = _cora().get("/coach/").text
    for name in ("Search", "Identity", "Onboarding"):
        assert f">{name}<" in page or f">{name}</a>" in page
    assert "Flow &amp; Efficiency" in page
    assert "Security posture" not in page  # a team's own dimension
    patterns = page[page.index('id="patterns-heading"') :]
    assert "Flow &amp; Efficiency" in patterns[: patterns.index("</table>")]


def test_cora_sees_recurring_themes(seeded: None) -> None:
    client = _cora()
    page = client.get("/coach/themes/").text
    found = re.search(
        r'href="(/coach/themes/notes/\?theme=[0-9a-f]+)"[^>]*>(?:<bdi[^>]*>)?([^<]*unplanned[^<]*)(?:</bdi>)?</a>',
        page,
    )
    assert found is not None, "a theme about unplanned work"
    r = client.get(found.group(1).replace("&amp;", "&"))
    assert r.status_code == 200
    assert "nplanned work" in r.text


def test_it_is_idempotent_and_respects_a_revocation(seeded: None) -> None:
    mobile = CoachShare.objects.get(team__name="Mobile", revoked_at__isnull=True)
    CoachShare.objects.filter(pk=mobile.pk).update(revoked_at=mobile.created)
    counts = (
        CoachShare.objects.count(),
        AccessLogEntry.objects.count(),
        Round.objects.count(),
        Response.objects.count(),
    )
    call_command("seed_demo")
    assert (
        CoachShare.objects.count(),
        AccessLogEntry.objects.count(),
        Round.objects.count(),
        Response.objects.count(),
    ) == counts
    assert not CoachShare.objects.active().filter(team__name="Mobile").exists()

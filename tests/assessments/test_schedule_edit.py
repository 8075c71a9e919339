"""The team's schedule and reminders page: /teams/<code>/schedule/."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from assessments.models import TeamSchedule
from teams.models import Team


def url(team: Team) -> str:
    return f"/teams/{team.code}/schedule/"


def _data(**extra: str) -> dict[str, str]:
    return {
        "recurring": "on",
        "cadence": "weeks",
        "every_weeks": "2",
        "weekday": "3",
        "open_days": "5",
        "next_opens_on": "",
        "remind_after_days": "3",
        "remind_before_closing": "on",
        **extra,
    }


def test_it_shows_the_defaults_and_writes_nothing(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.get(url(team))
    assert r.status_code == 200
    assert "Schedule and reminders" in r.content.decode()
    assert not TeamSchedule.objects.exists()


def test_it_saves_a_schedule_with_the_next_weekday(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(url(team), _data())
    assert r.status_code == 302
    schedule = TeamSchedule.objects.get(team=team)
    assert schedule.recurring
    assert schedule.every_weeks == 2
    assert schedule.next_opens_on is not None
    assert schedule.next_opens_on.weekday() == 3
    assert schedule.next_opens_on > timezone.localdate()


def test_it_refuses_a_past_date_and_keeps_the_input(
    alice_client: Client, team: Team
) -> None:
    past = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    r = alice_client.post(url(team), _data(next_opens_on=past, every_weeks="7"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Choose today or a later day." in html
    assert 'value="7"' in html
    assert not TeamSchedule.objects.exists()


def test_it_refuses_too_many_weeks(alice_client: Client, team: Team) -> None:
    r = alice_client.post(url(team), _data(every_weeks="40"))
    assert r.status_code == 200
    assert not TeamSchedule.objects.exists()


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(url(team)).status_code == 404
    assert carol_client.post(url(team), _data()).status_code == 404
    assert not TeamSchedule.objects.exists()


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.get(url(team)).status_code == 403
    assert bob_client.post(url(team), _data()).status_code == 403
    assert not TeamSchedule.objects.exists()


def test_the_team_page_links_to_it_for_facilitators(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    assert url(team) in alice_client.get(team.get_absolute_url()).content.decode()
    assert url(team) not in bob_client.get(team.get_absolute_url()).content.decode()

"""Results appear when promised (issue 25 item 7): without a worker, a round past
its closing date says its results are being prepared (not "too few answers"); the
scheduled work leaves a heartbeat, and ``check --deploy`` and the staff's admin
index warn when none is recent. Pages still only read: the release stays the
worker's."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.checks import heartbeat_check
from assessments.models import Heartbeat, Response, Round, SealedAnswer
from assessments.services import Answers, RatingAnswer
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import make_round


def _five_of_six_answered(team: Team, alice: User, bob: User) -> Round:
    others = [make_user(n) for n in ("dan", "erin", "frank", "grace")]
    for user in others:
        Membership.objects.create(team=team, user=user)
    round = make_round(team, dimensions=2)
    dims = list(round.dimensions.all())
    for user in [alice, bob, *others[:3]]:
        services.member_response_submit(
            round=round,
            user=user,
            answers=Answers(ratings=[RatingAnswer(d, 2, "") for d in dims]),
        )
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(hours=2)
    )
    return round


def test_the_report_says_results_are_being_prepared_without_a_worker(
    team: Team, alice: User, bob: User, bob_client: Client
) -> None:
    round = _five_of_six_answered(team, alice, bob)
    url = reverse("reports:round", args=[round.code])
    page = bob_client.get(url).content.decode()
    assert "The round closed; its results are being prepared (5 of 6 answered)" in page
    assert "so it is not shown" not in page
    assert "too few answers" not in page
    assert not Response.objects.exists()  # the page only read
    assert SealedAnswer.objects.count() == 5

    call_command("run_schedule", stdout=io.StringIO())
    page = bob_client.get(url).content.decode()
    assert "being prepared" not in page
    assert Response.objects.filter(round=round).count() == 5


def test_check_deploy_warns_when_the_scheduled_work_has_not_run(team: Team) -> None:
    assert heartbeat_check() == []  # nothing for it to do yet
    round = make_round(team, dimensions=2)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() + timedelta(days=3)
    )
    found = heartbeat_check()
    assert [m.id for m in found] == ["assessments.W004"]
    assert "has never run" in found[0].msg

    call_command("run_schedule", stdout=io.StringIO())
    assert heartbeat_check() == []
    Heartbeat.objects.update(at=timezone.now() - timedelta(minutes=6))
    found = heartbeat_check()
    assert [m.id for m in found] == ["assessments.W004"]
    assert "has not run since" in found[0].msg
    err = io.StringIO()
    call_command(
        "check",
        "--deploy",
        "--fail-level",
        "CRITICAL",
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "assessments.W004" in err.getvalue()


def test_the_staff_admin_index_warns_when_the_scheduled_work_has_not_run(
    team: Team,
) -> None:
    staff = User.objects.create_superuser("root", "root@example.com", "x")
    client = Client()
    client.force_login(staff)
    round = make_round(team, dimensions=2)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() + timedelta(days=3)
    )
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="schedule-late"' in page
    assert "has never run" in page
    assert not Heartbeat.objects.exists()  # the page only read

    call_command("run_schedule", stdout=io.StringIO())
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="schedule-late"' not in page

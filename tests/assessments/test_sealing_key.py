"""Keys are managed, not hoped for (issue 25 item 1): ``manage.py sealing_key rotate``
seals every held answer again under the new key; ``manage.py check`` names every
round whose held answers the keys cannot open; such a round never stops another's
release, a close or an answer already stored, and its pages say its results wait
for the operator."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from assessments import services
from assessments.checks import held_answers_check
from assessments.models import Response, Round, SealedAnswer
from assessments.services import Answers, RatingAnswer
from teams.models import Membership, Team
from tests.assessments.conftest import answer_data
from tests.conftest import make_user
from tests.factories import make_round, stakeholders_answer

OLD = "old-sealing-key-" + "o" * 40
NEW = "new-sealing-key-" + "n" * 40


@pytest.fixture(autouse=True)
def _old_key(settings: Settings) -> None:
    settings.ANSWER_SEALING_KEY = OLD
    settings.ANSWER_SEALING_KEY_FALLBACKS = []
    settings.SECRET_KEY_FALLBACKS = []


def _key(settings: Settings, key: str, *fallbacks: str) -> None:
    settings.ANSWER_SEALING_KEY = key
    settings.ANSWER_SEALING_KEY_FALLBACKS = list(fallbacks)


def _members(round: Round, users: list[User]) -> None:
    dims = list(round.dimensions.all())
    for user in users:
        services.member_response_submit(
            round=round,
            user=user,
            answers=Answers(ratings=[RatingAnswer(d, 3, "") for d in dims]),
        )


def _a_round_no_key_opens(
    team: Team, other_team: Team, settings: Settings, answers: int = 3
) -> tuple[Round, Round]:
    """``lost``: ``answers`` held under the old key, which is then gone; ``fine``:
    as many held under the new one."""
    lost = make_round(team, title="Lost keys", dimensions=2)
    stakeholders_answer(lost, answers)
    _key(settings, NEW)
    fine = make_round(other_team, title="Fine", dimensions=2)
    stakeholders_answer(fine, answers)
    return lost, fine


def _past_its_date(round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )


def test_rotating_then_closing_everything_counts_every_answer(
    team: Team,
    other_team: Team,
    alice: User,
    bob: User,
    carol: User,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dan = make_user("dan")
    Membership.objects.create(team=team, user=dan)
    open_round = make_round(team, dimensions=2)
    _members(open_round, [alice, bob, dan])  # held, the round open
    reopened = make_round(other_team, dimensions=2)
    stakeholders_answer(reopened, 3)
    services.round_close(round=reopened, actor=carol)  # 3 released
    services.round_open(round=reopened, actor=carol)
    stakeholders_answer(reopened, 2)
    services.round_close(round=reopened, actor=carol)  # 2 held in a closed round
    assert SealedAnswer.objects.count() == 5

    _key(settings, NEW, OLD)
    out = io.StringIO()
    call_command("sealing_key", "rotate", stdout=out)
    assert "Sealed 5 held answer(s) of 2 round(s) again" in out.getvalue()
    assert f"({reopened.code}): 2 held answer(s) sealed again" in out.getvalue()

    _key(settings, NEW)  # the old key is gone
    assert held_answers_check() == []
    services.round_open(round=reopened, actor=carol)
    with django_capture_on_commit_callbacks(execute=True):
        stakeholders_answer(reopened, 1)  # 3 held now: a batch
    services.round_close(round=reopened, actor=carol)
    services.round_close(round=open_round, actor=alice)
    assert Response.objects.filter(round=open_round).count() == 3
    assert Response.objects.filter(round=reopened).count() == 6
    assert not SealedAnswer.objects.exists()


def test_rotating_leaves_a_round_no_key_opens_and_says_so(
    team: Team, other_team: Team, settings: Settings
) -> None:
    lost, _fine = _a_round_no_key_opens(team, other_team, settings)
    before = set(
        SealedAnswer.objects.filter(round=lost).values_list("sealed", flat=True)
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="ANSWER_SEALING_KEY_FALLBACKS"):
        call_command("sealing_key", "rotate", stdout=out, stderr=err)
    assert f"({lost.code}): its held answers cannot be opened" in err.getvalue()
    assert "Sealed 3 held answer(s) of 1 round(s) again" in out.getvalue()
    after = set(
        SealedAnswer.objects.filter(round=lost).values_list("sealed", flat=True)
    )
    assert {bytes(b) for b in after} == {bytes(b) for b in before}


def test_check_names_each_round_the_keys_cannot_open(
    team: Team, other_team: Team, settings: Settings
) -> None:
    _a_round_no_key_opens(team, other_team, settings, answers=2)
    found = held_answers_check()
    assert [m.id for m in found] == ["assessments.W003"]
    assert "“Lost keys” of team “Alpha”" in found[0].msg
    assert "sealing_key rotate" in (found[0].hint or "")
    err = io.StringIO()
    call_command(
        "check", "--deploy", "--tag", "security", stdout=io.StringIO(), stderr=err
    )
    assert "“Lost keys”" in err.getvalue()
    assert "Fine" not in err.getvalue()
    _key(settings, NEW, OLD)
    assert held_answers_check() == []


def test_checks_before_other_commands_open_no_held_answer(
    team: Team, settings: Settings
) -> None:
    """Checks run before every management command (``run_schedule`` from cron each
    minute, ``migrate``): opening every held answer is left to ``check --deploy``."""
    lost = make_round(team, title="Lost keys", dimensions=2)
    stakeholders_answer(lost, 2)
    _key(settings, NEW)
    err = io.StringIO()
    call_command("check", stdout=io.StringIO(), stderr=err)
    assert "assessments.W003" not in err.getvalue()


def test_the_schedule_skips_a_round_no_key_opens_and_releases_the_others(
    team: Team,
    other_team: Team,
    settings: Settings,
    bob_client: Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    lost, fine = _a_round_no_key_opens(team, other_team, settings)
    _past_its_date(lost)
    _past_its_date(fine)
    out = io.StringIO()
    call_command("run_schedule", stdout=out)
    assert Response.objects.filter(round=fine).count() == 3
    assert Response.objects.filter(round=lost).count() == 0
    assert SealedAnswer.objects.filter(round=lost).count() == 3  # kept
    assert str(lost.code) in caplog.text
    for url in (
        reverse("assessments:round", args=[lost.code]),
        reverse("reports:round", args=[lost.code]),
    ):
        page = bob_client.get(url).content.decode()
        assert "its results wait for the server" in page
        assert "too few answers" not in page
    # The old key back as a fallback: the next run releases them.
    _key(settings, NEW, OLD)
    call_command("run_schedule", stdout=io.StringIO())
    assert Response.objects.filter(round=lost).count() == 3
    page = bob_client.get(reverse("assessments:round", args=[lost.code]))
    assert "its results wait for the server" not in page.content.decode()


def test_the_release_task_skips_a_round_no_key_opens(
    team: Team, other_team: Team, settings: Settings
) -> None:
    lost, fine = _a_round_no_key_opens(team, other_team, settings)
    _past_its_date(lost)
    _past_its_date(fine)
    assert services.close_due_rounds.call() == 2  # both closed
    assert Response.objects.filter(round=fine).count() == 3
    assert Round.objects.get(pk=lost.pk).release_blocked


def test_closing_by_hand_closes_and_says_the_results_wait(
    team: Team, settings: Settings, alice_client: Client
) -> None:
    round = make_round(team, dimensions=2)
    stakeholders_answer(round, 3)
    _key(settings, NEW)
    response = alice_client.post(
        reverse("assessments:round_close", args=[round.code]), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The round is closed" in page
    assert "its results wait for the server" in page
    assert Round.objects.get(pk=round.pk).state == Round.State.CLOSED
    assert SealedAnswer.objects.filter(round=round).count() == 3


def test_an_answer_stored_in_a_round_no_key_opens_says_it_is_stored(
    team: Team,
    alice: User,
    settings: Settings,
    bob_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dan, erin, frank, grace = (make_user(n) for n in ("dan", "erin", "frank", "grace"))
    for user in (dan, erin, frank, grace):
        Membership.objects.create(team=team, user=user)
    round = make_round(team, dimensions=2)
    _members(round, [alice, dan, erin])
    services.round_close(round=round, actor=alice)
    services.round_open(round=round, actor=alice)
    _members(round, [frank, grace])  # held after the reopen, with the old key
    _key(settings, NEW)
    # Bob's is the third: the batch is released after his answer is stored, and
    # the keys cannot open the other two.
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(
            reverse("assessments:answer", args=[round.code]), answer_data(round)
        )
    assert response.status_code == 302
    response = bob_client.get(response["Location"])
    assert "your answer is saved" in response.text
    assert "its results wait for the server" in response.text
    assert SealedAnswer.objects.filter(round=round).count() == 3
    assert round.participations.filter(user__username="bob").exists()

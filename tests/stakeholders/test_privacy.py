"""Nothing stored could identify a stakeholder (issue 4, privacy invariants 1 & 4)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import models
from django.test import Client

from assessments.models import Note, Rating, Response, Round, SealedAnswer
from assessments.services import answers_release
from teams.models import ActivityEntry
from tests.stakeholders.conftest import answer_data, open_link, visit_of

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

ADDRESS = "dana.identifiable@example.com"
IP = "198.51.100.234"
AGENT = "DistinctiveBrowser/9.87 (identifiable)"


# Every column of what a stakeholder answers. A new one must be reviewed here.
ANSWER_COLUMNS = {
    Response: {
        "id",
        "round",
        "perspective",
        "release",
        "relationship",
        "checkin",
        "checkin_reason",
    },
    Rating: {"id", "response", "dimension", "level", "comment"},
    Note: {"id", "response", "round", "kind", "text", "dimension", "theme"},
}


@pytest.mark.parametrize("model", list(ANSWER_COLUMNS))
def test_answer_models_have_no_identifying_field(model: type[models.Model]) -> None:
    columns = {f.name for f in model._meta.concrete_fields}
    assert columns == ANSWER_COLUMNS[model]
    for field in model._meta.concrete_fields:
        assert not isinstance(field, (models.DateField, models.TimeField)), field
        assert not isinstance(field, models.GenericIPAddressField), field
        related = field.related_model
        assert related is None or related._meta.app_label == "assessments", field
    assert isinstance(model._meta.pk, models.UUIDField)  # random, not a sequence


def _answer_through_an_emailed_invitation(
    alice_client: Client, round: Round, capture: CaptureCallbacks
) -> Client:
    with capture(execute=True):
        alice_client.post(
            f"/rounds/{round.code}/stakeholders/invite/", {"addresses": ADDRESS}
        )
    [message] = mail.outbox
    line = next(x for x in message.body.splitlines() if "/s/" in x)
    token = line.strip().rstrip("/").rsplit("/", 1)[1]
    stakeholder = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    open_link(stakeholder, token)
    data = answer_data(d1_comment="Kind words", keep_1="Demos")
    assert stakeholder.post("/s/", data).status_code == 302
    return stakeholder


def test_nothing_stored_identifies_the_stakeholder(
    alice_client: Client,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    _answer_through_an_emailed_invitation(
        alice_client, round, django_capture_on_commit_callbacks
    )
    assert SealedAnswer.objects.filter(perspective="stakeholder").count() == 1
    answers_release(round=round)
    assert Response.objects.filter(perspective="stakeholder").count() == 1
    # The team's activity log names the invited addresses (issue 12: the whole team
    # sees every invitation), in an entry written when the invitation was made,
    # which holds nothing of any answer.
    [invited] = ActivityEntry.objects.filter(action="stakeholders_invited")
    assert invited.detail == {"round": round.title, "count": 1, "addresses": [ADDRESS]}
    for model in apps.get_models():
        for row in model.objects.values():
            text = str(row)
            secrets = [IP, AGENT]
            if model is not ActivityEntry:
                secrets += [ADDRESS, "identifiable"]
            for secret in secrets:
                assert secret not in text, (model, row)
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        for secret in (ADDRESS, IP, AGENT):
            assert secret not in decoded
    for record in caplog.records:
        for secret in (ADDRESS, IP, AGENT):
            assert secret not in record.getMessage()


def test_the_server_keeps_no_stakeholder_session(
    alice_client: Client,
    round: Round,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    sessions_before = set(Session.objects.values_list("pk", flat=True))
    stakeholder = _answer_through_an_emailed_invitation(
        alice_client, round, django_capture_on_commit_callbacks
    )
    # No session row for the stakeholder: nothing on the server names the link or
    # invitation a browser used, and no expiry dates the submit.
    assert set(Session.objects.values_list("pk", flat=True)) == sessions_before
    assert not stakeholder.session.keys()
    # After answering, the browser's own cookie only says that it has answered.
    assert visit_of(stakeholder) == {"answered": True}
    answers_release(round=round)
    response_id = str(Response.objects.get().pk)
    for row in Session.objects.all():
        assert response_id not in str(row.get_decoded())

"""Anonymity by construction: what the schema can hold, and what pages show.

Stored answers (Response, Rating, Note) reference no user, address, user agent or
time, and have random ids. Participation (who answered) shares no key with them.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection, models
from django.test import Client

from assessments.models import (
    Note,
    Participation,
    Rating,
    Response,
    Round,
    SealedAnswer,
)
from teams.models import Membership, Team
from tests.assessments.conftest import answer_data
from tests.conftest import client_for
from tests.factories import put_on_roster

ANSWER_MODELS = [Response, Rating, Note, SealedAnswer]

# Every column each answer table may have. A new column must be added here on
# purpose, after checking it cannot identify a person or a moment.
ALLOWED_COLUMNS = {
    Response: {
        "id",
        "round_id",
        "perspective",
        # Which release of the round: shared by a whole batch of at least the
        # round's minimum.
        "release",
        "relationship",
        "checkin",
        "checkin_reason",
    },
    SealedAnswer: {"id", "round_id", "perspective", "channel", "sealed"},
    Rating: {"id", "response_id", "dimension_id", "level", "comment"},
    Note: {"id", "response_id", "round_id", "kind", "text", "dimension_id", "theme_id"},
}


@pytest.mark.parametrize("model", ANSWER_MODELS)
def test_answers_reference_no_user(model: type[models.Model]) -> None:
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            assert field.related_model is not User, field
            assert field.related_model._meta.app_label != "auth", field
            assert field.related_model is not Participation, field


@pytest.mark.parametrize("model", ANSWER_MODELS)
def test_answers_hold_no_address_agent_or_time(model: type[models.Model]) -> None:
    forbidden = (
        models.GenericIPAddressField,
        models.DateTimeField,
        models.DateField,
        models.TimeField,
        models.DurationField,
    )
    for field in model._meta.concrete_fields:
        assert not isinstance(field, forbidden), field
        assert not re.search(
            r"(^|_)(ip|addr|address|agent|user|time|created|date)($|_)", field.name
        )


@pytest.mark.parametrize("model", ANSWER_MODELS)
def test_answer_ids_are_random(model: type[models.Model]) -> None:
    pk = model._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert pk.default is uuid.uuid4


@pytest.mark.django_db
@pytest.mark.parametrize("model", ANSWER_MODELS)
def test_answer_tables_have_only_the_allowed_columns(
    model: type[models.Model],
) -> None:
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, model._meta.db_table
            )
        }
    assert columns == ALLOWED_COLUMNS[model]


def test_participation_cannot_be_joined_to_answers() -> None:
    fields = {f.name for f in Participation._meta.concrete_fields}
    assert fields == {"id", "round", "user"}
    for field in Participation._meta.get_fields():
        if field.is_relation:
            assert field.related_model not in ANSWER_MODELS, field


def test_admin_shows_no_answers_and_no_participation() -> None:
    for model in [*ANSWER_MODELS, Participation]:
        assert not admin.site.is_registered(model)


def test_no_admin_page_has_answers_or_participation_inline() -> None:
    hidden = {*ANSWER_MODELS, Participation}
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            assert inline.model not in hidden, (model, inline)


def test_stored_ids_are_uuid4(bob_client: Client, open_round: Round) -> None:
    bob_client.post(
        f"/rounds/{open_round.code}/answer/", answer_data(open_round, keep_1="x")
    )
    for model in ANSWER_MODELS:
        for pk in model.objects.values_list("pk", flat=True):
            assert uuid.UUID(str(pk)).version == 4


def _member_client(team: Team, name: str) -> Client:
    user = User.objects.create_user(name)
    Membership.objects.create(team=team, user=user)
    return client_for(user)


def test_pages_never_show_who_answered_what(
    alice_client: Client, bob_client: Client, team: Team, open_round: Round
) -> None:
    clients = {"bob": bob_client}
    clients |= {name: _member_client(team, name) for name in ("dan", "erin")}
    put_on_roster(open_round, *User.objects.filter(username__in=["dan", "erin"]))
    for name, client in clients.items():
        data = answer_data(open_round, keep_1=f"Keep note written by {name}")
        assert (
            client.post(f"/rounds/{open_round.code}/answer/", data).status_code == 302
        )
    # What a member sees after answering holds nothing of their answer.
    for client in clients.values():
        done = client.get(f"/rounds/{open_round.code}/answer/").text
        assert "You have already answered" in done
        assert "Keep note written by" not in done
        assert 'value="2" checked' not in done
    open_page = alice_client.get(f"/rounds/{open_round.code}/").text
    assert "3 of 4 members have answered." in open_page
    assert "Keep note written by" not in open_page  # not while answers arrive
    assert alice_client.post(f"/rounds/{open_round.code}/close/").status_code == 302
    round_page = alice_client.get(f"/rounds/{open_round.code}/").text
    for name in clients:
        assert f"Keep note written by {name}" in round_page  # closed, minimum met
        without_notes = round_page.replace(f"written by {name}", "")
        assert not re.search(rf"\b{name}\b", without_notes)

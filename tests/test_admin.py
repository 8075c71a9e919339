"""The admin obeys the team: a walk over every registered model and action as a
superuser. Who is in a team, who may see its results and the team's logs cannot be
added, changed or deleted there; task results do not show their arguments."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessments.models import Round, TeamDimension
from teams.models import (
    AccessLogEntry,
    ActivityEntry,
    CoachShare,
    Invitation,
    Membership,
    Team,
)
from teams.services import coach_share_grant, invitation_create
from tests.factories import add_response, make_round

# Every change of these goes through the app's services, where it is logged.
READ_ONLY = {Membership, Invitation, CoachShare, AccessLogEntry, ActivityEntry}
# What each of these models may do in the admin: the rest cannot be added/deleted.
NO_ADD = {*READ_ONLY, Team, Round, TeamDimension, DBTaskResult}
NO_DELETE = {*READ_ONLY, Team, Round, TeamDimension, DBTaskResult}
NO_CHANGE = {*READ_ONLY, Team, Round, TeamDimension, DBTaskResult}


@pytest.fixture
def operator(db: None) -> Client:
    User.objects.create_superuser("op", "op@example.com", "password")
    client = Client()
    client.login(username="op", password="password")
    return client


@pytest.fixture
def scene(team: Team, alice: User, cora: User) -> None:
    """One row of every model, so every change and delete page has an object."""
    coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    invitation_create(team=team, label="Pat", role="member", created_by=alice)
    round = make_round(team)
    add_response(round, [2] * round.dimensions.count())
    DBTaskResult.objects.create(
        task_path="stakeholders.tasks.send_stakeholder_invitation",
        args_kwargs={"args": [], "kwargs": {"address": "eve.secret@example.com"}},
        backend_name="default",
        run_after="2026-01-01T00:00:00Z",
        return_value=True,
    )


def _registered() -> list[tuple[type[models.Model], admin.ModelAdmin[Any]]]:
    return list(admin.site._registry.items())


def _url(model: type[models.Model], view: str, *args: object) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_the_protected_models_are_registered() -> None:
    registered = {model for model, _admin in _registered()}
    assert READ_ONLY | {DBTaskResult, Round, Team, TeamDimension} <= registered


@pytest.mark.usefixtures("scene")
def test_every_admin_page_as_a_superuser(operator: Client) -> None:
    for model, _model_admin in _registered():
        name = model.__name__
        assert operator.get(_url(model, "changelist")).status_code == 200, name
        add = operator.get(_url(model, "add")).status_code
        assert add == (403 if model in NO_ADD else 200), name
        obj = model._default_manager.first()
        if obj is None:
            continue
        change_url = _url(model, "change", obj.pk)
        page = operator.get(change_url)
        assert page.status_code == 200, name
        can_save = 'name="_save"' in page.text
        assert can_save is (model not in NO_CHANGE), name
        if model in NO_CHANGE:
            assert operator.post(change_url, {}).status_code == 403, name
        delete = operator.get(_url(model, "delete", obj.pk)).status_code
        assert delete == (403 if model in NO_DELETE else 200), name
        if model in NO_DELETE:
            assert operator.post(_url(model, "delete", obj.pk)).status_code == 403
            assert model._default_manager.filter(pk=obj.pk).exists(), name


@pytest.mark.usefixtures("scene")
def test_every_admin_action_as_a_superuser(operator: Client) -> None:
    """No action on a protected model; any action elsewhere changes nothing
    protected (the only built-in one, delete, is checked above)."""
    for model, model_admin in _registered():
        request = operator.get(_url(model, "changelist")).wsgi_request
        actions = model_admin.get_actions(request)
        if model in NO_DELETE:
            assert "delete_selected" not in actions, model
            obj = model._default_manager.first()
            if obj is not None:
                r = operator.post(
                    _url(model, "changelist"),
                    {"action": "delete_selected", "_selected_action": [obj.pk]},
                )
                assert r.status_code in (200, 302)
                assert model._default_manager.filter(pk=obj.pk).exists(), model
        if model in READ_ONLY:
            assert set(actions) == set(), (model, actions)


@pytest.mark.usefixtures("scene")
def test_a_team_page_has_no_inline_that_adds_a_member(
    operator: Client, team: Team
) -> None:
    r = operator.get(_url(Team, "change", team.pk))
    assert "memberships-TOTAL_FORMS" in r.text  # the members are shown...
    # ...but none can be added
    assert 'name="memberships-MAX_NUM_FORMS" value="0"' in r.text
    before = Membership.objects.count()
    operator.post(
        _url(Team, "change", team.pk),
        {
            "name": team.name,
            "description": team.description,
            "memberships-TOTAL_FORMS": "3",
            "memberships-INITIAL_FORMS": "2",
            "memberships-0-id": "",
            "memberships-2-user": str(User.objects.get(username="op").pk),
            "memberships-2-role": "facilitator",
        },
    )
    assert Membership.objects.count() == before
    assert not Membership.objects.filter(user__username="op").exists()


@pytest.mark.usefixtures("scene")
def test_an_operator_cannot_reopen_a_revoked_share(operator: Client) -> None:
    share = CoachShare.objects.get()
    CoachShare.objects.filter(pk=share.pk).update(revoked_at="2026-01-01T00:00:00Z")
    r = operator.post(
        _url(CoachShare, "change", share.pk),
        {"team": share.team_id, "coach": share.coach_id, "revoked_at": ""},
    )
    assert r.status_code == 403
    share.refresh_from_db()
    assert share.revoked_at is not None


@pytest.mark.usefixtures("scene")
def test_a_round_state_cannot_change_in_the_admin(operator: Client) -> None:
    round = Round.objects.get()
    r = operator.get(_url(Round, "change", round.pk))
    assert 'name="state"' not in r.text
    assert 'name="team"' not in r.text


@pytest.mark.usefixtures("scene")
def test_task_results_do_not_show_their_arguments(operator: Client) -> None:
    task = DBTaskResult.objects.get()
    for url in (
        _url(DBTaskResult, "changelist"),
        _url(DBTaskResult, "change", task.pk),
    ):
        r = operator.get(url)
        assert r.status_code == 200
        assert "eve.secret" not in r.text
    assert (
        "send_stakeholder_invitation"
        in operator.get(_url(DBTaskResult, "change", task.pk)).text
    )

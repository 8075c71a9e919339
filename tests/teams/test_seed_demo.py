from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from assessments.models import Round
from assessments.services import team_start
from teams.models import Membership, Team


@pytest.mark.django_db
def test_it_is_idempotent() -> None:
    call_command("seed_demo")
    counts = (Team.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Team.objects.count(), Membership.objects.count()) == counts
    assert Team.objects.filter(name="Payments").exists()


# The demo stays a demo (issue 25, point 5): never into a real install.


def _real_team() -> Team:
    maria = User.objects.create_user("maria", "maria@acme.test", "x")
    return team_start(name="Payments", description="Ours.", creator=maria)


@pytest.mark.django_db
def test_it_refuses_a_database_with_a_team_it_did_not_make() -> None:
    team = _real_team()
    with pytest.raises(CommandError, match="did not make"):
        call_command("seed_demo")
    assert list(User.objects.values_list("username", flat=True)) == ["maria"]
    assert Team.objects.get().pk == team.pk
    assert list(team.memberships.values_list("user__username", flat=True)) == ["maria"]
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_database_with_someone_who_signed_up() -> None:
    User.objects.create_user("maria", "maria@acme.test", "x")
    with pytest.raises(CommandError, match="1 user"):
        call_command("seed_demo")
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_it_does_not_take_a_demo_name_from_a_real_account() -> None:
    User.objects.create_user("alice", "alice@acme.test", "x")
    with pytest.raises(CommandError):
        call_command("seed_demo", "--force")
    assert not Team.objects.exists()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_with_force_it_adds_the_demo_beside_real_teams_never_into_them() -> None:
    team = _real_team()
    call_command("seed_demo", "--force")
    assert Team.objects.filter(name="Payments").count() == 2
    assert list(team.memberships.values_list("user__username", flat=True)) == ["maria"]
    assert not team.rounds.exists()


@pytest.mark.django_db
def test_make_run_goes_on_without_touching_a_real_database() -> None:
    _real_team()
    out = StringIO()
    call_command("seed_demo", "--skip-if-not-demo", stdout=out)
    assert "nothing was added" in out.getvalue()
    assert User.objects.count() == 1
    assert Team.objects.count() == 1


@pytest.mark.django_db
def test_it_makes_no_operator_with_the_published_password_in_production(
    settings: Settings,
) -> None:
    settings.DEBUG = False
    call_command("seed_demo")
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    call_command("seed_demo")  # and knows its own data the next time


@pytest.mark.django_db
def test_in_development_it_runs_again_on_its_own_data(
    settings: Settings,
) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    admin = User.objects.get(is_superuser=True)
    assert admin.check_password(call_command_output("--print-password"))
    counts = (User.objects.count(), Team.objects.count(), Round.objects.count())
    call_command("seed_demo")  # the second `make run`
    assert (User.objects.count(), Team.objects.count(), Round.objects.count()) == (
        counts
    )


def call_command_output(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue().strip()


# What `make run` says after seeding (seed_demo --print-accounts).


@pytest.mark.django_db
def test_make_run_names_no_demo_account_when_seeding_was_skipped() -> None:
    _real_team()
    call_command("seed_demo", "--skip-if-not-demo", stdout=StringIO())
    listed = call_command_output("--print-accounts")
    assert "alice" not in listed
    assert "admin" not in listed
    assert "mirror-demo" not in listed


@pytest.mark.django_db
def test_make_run_names_the_operator_only_where_the_demo_made_it(
    settings: Settings,
) -> None:
    settings.DEBUG = False
    call_command("seed_demo", stdout=StringIO())
    listed = call_command_output("--print-accounts")
    assert "alice  facilitator of the Payments and Mobile teams" in listed
    assert "cora" in listed
    assert "admin" not in listed
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8101"
    call_command("seed_demo", stdout=StringIO())
    assert "admin  operator, for http://127.0.0.1:8101/admin/" in (
        call_command_output("--print-accounts")
    )

"""What in the database the demo made, so that ``seed_demo`` never mixes its made-up
people and rounds into real teams.

The demo's accounts are the names it uses, each with the address
``<name>@example.com`` (a domain no one can own, RFC 2606); its teams are the names
it uses, with demo accounts as their only members. Anything else (a person who
signed up, a team made on the site, a demo-named team with a real member) was made
by someone else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import F, Q, Value
from django.db.models.functions import Concat

from teams.models import Membership, Team

DEMO_DOMAIN = "example.com"


@dataclass(frozen=True)
class Foreign:
    """How many users and teams in the database the demo did not make."""

    users: int
    teams: int

    def __bool__(self) -> bool:
        return bool(self.users or self.teams)


def demo_address(username: str) -> str:
    return f"{username}@{DEMO_DOMAIN}"


def _is_demo_user(usernames: Collection[str], prefix: str = "") -> Q:
    address = Concat(F(f"{prefix}username"), Value(f"@{DEMO_DOMAIN}"))
    return Q(**{f"{prefix}username__in": usernames, f"{prefix}email": address})


def foreign_data(*, usernames: Collection[str], team_names: Collection[str]) -> Foreign:
    """Count the users and teams that are not the demo's (``usernames`` and
    ``team_names``: every name the demo gives). Three queries, whatever the size of
    the database."""
    users = User.objects.exclude(_is_demo_user(usernames)).count()
    teams = (
        Team.objects.filter(
            ~Q(name__in=team_names)
            | Q(
                pk__in=Membership.objects.exclude(
                    _is_demo_user(usernames, "user__")
                ).values("team")
            )
        )
        .distinct()
        .count()
    )
    return Foreign(users=users, teams=teams)


class NotTheDemos(Exception):
    """An account with a demo name that the demo did not make (``--force``)."""


def demo_user(username: str, *, password: str = "") -> tuple[User, bool]:
    """The demo's account of this name, made if missing (with ``password``, a hash,
    when given); a real account that has the name is never used."""
    defaults = {"email": demo_address(username)}
    if password:
        defaults["password"] = password
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if user.email != demo_address(username):
        raise NotTheDemos(
            f"The account {username!r} exists and is not the demo's: the demo needs "
            "its name. Nothing was added."
        )
    return user, created


def demo_team(name: str, *, usernames: Collection[str]) -> Team | None:
    """The demo's team of this name, if there is one: a team of that name with
    demo accounts only. A real team that happens to share the name is never it."""
    real = Membership.objects.exclude(_is_demo_user(usernames, "user__")).values("team")
    return Team.objects.filter(name=name).exclude(pk__in=real).order_by("pk").first()

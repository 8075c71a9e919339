"""Demo data for trying Team Mirror locally. Safe to run again: it changes nothing
that is already there.

It refuses a database holding users or teams it did not make (a real install, see
``demo.ownership``) unless told ``--force``, and makes the operator account ``admin``
with the published password only in development (``DJANGO_DEBUG`` not false)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessments.services import team_start
from demo.coaches import COACH, COACHED_TEAMS, seed_coach_shares
from demo.ownership import (
    NotTheDemos,
    demo_address,
    demo_team,
    demo_user,
    foreign_data,
)
from demo.rounds import seed_rounds
from teams.models import Membership, Team

DEMO_PASSWORD = "mirror-demo"  # noqa: S105 - demo accounts only, printed by make run

# username -> (team name -> role)
DEMO_TEAMS = {
    "Payments": {
        "alice": Membership.Role.FACILITATOR,
        "bob": Membership.Role.MEMBER,
        "dan": Membership.Role.MEMBER,
        "erin": Membership.Role.MEMBER,
        "frank": Membership.Role.MEMBER,
        "grace": Membership.Role.MEMBER,
    },
    "Mobile": {
        "alice": Membership.Role.FACILITATOR,
        "heidi": Membership.Role.MEMBER,
        "ivan": Membership.Role.MEMBER,
        "judy": Membership.Role.MEMBER,
        "mallory": Membership.Role.MEMBER,
    },
    "Platform": {
        "carol": Membership.Role.FACILITATOR,
        "niaj": Membership.Role.MEMBER,
        "olivia": Membership.Role.MEMBER,
        "peggy": Membership.Role.MEMBER,
        "trent": Membership.Role.MEMBER,
    },
}
DESCRIPTIONS = {
    "Payments": "Card and bank payments for the checkout.",
    "Mobile": "The iOS and Android apps.",
    "Platform": "Shared infrastructure, CI and observability.",
}
ADMIN = "admin"
USERNAMES = (
    {name for team in DEMO_TEAMS.values() for name in team}
    | {COACH, ADMIN}
    | {name for lead, members, _ in COACHED_TEAMS.values() for name in (lead, *members)}
)
TEAM_NAMES = set(DEMO_TEAMS) | set(COACHED_TEAMS)
# What `make run` says of each account it names (``--print-accounts``).
ACCOUNTS = {
    "alice": "facilitator of the Payments and Mobile teams",
    "bob": "member of Payments",
    "carol": "facilitator of Platform, an outsider to Payments",
    COACH: "coach: six demo teams share their results with her (/coach/)",
    ADMIN: "operator, for {site}/admin/",
}


class Command(BaseCommand):
    help = "Create demo users, teams, rounds and answers (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-password",
            action="store_true",
            help="Only print the demo accounts' password.",
        )
        parser.add_argument(
            "--print-accounts",
            action="store_true",
            help="Only list the demo accounts this database has, with their "
            "password (what make run shows).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the demo even to a database holding users or teams it did not "
            "make (it still never joins them).",
        )
        parser.add_argument(
            "--skip-if-not-demo",
            action="store_true",
            help="On a database holding users or teams the demo did not make, say so "
            "and change nothing, without failing (what make run does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_password"]:
            self.stdout.write(DEMO_PASSWORD)
            return
        if options["print_accounts"]:
            self._print_accounts()
            return
        foreign = foreign_data(usernames=USERNAMES, team_names=TEAM_NAMES)
        if foreign and not options["force"]:
            message = (
                f"This database holds {foreign.users} user(s) and {foreign.teams} "
                "team(s) that seed_demo did not make: demo data is only for an empty "
                "database or one it seeded itself, so nothing was added. Use --force "
                "to add the demo beside them anyway (it never joins them)."
            )
            if options["skip_if_not_demo"]:
                self.stdout.write(self.style.WARNING(message))
                return
            raise CommandError(message)
        try:
            with transaction.atomic():
                users = self._users()
                teams = self._teams(users)
                self._extend(users, teams)
        except NotTheDemos as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def _print_accounts(self) -> None:
        """The accounts the demo made that are here: none when seeding was
        skipped (a real database), no ``admin`` where it was not made."""
        here = set(
            User.objects.filter(
                username__in=ACCOUNTS,
                email__in=[demo_address(name) for name in ACCOUNTS],
            ).values_list("username", flat=True)
        )
        if not here:
            self.stdout.write("No demo accounts: sign in with your own.")
            return
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for name, role in ACCOUNTS.items():
            if name in here:
                role = role.format(site=settings.SITE_URL)
                self.stdout.write(f"  {name:<6} {role}")

    def _users(self) -> dict[str, User]:
        names = {name for team in DEMO_TEAMS.values() for name in team} | {COACH}
        users: dict[str, User] = {}
        for name in sorted(names):
            user, created = demo_user(name)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            _confirm_address(user)
            users[name] = user
        self._admin()
        return users

    def _admin(self) -> None:
        """The operator account, with the published password: in development only.
        A production install makes its own (``manage.py createsuperuser``)."""
        if not settings.DEBUG:
            self.stdout.write(
                "No demo operator account: DJANGO_DEBUG is false, and its password "
                "is published. Use manage.py createsuperuser."
            )
            return
        admin, created = User.objects.get_or_create(
            username=ADMIN,
            defaults={
                "email": demo_address(ADMIN),
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        _confirm_address(admin)

    def _teams(self, users: dict[str, User]) -> dict[str, Team]:
        teams: dict[str, Team] = {}
        for team_name, roster in DEMO_TEAMS.items():
            team = demo_team(team_name, usernames=USERNAMES)
            if team is None:
                creator = next(
                    users[u]
                    for u, r in roster.items()
                    if r == Membership.Role.FACILITATOR
                )
                team = team_start(
                    name=team_name,
                    description=DESCRIPTIONS[team_name],
                    creator=creator,
                )
            for username, role in roster.items():
                Membership.objects.get_or_create(
                    team=team, user=users[username], defaults={"role": role}
                )
            teams[team_name] = team
        return teams

    def _extend(self, users: dict[str, User], teams: dict[str, Team]) -> None:
        seed_rounds(users, teams)
        seed_coach_shares(users, teams)


def _confirm_address(user: User) -> None:
    """Demo accounts sign in at once: their address counts as confirmed."""
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )

"""Demo data for trying Team Mirror locally. Safe to run again: it changes nothing
that is already there."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessments.services import team_start
from demo.coaches import seed_coach_shares
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


class Command(BaseCommand):
    help = "Create demo users, teams, rounds and answers (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-password",
            action="store_true",
            help="Only print the demo accounts' password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_password"]:
            self.stdout.write(DEMO_PASSWORD)
            return
        with transaction.atomic():
            users = self._users()
            teams = self._teams(users)
            self._extend(users, teams)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def _users(self) -> dict[str, User]:
        names = {name for team in DEMO_TEAMS.values() for name in team} | {"cora"}
        users: dict[str, User] = {}
        for name in sorted(names):
            user, created = User.objects.get_or_create(
                username=name, defaults={"email": f"{name}@example.com"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            _confirm_address(user)
            users[name] = user
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "email": "admin@example.com",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        _confirm_address(admin)
        return users

    def _teams(self, users: dict[str, User]) -> dict[str, Team]:
        teams: dict[str, Team] = {}
        for team_name, roster in DEMO_TEAMS.items():
            team = Team.objects.filter(name=team_name).first()
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

"""Demo rounds and answers for seed_demo."""

from __future__ import annotations

from django.contrib.auth.models import User

from teams.models import Team


def seed_rounds(users: dict[str, User], teams: dict[str, Team]) -> None:
    """Closed rounds with answers and one open round per demo team (idempotent)."""

"""Demo coach shares for seed_demo."""

from __future__ import annotations

from django.contrib.auth.models import User

from teams.models import Team


def seed_coach_shares(users: dict[str, User], teams: dict[str, Team]) -> None:
    """Share the demo teams with the demo coach, cora (idempotent)."""

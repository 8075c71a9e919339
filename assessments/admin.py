"""Operators manage the framework here, and see a team's dimensions and rounds.

Responses, ratings, notes and participations are deliberately not registered: the
admin must never show one person's answers (privacy invariant 2). A team's own
dimensions and its rounds are the team's: the admin shows them view-only, and every
change goes through the app, where the team's activity log records it.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from assessments.models import BuiltinDimension, Framework, Round, TeamDimension


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin[Framework]):
    list_display = ["name", "source"]


@admin.register(BuiltinDimension)
class BuiltinDimensionAdmin(admin.ModelAdmin[BuiltinDimension]):
    list_display = ["position", "name", "prompt"]
    ordering = ["position"]


@admin.register(TeamDimension)
class TeamDimensionAdmin(admin.ModelAdmin[TeamDimension]):
    list_display = ["team", "position", "name", "builtin", "archived"]
    list_filter = ["archived"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: TeamDimension | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: TeamDimension | None = None
    ) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    """Opening, closing, editing and deleting a round happen in the app, where the
    team's activity log records them: here a round is view-only."""

    list_display = ["title", "team", "state", "closes_at", "min_responses"]
    list_filter = ["state"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Round | None = None
    ) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Round | None = None
    ) -> bool:
        # Dates, title and minimum change in the app (the minimum only until the
        # first answer), where the team's activity log records it.
        return False

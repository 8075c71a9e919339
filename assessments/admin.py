"""Operators manage the framework and rounds here.

Responses, ratings, notes and participations are deliberately not registered: the
admin must never show one person's answers (privacy invariant 2).
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


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    """Opening, closing and deleting a round happen in the app, where the team's
    activity log records them: here the state and the team are read-only."""

    list_display = ["title", "team", "state", "closes_at", "min_responses"]
    list_filter = ["state"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Round | None = None
    ) -> bool:
        return False

    def get_readonly_fields(
        self, request: HttpRequest, obj: Round | None = None
    ) -> list[str]:
        fixed = ["team", "state", "opened_at", "closed_at", "data_version"]
        # Like the facilitator's settings page: the minimum is fixed once the first
        # answer is in, so that no one lowers it to see a smaller group.
        if obj is not None and obj.minimum_fixed():
            return [*fixed, "min_responses"]
        return fixed

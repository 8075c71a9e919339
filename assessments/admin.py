"""Operators manage the framework and rounds here.

Responses, ratings, notes and participations are deliberately not registered: the
admin must never show one person's answers (privacy invariant 2).
"""

from __future__ import annotations

from django.contrib import admin

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
    list_display = ["title", "team", "state", "closes_at", "min_responses"]
    list_filter = ["state"]
    readonly_fields = ["data_version"]

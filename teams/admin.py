"""The operator's view of teams: the admin obeys the team.

Who is in a team, who may see its results and the team's logs are read-only here:
no add, change or delete, no inline that adds a member. Every such change goes
through the app's services, where it is logged for the whole team to see.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from teams.models import (
    AccessLogEntry,
    ActivityEntry,
    CoachShare,
    Invitation,
    Membership,
    Team,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """View only, for every account, superusers included."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline[Membership, Team]):
    """Members shown on the team's page, read-only."""

    model = Membership
    extra = 0
    fields = ["user", "role", "joined"]
    readonly_fields = ["user", "role", "joined"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "created"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A team is started in the app, which makes its creator facilitator.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Its name, description and language change in the app, logged for the team.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a team would take its activity and access logs with it, unseen by
        # anyone: not from the admin (docs/security.md).
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["team", "user", "role", "joined"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["team", "label", "role", "created", "expires_at", "used_at"]
    list_filter = ["role"]
    exclude = ["token_hash"]


@admin.register(CoachShare)
class CoachShareAdmin(ReadOnlyAdmin):
    list_display = ["team", "coach", "include_notes", "created", "revoked_at"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["team", "action", "coach_name", "actor_name", "at"]


@admin.register(ActivityEntry)
class ActivityEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "team", "actor_name", "action"]
    list_filter = ["action"]

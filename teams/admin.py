from __future__ import annotations

from django.contrib import admin

from teams.models import AccessLogEntry, CoachShare, Invitation, Membership, Team


class MembershipInline(admin.TabularInline[Membership, Team]):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "created"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["team", "label", "role", "created", "expires_at", "used_at"]
    list_filter = ["role"]
    readonly_fields = ["token_hash", "used_at", "used_by"]


@admin.register(CoachShare)
class CoachShareAdmin(admin.ModelAdmin[CoachShare]):
    list_display = ["team", "coach", "include_notes", "created", "revoked_at"]
    raw_id_fields = ["coach"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin[AccessLogEntry]):
    list_display = ["team", "action", "coach_name", "actor_name", "at"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

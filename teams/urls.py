from __future__ import annotations

from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("", views.index, name="index"),
    path("email-settings/", views.email_settings, name="email_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("teams/<uuid:code>/", views.detail, name="detail"),
    path("teams/<uuid:code>/edit/", views.edit, name="edit"),
    path("teams/<uuid:code>/members/", views.members, name="members"),
    path("teams/<uuid:code>/members/invite/", views.invite, name="invite"),
    path(
        "teams/<uuid:code>/members/invite-email/",
        views.invite_email,
        name="invite_email",
    ),
    path(
        "teams/<uuid:code>/invitations/<uuid:invitation>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "teams/<uuid:code>/members/<uuid:member>/role/",
        views.change_role,
        name="change_role",
    ),
    path(
        "teams/<uuid:code>/members/<uuid:member>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("teams/<uuid:code>/activity/", views.activity, name="activity"),
    path("teams/<uuid:code>/sharing/", views.sharing, name="sharing"),
    path("teams/<uuid:code>/sharing/add/", views.share_add, name="share_add"),
    path(
        "teams/<uuid:code>/sharing/<uuid:share>/notes/",
        views.share_notes,
        name="share_notes",
    ),
    path(
        "teams/<uuid:code>/sharing/<uuid:share>/revoke/",
        views.share_revoke,
        name="share_revoke",
    ),
    path("coach-invitation/", views.coach_invitation, name="coach_invitation"),
    path("coach-invitation/<str:token>/", views.coach_token, name="coach_token"),
    path("join/", views.join, name="join"),
    path("join/<str:token>/", views.join_token, name="join_token"),
]

from __future__ import annotations

from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    # Facilitators
    path("rounds/<uuid:code>/stakeholders/", views.manage, name="manage"),
    path(
        "rounds/<uuid:code>/stakeholders/link/", views.link_create, name="link_create"
    ),
    path(
        "rounds/<uuid:code>/stakeholders/link/revoke/",
        views.link_revoke,
        name="link_revoke",
    ),
    path("rounds/<uuid:code>/stakeholders/invite/", views.invite, name="invite"),
    path(
        "rounds/<uuid:code>/stakeholders/invitations/revoke/",
        views.invitations_revoke,
        name="invitations_revoke",
    ),
    path("teams/<uuid:code>/stakeholder-groups/", views.groups, name="groups"),
    # Stakeholders, without an account
    path("s/", views.answer, name="answer"),
    path("s/more-notes/", views.more_notes, name="more_notes"),
    path("s/thanks/", views.thanks, name="thanks"),
    path("s/<str:token>/", views.token, name="token"),
]

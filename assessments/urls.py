from __future__ import annotations

from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("anonymity/", views.anonymity, name="anonymity"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<uuid:code>/start/invite/", views.start_invite, name="start_invite"),
    path(
        "teams/<uuid:code>/start/dimensions/",
        views.start_dimensions,
        name="start_dimensions",
    ),
    path("teams/<uuid:code>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<uuid:code>/", views.round_detail, name="round"),
    path("rounds/<uuid:code>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<uuid:code>/open/", views.round_open, name="round_open"),
    path("rounds/<uuid:code>/close/", views.round_close, name="round_close"),
    path("rounds/<uuid:code>/delete/", views.round_delete, name="round_delete"),
    path("rounds/<uuid:code>/answer/", views.answer, name="answer"),
    path(
        "rounds/<uuid:code>/answer/more-notes/",
        views.answer_more_notes,
        name="answer_more_notes",
    ),
    path("teams/<uuid:code>/dimensions/", views.dimension_list, name="dimensions"),
    path("teams/<uuid:code>/schedule/", views.schedule_edit, name="schedule"),
    path(
        "teams/<uuid:code>/dimensions/new/",
        views.dimension_create,
        name="dimension_create",
    ),
    path(
        "teams/<uuid:code>/dimensions/<uuid:dimension>/edit/",
        views.dimension_edit,
        name="dimension_edit",
    ),
    path(
        "teams/<uuid:code>/dimensions/<uuid:dimension>/hide/",
        views.dimension_hide,
        name="dimension_hide",
    ),
    path(
        "teams/<uuid:code>/dimensions/<uuid:dimension>/show/",
        views.dimension_show,
        name="dimension_show",
    ),
    path(
        "teams/<uuid:code>/dimensions/<uuid:dimension>/reset/",
        views.dimension_reset,
        name="dimension_reset",
    ),
]

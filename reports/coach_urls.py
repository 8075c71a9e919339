from __future__ import annotations

from django.urls import path

from reports import coach_views

app_name = "coach"

urlpatterns = [
    path("coach/", coach_views.dashboard, name="dashboard"),
    path("coach/themes/", coach_views.themes, name="themes"),
    path("coach/themes/notes/", coach_views.theme_notes, name="theme_notes"),
]

from __future__ import annotations

from django.urls import path

from coach import views

app_name = "coach"

urlpatterns = [
    path("coach/", views.dashboard, name="dashboard"),
    path("coach/themes/", views.themes, name="themes"),
    path("coach/themes/notes/", views.theme_notes, name="theme_notes"),
]

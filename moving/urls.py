from __future__ import annotations

from django.urls import path

from moving import views

app_name = "moving"

urlpatterns = [
    path("teams/import/", views.team_import, name="import"),
    path("teams/<uuid:code>/move/", views.move, name="move"),
    path("teams/<uuid:code>/move/team.json", views.archive_download, name="archive"),
]

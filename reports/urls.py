from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("rounds/<uuid:code>/report/", views.round_report, name="round"),
    path(
        "rounds/<uuid:code>/report/radar.svg",
        views.radar,
        {"fmt": "svg"},
        name="radar_svg",
    ),
    path(
        "rounds/<uuid:code>/report/radar.png",
        views.radar,
        {"fmt": "png"},
        name="radar_png",
    ),
    path("rounds/<uuid:code>/report/report.csv", views.round_csv, name="csv"),
    path(
        "rounds/<uuid:code>/report/notes.csv", views.round_notes_csv, name="notes_csv"
    ),
    path("rounds/<uuid:code>/report/report.pdf", views.round_pdf, name="pdf"),
    path("rounds/<uuid:code>/themes/", views.round_themes, name="themes"),
    path(
        "rounds/<uuid:code>/themes/confirm/",
        views.round_themes_confirm,
        name="themes_confirm",
    ),
    path(
        "rounds/<uuid:code>/themes/reset/",
        views.round_themes_reset,
        name="themes_reset",
    ),
    path(
        "rounds/<uuid:code>/themes/move/", views.theme_note_move, name="theme_note_move"
    ),
    path(
        "rounds/<uuid:code>/themes/<uuid:theme>/rename/",
        views.theme_rename,
        name="theme_rename",
    ),
    path(
        "rounds/<uuid:code>/themes/<uuid:theme>/merge/",
        views.theme_merge,
        name="theme_merge",
    ),
    path("teams/<uuid:code>/overview/", views.team_overview, name="team"),
    path(
        "teams/<uuid:code>/overview/history.json",
        views.team_history,
        name="history_json",
    ),
    path(
        "teams/<uuid:code>/overview/trends.svg",
        views.trends_chart,
        name="trends_svg",
    ),
]

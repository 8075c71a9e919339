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
    path("rounds/<uuid:code>/report/report.pdf", views.round_pdf, name="pdf"),
    path("teams/<uuid:code>/overview/", views.team_overview, name="team"),
    path(
        "teams/<uuid:code>/overview/trends.svg",
        views.trends_chart,
        name="trends_svg",
    ),
]

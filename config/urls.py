from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("teams.account_urls")),
    path("", include("teams.urls")),
    path("", include("assessments.urls")),
    path("", include("stakeholders.urls")),
    path("", include("reports.urls")),
    path("", include("coach.urls")),
    path("", include("retro.urls")),
    path("", include("api.urls")),
    path("", include("moving.urls")),
]

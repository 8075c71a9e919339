"""The application's URLs plus the baseline of the answer benchmarks: a bare Django
endpoint that inserts 12 rows in one transaction (BEGIN, one INSERT, COMMIT) and
redirects, as an answer POST does. It lives here only, never in the app's URLs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as app_urlpatterns

ROWS = 12


@csrf_exempt
@login_not_required
@require_POST
def bare(request: HttpRequest) -> HttpResponse:
    level = int(request.POST.get("level", "2"))
    values = ", ".join(["(%s, %s)"] * ROWS)
    params: list[int] = []
    for dimension in range(1, ROWS + 1):
        params += [dimension, level]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO bench_row (dimension, level) VALUES {values}",  # noqa: S608
            params,
        )
    return HttpResponseRedirect("/bench/bare/done/")


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]

"""The password-reset request does the same work for a known and an unknown
address: it queues a task and sends nothing itself (issue 24 point 9)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture
from pytest_django.fixtures import Settings

URL = "/accounts/password/reset/"


def _request(address: str, capture: Capture) -> tuple[object, list[str]]:
    cache.clear()  # the same rate-limit state for both
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        r = Client().post(URL, {"email": address})
    return r, [_shape(q["sql"], address) for q in queries.captured_queries]


def _shape(sql: str, address: str) -> str:
    """The query with the address, the new task's id and the time left out."""
    sql = sql.replace(address, "<address>")
    sql = re.sub(r"'[0-9a-f]{32}'", "<id>", sql)
    return re.sub(r"'\d{4}-\d\d-\d\d[ T][\d:.+]+'", "<time>", sql)


def test_the_request_sends_no_mail_and_runs_the_same_queries(
    settings: Settings, bob: User, django_capture_on_commit_callbacks: Capture
) -> None:
    """It answered in 56-73 ms for an account's address and 5-8 ms for an unknown
    one: it looked the account up and sent the email in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    known, known_sql = _request("bob@example.com", django_capture_on_commit_callbacks)
    unknown, unknown_sql = _request(
        "nobody@example.com", django_capture_on_commit_callbacks
    )
    assert known.status_code == unknown.status_code == 302  # type: ignore[attr-defined]
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"  # type: ignore[index]
    assert not mail.outbox
    assert known_sql == unknown_sql
    assert not any("auth_user" in sql for sql in known_sql)
    assert DBTaskResult.objects.count() == 2  # one queued task each


def test_the_task_sends_the_link_to_an_account_only(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    bob: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for address in ("BOB@example.com", "nobody@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(URL, {"email": address})
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    # The finished task rows keep no address, and look the same either way.
    rows = list(
        DBTaskResult.objects.values_list("status", "args_kwargs", "return_value")
    )
    assert rows[0] == rows[1]
    assert "example.com" not in str(rows)
    link = re.search(
        r"http://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body
    )
    assert link is not None
    r = Client().get(link.group(1), follow=True)
    assert "new password" in r.text.lower()

"""``manage.py check --deploy``: the key answers are sealed with (docs/anonymity.md,
"How answers are stored"), the rounds whose held answers it cannot open
(docs/operations.md, "The sealing key") and whether the scheduled work runs ("The
scheduled work and its heartbeat"). Only with ``--deploy``: the held-answers check
opens every held answer, and checks run before every management command
(``run_schedule`` from cron, ``migrate``, ``runserver``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError, connection
from django.utils import timezone

MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def sealing_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key: str = settings.ANSWER_SEALING_KEY
    hint = (
        "Set ANSWER_SEALING_KEY to a long random value kept in your secret store, "
        "apart from database backups, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`. Set it "
        "before the first round opens, or while no round is open: answers sealed "
        "with the old key need it in ANSWER_SEALING_KEY_FALLBACKS until released."
    )
    if not key:
        return [
            Warning(
                "ANSWER_SEALING_KEY is not set: answers are sealed with a key "
                "derived from DJANGO_SECRET_KEY, so rotating the secret key without "
                "DJANGO_SECRET_KEY_FALLBACKS makes the answers of open rounds "
                "unreadable.",
                hint=hint,
                id="assessments.W001",
            )
        ]
    if len(key) < MIN_KEY_LENGTH or key == settings.SECRET_KEY:
        return [
            Warning(
                f"ANSWER_SEALING_KEY is shorter than {MIN_KEY_LENGTH} characters "
                "or the same as DJANGO_SECRET_KEY.",
                hint=hint,
                id="assessments.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def held_answers_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every round holding an answer that no configured key opens, by name (never
    the answers). Says nothing before the tables exist or when the database cannot
    be reached (``migrate`` on a new database, a build step)."""
    from assessments.models import SealedAnswer
    from assessments.services import rounds_unopenable

    try:
        if SealedAnswer._meta.db_table not in connection.introspection.table_names():
            return []
        rounds = rounds_unopenable()
    except DatabaseError:
        return []
    return [
        Warning(
            f"The answers held for round “{round.title}” of team "
            f"“{round.team.name}” ({round.code}) cannot be opened with "
            "ANSWER_SEALING_KEY or its fallbacks: its results wait for the "
            "operator.",
            hint="Put the key they were sealed with in ANSWER_SEALING_KEY_FALLBACKS "
            "(or the old secret key in DJANGO_SECRET_KEY_FALLBACKS), restart, then "
            "run `manage.py sealing_key rotate` (docs/operations.md, "
            '"The sealing key").',
            id="assessments.W003",
        )
        for round in rounds
    ]


@register(Tags.security, deploy=True)
def heartbeat_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Whether the scheduled work runs: without it, rounds past their closing date
    are not closed and their results not released. Silent on a database without
    tables or out of reach, and while there is nothing for it to do."""
    from assessments.models import Heartbeat
    from assessments.schedule import HEARTBEAT_STALE, schedule_late

    try:
        if Heartbeat._meta.db_table not in connection.introspection.table_names():
            return []
        late, last = schedule_late()
    except DatabaseError:
        return []
    if not late:
        return []
    since = (
        "has never run"
        if last is None
        else f"has not run since {timezone.localtime(last):%Y-%m-%d %H:%M %Z}"
    )
    return [
        Warning(
            f"The scheduled work (manage.py run_schedule) {since}: rounds past "
            "their closing date are not closed and their results are not released "
            f"(it should run at least every {HEARTBEAT_STALE.seconds // 60} minutes).",
            hint="Run `manage.py run_schedule --every 60` as a service next to "
            "`manage.py db_worker` (or from cron every minute): docs/operations.md, "
            '"The scheduled work and its heartbeat".',
            id="assessments.W004",
        )
    ]

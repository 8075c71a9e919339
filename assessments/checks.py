"""``manage.py check --deploy``: the key answers are sealed with (docs/anonymity.md,
"How answers are stored")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

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

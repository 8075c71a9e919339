"""``manage.py sealing_key rotate`` also seals again the addresses that queued
invitation and reminder emails carry, so that the old key can leave the settings
before a reminder due in days is sent (issue 25 item 1)."""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from assessments import sealing
from assessments.services import sealing_keys
from stakeholders.tasks import ADDRESS_PURPOSE, remind_stakeholder, seal_address

OLD = "old-sealing-key-" + "o" * 40
NEW = "new-sealing-key-" + "n" * 40


def test_rotation_seals_queued_addresses_again(settings: Settings, db: None) -> None:
    settings.ANSWER_SEALING_KEY = OLD
    settings.ANSWER_SEALING_KEY_FALLBACKS = []
    settings.SECRET_KEY_FALLBACKS = []
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    remind_stakeholder.enqueue(
        invitation="not-yet", sealed_address=seal_address("dana@example.com")
    )
    settings.ANSWER_SEALING_KEY_FALLBACKS = [OLD]
    settings.ANSWER_SEALING_KEY = NEW
    out = io.StringIO()
    call_command("sealing_key", "rotate", stdout=out)
    assert "1 other sealed value(s)" in out.getvalue()

    settings.ANSWER_SEALING_KEY_FALLBACKS = []  # the old key is gone
    value = DBTaskResult.objects.get().args_kwargs["kwargs"]["sealed_address"]
    opened = sealing.clear(value, keys=sealing_keys(), purpose=ADDRESS_PURPOSE)
    assert opened == "dana@example.com"

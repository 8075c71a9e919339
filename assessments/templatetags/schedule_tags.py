"""``{% schedule_warning %}``: what the staff's admin index says when the scheduled
work has stopped (``assessments.schedule.schedule_late``). Reads only."""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext

from assessments.schedule import schedule_late

register = template.Library()


@register.simple_tag
def schedule_warning() -> str:
    late, last = schedule_late()
    if not late:
        return ""
    if last is None:
        return gettext(
            "The scheduled work (manage.py run_schedule) has never run: rounds past "
            "their closing date are not closed and their results are not released "
            "until it does. See docs/operations.md, “The scheduled work and its "
            "heartbeat”."
        )
    return gettext(
        "The scheduled work (manage.py run_schedule) has not run since %(when)s: "
        "rounds past their closing date are not closed and their results are not "
        "released until it does. See docs/operations.md, “The scheduled work and "
        "its heartbeat”."
    ) % {"when": formats.date_format(timezone.localtime(last), "DATETIME_FORMAT")}

"""The shared screen of the retro: the join code, its QR code, the soft timer.

The join code is a short, human-typable code for one running retro. It lets
nobody in: it only finds the retro among the user's own teams (a member of
another team who types it gets "not found"), and stops working when the retro is
closed. The timer is a facilitator's time box for the dimension under
discussion, shown to everyone and never enforced.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from django.db import IntegrityError, transaction
from django.utils import timezone

from retro.models import RetroSession

# No 0/O, 1/I/L: easy to read off a projector and to type.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 6
TIMER_MAX_MINUTES = 60


def _new_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def join_code_for(session: RetroSession) -> str:
    """The running retro's join code, made on first use."""
    if session.join_code:
        return session.join_code
    for _attempt in range(10):
        code = _new_code()
        try:
            with transaction.atomic():
                updated = RetroSession.objects.filter(
                    pk=session.pk, join_code__isnull=True
                ).update(join_code=code)
        except IntegrityError:
            continue
        if not updated:
            session.refresh_from_db(fields=["join_code"])
            return str(session.join_code)
        session.join_code = code
        return code
    raise RuntimeError("no free join code")  # pragma: no cover


def normalize(code: str) -> str:
    """What the person typed, as stored: upper case, without spaces or dashes."""
    return "".join(c for c in code.upper() if c not in " -\t")


def find_running(code: str, user_id: int) -> RetroSession | None:
    """The running retro with this join code in one of the user's teams; None
    for anything else (unknown, closed, or another team's: all alike)."""
    code = normalize(code)
    if len(code) != JOIN_LENGTH:
        return None
    return (
        RetroSession.objects.filter(
            join_code=code,
            finished_at__isnull=True,
            round__team__memberships__user_id=user_id,
        )
        .select_related("round")
        .first()
    )


def qr_svg(url: str, title: str) -> str:
    """The URL as a QR code, an inline SVG rendered on the server."""
    return str(
        segno.make(url, error="m").svg_inline(
            scale=6, border=2, title=title, dark="#000", light="#fff"
        )
    )


def timer_set(*, session: RetroSession, minutes: int) -> None:
    """Start (or, with 0, clear) the time box of the dimension under discussion."""
    if minutes:
        session.timer_ends_at = timezone.now() + timedelta(minutes=minutes)
        session.timer_index = session.discuss_index
    else:
        session.timer_ends_at = None
        session.timer_index = None
    session.save(update_fields=["timer_ends_at", "timer_index"])
    session.bump()


@dataclass(frozen=True)
class Timer:
    ends_at: datetime
    minutes_left: int  # rounded up; 0 once the time is up

    @property
    def over(self) -> bool:
        return self.minutes_left == 0

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.ends_at - timezone.now()).total_seconds()))


def poll_version(session: RetroSession) -> str:
    """What a page following the retro sends back when it polls, to be told
    "nothing new" (204): the session's version and, while a time box is on screen,
    the minutes it shows, so that the countdown and "time box is up" reach every
    page although nothing else moved."""
    shown = timer(session)
    if shown is None:
        return str(session.version)
    return f"{session.version}-{shown.minutes_left}"


def timer(session: RetroSession) -> Timer | None:
    """The time box of the dimension on screen, if the facilitator set one."""
    if (
        session.step != RetroSession.Step.DISCUSS
        or session.timer_ends_at is None
        or session.timer_index != session.discuss_index
    ):
        return None
    left = (session.timer_ends_at - timezone.now()).total_seconds()
    return Timer(session.timer_ends_at, max(0, math.ceil(left / 60)))

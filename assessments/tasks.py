"""Background tasks about a round: its emails (open, reminders, results ready), and
closing the rounds past their closing date at that date.

Run in ``manage.py db_worker`` in production (``TASKS_BACKEND``) and at once in
development. The email task's arguments are the round's code and the kind of email:
the queue holds no address, no name and no list of who has or has not answered. Who
gets it is decided when it runs, and each person gets an email of their own.
(``close_due_rounds``, which closes rounds at their closing date, lives in
``assessments.services`` beside what it calls.)
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Eligibility, Participation, Round, RoundEmail
from teams.models import EmailPreference, LanguagePreference
from teams.text import one_line, quoted

REMINDERS = {RoundEmail.Kind.REMINDER, RoundEmail.Kind.LAST_CALL}


class RoundEmailNotSent(Exception):
    """The mailer failed. Only the kind of failure is kept: the mailer's error names
    the address, which must not reach a log line or the task's stored result."""


def recipients(round: Round, kind: str) -> QuerySet[User]:
    """Who gets this email: the team's current members with an address who have not
    turned it off; for a reminder, only those on the round's roster (members when
    it opened: a later joiner cannot answer it) who have not answered it. The one
    place that decides it."""
    users = User.objects.filter(
        memberships__team_id=round.team_id, is_active=True
    ).exclude(email="")
    opted_out = EmailPreference.objects.filter(user=OuterRef("pk"))
    if kind in REMINDERS:
        users = users.exclude(Exists(opted_out.filter(reminders=False)))
        answered = Participation.objects.filter(round=round, user=OuterRef("pk"))
        users = users.exclude(Exists(answered))
        on_roster = Eligibility.objects.filter(round=round, user=OuterRef("pk"))
        users = users.filter(Exists(on_roster))
    else:
        users = users.exclude(Exists(opted_out.filter(news=False)))
    return users.distinct().order_by("?")


@task()
def send_round_email(*, round: str, kind: str) -> None:
    """Send one kind of email about a round, once: the task first marks the round's
    ``RoundEmail`` as sent, so a second task for it (another worker, a retry) sends
    nothing. A reminder for a round that no longer takes answers is dropped.
    Returns nothing, so that no finished task row tells how many were reminded."""
    marker = RoundEmail.objects.filter(
        round__code=round, kind=kind, sent_at__isnull=True
    )
    if not marker.update(sent_at=timezone.now()):
        return
    found = Round.objects.select_related("team").get(code=round)
    if kind in REMINDERS and not found.is_open():
        return
    path = (
        reverse("reports:round", args=[found.code])
        if kind == RoundEmail.Kind.RESULTS
        else reverse("assessments:answer", args=[found.code])
    )
    context = {
        "url": settings.SITE_URL + path,
        "settings_url": settings.SITE_URL + reverse("teams:email_settings"),
    }
    failures: list[str] = []
    # Each in their own language (docs/languages.md), else the team's.
    chosen = LanguagePreference.objects.filter(user=OuterRef("pk")).exclude(language="")
    users = recipients(found, kind).annotate(
        language=Subquery(chosen.values("language")[:1])
    )
    for user in users:
        preference = EmailPreference.for_user(user)
        unsubscribe = settings.SITE_URL + reverse(
            "teams:unsubscribe", args=[preference.unsubscribe_token()]
        )
        try:
            with translation.override(user.language or found.team.language):
                _send(
                    user.email,
                    kind,
                    {
                        **context,
                        # Quoted in the recipient's language's marks.
                        "team": quoted(found.team.name),
                        "round": quoted(found.title),
                        "until": found.until_words(),
                        "unsubscribe_url": unsubscribe,
                    },
                )
        except Exception as error:  # one bad address must not stop the others
            failures.append(type(error).__name__)
    if failures:
        raise RoundEmailNotSent(", ".join(sorted(set(failures))))


def _send(address: str, kind: str, context: dict[str, object]) -> None:
    template = f"assessments/email/{kind}"
    subject = one_line(render_to_string(f"{template}_subject.txt", context))
    body = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        to=[address],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
    )
    message.attach_alternative(html, "text/html")
    message.send()

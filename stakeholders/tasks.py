"""Background tasks: the stakeholder invitation emails.

They run in ``manage.py db_worker`` in production (``TASKS_BACKEND``) and at once in
development. Arguments go through JSON, so they are plain strings.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from assessments import sealing
from assessments.models import StakeholderInvitation, until_words
from assessments.services import sealing_keys
from teams.models import hash_token, new_token
from teams.text import one_line, quoted


class InvitationNotSent(Exception):
    """The mailer failed. Only the kind of failure is kept: the mailer's own error
    (and the server's reply in it) names the address, which must not reach a log
    line or the task's stored result."""


ADDRESS_PURPOSE = "stakeholder-invitation-address"


def seal_address(address: str) -> str:
    """The address as the task queue stores it: encrypted with the sealing key."""
    return sealing.opaque(address, key=sealing_keys()[0], purpose=ADDRESS_PURPOSE)


def addresses_reseal(**kwargs: object) -> int:
    """Seal again under the current key the addresses of the emails still queued
    (``manage.py sealing_key rotate``, through ``signals.sealing_key_rotated``), so
    that the old key can leave the settings before a reminder due in days is sent.
    Returns how many."""
    keys = sealing_keys()
    count = 0
    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, args_kwargs__kwargs__has_key="sealed_address"
    )
    for pk, args_kwargs in queued.values_list("pk", "args_kwargs"):
        try:
            address = sealing.clear(
                args_kwargs["kwargs"]["sealed_address"],
                keys=keys,
                purpose=ADDRESS_PURPOSE,
            )
        except sealing.SealBroken:
            continue  # the old key is not in the fallbacks: left as it is
        args_kwargs["kwargs"]["sealed_address"] = sealing.opaque(
            address, key=keys[0], purpose=ADDRESS_PURPOSE
        )
        count += DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.READY
        ).update(args_kwargs=args_kwargs)
    return count


@task()
def send_stakeholder_invitation(
    *, invitation: str, address: str = "", sealed_address: str = ""
) -> bool:
    """Email one single-use link. Returns False, sending nothing, when the invitation
    was revoked or used or its round closed before the task ran.

    The token is made here, not when the invitation was created, so that the task
    queue (a database table in production) never holds a usable link. The address
    comes encrypted (``sealed_address``, from ``seal_address``), and once the email
    is sent the task's stored arguments are blanked: a finished task row holds no
    address, not even encrypted.
    """
    if sealed_address:
        address = sealing.clear(
            sealed_address, keys=sealing_keys(), purpose=ADDRESS_PURPOSE
        )
    with translation.override(translation.get_language()):  # restored after
        sent = _send(address=address, invitation=invitation)
    if sealed_address:
        DBTaskResult.objects.filter(
            args_kwargs__kwargs__sealed_address=sealed_address
        ).update(args_kwargs={"args": [], "kwargs": {}})
    return sent


def _send(*, address: str, invitation: str) -> bool:
    token = new_token()
    found = StakeholderInvitation.objects.usable().filter(code=invitation)
    if not found.update(token_hash=hash_token(token)):
        return False
    round_title, team_name, closes_at, language = found.values_list(
        "round__title", "round__team__name", "round__closes_at", "round__team__language"
    ).get()
    # A stakeholder has no account: the team's language (docs/languages.md).
    translation.activate(language)
    # The team's own words, quoted as data: never the sentence of the email.
    context = {
        "team": quoted(team_name),
        "round": quoted(round_title),
        "until": until_words(closes_at),
        "url": settings.SITE_URL + reverse("stakeholders:token", args=[token]),
    }
    subject = render_to_string("stakeholders/invitation_subject.txt", context)
    body = render_to_string("stakeholders/invitation_email.txt", context)
    try:
        EmailMessage(one_line(subject), body, to=[address]).send()
    except Exception as error:
        raise InvitationNotSent(type(error).__name__) from None
    return True


@task()
def remind_stakeholder(*, invitation: str, sealed_address: str) -> None:
    """The day before the round closes, remind a person invited by email who has not
    answered yet, with a fresh link (the first one stops working: only one token
    per invitation is kept). Sent once: the invitation is marked reminded in the
    same update that stores the new token's hash. The address comes encrypted, as
    for the invitation, and the task's stored arguments are blanked once it ran.
    Returns nothing, so that no finished task row tells whether this person had
    answered."""
    address = sealing.clear(
        sealed_address, keys=sealing_keys(), purpose=ADDRESS_PURPOSE
    )
    try:
        with translation.override(translation.get_language()):  # restored after
            _remind(address=address, invitation=invitation)
    finally:
        DBTaskResult.objects.filter(
            args_kwargs__kwargs__sealed_address=sealed_address
        ).update(args_kwargs={"args": [], "kwargs": {}})


def _remind(*, address: str, invitation: str) -> None:
    token = new_token()
    found = StakeholderInvitation.objects.usable().filter(
        code=invitation, reminded=False
    )
    if not found.update(token_hash=hash_token(token), reminded=True):
        return
    round_title, team_name, closes_at, language = (
        found.model.objects.filter(code=invitation)
        .values_list(
            "round__title",
            "round__team__name",
            "round__closes_at",
            "round__team__language",
        )
        .get()
    )
    translation.activate(language)
    context = {
        "team": quoted(team_name),
        "round": quoted(round_title),
        "until": until_words(closes_at),
        "url": settings.SITE_URL + reverse("stakeholders:token", args=[token]),
    }
    subject = render_to_string("stakeholders/reminder_subject.txt", context)
    body = render_to_string("stakeholders/reminder_email.txt", context)
    try:
        EmailMessage(one_line(subject), body, to=[address]).send()
    except Exception as error:
        raise InvitationNotSent(type(error).__name__) from None

"""Background tasks: the team and coach invitation emails, and password reset.

Runs in ``manage.py db_worker`` in production (``TASKS_BACKEND``) and at once in
development. Its only argument is the invitation's code: the address is read from
the invitation, so neither the queue nor a finished task row holds an address.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from teams.models import (
    CoachInvitation,
    Invitation,
    hash_token,
    language_of,
    new_token,
)
from teams.text import one_line, quoted

_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)://")
_WWW = re.compile(r"(?i)\bwww\.")


def _as_data(name: str, limit: int = 60) -> str:
    """A team's name for the inside of the email templates' own quotation marks:
    one line, at most ``limit`` characters, ``scheme://`` and ``www.`` broken so
    that no mail client makes it a link (as ``teams.text.quoted`` does)."""
    text = " ".join(name.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _WWW.sub("www[.]", _SCHEME.sub(r"\1[:]//", text))


class InvitationNotSent(Exception):
    """The mailer failed. Only the kind of failure is kept: the mailer's error names
    the address, which must not reach a log line or the task's stored result."""


@task()
def send_team_invitation(*, invitation: str) -> bool:
    """Email one single-use join link. Returns False, sending nothing, when the
    invitation was revoked, used or expired before the task ran. The token is made
    here, so the queue never holds a usable link."""
    token = new_token()
    found = Invitation.objects.usable().filter(code=invitation)
    if not found.update(token_hash=hash_token(token)):
        return False
    address, team_name, inviter, expires_at, language = found.values_list(
        "label", "team__name", "created_by__username", "expires_at", "team__language"
    ).get()
    context = {
        # Data inside the templates' own quotes: one line, no link.
        "team": _as_data(team_name),
        "inviter": inviter or "",
        "expires_at": expires_at,
        "url": settings.SITE_URL + reverse("teams:join_token", args=[token]),
    }
    # The recipient has no setting yet: the team's language.
    with translation.override(language):
        return _send(address, "teams/invitation", context)


@task()
def send_coach_invitation(*, invitation: str) -> bool:
    """Email a person without an account the link to sign up and see the team's
    results. Same rules as ``send_team_invitation``: only the code passes through
    the queue; the token is made here."""
    token = new_token()
    found = CoachInvitation.objects.usable().filter(code=invitation)
    if not found.update(token_hash=hash_token(token)):
        return False
    address, team_name, inviter, expires_at, language = found.values_list(
        "email", "team__name", "created_by__username", "expires_at", "team__language"
    ).get()
    context = {
        # Data inside the templates' own quotes: one line, no link.
        "team": _as_data(team_name),
        "inviter": inviter or "",
        "expires_at": expires_at,
        "url": settings.SITE_URL + reverse("teams:coach_token", args=[token]),
    }
    # The recipient has no setting yet: the team's language.
    with translation.override(language):
        return _send(address, "teams/coach_invitation", context)


def _send(address: str, template: str, context: dict[str, object]) -> bool:
    """Render ``<template>_subject.txt`` and ``<template>_email.txt`` and send them
    to one address. A mailer failure keeps only its kind (see InvitationNotSent)."""
    # The inviter's username is data too: quoted in the email's language, links
    # broken (a username such as www.evil-login.example was a link).
    inviter = str(context.get("inviter") or "")
    context = {**context, "inviter": quoted(inviter, limit=150) if inviter else ""}
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_email.txt", context)
    try:
        EmailMessage(one_line(subject), body, to=[address]).send()
    except Exception as error:
        raise InvitationNotSent(type(error).__name__) from None
    return True


class PasswordResetNotSent(Exception):
    """The mailer failed; only the kind of failure is kept (see InvitationNotSent)."""


@task()
def send_password_reset(*, email: str, language: str = "") -> None:
    """Email a link to choose a new password to each active account with this
    address that has a usable password; to nobody if there is none. The request
    only queues this task, so that it does the same work, in the same time,
    whether or not an account has the address. The address is blanked from the
    task's stored arguments once it ran. Returns nothing, so that no finished task
    row tells whether an account had the address."""
    try:
        _send_password_reset(email=email, language=language)
    finally:
        DBTaskResult.objects.filter(args_kwargs__kwargs__email=email).update(
            args_kwargs={"args": [], "kwargs": {}}
        )


def _send_password_reset(*, email: str, language: str) -> None:
    site = urlsplit(settings.SITE_URL)
    failures: list[str] = []
    for user in PasswordResetForm().get_users(email):
        context = {
            "email": email,
            "domain": site.netloc,
            "site_name": site.netloc,
            "protocol": site.scheme or "https",
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
        }
        with translation.override(language_of(user) or language or None):
            subject = render_to_string(
                "registration/password_reset_subject.txt", context
            )
            body = render_to_string("registration/password_reset_email.html", context)
        try:
            EmailMessage(one_line(subject), body, to=[user.email]).send()
        except Exception as error:  # one bad address must not stop the others
            failures.append(type(error).__name__)
    if failures:
        raise PasswordResetNotSent(", ".join(sorted(set(failures))))

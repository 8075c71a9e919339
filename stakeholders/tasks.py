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

from assessments.models import StakeholderInvitation
from teams.models import hash_token, new_token
from teams.text import quoted


class InvitationNotSent(Exception):
    """The mailer failed. Only the kind of failure is kept: the mailer's own error
    (and the server's reply in it) names the address, which must not reach a log
    line or the task's stored result."""


@task()
def send_stakeholder_invitation(*, address: str, invitation: str) -> bool:
    """Email one single-use link. Returns False, sending nothing, when the invitation
    was revoked or used or its round closed before the task ran.

    The token is made here, not when the invitation was created, so that the task
    queue (a database table in production) never holds a usable link: only the
    address, which the queue needs to do its job, passes through it.
    """
    token = new_token()
    found = StakeholderInvitation.objects.usable().filter(code=invitation)
    if not found.update(token_hash=hash_token(token)):
        return False
    round_title, team_name, closes_at = found.values_list(
        "round__title", "round__team__name", "round__closes_at"
    ).get()
    # The team's own words, quoted as data: never the sentence of the email.
    context = {
        "team": quoted(team_name),
        "round": quoted(round_title),
        "closes_at": closes_at,
        "url": settings.SITE_URL + reverse("stakeholders:token", args=[token]),
    }
    subject = render_to_string("stakeholders/invitation_subject.txt", context)
    body = render_to_string("stakeholders/invitation_email.txt", context)
    try:
        EmailMessage(" ".join(subject.split()), body, to=[address]).send()
    except Exception as error:
        raise InvitationNotSent(type(error).__name__) from None
    return True

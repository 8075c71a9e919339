"""How django-allauth signs people up and in here.

The operator chooses who may sign up (``SIGNUP_MODE``): anyone (``open``), only
people holding an invitation (``invitation``: a team invitation link opened in this
browser), or anyone with an address at one of ``SIGNUP_DOMAINS`` (``domains``; an
invitation still lets anyone in). Rate limits count per client in the shared cache,
keyed by an HMAC of the address, never the address itself.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from config.ratelimit import client_address
from teams.models import CoachInvitation, Invitation

SIGNUP_MODES = ("open", "invitation", "domains")
# The session key under which /join/ keeps the hash of an invitation token.
JOIN_SESSION_KEY = "join_invitation"
# ... and /coach-invitation/ the hash of a coach invitation's token.
COACH_SESSION_KEY = "coach_invitation"


def has_invitation(request: HttpRequest) -> bool:
    """Whether this browser opened a usable team or coach invitation link."""
    token_hash = request.session.get(JOIN_SESSION_KEY)
    if token_hash and Invitation.objects.usable().filter(token_hash=token_hash):
        return True
    coach_hash = request.session.get(COACH_SESSION_KEY)
    return bool(coach_hash) and (
        CoachInvitation.objects.usable().filter(token_hash=coach_hash).exists()
    )


def domain_allowed(email: str, domains: list[str]) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in {d.lower().lstrip("@") for d in domains}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        if settings.SIGNUP_MODE == "invitation":
            return has_invitation(request)
        return True

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = context.request
        if (
            settings.SIGNUP_MODE == "domains"
            and not (request is not None and has_invitation(request))
            and not domain_allowed(email, settings.SIGNUP_DOMAINS)
        ):
            raise forms.ValidationError(
                _(
                    "Sign-up here is open to addresses at %(domains)s. Ask a team "
                    "for an invitation to use another address."
                )
                % {"domains": ", ".join(settings.SIGNUP_DOMAINS)}
            )
        return email

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth puts this in its rate-limit cache keys: an HMAC, not the address.
        return salted_hmac(
            "team-mirror.allauth-ip", client_address(request), algorithm="sha256"
        ).hexdigest()[:32]

"""How django-allauth signs people up and in here.

The operator chooses who may sign up (``SIGNUP_MODE``): anyone (``open``), only
people holding an invitation (``invitation``: a team invitation link, or a coach
invitation for the very address it was sent to, opened in this browser), or anyone
with an address at one of ``SIGNUP_DOMAINS`` (``domains``, whatever link they
hold). An account signed up in a browser holding a team invitation uses it up:
one account per invitation, in every mode. Rate limits count per client in the
shared cache, keyed by an HMAC of the address, never the address itself.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from config.ratelimit import client_address
from teams import services, signin_limits
from teams.models import CoachInvitation, Invitation
from teams.text import quoted

SIGNUP_MODES = ("open", "invitation", "domains")
# The session key under which /join/ keeps the hash of an invitation token.
JOIN_SESSION_KEY = "join_invitation"
# ... and /coach-invitation/ the hash of a coach invitation's token.
COACH_SESSION_KEY = "coach_invitation"


def _team_invitation(request: HttpRequest) -> str:
    """The token hash of the usable team invitation this browser holds, or ""."""
    token_hash = request.session.get(JOIN_SESSION_KEY)
    if token_hash and Invitation.objects.usable().filter(token_hash=token_hash):
        return str(token_hash)
    return ""


def _coach_address(request: HttpRequest) -> str:
    """The address of the usable coach invitation this browser holds, or ""."""
    coach_hash = request.session.get(COACH_SESSION_KEY)
    if not coach_hash:
        return ""
    found = CoachInvitation.objects.usable().filter(token_hash=coach_hash)
    return found.values_list("email", flat=True).first() or ""


def has_invitation(request: HttpRequest) -> bool:
    """Whether this browser opened a usable team or coach invitation link."""
    return bool(_team_invitation(request) or _coach_address(request))


def _login_of(credentials: dict[str, Any]) -> str:
    """The name typed to sign in (allauth passes it as email or username)."""
    return str(credentials.get("email") or credentials.get("username") or "")


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
        if settings.SIGNUP_MODE == "domains" and not domain_allowed(
            email, settings.SIGNUP_DOMAINS
        ):
            raise forms.ValidationError(
                _(
                    "Sign-up here is open to addresses at %(domains)s. Ask a team "
                    "for an invitation to use another address."
                )
                % {"domains": ", ".join(settings.SIGNUP_DOMAINS)}
            )
        if (
            settings.SIGNUP_MODE == "invitation"
            and request is not None
            and not _team_invitation(request)
            and _coach_address(request).lower() != email.lower()
        ):
            # Admitted by a coach invitation only: for the address it was sent to.
            raise forms.ValidationError(
                _("Sign up with the address the invitation was sent to.")
            )
        return email

    def save_user(
        self, request: HttpRequest, user: Any, form: Any, commit: bool = True
    ) -> Any:
        """Save the new account and use up the team invitation this browser holds
        for it, in one transaction: two sign-ups racing with one invitation make
        one account where sign-up is by invitation."""
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=False)
            token_hash = request.session.get(JOIN_SESSION_KEY) or ""
            if commit:
                user.save()
                reserved = bool(token_hash) and services.invitation_reserve(
                    token_hash=token_hash, user=user
                )
                if (
                    settings.SIGNUP_MODE == "invitation"
                    and not reserved
                    and not _coach_address(request)
                ):
                    raise ImmediateHttpResponse(
                        render(request, "account/signup_closed.html", status=403)
                    )
        return user

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth's per-address limit first, then this account's cool-down for
        # this address (teams.signin_limits), which refuses whatever the password.
        super().pre_authenticate(request, **credentials)
        wait = signin_limits.wait(request, _login_of(credentials))
        if wait:
            request.signin_wait = wait  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None:
            signin_limits.succeeded(request, _login_of(credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        signin_limits.failed(request, _login_of(credentials))

    def send_account_already_exists_mail(self, email: str) -> None:
        """allauth's email for a sign-up with an address that has an account, or
        ours for one whose username is taken (``teams.forms.SignupForm``): the
        page said the same as for a new account either way."""
        request = context.request
        username = getattr(request, "signup_username_taken", "")
        if not username:
            super().send_account_already_exists_mail(email)
            return
        self.send_mail(
            "account/email/username_taken",
            email,
            {
                "username": quoted(username, limit=150),
                "signup_url": request.build_absolute_uri(reverse("account_signup")),
            },
        )

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth puts this in its rate-limit cache keys: an HMAC, not the address.
        return salted_hmac(
            "team-mirror.allauth-ip", client_address(request), algorithm="sha256"
        ).hexdigest()[:32]

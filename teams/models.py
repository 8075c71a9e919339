from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """A link token: 256 random bits from `secrets`, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are stored hashed, so a copy of the database holds no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


class Team(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", args=[self.code])


class Membership(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        MEMBER = "member", _("Member")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )
    joined = models.DateTimeField(_("joined"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["team", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return _("%(user)s in %(team)s (%(role)s)") % {
            "user": self.user,
            "team": self.team,
            "role": self.get_role_display(),
        }

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR


def default_invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.TEAM_INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        """Not used, not revoked, not expired."""
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link that lets one person join a team.

    Only the hash of the token is stored; the link is shown once, when it is made.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(
        _("who it is for"),
        max_length=200,
        blank=True,
        help_text=_("A name or email address to remember who this link is for."),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return _("Invitation to %(team)s") % {"team": self.team}


class CoachShareQuerySet(models.QuerySet["CoachShare"]):
    def active(self) -> CoachShareQuerySet:
        return self.filter(revoked_at__isnull=True)


class CoachShare(models.Model):
    """A team's decision to show its results to one coach. Revoked shares are kept
    (with ``revoked_at``) so the team's access log stays complete."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="coach_shares")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="coach_shares"
    )
    include_notes = models.BooleanField(
        _("share keep / stop / start notes too"), default=False
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CoachShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "coach"],
                condition=models.Q(revoked_at__isnull=True),
                name="coachshare_one_active_per_coach",
            ),
        ]
        verbose_name = _("coach share")
        verbose_name_plural = _("coach shares")

    def __str__(self) -> str:
        return _("%(team)s shared with %(coach)s") % {
            "team": self.team,
            "coach": self.coach,
        }


class AccessLogEntry(models.Model):
    """Who was given, changed or lost access to the team's results, and when."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("given access")
        CHANGED = "changed", _("access changed")
        REVOKED = "revoked", _("lost access")

    team = models.ForeignKey(Team, models.CASCADE, related_name="access_log")
    action = models.CharField(max_length=20, choices=Action.choices)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    coach_name = models.CharField(max_length=150)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    include_notes = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.coach_name} {self.action}"

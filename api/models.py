"""Tokens for the read-only API: each reads one team's data, as a member does."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Membership, Team, hash_token

# Tokens start with this, so a leaked one is easy to recognise (secret scanners,
# logs); the rest is 256 random bits.
TOKEN_PREFIX = "tm_"  # noqa: S105 (a marker, not a secret)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_secret(self, secret: str) -> ApiToken | None:
        """The active token with this secret, with its team, while the person who
        made it is still a member of the team; None for a wrong, unknown or revoked
        one alike. (Leaving the team revokes its maker's tokens, logged; this also
        stops one whose maker's membership ended any other way.)"""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        maker_is_member = Membership.objects.filter(
            team=models.OuterRef("team"), user=models.OuterRef("created_by")
        )
        return (
            self.active()
            .select_related("team")
            .filter(models.Exists(maker_is_member), token_hash=hash_token(secret))
            .first()
        )


class ApiToken(models.Model):
    """A facilitator's token for one team. Only the hash of the secret is stored;
    the secret is shown once, when it is made. Revoked tokens are kept (with
    ``revoked_at``) so the team's list stays complete. Using a token writes nothing:
    reads never write."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What it is for, such as “Team dashboard”."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="apitoken_one_active_name_per_team",
            ),
        ]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return _("API token %(name)s of %(team)s") % {
            "name": self.name,
            "team": self.team,
        }

    def is_active(self) -> bool:
        return self.revoked_at is None

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from teams.text import quoted


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
    # A team that commits to eight things does none of them.
    action_limit = models.PositiveSmallIntegerField(
        _("actions per retro at most"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    # For members and stakeholders whose browser asks for no language the site has.
    language = models.CharField(
        _("default language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "For people whose own setting and browser ask for no language the "
            "site has; also the language of stakeholder invitation emails."
        ),
    )

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
        """Not used, not revoked, not expired. Used up at sign-up by an account
        that then did not confirm its address in time counts as not used
        (``lapsed``)."""
        return self.filter(
            models.Q(used_at__isnull=True) | self.lapsed(),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )

    @staticmethod
    def lapsed() -> models.Q:
        """Used up for an account signed up with it (``services.invitation_reserve``)
        that has not confirmed its address within allauth's confirmation period
        (``ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS``) and is not in the team: the
        link works again, so that an address mistyped at sign-up, or a sign-up
        never finished, does not lose the invitation."""
        from allauth.account import app_settings
        from allauth.account.models import EmailAddress

        since = timezone.now() - timedelta(
            days=app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
        )
        proven = EmailAddress.objects.filter(
            user=models.OuterRef("used_by"), verified=True
        )
        joined = Membership.objects.filter(
            team=models.OuterRef("team"), user=models.OuterRef("used_by")
        )
        return models.Q(
            models.Q(used_at__lte=since, used_by__isnull=False),
            ~models.Exists(proven),
            ~models.Exists(joined),
        )

    def open_to(self, user: Any) -> InvitationQuerySet:
        """Usable, or used up by this very account: signing up in a browser that
        holds an invitation uses it up for the new account (one account per
        invitation), which joins with it once its address is confirmed."""
        if not getattr(user, "is_authenticated", False):
            return self.usable()
        return self.filter(
            models.Q(used_at__isnull=True) | models.Q(used_by=user),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
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


class AppendOnlyError(Exception):
    """An attempt to change or delete an entry of a team's log."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_("The team's log is append-only."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("The team's log is append-only."))


class AppendOnly(models.Model):
    """A log row: written once, never changed or deleted through the ORM or the
    admin (a team being deleted takes its log along). In the database too, triggers
    refuse to change or delete a row whose team still exists
    (``teams/migrations/0010_log_triggers.py``)."""

    class Meta:
        abstract = True

    def save(self, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("The team's log is append-only."))
        super().save(**kwargs)

    def delete(
        self, using: Any = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("The team's log is append-only."))


class AccessLogEntry(AppendOnly):
    """Who was given, changed or lost access to the team's results, and when."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("given access")
        CHANGED = "changed", _("access changed")
        REVOKED = "revoked", _("lost access")

    # Deleted by the database with its team (the only delete its triggers allow:
    # teams/migrations/0010_log_triggers.py).
    team = models.ForeignKey(Team, models.DB_CASCADE, related_name="access_log")
    action = models.CharField(max_length=20, choices=Action.choices)
    # Set to null by the database when the account is deleted (the only change its
    # triggers allow); the names stay.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DB_SET_NULL, null=True, related_name="+"
    )
    coach_name = models.CharField(max_length=150)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DB_SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    include_notes = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.coach_name} {self.action}"


class ActivityEntryQuerySet(AppendOnlyQuerySet):
    def for_team(self, team: Team) -> ActivityEntryQuerySet:
        return self.filter(team=team).order_by("-at", "-id")


class ActivityEntry(AppendOnly):
    """One thing that changed who is in a team, who may answer or see its results,
    or when it answers: the team's activity log, which every member reads.

    Append-only for everyone, the operator included: entries are written by
    ``teams.services.activity_record`` and never changed or deleted by the app or
    the admin. ``detail`` holds plain facts (names, counts, invited addresses),
    never anything about an answer.
    """

    class Action(models.TextChoices):
        TEAM_CREATED = "team_created", _("created the team")
        MEMBER_JOINED = "member_joined", _("joined")
        MEMBER_LEFT = "member_left", _("left")
        MEMBER_REMOVED = "member_removed", _("removed a member")
        ROLE_CHANGED = "role_changed", _("changed a role")
        INVITATION_CREATED = "invitation_created", _("made a team invitation")
        INVITATION_REVOKED = "invitation_revoked", _("revoked a team invitation")
        STAKEHOLDERS_INVITED = "stakeholders_invited", _("invited stakeholders")
        STAKEHOLDER_INVITATIONS_REVOKED = (
            "stakeholder_invitations_revoked",
            _("revoked stakeholder invitations"),
        )
        LINK_CREATED = "link_created", _("made a shared stakeholder link")
        LINK_ROTATED = "link_rotated", _("replaced the shared stakeholder link")
        LINK_REVOKED = "link_revoked", _("revoked the shared stakeholder link")
        LINK_MOVED = "link_moved", _("moved the shared stakeholder link")
        COACH_GRANTED = "coach_granted", _("shared results with a coach")
        COACH_CHANGED = "coach_changed", _("changed what a coach sees")
        COACH_REVOKED = "coach_revoked", _("removed a coach's access")
        COACH_INVITED = "coach_invited", _("invited a coach")
        ROUND_OPENED = "round_opened", _("opened a round")
        ROUND_CLOSED = "round_closed", _("closed a round")
        ROUND_REOPENED = "round_reopened", _("reopened a round")
        API_TOKEN_CREATED = "api_token_created", _("made an API token")
        API_TOKEN_REVOKED = "api_token_revoked", _("revoked an API token")
        TEAM_MOVED = "team_moved", _("moved the team to this server")
        API_TOKEN_ENDED = "api_token_ended", _("an API token stopped working")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Deleted by the database with its team (the only delete its triggers allow).
    team = models.ForeignKey(Team, models.DB_CASCADE, related_name="activity")
    # No database constraint: deleting an account must not change the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150)
    action = models.CharField(_("what happened"), max_length=40)
    detail = models.JSONField(_("details"), default=dict)
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    objects = ActivityEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["team", "-at"], name="activity_team_at")]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def action_label(self) -> str:
        try:
            return str(self.Action(self.action).label)
        except ValueError:
            return self.action.replace("_", " ")

    def summary(self) -> str:
        """The entry as a sentence after its actor's name ("alice" + summary)."""
        return describe(self.action, self.detail) or self.action_label()


def describe(action: str, detail: dict[str, Any]) -> str:
    """A log entry's details in words; empty for an action without its own words."""
    d = {
        key: quoted(value, limit=120, isolated=True)
        for key, value in detail.items()
        if key != "addresses"
    }
    A = ActivityEntry.Action
    count = int(detail.get("count", 0) or 0)
    sentences: dict[str, str] = {
        A.TEAM_CREATED: gettext("created the team"),
        A.MEMBER_JOINED: gettext("joined the team as %(role)s"),
        A.MEMBER_LEFT: gettext("left the team"),
        A.MEMBER_REMOVED: gettext("removed %(member)s from the team"),
        A.ROLE_CHANGED: gettext("made %(member)s %(role)s"),
        A.INVITATION_CREATED: gettext(
            "made an invitation link for %(label)s as %(role)s"
        ),
        A.INVITATION_REVOKED: gettext("revoked the invitation link for %(label)s"),
        A.STAKEHOLDERS_INVITED: ngettext(
            "invited %(count)s stakeholder by email to %(round)s",
            "invited %(count)s stakeholders by email to %(round)s",
            count,
        ),
        A.STAKEHOLDER_INVITATIONS_REVOKED: ngettext(
            "revoked %(count)s unused stakeholder invitation of %(round)s",
            "revoked %(count)s unused stakeholder invitations of %(round)s",
            count,
        ),
        A.LINK_CREATED: gettext("made the shared stakeholder link of %(round)s"),
        A.LINK_ROTATED: gettext(
            "replaced the shared stakeholder link of %(round)s: the old one stopped "
            "working"
        ),
        A.LINK_REVOKED: gettext("revoked the shared stakeholder link of %(round)s"),
        A.LINK_MOVED: gettext(
            "moved the shared stakeholder link from %(from)s to %(round)s"
        ),
        A.COACH_GRANTED: gettext("shared the team's results with %(coach)s (%(sees)s)"),
        A.COACH_CHANGED: gettext("changed what %(coach)s sees: %(sees)s"),
        A.COACH_REVOKED: gettext("removed %(coach)s's access to the team's results"),
        A.COACH_INVITED: gettext(
            "invited %(coach)s by email to see the team's results as a coach (%(sees)s)"
        ),
        A.ROUND_OPENED: gettext("opened the round %(round)s"),
        A.ROUND_CLOSED: gettext("closed the round %(round)s"),
        A.ROUND_REOPENED: gettext("reopened the round %(round)s"),
        A.API_TOKEN_CREATED: gettext("made the API token %(name)s"),
        A.API_TOKEN_REVOKED: gettext("revoked the API token %(name)s"),
        A.TEAM_MOVED: ngettext(
            "moved the team to this server with %(count)s round; members: "
            "%(members)s; invited by email: %(invited)s",
            "moved the team to this server with %(count)s rounds; members: "
            "%(members)s; invited by email: %(invited)s",
            count,
        ),
        A.API_TOKEN_ENDED: gettext(
            "stopped the API token %(name)s: %(member)s, who made it, is no longer "
            "in the team"
        ),
    }
    sentence = sentences.get(action)
    if sentence is None:
        return ""
    d["count"] = str(count)
    if "role" in detail and detail["role"] in Membership.Role.values:
        d["role"] = str(Membership.Role(detail["role"]).label).lower()
    d["sees"] = str(
        gettext("scores and notes")
        if detail.get("include_notes")
        else gettext("scores only")
    )
    try:
        return sentence % d
    except KeyError:
        return str(ActivityEntry.Action(action).label)


class CoachInvitationQuerySet(models.QuerySet["CoachInvitation"]):
    def usable(self) -> CoachInvitationQuerySet:
        """Not used, not revoked, not expired."""
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class CoachInvitation(models.Model):
    """A facilitator shared the team's results with an email address that has no
    account: a single-use link invites that person to sign up and accept. The share
    itself is made (and logged) only when they accept."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="coach_invitations")
    email = models.EmailField(_("email"))
    include_notes = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = CoachInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("coach invitation")
        verbose_name_plural = _("coach invitations")

    def __str__(self) -> str:
        return _("Coach invitation to %(team)s") % {"team": self.team}


def _unsubscribe_token(link_key: str) -> str:
    """The token in a person's unsubscribe links: an HMAC of their random link key
    under the site's secret key, so the database alone holds no usable link."""
    digest = salted_hmac("teams.unsubscribe", link_key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class EmailPreference(models.Model):
    """What automatic email one person wants. Without a row: everything. Its
    unsubscribe link works without signing in; only the link's hash is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="email_preference"
    )
    reminders = models.BooleanField(
        _("remind me of rounds I have not answered yet"), default=True
    )
    news = models.BooleanField(
        _("tell me when a round opens and when its results are ready"), default=True
    )
    link_key = models.CharField(max_length=64, editable=False, default=new_token)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")

    def __str__(self) -> str:
        return _("Email preferences of %(user)s") % {"user": self.user}

    def save(self, **kwargs: Any) -> None:
        self.token_hash = hash_token(self.unsubscribe_token())
        super().save(**kwargs)

    @classmethod
    def for_user(cls, user: Any) -> EmailPreference:
        """The person's row, made with the defaults if missing (a write: tasks and
        POST views only)."""
        preference, _created = cls.objects.get_or_create(user=user)
        return preference

    @classmethod
    def of(cls, user: Any) -> EmailPreference:
        """The person's row or (unsaved) the defaults. Writes nothing."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def unsubscribe_token(self) -> str:
        return _unsubscribe_token(self.link_key)


class LanguagePreference(models.Model):
    """The language one person reads the site and their email in (docs/languages.md).
    Without a row, or blank: their browser's, then their team's, then English."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return self.language or "-"


def language_of(user: Any) -> str:
    """The person's chosen language, or "" (one query; tasks and sign-in only)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return (
        LanguagePreference.objects.filter(user_id=user.pk)
        .values_list("language", flat=True)
        .first()
        or ""
    )

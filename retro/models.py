"""The retro meeting on a closed round.

Votes are anonymous by construction: while voting is open each dot is a ``Vote``
row holding only the session and the dimension (random primary key, no user, no
time); ``Voter`` records how many dots a person has used, only to stop anyone using
more than their share, and shares no key with a vote. When voting closes the dots
become ``VoteCount`` rows and the ``Vote`` rows are deleted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import Round, RoundDimension


class RetroSession(models.Model):
    class Step(models.TextChoices):
        REVIEW = "review", _("Last round's actions")
        REVEAL = "reveal", _("Reveal")
        DISCUSS = "discuss", _("Discuss")
        VOTE = "vote", _("Vote")
        ACTIONS = "actions", _("Actions")
        CLOSE = "close", _("Close")

    class Order(models.TextChoices):
        DISAGREEMENT = "disagreement", _("Most disagreement first")
        GAP = "gap", _("Largest team / stakeholder gap first")
        DROP = "drop", _("Largest drop first")
        LOWEST = "lowest", _("Lowest first")

    class Voting(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    STEPS = list(Step)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.OneToOneField(Round, models.CASCADE, related_name="retro")
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.REVIEW)
    order = models.CharField(
        _("order of discussion"),
        max_length=20,
        choices=Order.choices,
        default=Order.DISAGREEMENT,
    )
    discuss_index = models.PositiveSmallIntegerField(default=0)
    voting = models.CharField(
        max_length=12, choices=Voting.choices, default=Voting.NOT_STARTED
    )
    votes_each = models.PositiveSmallIntegerField(_("votes each"), default=3)
    # How many people voted; kept after the per-person rows are gone, so that the
    # counts are shown only when enough people voted (the round's minimum).
    voters = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change the facilitator makes: members' pages poll with it
    # and get "nothing new" until it moves.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("retro")
        verbose_name_plural = _("retros")

    def __str__(self) -> str:
        return _("Retro on %(round)s") % {"round": self.round}

    def get_absolute_url(self) -> str:
        return reverse("retro:session", args=[self.round.code])

    def step_number(self) -> int:
        return self.STEPS.index(self.Step(self.step)) + 1

    def is_finished(self) -> bool:
        return self.finished_at is not None

    def bump(self) -> None:
        RetroSession.objects.filter(pk=self.pk).update(version=F("version") + 1)


class Vote(models.Model):
    """One dot while voting is open. Nothing about who placed it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(RetroSession, models.CASCADE, related_name="votes")
    dimension = models.ForeignKey(RoundDimension, models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return str(_("anonymous vote"))


class Voter(models.Model):
    """How many dots a person has placed. Holds nothing about where."""

    session = models.ForeignKey(RetroSession, models.CASCADE, related_name="voter_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="voter_once_per_session"
            ),
        ]
        verbose_name = _("voter")
        verbose_name_plural = _("voters")

    def __str__(self) -> str:
        return str(_("voter"))


class VoteCount(models.Model):
    """A dimension's dots, once voting has closed."""

    session = models.ForeignKey(RetroSession, models.CASCADE, related_name="counts")
    dimension = models.ForeignKey(RoundDimension, models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-count", "dimension__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dimension"], name="votecount_once_per_dimension"
            ),
        ]
        verbose_name = _("vote count")
        verbose_name_plural = _("vote counts")

    def __str__(self) -> str:
        return f"{self.dimension}: {self.count}"

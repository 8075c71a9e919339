"""The retro meeting on a closed round.

Votes are anonymous by construction and cannot be paired with voters. While a vote
is open (the dot vote, and "was this worth our time?" at the close) each person on
the round's roster who takes part has one ``Ballot`` row: who they are, and their
choices sealed like answers (``assessments.sealing``: encrypted and padded to one
size), rewritten in place when they change them. No row per vote exists, so nothing
lines up with a ballot by key, storage order or transaction id. When the vote
closes, the ballots are opened, summed into counts (``VoteCount``, ``RotiCount``)
written in random order, and deleted, all in one transaction.
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
    # "Was this worth our time?" (ROTI) at the close: its state, and how many
    # answered once it has closed (the answers are then ``RotiCount`` rows).
    roti = models.CharField(
        max_length=12, choices=Voting.choices, default=Voting.NOT_STARTED
    )
    roti_voters = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The shared screen's join code (``retro.presenting``): made on first use,
    # works only while the retro runs, and only for members of the team.
    join_code = models.CharField(
        max_length=8, unique=True, null=True, blank=True, editable=False
    )
    # The facilitator's soft time box for one dimension of the discussion (its
    # ``discuss_index``): shown to everyone, never enforced.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_index = models.PositiveSmallIntegerField(null=True, blank=True)
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


class Ballot(models.Model):
    """One person's choices in one of the retro's anonymous votes while it is open.
    The choices are sealed (see the module's docstring); the row says only that
    this person takes part in this vote."""

    class Kind(models.TextChoices):
        DOTS = "dots", _("Dot vote")
        ROTI = "roti", _("Worth our time")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(RetroSession, models.CASCADE, related_name="ballots")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "user"], name="ballot_once_per_vote"
            ),
        ]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(_("sealed ballot"))


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


class RotiCount(models.Model):
    """How many answered "was this worth our time?" with one score (1-5), once the
    question has closed: one row per score, written together in random order."""

    SCORES = range(1, 6)

    session = models.ForeignKey(
        RetroSession, models.CASCADE, related_name="roti_counts"
    )
    score = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["score"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "score"], name="roticount_once_per_score"
            ),
        ]
        verbose_name = _("worth-our-time count")
        verbose_name_plural = _("worth-our-time counts")

    def __str__(self) -> str:
        return f"{self.score}: {self.count}"

"""The framework, rounds and the anonymous answers.

Privacy by construction: ``Response``, ``Rating`` and ``Note`` hold what was
answered and reference no user, no address, no user agent and no time at all; their
primary keys are random UUIDs. ``Participation`` records who has answered a round,
only to stop double answers and to show progress; nothing links it to a response.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_stubs_ext import StrOrPromise

from assessments import cadence, choices
from assessments.disclosure import MIN_RESPONSES_FLOOR
from assessments.framework_texts import builtin_text
from teams.models import Team

if TYPE_CHECKING:
    from collections.abc import Iterable


class Level(models.IntegerChoices):
    NOT_MEETING = choices.NOT_MEETING, _("Not Meeting Expectations")
    MEETING = choices.MEETING, _("Meeting Expectations")
    EXCEEDING = choices.EXCEEDING, _("Exceeding Expectations")


class Checkin(models.TextChoices):
    UNDERPERFORMING = choices.UNDERPERFORMING, _("Underperforming")
    PERFORMING = choices.PERFORMING, _("Performing")
    HIGH_PERFORMING = choices.HIGH_PERFORMING, _("High-performing")


class NoteKind(models.TextChoices):
    KEEP = choices.KEEP, _("Keep")
    STOP = choices.STOP, _("Stop")
    START = choices.START, _("Start")


class Framework(models.Model):
    """The built-in framework's own texts, loaded verbatim by a data migration."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=500)
    level_1_label = models.CharField(max_length=100)
    level_2_label = models.CharField(max_length=100)
    level_3_label = models.CharField(max_length=100)
    checkin_question = models.CharField(max_length=300)
    checkin_choices = models.JSONField(default=list)
    follow_up = models.JSONField(default=list)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name


class DimensionTexts(models.Model):
    """The texts that describe a dimension, shared by every kind of dimension."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    prompt = models.TextField(_("reflection prompt"), max_length=1000)
    signs_of_struggle = models.TextField(
        _("signs of struggle"), max_length=1000, blank=True
    )
    level_1 = models.TextField(_("Not Meeting Expectations"), max_length=1000)
    level_2 = models.TextField(_("Meeting Expectations"), max_length=1000)
    level_3 = models.TextField(_("Exceeding Expectations"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    TEXT_FIELDS = (
        "name",
        "short_name",
        "prompt",
        "signs_of_struggle",
        "level_1",
        "level_2",
        "level_3",
    )

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.shown("name")

    def is_builtin_text(self) -> bool:
        """Whether its texts may be the framework's own (a built-in dimension, or
        a copy of one): then the untouched ones are shown translated."""
        return getattr(self, "builtin_id", None) is not None

    def shown(self, field: str) -> str:
        """A text as a reader sees it: the framework's original English in the
        reader's language, a team's own wording as written (docs/languages.md).
        Forms that edit a dimension use the stored fields themselves."""
        value: str = getattr(self, field)
        if not self.is_builtin_text():
            return value
        return builtin_text(field, value)

    @property
    def shown_name(self) -> str:
        return self.shown("name")

    @property
    def shown_prompt(self) -> str:
        return self.shown("prompt")

    @property
    def shown_signs_of_struggle(self) -> str:
        return self.shown("signs_of_struggle")

    @property
    def label(self) -> str:
        return self.shown("short_name") or self.shown("name")

    def texts(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in self.TEXT_FIELDS}

    def level_texts(self) -> list[tuple[int, StrOrPromise, str]]:
        """(value, label, descriptor) for the three levels, lowest first, as the
        reader sees them."""
        return [
            (Level.NOT_MEETING, Level.NOT_MEETING.label, self.shown("level_1")),
            (Level.MEETING, Level.MEETING.label, self.shown("level_2")),
            (Level.EXCEEDING, Level.EXCEEDING.label, self.shown("level_3")),
        ]


class BuiltinDimension(DimensionTexts):
    """One of the framework's twelve dimensions. Never edited by teams."""

    framework = models.ForeignKey(Framework, models.CASCADE, related_name="dimensions")
    slug = models.SlugField(unique=True)

    class Meta(DimensionTexts.Meta):
        verbose_name = _("built-in dimension")
        verbose_name_plural = _("built-in dimensions")

    def is_builtin_text(self) -> bool:
        return True


class TeamDimensionQuerySet(models.QuerySet["TeamDimension"]):
    def active(self) -> TeamDimensionQuerySet:
        return self.filter(archived=False)


class TeamDimension(DimensionTexts):
    """A team's own copy of a dimension: a built-in one it may have reworded, or one
    it added itself (``builtin`` is null). Editing it never touches the built-in
    framework, other teams, or rounds already opened."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="dimensions")
    builtin = models.ForeignKey(
        BuiltinDimension, models.PROTECT, null=True, blank=True, related_name="+"
    )
    archived = models.BooleanField(_("hidden from new rounds"), default=False)

    objects = TeamDimensionQuerySet.as_manager()

    class Meta(DimensionTexts.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["team", "builtin"], name="teamdimension_one_copy_per_builtin"
            ),
        ]
        verbose_name = _("team dimension")
        verbose_name_plural = _("team dimensions")

    @classmethod
    def copy_builtins(cls, team: Team) -> list[TeamDimension]:
        builtins = BuiltinDimension.objects.order_by("position")
        return TeamDimension.objects.bulk_create(
            TeamDimension(team=team, builtin=b, **b.texts(), position=b.position)
            for b in builtins
        )

    def is_custom(self) -> bool:
        return self.builtin_id is None


def last_day(closes_at: datetime.datetime | None) -> datetime.date | None:
    """The last day a round closing at ``closes_at`` is open: a round closes at the
    end of its last day (midnight of the next one) in the site's time zone."""
    if closes_at is None:
        return None
    last_moment = timezone.localtime(closes_at) - datetime.timedelta(microseconds=1)
    return last_moment.date()


def until_words(closes_at: datetime.datetime | None) -> str:
    """How every page and email words a round's closing moment: "until the end of
    Dec. 8, 2026". The one place that decides it, so that a round page never says
    the 8th while an email says the 9th. Empty when the round has no closing date."""
    day = last_day(closes_at)
    if day is None:
        return ""
    return pgettext("round closing", "until the end of %(day)s") % {
        "day": formats.date_format(day, "DATE_FORMAT")
    }


class RoundQuerySet(models.QuerySet["Round"]):
    def open_now(self) -> RoundQuerySet:
        """Rounds that take answers now: open, and not past their closing date."""
        return self.filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()),
            state=Round.State.OPEN,
        )

    def results_ready(self) -> RoundQuerySet:
        """Rounds whose results are out: closed, or open but past their closing
        date (closed by date, even before ``run_schedule`` has written it)."""
        return self.filter(
            Q(state=Round.State.CLOSED)
            | Q(state=Round.State.OPEN, closes_at__lte=timezone.now())
        )

    def due(self) -> RoundQuerySet:
        """Open rounds past their closing date, still stored as open."""
        return self.filter(state=Round.State.OPEN, closes_at__lte=timezone.now())

    def with_closed_on(self) -> RoundQuerySet:
        """Annotate ``closed_on``: when the results came out. The closing date for a
        round closed by date; a round closed by hand without one counts from its
        creation."""
        return self.annotate(
            closed_on=Case(
                When(state=Round.State.OPEN, then=F("closes_at")),
                default=Coalesce("closed_at", "created"),
            )
        )

    def close_due(self) -> int:
        """Store the state of rounds closed by their date, recording the closing
        date as when they closed. Returns how many. Only scheduled work and write
        services call this: pages compute the state (``Round.current_state``)."""
        return self.due().update(state=Round.State.CLOSED, closed_at=F("closes_at"))


class Round(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=120)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    min_responses = models.PositiveSmallIntegerField(
        _("minimum responses before results are shown"),
        default=MIN_RESPONSES_FLOOR,
        validators=[MinValueValidator(MIN_RESPONSES_FLOOR)],
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    # A draft of a team's schedule opens by itself at this moment (run_schedule).
    opens_at = models.DateTimeField(_("opens by itself at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped in the transaction that releases sealed answers (see
    # ``assessments.services.answers_release``): cached charts and reports are keyed
    # on it, so they are rebuilt exactly when the released data changes.
    data_version = models.PositiveIntegerField(default=0, editable=False)
    # What the team's retro on this round concluded, in a few lines (written when
    # the retro closes); shown on the team page and in the exports.
    retro_summary = models.TextField(_("retro summary"), max_length=2000, blank=True)
    # How many batches of sealed answers were released: 0 until the first close.
    releases = models.PositiveSmallIntegerField(default=0, editable=False)
    # ``releases`` when the round was last opened: a batch numbered above it was
    # released while the round is open, and is published when it closes
    # (``assessments.selectors.still_pending``).
    releases_at_open = models.PositiveSmallIntegerField(default=0, editable=False)
    # The keys could not open a held answer when the round was to be released: its
    # results wait for the operator (``services.release_or_hold``; the pages say so).
    release_blocked = models.BooleanField(default=False, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(state="open"),
                name="round_one_open_per_team",
            ),
            models.CheckConstraint(
                condition=Q(min_responses__gte=MIN_RESPONSES_FLOOR),
                name="round_min_responses_at_least_3",
            ),
            models.UniqueConstraint(
                fields=["team", "opens_at"],
                condition=Q(opens_at__isnull=False),
                name="round_one_scheduled_per_moment",
            ),
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:round", args=[self.code])

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Round:
        # Every page sees a round past its closing date as closed, without any
        # read writing it: the state is computed here, stored by run_schedule.
        round = super().from_db(*args, **kwargs)
        if {"state", "closes_at", "closed_at"} <= round.__dict__.keys():
            round.state, round.closed_at = round.current_state(), round.closed_on()
        return round

    def is_due(self) -> bool:
        """Open, but its closing date has passed."""
        return (
            self.state == self.State.OPEN
            and self.closes_at is not None
            and self.closes_at <= timezone.now()
        )

    def current_state(self) -> str:
        """The state as every page shows it: closed once the closing date passed."""
        return self.State.CLOSED if self.is_due() else self.state

    def closed_on(self) -> datetime.datetime | None:
        """When the round closed: its closing date if it closed by date."""
        return self.closes_at if self.is_due() else self.closed_at

    def is_open(self) -> bool:
        return self.current_state() == self.State.OPEN

    def last_day(self) -> datetime.date | None:
        """The last day it is open (see ``last_day``)."""
        return last_day(self.closes_at)

    def until_words(self) -> str:
        """Its closing moment in words, as every page and email says it."""
        return until_words(self.closes_at)

    def results_ready(self) -> bool:
        """Whether its answers are final, so that its results may be shown."""
        return self.current_state() == self.State.CLOSED

    def minimum_fixed(self) -> bool:
        """The minimum number of responses cannot change once an answer is in."""
        return self.responses.exists() or self.sealed_answers.exists()

    def close(self) -> None:
        """Mark closed (unsaved): at its closing date if that has passed, else now."""
        closed_on = self.closed_on() if self.results_ready() else None
        self.closed_at = closed_on or timezone.now()
        self.state = self.State.CLOSED

    def bump_data_version(self) -> None:
        Round.objects.filter(pk=self.pk).update(data_version=F("data_version") + 1)


class RoundDimension(DimensionTexts):
    """A dimension as it was worded when the round was opened (a snapshot)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="dimensions")
    team_dimension = models.ForeignKey(
        TeamDimension, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Which built-in dimension this one stands for, if any: lets coaches line up
    # the same dimension across teams that renamed it.
    builtin = models.ForeignKey(
        BuiltinDimension, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(DimensionTexts.Meta):
        verbose_name = _("round dimension")
        verbose_name_plural = _("round dimensions")

    @classmethod
    def snapshot(
        cls, round: Round, dimensions: Iterable[TeamDimension]
    ) -> list[RoundDimension]:
        """Copy the team's dimensions into the round, in the given order."""
        return RoundDimension.objects.bulk_create(
            RoundDimension(
                round=round,
                team_dimension=d,
                builtin_id=d.builtin_id,
                **d.texts(),
                position=i,
            )
            for i, d in enumerate(dimensions, start=1)
        )


class Eligibility(models.Model):
    """That a person was a member of the round's team when it opened: the round's
    roster. Only people on it can answer the round, and "n of m answered" counts
    it everywhere, so that members who join later cannot answer and members who
    leave still count. Written once by ``services.round_open``; holds nothing about
    whether or what they answered."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="eligibilities")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="eligibilities"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], name="eligibility_once_per_round"
            ),
        ]
        verbose_name = _("eligibility")
        verbose_name_plural = _("eligibilities")

    def __str__(self) -> str:
        return _("%(user)s may answer %(round)s") % {
            "user": self.user,
            "round": self.round,
        }


class Participation(models.Model):
    """That a team member has answered a round. Holds nothing about the answer."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], name="participation_once_per_round"
            ),
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return _("%(user)s answered %(round)s") % {
            "user": self.user,
            "round": self.round,
        }


class CarriedTurnout(models.Model):
    """A round moved here from another server (``moving``): its "n of m members
    answered" there, and by how many members who answered only one of it and
    ``compared_with`` its comparison was withheld there. Counts only: who was on
    the roster and who answered never leave the old server, so such a round has no
    ``Eligibility`` or ``Participation`` rows for them; every turnout adds these
    counts (``assessments.selectors``)."""

    round = models.OneToOneField(Round, models.CASCADE, related_name="carried_turnout")
    answered = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    compared_with = models.ForeignKey(
        Round, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    only_this = models.PositiveIntegerField(default=0)
    only_other = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("carried turnout")
        verbose_name_plural = _("carried turnouts")

    def __str__(self) -> str:
        return str(_("carried turnout"))


class Perspective(models.TextChoices):
    TEAM = choices.TEAM, _("Team")
    STAKEHOLDER = choices.STAKEHOLDER, _("Stakeholders")


class Channel(models.TextChoices):
    """How an answer came in: a coarse category, never which link or invitation."""

    MEMBER = choices.MEMBER, _("Team member")
    INVITATION = choices.INVITATION, _("Personal invitation")
    LINK = choices.LINK, _("Shared link")


class SealedAnswer(models.Model):
    """One answer as it waits for its round's results to be released: its content
    encrypted and padded (``assessments.sealing``), a random key, no user, no time.
    Written with the member's ``Participation`` (or the used invitation), opened
    and deleted by ``services.answers_release`` in a later transaction, in random
    order, so that neither keys, row order nor transaction ids pair who answered
    with what they answered. Only the perspective and channel are readable: the
    pages count answers by them while the round is open."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="sealed_answers")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed answer")
        verbose_name_plural = _("sealed answers")

    def __str__(self) -> str:
        return str(_("sealed answer"))


class SubmitGuard(models.Model):
    """That one stakeholder visit has sent its answer: a hash of a random value kept
    only in that browser's cookie. Its unique key stops a second (or racing) submit
    from the same visit, whatever cache and however many workers."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("submit guard")
        verbose_name_plural = _("submit guards")

    def __str__(self) -> str:
        return str(_("submit guard"))


class Response(models.Model):
    """One anonymous answer to a round, released from its seal. No user, address,
    agent or time; written with all the others of its batch, in random order."""

    Perspective = Perspective
    Channel = Channel

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="responses")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    # No channel: how answers came in is counted at release (``SourceFigure``),
    # so that no released row says it came through an invitation.
    # Which release of its round it came out in (1 = at the first close).
    release = models.PositiveSmallIntegerField(default=1)
    # The stakeholder's relationship to the team, as the label they picked.
    relationship = models.CharField(max_length=100, blank=True)
    checkin = models.CharField(max_length=20, choices=Checkin.choices, blank=True)
    checkin_reason = models.TextField(blank=True, max_length=4000)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(_("anonymous response"))


class Rating(models.Model):
    """One dimension's answer inside a response. ``level`` is null for "don't
    know"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(
        RoundDimension, models.CASCADE, related_name="ratings"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True)
    comment = models.TextField(blank=True, max_length=4000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "dimension"], name="rating_once_per_dimension"
            ),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return str(_("anonymous rating"))


class SourceFigure(models.Model):
    """How many answers of one release of a round came from one source, kept at
    release (``answers_release``), so that no released answer says where it came
    from: per perspective, the stakeholder answers by the shared link and by the
    invitations each facilitator made (``inviter``; None when not known), and
    the team answers from members who joined in the days before the round opened
    (``NEW_MEMBER_DAYS``). Counts only, never a row per answer."""

    class Source(models.TextChoices):
        LINK = "link", _("Shared link")
        INVITATION = "invitation", _("Personal invitation")
        NEW_MEMBER = "new_member", _("Member who joined shortly before the round")

    # A member who joined this many days before the round opened (or later) is a
    # new member for the round's sources.
    NEW_MEMBER_DAYS = 14

    round = models.ForeignKey(Round, models.CASCADE, related_name="source_figures")
    release = models.PositiveSmallIntegerField(default=1)
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("source figure")
        verbose_name_plural = _("source figures")

    def __str__(self) -> str:
        return str(_("source figure"))


class RoundFigure(models.Model):
    """A released round's figures for one perspective, kept at release: how many
    answered and how many gave each check-in. Only counts, never a row per answer;
    written in the transaction that releases answers (``answers_release``), so they
    change exactly when the published results do: at the first close, and after a
    reopen only when at least the round's minimum of new answers came out."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="figures")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    responses = models.PositiveIntegerField(default=0)
    checkin_underperforming = models.PositiveIntegerField(default=0)
    checkin_performing = models.PositiveIntegerField(default=0)
    checkin_high_performing = models.PositiveIntegerField(default=0)
    # The tallies of this perspective's built-in dimensions in one column
    # (``assessments.packed``): the same counts as its ``DimensionFigure`` rows
    # that stand for a built-in, for readers of thousands of rounds.
    builtin_levels = models.TextField(blank=True, default="", editable=False)

    # Checkin value -> the column that counts it.
    CHECKIN_FIELDS = {
        Checkin.UNDERPERFORMING.value: "checkin_underperforming",
        Checkin.PERFORMING.value: "checkin_performing",
        Checkin.HIGH_PERFORMING.value: "checkin_high_performing",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "perspective"], name="round_figure_once"
            ),
        ]
        verbose_name = _("round figure")
        verbose_name_plural = _("round figures")

    def __str__(self) -> str:
        return str(_("round figure"))


class DimensionFigure(models.Model):
    """A released round's tally of one dimension for one perspective, kept at
    release with the ``RoundFigure``: how many gave each level and how many said
    "don't know". ``builtin`` is the framework dimension it stands for (None for a
    team's own), so that coaches line dimensions up without a join."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="dimension_figures")
    dimension = models.ForeignKey(RoundDimension, models.CASCADE, related_name="+")
    builtin = models.ForeignKey(
        BuiltinDimension, models.PROTECT, null=True, blank=True, related_name="+"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    dont_know = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "perspective"], name="dimension_figure_once"
            ),
        ]
        verbose_name = _("dimension figure")
        verbose_name_plural = _("dimension figures")

    def __str__(self) -> str:
        return str(_("dimension figure"))

    @property
    def rated(self) -> int:
        """How many gave a level (not "don't know")."""
        return self.level_1 + self.level_2 + self.level_3

    @property
    def answered(self) -> int:
        """n: how many answered the dimension, "don't know" included."""
        return self.rated + self.dont_know


class NoteTheme(models.Model):
    """A group of a round's notes that the team confirmed as one theme: proposed by
    ``reports.grouping``, then merged, split and renamed by the team. Only confirmed
    themes reach a coach. Holds a label and its round, nothing about any person."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="themes")
    dimension = models.ForeignKey(
        RoundDimension, models.CASCADE, null=True, blank=True, related_name="themes"
    )
    label = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["label", "id"]
        verbose_name = _("confirmed theme")
        verbose_name_plural = _("confirmed themes")

    def __str__(self) -> str:
        return self.label


class Note(models.Model):
    """A keep / stop / start note, optionally tagged with a dimension."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, models.CASCADE, related_name="notes")
    round = models.ForeignKey(Round, models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=NoteKind.choices)
    text = models.TextField(max_length=2000)
    dimension = models.ForeignKey(
        RoundDimension,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
    )
    theme = models.ForeignKey(
        NoteTheme, models.SET_NULL, null=True, blank=True, related_name="notes"
    )

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return str(_("anonymous note"))


class StakeholderGroup(models.Model):
    """A relationship a stakeholder can pick ("adjacent team", …), per team."""

    team = models.ForeignKey(Team, models.CASCADE, related_name="stakeholder_groups")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    DEFAULTS = (
        _("Product / business"),
        _("Adjacent team"),
        _("Leadership"),
        _("Customer"),
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"], name="stakeholdergroup_unique_name"
            ),
        ]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def create_defaults(cls, team: Team) -> None:
        StakeholderGroup.objects.bulk_create(
            StakeholderGroup(team=team, name=str(name), position=i)
            for i, name in enumerate(cls.DEFAULTS, start=1)
        )


def _round_takes_answers() -> Q:
    """Filter, from a link or an invitation, for a round that takes answers now."""
    return Q(round__state=Round.State.OPEN) & (
        Q(round__closes_at__isnull=True) | Q(round__closes_at__gt=timezone.now())
    )


class StakeholderLinkQuerySet(models.QuerySet["StakeholderLink"]):
    def usable(self) -> StakeholderLinkQuerySet:
        """Not revoked, and its round takes answers now."""
        return self.filter(_round_takes_answers(), revoked_at__isnull=True)


class StakeholderLink(models.Model):
    """The shared stakeholder link of a round. Rotating revokes it and makes a new
    one. Only the token's hash is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="stakeholder_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StakeholderLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("stakeholder link")
        verbose_name_plural = _("stakeholder links")

    def __str__(self) -> str:
        return _("Stakeholder link for %(round)s") % {"round": self.round}


class StakeholderInvitationQuerySet(models.QuerySet["StakeholderInvitation"]):
    def usable(self) -> StakeholderInvitationQuerySet:
        """Not used, not revoked, and its round takes answers now."""
        return self.filter(_round_takes_answers(), used=False, revoked_at__isnull=True)


class StakeholderInvitation(models.Model):
    """A single-use stakeholder link sent by email. The address is not stored: it is
    only handed to the task that sends the email."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        Round, models.CASCADE, related_name="stakeholder_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # One moment for all the invitations made at once, which are created in a
    # random order: neither their keys nor their times follow the addresses
    # listed in the activity log.
    created = models.DateTimeField(default=timezone.now, editable=False)
    # The facilitator who made it: the round page counts the stakeholder answers
    # from each one's invitations (``SourceFigure``). None when not known.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set while its answer waits sealed; cleared when the answer is released,
    # when the invitation's token is replaced by one nobody has
    # (``services.answers_release``): after release no row says which
    # invitation was used.
    used = models.BooleanField(default=False)
    # Set with ``used``: the submit-guard hash of the visit that used it (a keyed
    # hash of a random value kept only in that browser's cookie), so that the same
    # visit's late second request (a double click) is told its answer was counted,
    # while any other visit still finds the invitation not valid. Names no one.
    used_by_visit = models.CharField(max_length=64, blank=True, editable=False)
    # Whether its one reminder went out (stakeholders.tasks.remind_stakeholder);
    # set on every invitation of the round at a release.
    reminded = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StakeholderInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("stakeholder invitation")
        verbose_name_plural = _("stakeholder invitations")

    def __str__(self) -> str:
        return _("Stakeholder invitation for %(round)s") % {"round": self.round}


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(state=Action.State.OPEN)

    def for_team(self, team: Team) -> ActionQuerySet:
        return self.filter(team=team)

    def agreed_before(self, round: Round) -> ActionQuerySet:
        """Actions agreed in the team's rounds before this one."""
        return self.filter(team_id=round.team_id, round__created__lt=round.created)


class Action(models.Model):
    """What the team agreed to do about a dimension, in a round's retro.

    A team decision, not an answer: it may name an owner and carry times. It is tied
    to the round's dimension and to the team's dimension behind it, so that it can
    be followed in later rounds."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Helped(models.TextChoices):
        YES = "yes", _("Yes, it helped")
        NO = "no", _("No, it did not help")
        UNSURE = "unsure", _("Not sure yet")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, models.CASCADE, related_name="actions")
    round = models.ForeignKey(Round, models.CASCADE, related_name="actions")
    dimension = models.ForeignKey(
        RoundDimension, models.SET_NULL, null=True, related_name="actions"
    )
    team_dimension = models.ForeignKey(
        TeamDimension, models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.CharField(_("what we will do"), max_length=300)
    owner = models.ForeignKey(
        "teams.Membership",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )
    helped = models.CharField(
        _("did it help?"), max_length=10, choices=Helped.choices, blank=True
    )
    reviewed_in = models.ForeignKey(
        Round, models.SET_NULL, null=True, blank=True, related_name="reviewed_actions"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.text

    @property
    def dimension_label(self) -> str:
        if self.dimension is not None:
            return self.dimension.label
        if self.team_dimension is not None:
            return self.team_dimension.label
        return ""

    def days_to_done(self) -> int | None:
        """Whole days from agreeing to finishing, for a done action."""
        if self.state != self.State.DONE or self.finished_at is None:
            return None
        return (self.finished_at - self.created).days


class RoundMetric(models.Model):
    """A number the team records beside a round, as context only: never combined
    into a score, never compared across teams."""

    class Kind(models.TextChoices):
        DEPLOYMENT_FREQUENCY = "deployment_frequency", _("Deployment frequency")
        LEAD_TIME = "lead_time", _("Lead time for changes")
        CHANGE_FAILURE_RATE = "change_failure_rate", _("Change failure rate")
        TIME_TO_RESTORE = "time_to_restore", _("Time to restore service")
        WIP = "wip", _("Work in progress")
        CUSTOM = "custom", _("Our own measure")

    DEFAULT_UNITS = {
        Kind.DEPLOYMENT_FREQUENCY: _("per week"),
        Kind.LEAD_TIME: _("days"),
        Kind.CHANGE_FAILURE_RATE: "%",
        Kind.TIME_TO_RESTORE: _("hours"),
        Kind.WIP: _("items"),
    }

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="metrics")
    kind = models.CharField(_("measure"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"], name="roundmetric_one_per_name"
            ),
        ]
        verbose_name = _("input metric")
        verbose_name_plural = _("input metrics")

    def __str__(self) -> str:
        return self.name


class TeamSchedule(models.Model):
    """A team's rhythm: when its rounds open by themselves, and when members who
    have not answered are reminded. One per team; without one a team gets the
    default reminders and opens every round by hand."""

    class Cadence(models.TextChoices):
        WEEKS = cadence.WEEKS, _("Every few weeks")
        MONTHLY = cadence.MONTHLY, _("Monthly (the first chosen weekday)")
        QUARTERLY = cadence.QUARTERLY, _("Quarterly (the first chosen weekday)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    DEFAULT_REMIND_AFTER_DAYS = 3

    team = models.OneToOneField(Team, models.CASCADE, related_name="schedule")
    recurring = models.BooleanField(_("open rounds by themselves"), default=False)
    cadence = models.CharField(
        _("how often"), max_length=10, choices=Cadence.choices, default=Cadence.WEEKS
    )
    every_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    weekday = models.PositiveSmallIntegerField(
        _("on"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    open_days = models.PositiveSmallIntegerField(
        _("days each round is open"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    next_opens_on = models.DateField(_("next round opens on"), null=True, blank=True)
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind members who have not answered after (days, 0 = never)"),
        default=DEFAULT_REMIND_AFTER_DAYS,
        validators=[MaxValueValidator(30)],
    )
    remind_before_closing = models.BooleanField(
        _("remind them again the day before the round closes"), default=True
    )

    class Meta:
        verbose_name = _("team schedule")
        verbose_name_plural = _("team schedules")

    def __str__(self) -> str:
        return _("Schedule of %(team)s") % {"team": self.team}

    @classmethod
    def of(cls, team: Team) -> TeamSchedule:
        """The team's schedule, or (unsaved) the defaults. Writes nothing."""
        return cls.objects.filter(team=team).first() or cls(team=team)

    def following(self, day: datetime.date) -> datetime.date:
        """The opening day after ``day`` that is today or later."""
        return cadence.next_opening_from(
            timezone.localdate(),
            day,
            cadence=self.cadence,
            every_weeks=self.every_weeks,
            weekday=self.weekday,
        )


class RoundEmail(models.Model):
    """That one kind of email about a round has gone out (or is going out): the
    marker that makes every email go once, whoever runs the schedule and however
    many task workers there are. It records no recipient and no count."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("the round is open")
        REMINDER = "reminder", _("a reminder a few days after opening")
        LAST_CALL = "last_call", _("a reminder the day before closing")
        RESULTS = "results", _("the results are ready")

    round = models.ForeignKey(Round, models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    # Set by the task that sends it; a second task for the same marker sends nothing.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind"], name="roundemail_once_per_round_and_kind"
            ),
        ]
        verbose_name = _("round email")
        verbose_name_plural = _("round emails")

    def __str__(self) -> str:
        return f"{self.round}: {self.get_kind_display()}"


class Heartbeat(models.Model):
    """When a kind of scheduled work last finished a run (``manage.py
    run_schedule``): one row per kind, written by that work alone, never by a page.
    ``check --deploy`` and the admin's index warn when it is old
    (``assessments.schedule.schedule_late``)."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return self.name

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField, BoundWidget
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from assessments import cadence
from assessments.models import (
    MIN_RESPONSES_FLOOR,
    Checkin,
    Level,
    NoteKind,
    Round,
    RoundDimension,
    TeamDimension,
    TeamSchedule,
)
from assessments.services import Answers, NoteAnswer, RatingAnswer
from teams.templatetags.bidi import bidi

DONT_KNOW = "dk"
NOTE_ROWS = 2  # blank rows per kind of note on a fresh form
NOTE_ROWS_STEP = 3  # rows added by "More rows for notes"
NOTE_ROWS_MAX = 30

NOTE_QUESTIONS = {
    NoteKind.KEEP: _("What should we keep doing?"),
    NoteKind.STOP: _("What should we stop doing?"),
    NoteKind.START: _("What should we start doing?"),
}
# The same questions, asked of a stakeholder who looks at the team from outside.
OUTSIDE_NOTE_QUESTIONS = {
    NoteKind.KEEP: _("What should the team keep doing?"),
    NoteKind.STOP: _("What should the team stop doing?"),
    NoteKind.START: _("What should the team start doing?"),
}


class LongTextField(forms.CharField):
    """Free text with a limit the browser must not enforce: a ``maxlength``
    attribute makes it cut a long paste without a word. The limit goes in
    ``data-max-length`` for the live counter (static/js/draft.js) instead, and a
    text past it is refused with a message, kept in the box as typed."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["data-max-length"] = attrs.pop("maxlength")
        return attrs


@dataclass(frozen=True)
class DimensionRow:
    """One dimension of the answer form, ready for the template."""

    number: int
    dimension: RoundDimension
    level: BoundField
    comment: BoundField
    # (radio, descriptor) for Not Meeting, Meeting, Exceeding and "don't know".
    options: list[tuple[BoundWidget, str]]


@dataclass(frozen=True)
class NoteGroup:
    kind: str
    label: StrOrPromise
    question: StrOrPromise
    rows: list[tuple[BoundField, BoundField]]  # (text, dimension tag)


class AnswerForm(forms.Form):
    """One person's answer to a round, from a team member or a stakeholder.

    ``AnswerForm(round_dimensions, request.POST, include_checkin=True)``; when valid,
    ``form.answers()`` gives what ``services.response_submit`` stores. Every
    dimension needs a level or an explicit "don't know"; comments are optional.
    Notes come in rows per kind (keep, stop, start), each with an optional
    dimension tag; the hidden ``note_rows`` field carries how many rows there are,
    so that ``AnswerForm(..., initial=request.POST.dict(), more_note_rows=True)``
    shows the same answers with more blank rows, without JavaScript.
    Render the fields with ``{% include "assessments/_answer_fields.html" %}``.
    """

    checkin = forms.ChoiceField(
        label=_(
            "Would we consider ourselves underperforming, performing, or "
            "high-performing?"
        ),
        choices=Checkin.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where you think the team stands.")},
    )
    checkin_reason = LongTextField(
        label=_("What makes us feel that way?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_rows = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=NOTE_ROWS_MAX,
        required=False,
    )

    def __init__(
        self,
        dimensions: Sequence[RoundDimension],
        data: Mapping[str, Any] | None = None,
        *,
        include_checkin: bool,
        initial: Mapping[str, Any] | None = None,
        more_note_rows: bool = False,
        from_outside: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}), **kwargs)
        self.dimensions = list(dimensions)
        self.include_checkin = include_checkin
        self.note_questions = OUTSIDE_NOTE_QUESTIONS if from_outside else NOTE_QUESTIONS
        if not include_checkin:
            del self.fields["checkin"]
            del self.fields["checkin_reason"]
        rows = row_count((data or initial or {}).get("note_rows"))
        if more_note_rows:
            rows = min(rows + NOTE_ROWS_STEP, NOTE_ROWS_MAX)
        self.initial["note_rows"] = rows
        self.note_row_count = rows
        for name, field in _answer_fields(self.dimensions, rows).items():
            self.fields[name] = _clone(field)

    def can_add_note_rows(self) -> bool:
        return self.note_row_count < NOTE_ROWS_MAX

    def dimension_rows(self) -> list[DimensionRow]:
        rows = []
        for number, dim in enumerate(self.dimensions, start=1):
            level = self[f"d{number}_level"]
            descriptors = [text for _value, _label, text in dim.level_texts()] + [""]
            rows.append(
                DimensionRow(
                    number=number,
                    dimension=dim,
                    level=level,
                    comment=self[f"d{number}_comment"],
                    options=list(zip(level.subwidgets, descriptors, strict=True)),
                )
            )
        return rows

    def note_groups(self) -> list[NoteGroup]:
        return [
            NoteGroup(
                kind=kind,
                label=label,
                question=self.note_questions[NoteKind(kind)],
                rows=[
                    (self[f"{kind}_{row}"], self[f"{kind}_{row}_dimension"])
                    for row in range(1, self.note_row_count + 1)
                ],
            )
            for kind, label in NoteKind.choices
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in NoteKind.values:
            for row in range(1, self.note_row_count + 1):
                if cleaned.get(f"{kind}_{row}_dimension") and not cleaned.get(
                    f"{kind}_{row}"
                ):
                    self.add_error(
                        f"{kind}_{row}",
                        _("Write the note, or set its dimension to “No dimension”."),
                    )
        return cleaned

    def answers(self) -> Answers:
        """What was answered, for ``services.response_submit``. Only when valid."""
        data = self.cleaned_data
        ratings = [
            RatingAnswer(
                dimension=dim,
                level=None
                if data[f"d{number}_level"] == DONT_KNOW
                else int(data[f"d{number}_level"]),
                comment=data[f"d{number}_comment"],
            )
            for number, dim in enumerate(self.dimensions, start=1)
        ]
        notes = [
            NoteAnswer(
                kind=kind,
                text=data[f"{kind}_{row}"],
                dimension=self._tagged(data[f"{kind}_{row}_dimension"]),
            )
            for kind in NoteKind.values
            for row in range(1, self.note_row_count + 1)
            if data[f"{kind}_{row}"]
        ]
        return Answers(
            ratings=ratings,
            notes=notes,
            checkin=data.get("checkin", ""),
            checkin_reason=data.get("checkin_reason", ""),
        )

    def _tagged(self, value: str) -> RoundDimension | None:
        return self.dimensions[int(value) - 1] if value else None


# The fields of an answer form, built once per process for each set of dimension
# wordings, language and number of note rows, and cloned for each form: building
# 36 fields with their labels took most of an answer POST's form time
# (benchmarks/profile_answer_post.py). Keyed on everything the fields depend on,
# so a form from the cache is the form that would be built.
_FIELDS: dict[tuple[object, ...], dict[str, forms.Field]] = {}
_FIELDS_MAX = 512


def _answer_fields(
    dimensions: Sequence[RoundDimension], rows: int
) -> dict[str, forms.Field]:
    key = (
        translation.get_language(),
        rows,
        tuple((d.name, d.short_name, d.is_builtin_text()) for d in dimensions),
    )
    found = _FIELDS.get(key)
    if found is None:
        if len(_FIELDS) >= _FIELDS_MAX:
            _FIELDS.clear()
        found = _FIELDS[key] = _build_answer_fields(dimensions, rows)
    return found


def _build_answer_fields(
    dimensions: Sequence[RoundDimension], rows: int
) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for number, dim in enumerate(dimensions, start=1):
        fields[f"d{number}_level"] = forms.ChoiceField(
            label=dim.shown_name,
            choices=[
                *((str(value), label) for value, label, _text in dim.level_texts()),
                (DONT_KNOW, _("Don't know")),
            ],
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose a level, or “Don't know”."),
            },
        )
        fields[f"d{number}_comment"] = LongTextField(
            label=_("Comment on %(dimension)s (optional)") % {"dimension": dim.label},
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        )
    tags = [("", _("No dimension"))] + [
        (str(number), dim.label) for number, dim in enumerate(dimensions, start=1)
    ]
    for kind, kind_label in NoteKind.choices:
        for row in range(1, rows + 1):
            fields[f"{kind}_{row}"] = LongTextField(
                label=_("%(kind)s note %(row)s") % {"kind": kind_label, "row": row},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            fields[f"{kind}_{row}_dimension"] = forms.ChoiceField(
                label=_("Dimension (optional) for %(kind)s note %(row)s")
                % {"kind": kind_label, "row": row},
                choices=tags,
                required=False,
            )
    return fields


def _clone(field: forms.Field) -> forms.Field:
    """What ``copy.deepcopy(field)`` gives (Django's copy for each form), except
    that the list of choices, never changed, is shared: a field and widget of its
    own, with their own attributes (crispy adds CSS classes to a widget's attrs),
    error messages and validators."""
    clone = copy.copy(field)
    clone.widget = copy.copy(field.widget)
    clone.widget.attrs = field.widget.attrs.copy()
    clone.error_messages = field.error_messages.copy()
    clone.validators = field.validators[:]
    return clone


# The answer POST without the form (the busiest request of all: building and
# validating the form's 36 fields was a quarter of its CPU,
# benchmarks/profile_answer_post.py). ``valid_answers`` checks the submitted values
# against what the form's fields accept, and gives what the valid form's
# ``answers()`` gives; whenever the form could find anything wrong, or the input
# is anything unusual, it gives None and the view builds the form as before, so
# that every error page is the form's own. ``tests/assessments/test_answer_form.py``
# holds the two equal on random input (hypothesis).
_LEVELS: dict[str, int | None] = {
    **{str(value): int(value) for value in Level},
    DONT_KNOW: None,
}
_CHECKINS = frozenset(Checkin.values)
_DIGITS = re.compile(r"[0-9]{1,2}")


def _text(value: object, max_length: int) -> str | None:
    """A free-text field's cleaned value (``LongTextField``, not required), or
    None if the field would refuse it (or it is not a string)."""
    if value is None:
        return ""
    if type(value) is not str:
        return None
    value = value.strip()
    if len(value) > max_length or "\x00" in value:
        return None
    return value


def valid_answers(
    dimensions: Sequence[RoundDimension],
    data: Mapping[str, Any],
    *,
    include_checkin: bool,
) -> Answers | None:
    """``AnswerForm(dimensions, data, include_checkin=...).answers()`` if that form
    is valid; None if it is not, or might not be."""
    get = data.get
    raw_rows = get("note_rows")
    if raw_rows is None or raw_rows == "":
        rows = NOTE_ROWS
    elif type(raw_rows) is str and _DIGITS.fullmatch(raw_rows):
        rows = int(raw_rows)
        if not 1 <= rows <= NOTE_ROWS_MAX:
            return None
    else:
        return None
    checkin = checkin_reason = ""
    if include_checkin:
        sent = get("checkin")
        reason = _text(get("checkin_reason"), 4000)
        if type(sent) is not str or sent not in _CHECKINS or reason is None:
            return None
        checkin, checkin_reason = sent, reason
    ratings = []
    for number, dim in enumerate(dimensions, start=1):
        level = get(f"d{number}_level")
        comment = _text(get(f"d{number}_comment"), 4000)
        if type(level) is not str or level not in _LEVELS or comment is None:
            return None
        ratings.append(
            RatingAnswer(dimension=dim, level=_LEVELS[level], comment=comment)
        )
    notes = []
    count = len(dimensions)
    for kind in NoteKind.values:
        for row in range(1, rows + 1):
            text = _text(get(f"{kind}_{row}"), 2000)
            tag = get(f"{kind}_{row}_dimension")
            if text is None:
                return None
            dimension = None
            if tag is not None and tag != "":
                if type(tag) is not str or not _DIGITS.fullmatch(tag):
                    return None
                index = int(tag)
                if not 1 <= index <= count or str(index) != tag or not text:
                    return None
                dimension = dimensions[index - 1]
            if text:
                notes.append(NoteAnswer(kind=kind, text=text, dimension=dimension))
    return Answers(
        ratings=ratings, notes=notes, checkin=checkin, checkin_reason=checkin_reason
    )


def row_count(value: object) -> int:
    try:
        rows = int(str(value))
    except ValueError:
        return NOTE_ROWS
    return max(1, min(rows, NOTE_ROWS_MAX))


class RoundForm(forms.Form):
    """A round's settings. With ``choose_dimensions`` it also chooses the round's
    dimensions among ``team_dimensions``, and their order: an include box and a
    position per dimension."""

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("For example “Q1 2027 check-in” or “After the launch”."),
    )
    closes_on = forms.DateField(
        label=_("Closing date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The round closes by itself at the end of this day."),
    )
    min_responses = forms.IntegerField(
        label=_("Minimum number of answers before results are shown"),
        min_value=MIN_RESPONSES_FLOOR,
        max_value=100,
        initial=MIN_RESPONSES_FLOOR,
        help_text=_(
            "Never fewer than three, so that no answer can be singled out. It "
            "cannot change once the first answer is in."
        ),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        team_dimensions: Sequence[TeamDimension] = (),
        choose_dimensions: bool = False,
        chosen: Sequence[TeamDimension] | None = None,
        lock_min_responses: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["min_responses"].disabled = lock_min_responses
        self.choose_dimensions = choose_dimensions
        self.team_dimensions = list(team_dimensions) if choose_dimensions else []
        order = {d.pk: i for i, d in enumerate(chosen or self.team_dimensions, 1)}
        for i, dim in enumerate(self.team_dimensions, start=1):
            self.fields[f"dim_{dim.code.hex}_include"] = forms.BooleanField(
                label=_("Include %(dimension)s") % {"dimension": dim.shown_name},
                required=False,
                initial=dim.pk in order,
            )
            self.fields[f"dim_{dim.code.hex}_position"] = forms.IntegerField(
                label=_("Position of %(dimension)s") % {"dimension": dim.shown_name},
                min_value=1,
                max_value=99,
                initial=order.get(dim.pk, len(order) + i),
                widget=forms.NumberInput(attrs={"class": "position-input"}),
            )

    def dimension_rows(self) -> list[tuple[TeamDimension, BoundField, BoundField]]:
        return [
            (
                dim,
                self[f"dim_{dim.code.hex}_include"],
                self[f"dim_{dim.code.hex}_position"],
            )
            for dim in self.team_dimensions
        ]

    def clean_closes_on(self) -> datetime.date | None:
        closes_on: datetime.date | None = self.cleaned_data["closes_on"]
        changed = "closes_on" in self.changed_data
        if closes_on and changed and closes_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return closes_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.choose_dimensions and not self.chosen_dimensions():
            raise forms.ValidationError(_("Choose at least one dimension."))
        return cleaned

    def chosen_dimensions(self) -> list[TeamDimension]:
        """The included dimensions by position (ties keep the listed order)."""
        data = self.cleaned_data
        chosen = [
            (data.get(f"dim_{d.code.hex}_position") or 99, i, d)
            for i, d in enumerate(self.team_dimensions)
            if data.get(f"dim_{d.code.hex}_include")
        ]
        return [d for _pos, _i, d in sorted(chosen, key=lambda c: (c[0], c[1]))]

    def closes_at(self) -> datetime.datetime | None:
        """The end of the closing date in the site's time zone."""
        closes_on: datetime.date | None = self.cleaned_data["closes_on"]
        if closes_on is None:
            return None
        next_day = closes_on + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))


def closes_on(round: Round) -> datetime.date | None:
    """The last day a round is open, for editing its closing date."""
    return round.last_day()


class ChooseDimensionsForm(forms.Form):
    """Which of the team's dimensions it uses: a tick box each. The others are
    hidden (and can be shown again on the dimensions page)."""

    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions the team reflects on"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one dimension.")},
    )

    def __init__(
        self, *args: Any, dimensions: Sequence[TeamDimension], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dimensions"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        # Each name as every other page shows it: the framework's in the reader's
        # language, the team's own wording as written, isolated (docs/languages.md).
        field.choices = [(str(d.code), bidi(d.shown_name)) for d in dimensions]
        field.initial = [str(d.code) for d in dimensions if not d.archived]


class TeamDimensionForm(forms.ModelForm[TeamDimension]):
    class Meta:
        model = TeamDimension
        fields = [
            "name",
            "short_name",
            "prompt",
            "signs_of_struggle",
            "level_1",
            "level_2",
            "level_3",
            "position",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("prompt", "signs_of_struggle", "level_1", "level_2", "level_3")
        }
        help_texts = {
            "short_name": _("Shown in charts and tags; the name is used if empty."),
            "position": _("Where it comes in the list; rounds can reorder it."),
        }


class ScheduleForm(forms.ModelForm[TeamSchedule]):
    """A team's recurring rounds and reminders. Turning the schedule on without a
    date sets the next opening to the first chosen weekday from tomorrow."""

    class Meta:
        model = TeamSchedule
        fields = [
            "recurring",
            "cadence",
            "every_weeks",
            "weekday",
            "open_days",
            "next_opens_on",
            "remind_after_days",
            "remind_before_closing",
        ]
        widgets = {"next_opens_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "every_weeks": _("Used when the team meets every few weeks."),
            "next_opens_on": _(
                "The next round is drafted a few days before, from the last round "
                "(its dimensions, with the team's open actions), and opens by itself "
                "at the start of this day. Leave empty for the first chosen weekday."
            ),
        }

    def clean_next_opens_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data["next_opens_on"]
        changed = "next_opens_on" in self.changed_data
        if day is not None and changed and day < timezone.localdate():
            raise ValidationError(_("Choose today or a later day."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recurring") and not data.get("next_opens_on"):
            weekday = data.get("weekday", 0)
            tomorrow = timezone.localdate() + datetime.timedelta(days=1)
            data["next_opens_on"] = cadence.on_or_after(tomorrow, weekday)
            self.instance.next_opens_on = data["next_opens_on"]
        return data

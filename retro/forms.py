from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Action, Round, RoundDimension, RoundMetric
from retro.models import RetroSession
from teams.models import Membership, Team


class TimerForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes for this dimension (0 to clear)"), min_value=0, max_value=60
    )


class DimensionChoiceField(forms.ModelChoiceField[RoundDimension]):
    def label_from_instance(self, obj: RoundDimension) -> str:
        return obj.label


class OwnerChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.get_username()


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What we will do"), max_length=300)
    dimension = DimensionChoiceField(
        label=_("Dimension"), queryset=RoundDimension.objects.none()
    )
    owner = OwnerChoiceField(
        label=_("Owner (optional)"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("The whole team"),
    )
    due_on = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, round: Round, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = round.dimensions.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(team_id=round.team_id)
            .select_related("user")
            .order_by("user__username")
        )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Say what the team will do."))
        return text


class ReviewForm(forms.Form):
    state = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (Action.State.DONE, _("Done")),
            (Action.State.OPEN, _("Not done yet: keep it open")),
            (Action.State.DROPPED, _("Dropped")),
        ],
        widget=forms.RadioSelect,
    )
    helped = forms.ChoiceField(
        label=_("Did it help?"),
        choices=[("", _("Not asked")), *Action.Helped.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class ActionStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=Action.State.choices)


class OrderForm(forms.Form):
    order = forms.ChoiceField(
        label=_("Order of discussion"), choices=RetroSession.Order.choices
    )


class VotingForm(forms.Form):
    votes_each = forms.IntegerField(
        label=_("Votes each"), min_value=1, max_value=10, initial=3
    )


class VoteForm(forms.Form):
    dimension = DimensionChoiceField(
        label=_("Dimension"), queryset=RoundDimension.objects.none()
    )

    def __init__(self, round: Round, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = round.dimensions.all()  # type: ignore[attr-defined]


class RotiForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Was this worth our time?"),
        coerce=int,
        choices=[
            (1, _("1: No, time lost")),
            (2, _("2: Less than we put in")),
            (3, _("3: As much as we put in")),
            (4, _("4: More than we put in")),
            (5, _("5: Yes, well worth it")),
        ],
        widget=forms.RadioSelect,
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A few lines: what the team saw and what it agreed. Shown on the team "
            "page and in the exports."
        ),
    )


class ActionLimitForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ["action_limit"]


class MetricForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=RoundMetric.Kind.choices)
    name = forms.CharField(
        label=_("Name (for your own measure)"), max_length=80, required=False
    )
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        required=False,
        help_text=_("Left empty, the usual unit of the measure."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == RoundMetric.Kind.CUSTOM:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Give your own measure a name."))
            data["name"] = (data.get("name") or "").strip()
        elif kind:
            data["name"] = str(RoundMetric.Kind(kind).label)
            if not data.get("unit"):
                data["unit"] = str(RoundMetric.DEFAULT_UNITS.get(kind, ""))
        return data

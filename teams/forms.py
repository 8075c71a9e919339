from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from teams.models import CoachShare, Invitation, Membership, Team


class TeamForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the team a name."))
        return name


class InvitationForm(forms.ModelForm[Invitation]):
    class Meta:
        model = Invitation
        fields = ["label", "role"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class SignUpForm(UserCreationForm):
    """Lets a person without an account join through a team invitation."""

    email = forms.EmailField(label=_("Email"), required=True)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


SHARE_CHOICES = [
    ("scores", _("Scores only")),
    ("notes", _("Scores and keep / stop / start notes")),
]


def _share_choice_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("What the coach sees"),
        choices=SHARE_CHOICES,
        coerce=lambda value: value == "notes",
        initial="scores",
        widget=forms.RadioSelect,
        help_text=_(
            "Scores are always summarised over the round's minimum number of "
            "answers; notes are shown without names."
        ),
    )


class CoachShareForm(forms.Form):
    """Share the team's results with a coach, named by username or email."""

    coach = forms.CharField(
        label=_("Coach's username or email"), max_length=254, strip=True
    )
    include_notes = _share_choice_field()

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_coach(self) -> User | None:
        """The coach's account, or None when no single active account has this
        username or email. The page answers the same either way (no account
        enumeration): only a member or an existing share, which the team already
        sees, gets its own message."""
        name: str = self.cleaned_data["coach"]
        field = "email__iexact" if "@" in name else "username__iexact"
        users = list(User.objects.filter(**{field: name}, is_active=True)[:2])
        if len(users) != 1:
            return None
        coach = users[0]
        if self.team.memberships.filter(user=coach).exists():
            raise forms.ValidationError(
                _("%(name)s is a member of the team and already sees its results.")
                % {"name": coach.get_username()}
            )
        if CoachShare.objects.active().filter(team=self.team, coach=coach).exists():
            raise forms.ValidationError(
                _("%(name)s already has access. Change what they see below.")
                % {"name": coach.get_username()}
            )
        return coach


class ShareNotesForm(forms.Form):
    include_notes = _share_choice_field()

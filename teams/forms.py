from __future__ import annotations

import re
from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.internal.userkit import filter_users_by_username
from django import forms
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from teams.models import (
    EmailPreference,
    Invitation,
    LanguagePreference,
    Membership,
    Team,
)


class TeamForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ["name", "description", "language"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without it (an older page) keeps the team's language.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        language: str = self.cleaned_data.get("language") or ""
        return language or self.instance.language or "en"

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the team a name."))
        return name


class InvitationForm(forms.ModelForm[Invitation]):
    class Meta:
        model = Invitation
        fields = ["label", "role"]


# The most people one form invites by email at once.
MAX_EMAIL_INVITATIONS = 50


class EmailInvitationsForm(forms.Form):
    """Addresses pasted in any shape (commas, semicolons, spaces, one per line,
    "Name <address>"); cleaned to a list without repeats."""

    addresses = forms.CharField(
        label=_("Email addresses"),
        help_text=_(
            "Paste as many as you like, separated by commas or one per line. Each "
            "person gets an email with their own link, which works once."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial="member"
    )

    def clean_addresses(self) -> list[str]:
        raw: str = self.cleaned_data["addresses"]
        found: list[str] = []
        invalid: list[str] = []
        for entry in re.split(r"[,;\s]+", raw.replace("<", " ").replace(">", " ")):
            entry = entry.strip().strip('"').lower()
            if not entry or ("@" not in entry and entry.isalpha()):
                continue  # a name in "Name <address>"
            try:
                validate_email(entry)
            except forms.ValidationError:
                invalid.append(entry)
                continue
            if entry not in found:
                found.append(entry)
        if invalid:
            raise forms.ValidationError(
                _("These are not email addresses: %(invalid)s")
                % {"invalid": ", ".join(invalid)}
            )
        if not found:
            raise forms.ValidationError(_("Enter at least one email address."))
        if len(found) > MAX_EMAIL_INVITATIONS:
            raise forms.ValidationError(
                _("Invite at most %(max)d people at once (you entered %(n)d).")
                % {"max": MAX_EMAIL_INVITATIONS, "n": len(found)}
            )
        return found


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, saying plainly what it takes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs["placeholder"] = ""
        self.fields["password"].widget.attrs["placeholder"] = ""
        # The page has its own "Forgotten your password?" link: one is enough.
        self.fields["password"].help_text = ""


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, saying nothing of who has an account. allauth
    already answers an address that has an account as it answers a new one and
    emails its owner; a taken username is answered the same way: the same "confirm
    your address" page, no account made, and an email to the address given saying
    that the username is not available (``AccountAdapter``)."""

    username_taken = False

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"]
        value = get_adapter().clean_username(value, shallow=True)
        self.username_taken = filter_users_by_username(value).exists()
        return value

    def try_save(self, request: HttpRequest) -> Any:
        if self.username_taken and not getattr(self, "account_already_exists", False):
            # allauth's answer for an address that has an account; the adapter
            # sends the email about the username instead.
            request.signup_username_taken = self.cleaned_data["username"]  # type: ignore[attr-defined]
            self.account_already_exists = True
        return super().try_save(request)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


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
    """Share the team's results with a coach, named by email address. It always
    makes a coach invitation, which the person accepts signed in with this address
    confirmed: the form says nothing about accounts (which exist, whose address is
    whose), and nobody gets access by an address they have not proven."""

    coach = forms.EmailField(
        label=_("Coach's email address"),
        max_length=254,
        help_text=_(
            "They get an email and see the team's results once they accept it, "
            "signed in with this address."
        ),
    )
    include_notes = _share_choice_field()


class ShareNotesForm(forms.Form):
    include_notes = _share_choice_field()


class EmailPreferenceForm(forms.ModelForm[EmailPreference]):
    class Meta:
        model = EmailPreference
        fields = ["reminders", "news"]


class LanguageForm(forms.ModelForm[LanguagePreference]):
    class Meta:
        model = LanguagePreference
        fields = ["language"]
        labels = {"language": _("Language of the site and of your email")}
        help_texts = {
            "language": _(
                "Blank: your browser's language, then your team's, then English."
            )
        }

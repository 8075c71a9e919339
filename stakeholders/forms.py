"""Forms of the stakeholder pages: invitations, relationship groups, relationship."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.models import StakeholderGroup
from stakeholders.services import MAX_INVITATIONS

MAX_GROUPS = 20
GROUP_NAME_LENGTH = StakeholderGroup._meta.get_field("name").max_length or 100


def _entries(text: str, separators: str) -> list[str]:
    """The non-empty entries of ``text``, in order, without case-blind duplicates."""
    seen: set[str] = set()
    entries = []
    for entry in re.split(separators, text):
        entry = entry.strip()
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            entries.append(entry)
    return entries


class InvitationsForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        help_text=_(
            "Separate them with commas or put one per line. Each person gets their "
            "own link, which works once. Who invited whom is shown to the whole "
            "team in its activity log; an address is never kept with an answer."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        max_length=MAX_INVITATIONS * 260,
    )

    def clean_addresses(self) -> list[str]:
        addresses = _entries(self.cleaned_data["addresses"], r"[,;\s]+")
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError(
                _("These are not email addresses: %(invalid)s"),
                params={"invalid": ", ".join(invalid)},
                code="invalid",
            )
        if not addresses:
            raise ValidationError(_("Enter at least one email address."))
        if len(addresses) > MAX_INVITATIONS:
            raise ValidationError(
                ngettext(
                    "Invite at most %(max)d person at once (you entered %(n)d).",
                    "Invite at most %(max)d people at once (you entered %(n)d).",
                    MAX_INVITATIONS,
                )
                % {"max": MAX_INVITATIONS, "n": len(addresses)},
                code="too_many",
            )
        return addresses


class GroupsForm(forms.Form):
    groups = forms.CharField(
        label=_("Relationships"),
        help_text=_(
            "One per line, in the order stakeholders should see them. Answers "
            "already given keep the name they were given under."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,  # an empty list gets its own message in clean_groups()
    )

    def clean_groups(self) -> list[str]:
        names = _entries(self.cleaned_data["groups"], r"[\r\n]+")
        too_long = [name for name in names if len(name) > GROUP_NAME_LENGTH]
        if too_long:
            raise ValidationError(
                _("Keep each name to %(max)d characters at most: %(names)s"),
                params={"max": GROUP_NAME_LENGTH, "names": ", ".join(too_long)},
                code="too_long",
            )
        if not names:
            raise ValidationError(_("Keep at least one relationship."))
        if len(names) > MAX_GROUPS:
            raise ValidationError(
                _("Keep it to %(max)d relationships at most."),
                params={"max": MAX_GROUPS},
                code="too_many",
            )
        return names


class RelationshipForm(forms.Form):
    """The stakeholder's relationship to the team, among the team's groups."""

    relationship = forms.ChoiceField(
        label=_("How do you work with the team?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you work with the team.")},
    )

    def __init__(self, *args: object, groups: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = cast("forms.ChoiceField", self.fields["relationship"])
        field.choices = [(name, name) for name in groups]

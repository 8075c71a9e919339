from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=_("Team archive"),
        help_text=_(
            "The file a facilitator downloaded with “Move the team” on the old "
            "server (team-mirror-….json)."
        ),
    )

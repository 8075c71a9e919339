from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ThemeNameForm(forms.Form):
    label = forms.CharField(
        label=_("Theme name"),
        max_length=120,
        error_messages={
            "required": _("Give the theme a name."),
            "max_length": _(
                "A theme name has at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )

"""The site's form renderer: every field where a person types their own words (a
text input or a textarea) gets ``dir="auto"``, so that a note, a name or a title
in a right-to-left script is laid out in its own direction while it is typed and
when a form shows it again (docs/languages.md). Dates, numbers, addresses and
passwords keep the page's direction."""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import DateTimeBaseInput


class BidiBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, str | bool], widget: forms.Widget | None = None
    ) -> dict[str, str | bool]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        own_words = isinstance(widget, forms.TextInput | forms.Textarea)
        if own_words and not isinstance(widget, DateTimeBaseInput):
            attrs.setdefault("dir", "auto")
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = BidiBoundField

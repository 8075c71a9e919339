"""User-written text in any script, laid out by its own direction.

Loaded as a template builtin (see ``TEMPLATES`` in the settings), so every template
can use the filters without ``{% load %}``:

- ``{{ note.text|bidi }}`` in HTML: ``<bdi dir="auto">…</bdi>``; the browser picks
  the text's direction from its first strong letter, and the text cannot reorder what
  stands around it.
- ``{{ team.name|bidi_text }}`` where no markup may go (``<title>``, attributes,
  plain-text email): the same isolation with the Unicode isolate characters
  FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.

Both drop the explicit embedding and override characters (U+202A to U+202E): a note
with a right-to-left override would otherwise show its letters reversed ("Trojan
source" spoofing). Arabic or Hebrew text needs none of them to show right to left.
The stored text is never changed; exports keep it as written.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()

# LRE, RLE, PDF, LRO, RLO: explicit embeddings and overrides.
_EMBEDDINGS = dict.fromkeys(range(0x202A, 0x202F))
FSI = "\u2068"
PDI = "\u2069"


def without_overrides(value: object) -> str:
    return str(value).translate(_EMBEDDINGS)


@register.filter(is_safe=True)
def bidi(value: object) -> SafeString:
    """HTML: the value escaped, isolated, its direction from its own letters."""
    if value is None or value == "":
        return SafeString("")
    return format_html(
        '<bdi dir="auto">{}</bdi>', conditional_escape(without_overrides(value))
    )


@register.filter
def bidi_text(value: object) -> str:
    """Plain text (titles, attributes, email): isolated with FSI … PDI."""
    if value is None or value == "":
        return ""
    return f"{FSI}{without_overrides(value)}{PDI}"

"""Names typed by users, quoted as data where the app speaks.

A team's name or a round's title is the team's own text: in an email or a log line
it is shown inside quotation marks, on one line, shortened, with links defused, so
that a name like "IT Security: verify your account now at http://evil.example/login"
cannot pose as the sentence around it.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext

from teams.templatetags.bidi import bidi_text

_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)://")
_WWW = re.compile(r"(?i)\bwww\.")


def quoted(value: object, limit: int = 60, *, isolated: bool = False) -> str:
    """``value`` in the active language's quotation marks, whitespace (newlines
    too) collapsed, at most ``limit`` characters, and ``scheme://`` and ``www.``
    broken so that a mail client does not turn them into a link. ``isolated``
    (for a page, such as the activity log): the text is also set between
    FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, its embedding and override
    characters dropped, so that a name in a right-to-left script, or one with an
    override, cannot reorder the sentence around it."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = _SCHEME.sub(r"\1[:]//", text)
    text = _WWW.sub("www[.]", text)
    if isolated:
        text = bidi_text(text)
    # The quotation marks of the active language: „…“ in German, « … » in French.
    marks = pgettext("quotation marks around a name the team typed", "“%(text)s”")
    return marks % {"text": text}


_LINE_BREAKS = re.compile(r"[ \t\r\n\f\v]+")


def one_line(text: str) -> str:
    """An email subject rendered from a template, on one line: runs of ASCII
    whitespace become one space. A no-break space stays, so French keeps
    "« Alpha » : …" together (``str.split()`` would turn it into a plain space)."""
    return _LINE_BREAKS.sub(" ", text).strip()

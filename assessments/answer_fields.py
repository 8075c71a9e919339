"""The blank answer form's fields, rendered once per round, language and wording.

Everyone who opens a round's answer form sees the same fields: the check-in, the
dimensions with their prompts, signs of struggle and level texts, the note boxes.
Rendering them is most of the page's cost (crispy-forms renders 36 fields), and an
all-hands opens the form a thousand times in a minute. So a *blank* form's fields are
rendered once and shared; everything personal (the CSRF token, the draft key, the
carried actions, what was typed, the errors) stays outside them, in the page.

The key is made of what the HTML is made of, so it can never be stale: the round,
the texts of its dimensions as stored (a renamed dimension or a changed level text is
another key), the reader's language and the catalog it is translated with, the kind
of form (member or stakeholder), the number of note rows, and the templates' sources.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils.translation import get_language, to_locale

from assessments.caching import compute_once
from assessments.forms import AnswerForm, row_count
from assessments.framework_texts import translation_file
from assessments.models import Round, RoundDimension

TEMPLATES = (
    "assessments/_answer_fields.html",
    "assessments/_answer_errors.html",
)
# An entry only has to expire to free memory: its key names everything it shows.
TIMEOUT = 24 * 60 * 60


@cache
def _templates_version() -> str:
    """A digest of the templates the fields are rendered from: a deploy that
    changes them never serves fields rendered by the old ones."""
    sources = [
        get_template(name).template.source  # type: ignore[attr-defined]
        for name in TEMPLATES
    ]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


@cache
def _catalog_version(language: str) -> str:
    """A digest of the compiled catalogs of ``language`` and of its translation of
    the framework: a deploy with new translations never serves fields in the old
    wording."""
    digest = hashlib.sha256(language.encode())
    locale = to_locale(language)
    files = [
        Path(folder) / locale / "LC_MESSAGES" / "django.mo"
        for folder in settings.LOCALE_PATHS
    ]
    files.append(translation_file(language.split("-")[0]))
    for path in files:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_INDENT = re.compile(r"\n\s+")


def compact(html: str) -> str:
    """``html`` without its blank lines and indentation (a third of the fields'
    bytes come from the templates' layout). Only for a blank form: a line break
    then spaces is never part of what it shows (no typed text, no ``<pre>``)."""
    return _INDENT.sub("\n", html).strip()


def fields_key(
    round: Round,
    dimensions: Sequence[RoundDimension],
    *,
    from_outside: bool,
    rows: int,
) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    wording = [(d.pk, d.is_builtin_text(), d.texts()) for d in dimensions]
    raw = repr(
        (
            str(round.code),
            language,
            _catalog_version(language),
            _templates_version(),
            from_outside,
            rows,
            wording,
        )
    )
    return "mirror:answer-fields:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def blank_fields(
    round: Round,
    dimensions: Sequence[RoundDimension],
    *,
    from_outside: bool,
    rows: object,
    more_notes_url: str,
    build: Callable[[], AnswerForm],
) -> str:
    """The HTML of a blank answer form's fields (``_answer_fields.html``), from the
    shared cache; ``build()`` makes the form when they are not there yet. ``rows``
    is the ``?rows=`` a draft kept in the browser asks for."""

    def render() -> str:
        context = {
            "form": build(),
            "more_notes_url": more_notes_url,
            "errors_shown": True,
        }
        return compact(render_to_string(TEMPLATES[0], context))

    count = row_count(rows)
    key = fields_key(round, dimensions, from_outside=from_outside, rows=count)
    return compute_once(key, render, TIMEOUT)

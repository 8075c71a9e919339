"""User-written text keeps its own direction and cannot reorder the page."""

from __future__ import annotations

from django.template import Context, Template

from teams.templatetags.bidi import bidi, bidi_text

RLO = "\u202e"


def test_it_isolates_and_escapes() -> None:
    assert bidi("<b>فريق</b>") == '<bdi dir="auto">&lt;b&gt;فريق&lt;/b&gt;</bdi>'


def test_it_drops_overrides_so_a_note_does_not_show_reversed() -> None:
    html = bidi(f"deploy on {RLO}yadirf")
    assert RLO not in html
    assert html == '<bdi dir="auto">deploy on yadirf</bdi>'


def test_plain_text_is_isolated_with_unicode_isolates() -> None:
    assert bidi_text(f"{RLO}Alpha") == "\u2068Alpha\u2069"


def test_empty_stays_empty() -> None:
    assert bidi("") == ""
    assert bidi(None) == ""
    assert bidi_text("") == ""


def test_it_is_a_builtin_in_every_template() -> None:
    hebrew = "\u05e9\u05dc\u05d5\u05dd"
    template = Template("<p>{{ note|bidi }}</p><title>{{ note|bidi_text }}</title>")
    out = template.render(Context({"note": f"{hebrew} & hi"}))
    assert out == (
        f'<p><bdi dir="auto">{hebrew} &amp; hi</bdi></p>'
        f"<title>\u2068{hebrew} &amp; hi\u2069</title>"
    )

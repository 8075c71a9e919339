"""Report figures follow the reader's language; SVG attribute values never do."""

from __future__ import annotations

from django.utils import translation

from reports.templatetags.report_tags import (
    bar_percent,
    level,
    percent,
    segments,
    signed,
)


def test_figures_in_english() -> None:
    with translation.override("en"):
        assert level(1.5) == "1.50"
        assert signed(-0.333) == "\u22120.33"
        assert signed(0.5) == "+0.50"
        assert signed(0.001) == "0.00"
        assert percent(49.6) == "50%"


def test_figures_in_german_french_and_spanish() -> None:
    for language in ("de", "fr", "es"):
        with translation.override(language):
            assert level(1.5) == "1,50"
            assert signed(-0.333) == "\u22120,33"
            assert signed(0.5) == "+0,50"
            assert percent(49.6) == "50\u00a0%"
            assert level(None) == "\u2013"


def test_svg_attribute_values_are_never_localised() -> None:
    with translation.override("de"):
        assert segments([12.5, 37.5, 50.0]) == [
            (1, "0", "12.5"),
            (2, "12.5", "37.5"),
            (3, "50", "50"),
        ]
        assert bar_percent(1.25) == "41.67"

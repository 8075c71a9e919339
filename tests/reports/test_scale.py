"""One scale (issue 28 point 1): a traffic light and its word always agree, at every
boundary, and a legend says the bands wherever the lights appear."""

from __future__ import annotations

import re

import pytest
from django.template.loader import get_template, render_to_string
from django.utils import translation

from reports import scale
from reports.assembly import Light

WORDS = {
    "red": "Not Meeting Expectations",
    "amber": "Meeting Expectations",
    "green": "Exceeding Expectations",
}
BOUNDARIES = [
    1.0,
    1.49,
    1.494,
    1.495,
    1.5,
    1.51,
    1.74,
    1.75,
    2.0,
    2.25,
    2.26,
    2.49,
    2.494,
    2.495,
    2.5,
    2.51,
    3.0,
]


def _rendered(mean: float) -> tuple[str, str, str]:
    light = Light(
        label="Safety",
        mean=mean,
        level=scale.level(mean),
        light=scale.light(mean),
        arrow="",
    )
    with translation.override("en"):
        html = render_to_string("reports/_lights.html", {"lights": [light]})
    item = re.search(r"<li.*?</li>", html, re.S)
    assert item is not None
    text = item.group(0)
    colour = re.search(r"light-(\w+)", text)
    assert colour is not None
    word = re.search(r"(Not Meeting|Meeting|Exceeding) Expectations", text)
    assert word is not None
    printed = re.search(r"\((\d\.\d\d)\)", text)
    assert printed is not None
    return colour.group(1), word.group(0), printed.group(1)


@pytest.mark.parametrize("mean", BOUNDARIES)
def test_the_light_and_the_word_agree_at_every_boundary(mean: float) -> None:
    colour, word, printed = _rendered(mean)
    assert WORDS[colour] == word
    # The band is the printed figure's: the word is the level it is closest to.
    value = float(printed)
    expected = 1 if value < 1.5 else 2 if value < 2.5 else 3
    assert word == WORDS[scale.LIGHTS[expected]]


def test_the_bands_are_the_nearest_level() -> None:
    assert [scale.light(m) for m in (1.49, 1.5, 1.75, 2.25, 2.49, 2.5)] == [
        "red",
        "amber",
        "amber",
        "amber",
        "amber",
        "green",
    ]
    # "1.50" printed is Meeting, never a red light beside "1.50".
    assert _rendered(1.4999)[:2] == ("amber", "Meeting Expectations")


def test_arrows_follow_the_printed_change() -> None:
    assert [scale.arrow(c) for c in (0.2, 0.199, 0.194, -0.2, -0.199, 0.0, None)] == [
        "up",
        "up",
        "steady",
        "down",
        "down",
        "steady",
        "",
    ]


def test_the_lights_come_with_a_legend() -> None:
    with translation.override("en"):
        html = render_to_string("reports/_lights.html", {"lights": []})
    assert "below 1.50 Not Meeting Expectations (red)" in html
    assert "from 1.50 Meeting Expectations (amber)" in html
    assert "from 2.50 Exceeding Expectations (green)" in html
    assert "at least 0.20 since the last round" in html


def test_the_reveal_and_the_print_template_show_the_legend() -> None:
    for name in ("retro/steps/reveal.html", "reports/print.html"):
        source = get_template(name).template.source  # type: ignore[attr-defined]
        assert "_lights.html" in source or "_scale_legend.html" in source, name

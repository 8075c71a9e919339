"""No HTML inside a page's title: a title is text (issue 24: an element put in
``{% block title %}`` showed in the tab and did nothing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.DOTALL)
ELEMENT = re.compile(r"<title>(.*?)</title>", re.DOTALL)
# A tag: "<" followed by a letter, "/" or "!" (not "<" in words such as "a < b").
TAG = re.compile(r"<[a-zA-Z/!]")


def _titles(text: str) -> list[str]:
    return BLOCK.findall(text) + ELEMENT.findall(text)


def test_the_scan_finds_an_element_in_a_title() -> None:
    bad = '{% block title %}Thanks<div hidden data-x="1"></div>{% endblock %}'
    assert [title for title in _titles(bad) if TAG.search(title)]


@pytest.mark.parametrize(
    "path",
    sorted(TEMPLATES.rglob("*.html")),
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_no_template_puts_html_in_a_title(path: Path) -> None:
    for title in _titles(path.read_text(encoding="utf-8")):
        assert not TAG.search(title), f"{path}: {title!r}"

"""teams.text.quoted: a user's text as quoted data."""

from __future__ import annotations

import pytest

from teams.text import quoted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Alpha", "“Alpha”"),
        ("two\nlines\r\n here", "“two lines here”"),
        ("visit https://evil.example/x", "“visit https[:]//evil.example/x”"),
        ("www.evil.example", "“www[.]evil.example”"),
        ("a" * 70, "“" + "a" * 59 + "…”"),
    ],
)
def test_it_quotes(value: str, expected: str) -> None:
    assert quoted(value) == expected

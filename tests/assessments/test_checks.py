"""``check --deploy`` warns about a missing or weak answer sealing key."""

from __future__ import annotations

from django.core.checks import Warning
from pytest_django.fixtures import Settings

from assessments.checks import sealing_key_check


def _ids(found: list[object]) -> list[str]:
    return [m.id for m in found if isinstance(m, Warning)]


def test_a_missing_key_is_a_warning(settings: Settings) -> None:
    settings.ANSWER_SEALING_KEY = ""
    found = sealing_key_check()
    assert _ids(found) == ["assessments.W001"]
    assert "derived from DJANGO_SECRET_KEY" in found[0].msg


def test_a_short_key_or_the_secret_key_is_a_warning(settings: Settings) -> None:
    settings.ANSWER_SEALING_KEY = "short"
    assert _ids(sealing_key_check()) == ["assessments.W002"]
    settings.ANSWER_SEALING_KEY = settings.SECRET_KEY
    assert _ids(sealing_key_check()) == ["assessments.W002"]


def test_a_long_random_key_passes(settings: Settings) -> None:
    settings.ANSWER_SEALING_KEY = "k" * 48
    assert sealing_key_check() == []

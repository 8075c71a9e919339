"""A fresh clone has the catalogs' .po files only (the .mo files are not
committed): the compiler ``make run``, ``make test`` and the suite fall back to
without GNU gettext (polib, through ``config/msgfmt.py``) makes catalogs that
translate singular, plural and context entries (docs/languages.md)."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from config import msgfmt
from tests.test_translations import CHECKED

SINGULAR = "%(members)s member was eligible: the team when the round opened (who joined later could not answer, who left still counts)."  # noqa: E501
PLURAL = "%(members)s members were eligible: the team when the round opened (who joined later could not answer, who left still counts)."  # noqa: E501


def test_the_compiled_catalogs_are_not_committed() -> None:
    ignored = (settings.BASE_DIR / ".gitignore").read_text("utf-8").split()
    assert "*.mo" in ignored


@pytest.mark.parametrize("language", CHECKED)
def test_the_pure_python_compiler_makes_a_working_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    source = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    locale = tmp_path / "locale"
    (locale / language / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(source, locale / language / "LC_MESSAGES" / "django.po")
    monkeypatch.setattr(msgfmt.shutil, "which", lambda _name: None)  # no GNU msgfmt
    compiled = msgfmt.compile_stale(locale)
    assert compiled == [locale / language / "LC_MESSAGES" / "django.mo"]
    assert msgfmt.compile_stale(locale) == []  # fresh now: nothing to do
    with compiled[0].open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.gettext("Not found") not in ("", "Not found")
    one = catalog.ngettext(SINGULAR, PLURAL, 1)
    many = catalog.ngettext(SINGULAR, PLURAL, 5)
    assert one != many
    assert SINGULAR not in (one, many)
    header = {"de": "Runde", "fr": "cycle", "es": "ronda"}[language]
    assert catalog.pgettext("CSV column", "round") == header

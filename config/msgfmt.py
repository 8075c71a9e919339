"""Compile a gettext catalog (.po) into the .mo file Django reads.

``python config/msgfmt.py locale/de/LC_MESSAGES/django.po`` writes ``django.mo``
beside it. With GNU gettext installed it runs ``msgfmt --check-format`` (which also
checks every placeholder of a translation against its original); without it,
polib compiles it, so that a fresh clone needs nothing more than its Python
packages. Fuzzy and untranslated entries are left out, as msgfmt does. The tests
and ``make`` call it; ``docs/languages.md`` explains the workflow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib


def compile_catalog(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run(  # noqa: S603 (a fixed program on a file of this project)
            [msgfmt, "--check-format", "-o", str(mo), str(po)], check=True
        )
    else:
        polib.pofile(str(po)).save_as_mofile(str(mo))
    return mo


def tidy(po: Path) -> None:
    """Drop the header line that ``makemessages`` rewrites on every run (its
    creation time), so that two people updating catalogs do not conflict on it."""
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith('"POT-Creation-Date:')]
    if kept != lines:
        po.write_text("".join(kept), encoding="utf-8")


def stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_stale(locale_dir: Path) -> list[Path]:
    """Compile every catalog under ``locale_dir`` whose .mo is missing or older."""
    return [
        compile_catalog(po)
        for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
        if stale(po)
    ]


def main(args: list[str]) -> int:
    if args[:1] == ["--tidy"]:
        for path in args[1:]:
            tidy(Path(path))
        return 0
    for path in args:
        compile_catalog(Path(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

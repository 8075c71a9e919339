"""Compile a gettext catalog (.po) into the .mo file Django reads.

``python config/msgfmt.py locale/de/LC_MESSAGES/django.po`` writes ``django.mo``
beside it. With GNU gettext installed it runs ``msgfmt --check-format`` (which also
checks every placeholder of a translation against its original); without it, it
compiles in pure Python, so that a fresh clone needs nothing more than Python.
Fuzzy and untranslated entries are left out, as msgfmt does. The tests and
``make`` call it; ``docs/languages.md`` explains the workflow.
"""

from __future__ import annotations

import ast
import shutil
import struct
import subprocess
import sys
from pathlib import Path


def parse(text: str) -> dict[bytes, bytes]:
    """The catalog's translated, non-fuzzy entries: id -> translation, encoded the
    way a .mo file holds them (context + EOT + id, plurals joined by NUL)."""
    entries: dict[bytes, bytes] = {}
    fields: dict[str, str] = {}
    flags: set[str] = set()
    current: str | None = None

    def finish() -> None:
        nonlocal fields, flags, current
        if "msgid" in fields:
            msgid = fields["msgid"]
            if "msgid_plural" in fields:
                msgid += "\0" + fields["msgid_plural"]
                strs = [
                    fields[key]
                    for key in sorted(
                        (k for k in fields if k.startswith("msgstr[")),
                        key=lambda k: int(k[7:-1]),
                    )
                ]
                translation = "\0".join(strs)
                translated = bool(strs) and all(strs)
            else:
                translation = fields.get("msgstr", "")
                translated = bool(translation)
            if "msgctxt" in fields:
                msgid = fields["msgctxt"] + "\x04" + msgid
            if (translated and "fuzzy" not in flags) or msgid == "":
                entries[msgid.encode()] = translation.encode()
        fields, flags, current = {}, set(), None

    def complete() -> bool:
        return any(key.startswith("msgstr") for key in fields)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if complete():
                finish()
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            if current is not None:
                fields[current] += ast.literal_eval(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and complete():
            finish()
        current = keyword
        fields[keyword] = ast.literal_eval(rest)
    finish()
    return entries


def mo_bytes(entries: dict[bytes, bytes]) -> bytes:
    """A little-endian .mo file holding ``entries``, sorted by id."""
    keys = sorted(entries)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(entries[key])))
        ids += key + b"\0"
        strs += entries[key] + b"\0"
    header_size = 7 * 4
    table_size = len(keys) * 8
    ids_start = header_size + 2 * table_size
    strs_start = ids_start + len(ids)
    id_table = b"".join(struct.pack("<2I", n, ids_start + o) for o, n, _, _ in offsets)
    str_table = b"".join(
        struct.pack("<2I", n, strs_start + o) for _, _, o, n in offsets
    )
    header = struct.pack(
        "<7I",
        0x950412DE,
        0,
        len(keys),
        header_size,
        header_size + table_size,
        0,
        0,
    )
    return header + id_table + str_table + ids + strs


def compile_catalog(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run(  # noqa: S603 (a fixed program on a file of this project)
            [msgfmt, "--check-format", "-o", str(mo), str(po)], check=True
        )
    else:
        mo.write_bytes(mo_bytes(parse(po.read_text(encoding="utf-8"))))
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

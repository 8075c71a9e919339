"""Which characters the installed fonts can draw, and a clean stand-in for the rest.

A PDF renderer draws a character no installed font covers as an empty box ("tofu").
Emoji are the usual case: few servers have a colour emoji font. Before user text goes
into the PDF, every character that no installed font covers is replaced by its name
in brackets (``[grinning face]``), so the printout says what was meant instead of
showing a box. With an emoji font installed (Debian ``fonts-noto-color-emoji``) the
characters are covered and left alone.

The fonts are the ones fontconfig lists (``fc-list``), the same ones Pango and
WeasyPrint choose from; their character maps are read once per process.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache

# Joiners and modifiers of emoji sequences: dropped along with the emoji they shape.
_SHAPERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400)}
_SHAPERS |= set(range(0xE0020, 0xE0080))  # tag characters (subdivision flags)


def _font_files() -> list[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    out = subprocess.run(  # noqa: S603
        [fc_list, "--format", "%{file}\n"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    ).stdout
    return sorted({line for line in out.splitlines() if line.strip()})


@cache
def covered() -> frozenset[int]:
    """Code points that at least one installed font can draw."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    points: set[int] = set()
    for path in _font_files():
        try:
            if path.lower().endswith((".ttc", ".otc")):
                fonts = list(TTCollection(path, lazy=True).fonts)
            else:
                fonts = [TTFont(path, lazy=True, fontNumber=0)]
        except (OSError, TTLibError, AssertionError, KeyError):
            continue
        for font in fonts:
            try:
                points.update(font.getBestCmap() or {})
            except (TTLibError, AssertionError, KeyError, ValueError):
                continue
    return frozenset(points)


def _stand_in(char: str) -> str:
    name = unicodedata.name(char, "").lower()
    return f"[{name}]" if name else "[?]"


def printable(text: str, fonts: frozenset[int] | None = None) -> str:
    """``text`` with every character no installed font draws replaced by its name in
    brackets; emoji joiners, skin tones and variation selectors go with it. Spaces,
    line breaks and control characters are kept as they are."""
    fonts = covered() if fonts is None else fonts
    if not fonts:  # no font information at all: leave the text alone
        return text
    out: list[str] = []
    previous_replaced = False
    for char in text:
        point = ord(char)
        if point in fonts or char.isspace() or unicodedata.category(char) == "Cc":
            out.append(char)
            previous_replaced = False
        elif point in _SHAPERS:
            # A modifier after a replaced emoji belongs to it; elsewhere it is
            # invisible anyway.
            continue
        else:
            if previous_replaced and out and out[-1].endswith("]"):
                out.append(" ")
            out.append(_stand_in(char))
            previous_replaced = True
    return "".join(out)

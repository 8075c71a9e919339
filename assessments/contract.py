"""The anonymity contract page (``/anonymity/``): ``docs/anonymity.md``, the
canonical English, or its translation ``docs/anonymity.<language>.md`` for the
page's language, rendered as HTML (docs/languages.md).

The renderer is ours and small on purpose: it knows the Markdown the document
uses — headings, paragraphs, lists, pipe tables, ``**strong**``, ``*emphasis*``,
```code``` and ``[text](link)`` — and nothing else. Every piece of text is escaped
before any tag is added, so nothing in a document becomes markup but those tags;
links keep their text only (they point into the repository, not the site), and
HTML comments (the translator's note at the top of a translation) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ORIGINAL = "anonymity.md"

_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_BULLET = re.compile(r"[-*]\s+(.*)")
_NUMBERED = re.compile(r"\d+\.\s+(.*)")
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Contract:
    html: SafeString
    language: str  # the language the text is written in
    translated: bool  # a translation of the English original


def path_for(language: str) -> Path:
    docs = settings.BASE_DIR / "docs"
    return docs / (ORIGINAL if language == "en" else f"anonymity.{language}.md")


def translation_of(language: str) -> Path | None:
    """The translation for ``language`` ("de-AT" reads "de"), if there is one."""
    base = language.split("-")[0].lower()
    found = path_for(base)
    return found if base != "en" and found.is_file() else None


def contract(language: str) -> Contract:
    """The contract in ``language`` if it has a translation, else the English
    original. ``FileNotFoundError`` if there is not even the original."""
    if found := translation_of(language):
        text, shown = found.read_text("utf-8"), found.name.split(".")[1]
    else:
        text, shown = path_for("en").read_text("utf-8"), "en"
    return Contract(html=render(text), language=shown, translated=shown != "en")


def inline(text: str) -> str:
    """One run of text as escaped HTML with ``code``, links, strong and emphasis."""
    parts = []
    for i, piece in enumerate(_CODE.split(text)):
        if i % 2:  # inside backticks: shown as typed
            parts.append(f"<code>{escape(piece)}</code>")
            continue
        html: str = escape(piece)
        html = _STRONG.sub(r"<strong>\1</strong>", html)
        html = _EM.sub(r"<em>\1</em>", html)
        parts.append(html)
    return _LINK.sub(r"\1", "".join(parts))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def render(markdown: str) -> SafeString:
    """The document as HTML: block by block, each line's text through ``inline``."""
    lines = _COMMENT.sub("", markdown).splitlines()
    out: list[str] = []
    i = 0

    def take_item(first: str) -> str:
        """An item's first line and its indented continuation lines."""
        nonlocal i
        text = [first]
        while i < len(lines) and lines[i][:1] == " " and lines[i].strip():
            text.append(lines[i].strip())
            i += 1
        return inline(" ".join(text))

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
        elif m := _HEADING.fullmatch(stripped):
            level = len(m.group(1))
            out.append(f"<h{level}>{inline(m.group(2))}</h{level}>")
            i += 1
        elif (
            stripped.startswith("|")
            and i + 1 < len(lines)
            and _TABLE_RULE.fullmatch(lines[i + 1].strip())
        ):
            head = "".join(f'<th scope="col">{inline(c)}</th>' for c in _cells(line))
            i += 2
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(
                    "<tr>"
                    + "".join(f"<td>{inline(c)}</td>" for c in _cells(lines[i]))
                    + "</tr>"
                )
                i += 1
            out.append(
                '<div class="table-responsive"><table class="table table-sm">'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
                "</table></div>"
            )
        elif _BULLET.fullmatch(stripped) or _NUMBERED.fullmatch(stripped):
            numbered = bool(_NUMBERED.fullmatch(stripped))
            pattern = _NUMBERED if numbered else _BULLET
            items = []
            while i < len(lines) and (m := pattern.fullmatch(lines[i].strip())):
                i += 1
                items.append(f"<li>{take_item(m.group(1))}</li>")
                while i < len(lines) and not lines[i].strip():
                    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
                    if pattern.fullmatch(nxt):
                        i += 1
                    else:
                        break
            tag = "ol" if numbered else "ul"
            out.append(f"<{tag}>{''.join(items)}</{tag}>")
        else:
            text: list[str] = []
            while i < len(lines) and lines[i].strip():
                current = lines[i].strip()
                if text and (
                    _HEADING.fullmatch(current)
                    or _BULLET.fullmatch(current)
                    or _NUMBERED.fullmatch(current)
                    or current.startswith("|")
                ):
                    break
                text.append(current)
                i += 1
            out.append(f"<p>{inline(' '.join(text))}</p>")
    return mark_safe("\n".join(out))

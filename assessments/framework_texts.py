"""The built-in framework's texts in the reader's language.

The canonical text is the English original, ``framework/twelve-dimensions.json``,
loaded verbatim into the database by a migration and copied into each team and each
round as it was worded (the round's snapshot). Beside it, one file per language,
``framework/twelve-dimensions.<language>.json``, holds the translations with the
same structure and keys (docs/languages.md describes the format).

A text is shown translated only where it still is the original English of a
built-in dimension: a team's rewording, or a dimension the team wrote itself, is
shown as the team wrote it. The lookup is by the English text itself, so a round
keeps what it asked (its snapshot) and every reader sees the built-in wording in
their own language; nothing here touches the database.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

FRAMEWORK_DIR = Path(__file__).resolve().parent / "framework"
ORIGINAL = FRAMEWORK_DIR / "twelve-dimensions.json"
ORIGINAL_LANGUAGE = "en"

# Model field -> where it is in a dimension of the JSON files.
DIMENSION_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "short_name": ("short_name",),
    "prompt": ("reflection_prompt",),
    "signs_of_struggle": ("signs_of_struggle",),
    "level_1": ("levels", "not_meeting"),
    "level_2": ("levels", "meeting"),
    "level_3": ("levels", "exceeding"),
}
LEVEL_KEYS = ("not_meeting", "meeting", "exceeding")


def translation_file(language: str) -> Path:
    return FRAMEWORK_DIR / f"twelve-dimensions.{language}.json"


@functools.cache
def original() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ORIGINAL.read_text(encoding="utf-8"))
    return data


@functools.cache
def translation(language: str) -> dict[str, Any]:
    """The translation file of ``language`` (empty if there is none)."""
    path = translation_file(language)
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _dig(data: Any, keys: tuple[str, ...]) -> str:
    for key in keys:
        if not isinstance(data, dict):
            return ""
        data = data.get(key, "")
    return data if isinstance(data, str) else ""


def pairs(language: str) -> list[tuple[str, str, str]]:
    """Every text of the framework as (field, English original, translation); the
    translation is "" where the file of ``language`` lacks it."""
    source, target = original(), translation(language)
    rows: list[tuple[str, str, str]] = [
        ("framework", source["framework"], str(target.get("framework", "")))
    ]
    target_levels = target.get("levels", {})
    for level in source["levels"]:
        rows.append(
            ("level_label", level["label"], _dig(target_levels, (level["key"],)))
        )
    overall, target_overall = (
        source["overall_self_assessment"],
        target.get("overall_self_assessment", {}),
    )
    rows.append(
        ("checkin_question", overall["question"], _dig(target_overall, ("question",)))
    )
    for choice in overall["choices"]:
        rows.append(
            ("checkin_choice", choice, _dig(target_overall, ("choices", choice)))
        )
    target_follow_up = target_overall.get("follow_up", [])
    for i, question in enumerate(overall["follow_up"]):
        translated = target_follow_up[i] if i < len(target_follow_up) else ""
        rows.append(("follow_up", question, str(translated)))
    target_dimensions = target.get("dimensions", {})
    for dimension in source["dimensions"]:
        target_dimension = target_dimensions.get(dimension["slug"], {})
        for field, keys in DIMENSION_FIELDS.items():
            rows.append((field, _dig(dimension, keys), _dig(target_dimension, keys)))
    return rows


@functools.cache
def _lookup(language: str) -> dict[tuple[str, str], str]:
    return {
        (field, english): translated
        for field, english, translated in pairs(language)
        if translated
    }


def shipped_languages() -> list[str]:
    """The languages other than the original that the site offers."""
    return [code for code, _name in settings.LANGUAGES if code != ORIGINAL_LANGUAGE]


def builtin_text(field: str, text: str, language: str | None = None) -> str:
    """``text``, a built-in dimension's ``field`` as stored, in ``language`` (by
    default the active one) if it is the framework's original English, else as it
    is."""
    language = (language or get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    if language == ORIGINAL_LANGUAGE or not text:
        return text
    return _lookup(language).get((field, text), text)

"""The shipped languages are complete (docs/languages.md):

- every catalog entry of a checked language is translated and none is fuzzy;
- the catalogs hold exactly the strings of the source (``make messages`` ran);
- every page walked in each language shows no English sentence of the catalog;
- the framework's texts are there in each language after migrate, and agree with
  the catalog where both have a text.
"""

from __future__ import annotations

import ast
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from assessments import framework_texts
from assessments.models import BuiltinDimension, Checkin, Level
from tests.test_reads_write_nothing import Scene, scene, urls  # noqa: F401

# Every shipped language but the original: complete catalogs and framework files.
CHECKED = ["de", "fr", "es"]
LOCALE = settings.BASE_DIR / "locale"


def catalog(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list),
    fuzzy; the header left out."""
    found: list[dict[str, object]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        fuzzy = False
        current = ""
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                continue
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            elif line and not line.startswith("#"):
                current, _, rest = line.partition(" ")
                fields[current] = ast.literal_eval(rest)
        if fields.get("msgid"):
            found.append(
                {
                    "msgctxt": fields.get("msgctxt", ""),
                    "msgid": fields["msgid"],
                    "msgid_plural": fields.get("msgid_plural", ""),
                    "msgstr": [
                        v for k, v in sorted(fields.items()) if k.startswith("msgstr")
                    ],
                    "fuzzy": fuzzy,
                }
            )
    return found


def key(entry: dict[str, object]) -> tuple[object, object, object]:
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


@pytest.mark.parametrize("language", CHECKED)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    found = entries(catalog(language))
    assert len(found) > 900
    fuzzy = [e["msgid"] for e in found if e["fuzzy"]]
    untranslated = [e["msgid"] for e in found if not all(e["msgstr"])]  # type: ignore[call-overload]
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:5]}"
    assert not untranslated, f"untranslated in {language}: {untranslated[:5]}"
    header = catalog(language).read_text(encoding="utf-8").split("\n\n")[0]
    assert "#, fuzzy" not in header
    assert f'"Language: {language}\\n"' in header


@pytest.mark.parametrize("language", CHECKED)
def test_placeholders_are_kept(language: str) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%%|\{\{[^}]*\}\}|<[^>]+>")
    wrong = []
    for e in entries(catalog(language)):
        plural = str(e["msgid_plural"])
        sources = {str(e["msgid"]), plural} - {""}
        for text in e["msgstr"]:  # type: ignore[attr-defined]
            found = sorted(placeholder.findall(text))
            if not any(found == sorted(placeholder.findall(s)) for s in sources):
                wrong.append(e["msgid"])
    assert not wrong, wrong[:5]


def test_the_catalogs_hold_exactly_the_source_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``make messages`` would extract them now: a string added to the code or
    a template without `make messages` (or one removed) fails here."""
    # makemessages writes into the catalogs beside the files it reads: let it read
    # a copy of the source, beside an empty locale folder.
    ignored = [".venv", "tests", "benchmarks", "wip", "var", "staticfiles", "vendor"]
    source = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(*ignored, ".git", "locale", "*.png", "*.pyc"),
        symlinks=True,
    )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command(
            "makemessages",
            locale=["de"],
            ignore_patterns=ignored,
            no_obsolete=True,
            verbosity=0,
        )
    fresh = {
        key(e) for e in entries(source / "locale" / "de" / "LC_MESSAGES" / "django.po")
    }
    assert len(fresh) > 900
    for language in ("de", "fr", "es"):
        shipped = {key(e) for e in entries(catalog(language))}
        missing = sorted(str(k[1]) for k in fresh - shipped)
        stale = sorted(str(k[1]) for k in shipped - fresh)
        assert not missing, f"run `make messages`: {language} lacks {missing[:5]}"
        assert not stale, f"run `make messages`: {language} still has {stale[:5]}"


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes outside script and style, and
    the attributes read aloud or shown."""

    SHOWN = {"aria-label", "alt", "title", "placeholder"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts.extend(v for k, v in attrs if k in self.SHOWN and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


SVG_LOCALISED = re.compile(r'\s(?:x|y|width|height|cx|cy|r)="[^"]*\d,\d')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\{[^}]*\}\}|<[^>]+>|\n")


def english_sentences(language: str) -> set[str]:
    """Pieces of the catalog's English of four words or more (between
    placeholders and markup) whose translation differs from the English."""
    pieces = set()
    for e in entries(catalog(language)):
        sources = {str(e["msgid"]), str(e["msgid_plural"])} - {""}
        if set(e["msgstr"]) & sources:  # type: ignore[call-overload]
            continue
        for source in sources:
            for piece in PLACEHOLDER.split(source):
                piece = " ".join(piece.split()).strip(" .,:;")
                if len(piece.split()) >= 4:
                    pieces.add(piece)
    return pieces


def framework_names(language: str) -> set[str]:
    """The English names of the built-in dimensions, where ``language`` has names
    of its own."""
    return {
        english
        for field, english, translated in framework_texts.pairs(language)
        if field == "name" and translated != english
    }


@pytest.mark.parametrize("language", CHECKED)
@pytest.mark.parametrize(
    "role", ["anonymous", "facilitator", "coach", "stakeholder session"]
)
def test_every_page_is_in_the_language_with_no_english_left(
    scene: Scene,  # noqa: F811
    role: str,
    language: str,
) -> None:
    english = english_sentences(language)
    # The built-in dimensions' names come from the framework files, not the
    # catalog, and are short: looked for as they are.
    english |= framework_names(language)
    client: Client = scene.clients[role]()
    walked = 0
    left: dict[str, list[str]] = {}
    no_choice: list[str] = []
    for url in urls(scene):
        # The admin is the operator's. The anonymity contract (/anonymity/) is
        # walked: its translations are docs/anonymity.<code>.md.
        if url.startswith("/admin/") or url.rsplit(".", 1)[-1] in {
            "csv",
            "pdf",
            "png",
            "svg",
            "json",
        }:
            continue
        r = client.get(url, headers={"accept-language": language})
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        walked += 1
        assert r["Content-Language"] == language, url
        html = r.content.decode()
        # The footer's language choice, a plain form (no script), on every page
        # but the API's reference (django-ninja's own page, for programmers).
        choice = 'action="/accounts/set-language/"' in html
        if "<html" in html and not choice and url != "/api/docs":
            no_choice.append(url)
        # Numbers in SVG attributes are never localised (1,5 is no length).
        assert not SVG_LOCALISED.search(html), (url, SVG_LOCALISED.search(html))
        text = visible_text(html)
        found = [piece for piece in english if piece in text]
        if found:
            left[url] = found[:3]
    assert walked >= 3
    assert not left, f"English left in {language} as {role}: {left}"
    assert not no_choice, f"no language choice as {role}: {no_choice}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", CHECKED)
def test_the_framework_is_there_in_each_language_after_migrate(language: str) -> None:
    pairs = framework_texts.pairs(language)
    assert len(pairs) == 1 + 3 + 1 + 3 + 4 + 12 * 7
    assert not [english for _f, english, translated in pairs if not translated]
    dimensions = list(BuiltinDimension.objects.order_by("position"))
    assert len(dimensions) == 12
    with translation.override(language):
        for d in dimensions:
            for field in (
                "name",
                "prompt",
                "signs_of_struggle",
                "level_1",
                "level_2",
                "level_3",
            ):
                shown = d.shown(field)
                assert shown, (d.slug, field)
                assert shown != getattr(d, field), (d.slug, field)
            assert [text for _v, _l, text in d.level_texts()] != [
                d.level_1,
                d.level_2,
                d.level_3,
            ]
    with translation.override("en"):
        assert dimensions[0].shown("name") == dimensions[0].name


@pytest.mark.parametrize("language", CHECKED)
def test_the_framework_file_agrees_with_the_catalog(language: str) -> None:
    """The check-in question, its choices, the follow-up questions and the level
    labels are on the pages through gettext: the same words as the framework file."""
    source = framework_texts.original()
    texts = {(f, e): t for f, e, t in framework_texts.pairs(language)}
    with translation.override(language):
        question = source["overall_self_assessment"]["question"]
        assert translation.gettext(question) == texts[("checkin_question", question)]
        for english in source["overall_self_assessment"]["follow_up"]:
            assert translation.gettext(english) == texts[("follow_up", english)]
        for level in Level:
            with translation.override("en"):
                english = str(level.label)
            assert str(level.label) == texts[("level_label", english)]
        for choice in source["overall_self_assessment"]["choices"]:
            # The original lists them in lower case, the pages capitalised.
            label = str(Checkin(choice).label)
            assert label.lower() == texts[("checkin_choice", choice)].lower()


@pytest.mark.parametrize("language", CHECKED)
def test_each_framework_file_names_the_original_and_copies_no_english(
    language: str,
) -> None:
    data = framework_texts.translation(language)
    assert data["language"] == language
    assert data["original"] == framework_texts.ORIGINAL.name
    copied = [e for _f, e, t in framework_texts.pairs(language) if t == e]
    assert copied == []

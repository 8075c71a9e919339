"""The anonymity contract page (/anonymity/) and the links to it: the document
``docs/anonymity.md`` as a readable page, in the page's language where a
translation exists, with the English original named as the canonical text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from assessments import contract as contracts
from assessments.models import Round

DOCS = settings.BASE_DIR / "docs"
TRANSLATED = ["de", "fr", "es"]
TITLES = {
    "en": "The anonymity contract",
    "de": "Das Anonymitätsversprechen",
    "fr": "Le contrat d'anonymat",
    "es": "El contrato de anonimato",
}


def article(html: str) -> str:
    return html.split('<article class="contract"', 1)[1].split("</article>", 1)[0]


def test_it_shows_the_contract_without_login(client: Client) -> None:
    r = client.get("/anonymity/")
    assert r.status_code == 200
    body = article(r.text)
    assert body.startswith(' lang="en">')
    # A page, not the Markdown source: headings, a table of the rules, lists.
    assert "<h1>The anonymity contract</h1>" in body
    assert "<h2>Honest limits</h2>" in body
    assert '<th scope="col">proved by</th>' in body
    assert "<li><strong>A colluding team.</strong>" in body
    assert "<code>assessments/disclosure.py</code>" in body
    assert "## " not in body
    assert "**" not in body
    assert "font-monospace" not in r.text
    # English readers get no note about translations.
    assert "canonical" not in r.text.split('<article class="contract"', 1)[0]


def test_it_rejects_post(client: Client) -> None:
    assert client.post("/anonymity/").status_code == 405


def test_the_answer_page_links_to_it(bob_client: Client, open_round: Round) -> None:
    r = bob_client.get(f"/rounds/{open_round.code}/answer/")
    assert 'href="/anonymity/">About anonymity</a>' in r.text


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_is_shown_in_the_page_language(client: Client, language: str) -> None:
    r = client.get("/anonymity/", headers={"accept-language": language})
    assert r["Content-Language"] == language
    body = article(r.text)
    assert body.startswith(f' lang="{language}">')
    assert f"<h1>{TITLES[language]}</h1>".replace("'", "&#x27;") in body
    assert TITLES["en"] not in body
    assert "Honest limits" not in body
    # The tests each rule names are the same in every language.
    assert "<code>tests/assessments/test_attacks.py::test_reopen_and_diff" in body
    # The English original is named as the canonical text, one click away.
    assert "docs/anonymity.md" in r.text
    assert 'href="/anonymity/?original" hreflang="en"' in r.text


def test_the_original_is_one_click_away_in_german(client: Client) -> None:
    german = {"accept-language": "de"}
    r = client.get("/anonymity/?original", headers=german)
    assert r["Content-Language"] == "de"  # the page around it stays German
    body = article(r.text)
    assert body.startswith(' lang="en">')
    assert "<h1>The anonymity contract</h1>" in body
    assert "Dies ist das englische Original, der verbindliche Text" in r.text
    assert 'href="/anonymity/">Die Übersetzung lesen</a>' in r.text


def test_a_language_without_a_translation_gets_the_original(
    client: Client, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "anonymity.md").write_text(
        "# The contract\n\nRule one.\n", "utf-8"
    )
    with override_settings(BASE_DIR=tmp_path):
        r = client.get("/anonymity/", headers={"accept-language": "es"})
        assert contracts.contract("es").language == "en"
    assert r["Content-Language"] == "es"
    assert article(r.text) == ' lang="en">\n<h1>The contract</h1>\n<p>Rule one.</p>\n'
    assert "aún no está traducida a tu idioma" in r.text
    assert contracts.contract("it").language == "en"


def test_it_is_not_found_without_the_docs(client: Client, tmp_path: Path) -> None:
    with override_settings(BASE_DIR=tmp_path):
        assert client.get("/anonymity/").status_code == 404


def test_the_renderer_escapes_everything_and_links_nothing() -> None:
    html = contracts.render(
        "# Title <script>alert(1)</script>\n\n"
        'A [click](javascript:alert(1)) and <img src=x onerror="y"> and `<b>`.\n\n'
        "- **bold** and *em*\n  continued\n- two\n\n"
        "1. first\n   more\n2. second\n\n"
        "| a | b |\n|---|---|\n| <i>x</i> | `=1` |\n\n"
        "<!-- a translator's note -->\n"
        "### Small\n"
    )
    assert html == (
        "<h1>Title &lt;script&gt;alert(1)&lt;/script&gt;</h1>\n"
        "<p>A click and &lt;img src=x onerror=&quot;y&quot;&gt; and "
        "<code>&lt;b&gt;</code>.</p>\n"
        "<ul><li><strong>bold</strong> and <em>em</em> continued</li>"
        "<li>two</li></ul>\n"
        "<ol><li>first more</li><li>second</li></ol>\n"
        '<div class="table-responsive"><table class="table table-sm"><thead><tr>'
        '<th scope="col">a</th><th scope="col">b</th></tr></thead><tbody><tr>'
        "<td>&lt;i&gt;x&lt;/i&gt;</td><td><code>=1</code></td></tr></tbody>"
        "</table></div>\n"
        "<h3>Small</h3>"
    )


def structure(path: Path) -> list[tuple[str, Counter[str], list[str]]]:
    """Per section (split at ``##``): its heading level, its counts of
    subheadings, table rows, list items and lists, and its code spans in order."""
    html = contracts.render(path.read_text("utf-8"))
    sections = re.split(r"(?=<h[12]>)", html)
    found = []
    for section in sections:
        level = section[:4]
        counts = Counter(
            {tag: len(re.findall(f"<{tag}[ >]", section)) for tag in ("h3", "tr")}
            | {tag: section.count(f"<{tag}>") for tag in ("li", "ul", "ol", "p")}
        )
        found.append((level, counts, re.findall(r"<code>(.*?)</code>", section)))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_translation_has_the_structure_of_the_original(language: str) -> None:
    """docs/anonymity.md may gain, lose or change a rule or a test name: each
    translation must then be brought up to date (docs/languages.md), or this fails.
    Same sections, and in each the same number of rules (table rows), list items,
    paragraphs and sub-headings, and the same code (tests, modules, settings) in
    the same order."""
    original = structure(DOCS / "anonymity.md")
    translation = structure(DOCS / f"anonymity.{language}.md")
    assert len(translation) == len(original), (
        f"docs/anonymity.{language}.md has {len(translation)} sections, "
        f"docs/anonymity.md {len(original)}: translate the change"
    )
    for number, (mine, theirs) in enumerate(
        zip(translation, original, strict=True), start=1
    ):
        assert mine == theirs, (
            f"section {number} of docs/anonymity.{language}.md differs from the "
            "original's (rules, items or code): translate the change"
        )
    rules = [
        row
        for row in re.findall(
            r"<tr><td>(\d+)</td>",
            contracts.render((DOCS / f"anonymity.{language}.md").read_text("utf-8")),
        )
    ]
    assert rules == [str(n) for n in range(1, len(rules) + 1)]
    assert len(rules) >= 11

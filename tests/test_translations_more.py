"""The rest of issue 17's "every page, email, error page": the error pages in each
shipped language with no English left (the page walk in
``tests/test_translations.py`` sees only pages that answer 200 with HTML), and
dates and plurals in the reader's language. The PDF: tests/reports/test_pdf_language.py;
emails: tests/test_email_language.py."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import formats, translation
from django.views.defaults import server_error

from teams.text import quoted
from tests.test_translations import CHECKED, english_sentences, visible_text

ERROR_PAGES = ["400", "403", "404", "413", "415", "429", "500"]
MONTH = {"de": "Dezember", "fr": "décembre", "es": "diciembre"}


def english_left(html: str, language: str) -> list[str]:
    text = visible_text(html)
    return [piece for piece in english_sentences(language) if piece in text]


@pytest.mark.parametrize("language", CHECKED)
def test_every_error_page_is_in_the_language(language: str) -> None:
    for name in ERROR_PAGES:
        with translation.override(language):
            html = render_to_string(f"{name}.html")
        assert f'<html lang="{language}"' in html, name
        assert not english_left(html, language), (name, english_left(html, language))
        with translation.override("en"):
            assert render_to_string(f"{name}.html") != html, name


@pytest.mark.django_db
@pytest.mark.parametrize("language", CHECKED)
def test_a_real_not_found_and_server_error_follow_the_browser(
    client: Client, language: str
) -> None:
    r = client.get("/no-such-page/", headers={"accept-language": language})
    assert r.status_code == 404
    assert r["Content-Language"] == language
    assert f'<html lang="{language}"' in r.text
    assert not english_left(r.text, language)
    with translation.override(language):
        page = server_error(RequestFactory().get("/")).content.decode()
    assert f'<html lang="{language}"' in page
    assert not english_left(page, language)


@pytest.mark.parametrize("language", CHECKED)
def test_dates_are_written_in_the_language(language: str) -> None:
    with translation.override(language):
        shown = formats.date_format(datetime.date(2026, 12, 2), "DATE_FORMAT")
    assert MONTH[language] in shown
    assert "December" not in shown


@pytest.mark.parametrize("language", CHECKED)
def test_plurals_follow_the_languages_forms(language: str) -> None:
    """Every plural entry of the catalog has its singular and plural translated;
    one page's plural shown for 1 and for 3."""
    singular = "%(members)s member was eligible: the team when the round opened (who joined later could not answer, who left still counts)."  # noqa: E501
    plural = "%(members)s members were eligible: the team when the round opened (who joined later could not answer, who left still counts)."  # noqa: E501
    with translation.override(language):
        one = translation.ngettext(singular, plural, 1) % {"members": 1}
        three = translation.ngettext(singular, plural, 3) % {"members": 3}
    assert one != three
    assert "member" not in one + three


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "“Alpha”"),
        ("de", "„Alpha“"),
        ("fr", "«\u00a0Alpha\u00a0»"),
        ("es", "“Alpha”"),
    ],
)
def test_a_teams_name_is_quoted_in_the_languages_marks(
    language: str, expected: str
) -> None:
    """Emails and the activity log quote what the team typed (``teams.text``)."""
    with translation.override(language):
        assert quoted("Alpha") == expected

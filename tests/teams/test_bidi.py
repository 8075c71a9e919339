"""User-written text keeps its own direction and cannot reorder the page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template

from teams.templatetags.bidi import bidi, bidi_text
from tests.test_reads_write_nothing import Scene, scene, urls  # noqa: F401

RLO = "\u202e"


def test_it_isolates_and_escapes() -> None:
    assert bidi("<b>فريق</b>") == '<bdi dir="auto">&lt;b&gt;فريق&lt;/b&gt;</bdi>'


def test_it_drops_overrides_so_a_note_does_not_show_reversed() -> None:
    html = bidi(f"deploy on {RLO}yadirf")
    assert RLO not in html
    assert html == '<bdi dir="auto">deploy on yadirf</bdi>'


def test_plain_text_is_isolated_with_unicode_isolates() -> None:
    assert bidi_text(f"{RLO}Alpha") == "\u2068Alpha\u2069"


def test_empty_stays_empty() -> None:
    assert bidi("") == ""
    assert bidi(None) == ""
    assert bidi_text("") == ""


def test_it_is_a_builtin_in_every_template() -> None:
    hebrew = "\u05e9\u05dc\u05d5\u05dd"
    template = Template("<p>{{ note|bidi }}</p><title>{{ note|bidi_text }}</title>")
    out = template.render(Context({"note": f"{hebrew} & hi"}))
    assert out == (
        f'<p><bdi dir="auto">{hebrew} &amp; hi</bdi></p>'
        f"<title>\u2068{hebrew} &amp; hi\u2069</title>"
    )


def _isolated_everywhere(html: str, text: str) -> bool:
    """Every occurrence of ``text`` in the page is isolated (bdi or FSI…PDI)."""
    isolated = html.count(f'<bdi dir="auto">{text}</bdi>') + html.count(
        f"\u2068{text}\u2069"
    )
    return html.count(text) > 0 and html.count(text) == isolated


@pytest.mark.django_db
def test_every_page_isolates_the_teams_own_words(
    alice: User, printed: list[str]
) -> None:
    """A team name, round title, action and input metric in Arabic, on the home
    page, the team page, the retro, the metrics and the action board, and the
    PDF's print HTML."""
    from assessments.models import Action, Round, RoundMetric
    from assessments.services import team_start
    from tests.conftest import client_for
    from tests.factories import add_response, make_round

    name, title, action, metric = "فريق", "جولة", "نعمل", "مقياس"
    team = team_start(name=name, description="", creator=alice)
    round = make_round(team, title=title, state=Round.State.CLOSED)
    for level in (1, 2, 3):
        add_response(
            round, [level] * round.dimensions.count(), notes=[("keep", "ملاحظة")]
        )
    Action.objects.create(
        team=team, round=round, dimension=round.dimensions.first(), text=action
    )
    RoundMetric.objects.create(
        round=round, kind=RoundMetric.Kind.CUSTOM, name=metric, value=1
    )
    client = client_for(alice)
    pages = {
        "/": [name],
        team.get_absolute_url(): [name, title],
        f"/rounds/{round.code}/metrics/": [name, title, metric],
        f"/teams/{team.code}/actions/": [name, action],
        # The round page, its report and the team overview: notes too.
        f"/rounds/{round.code}/": [name, title],
        f"/rounds/{round.code}/report/": [name, title, "ملاحظة"],
        f"/teams/{team.code}/overview/": [name, title],
    }
    for url, texts in pages.items():
        r = client.get(url)
        assert r.status_code == 200, url
        for text in texts:
            assert _isolated_everywhere(r.text, text), (url, text)
    assert client.get(f"/rounds/{round.code}/report/report.pdf").status_code == 200
    html = printed[-1]
    assert (
        f'<h1><bdi dir="auto">{name}</bdi>: <bdi dir="auto">{title}</bdi></h1>' in html
    )
    for text in (name, title, action, metric, "ملاحظة"):
        assert _isolated_everywhere(html, text), ("PDF", text)


_FIELD = re.compile(r"<(?:textarea|input)\b[^>]*>")


@pytest.mark.parametrize("role", ["anonymous", "facilitator", "stakeholder session"])
def test_every_field_for_own_words_takes_the_direction_of_its_text(
    scene: Scene,  # noqa: F811
    role: str,
) -> None:
    """Every text input and textarea of every page (names, titles, notes,
    comments, relationships, wording) lays out what is typed in it, and what it
    shows again, by the text's own direction."""
    client = scene.clients[role]()
    fields = 0
    missing: dict[str, list[str]] = {}
    for url in urls(scene):
        if url.startswith("/admin/"):
            continue
        r = client.get(url)
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        for tag in _FIELD.findall(r.content.decode()):
            if tag.startswith("<input") and 'type="text"' not in tag:
                continue
            fields += 1
            if 'dir="auto"' not in tag:
                missing.setdefault(url, []).append(tag[:100])
    assert fields >= 2
    assert not missing, missing

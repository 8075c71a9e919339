"""A round's dimensions in each reader's language: the framework's own wording
translated, a team's rewording as the team wrote it (docs/languages.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from assessments.models import Round, TeamDimension
from teams.models import Team
from tests.factories import make_round

pytestmark = pytest.mark.django_db


def _answer_page(client: Client, round: Round, language: str) -> str:
    r = client.get(
        f"/rounds/{round.code}/answer/", headers={"accept-language": language}
    )
    assert r.status_code == 200
    return r.text


def test_the_framework_wording_is_shown_in_the_readers_language(
    bob_client: Client, team: Team
) -> None:
    round = make_round(team, title="Frühjahr", dimensions=2)
    german = _answer_page(bob_client, round, "de")
    assert escape("Zusammenarbeit & Kommunikation") in german
    assert "Wie teilen wir Wissen? Sind wir aufeinander abgestimmt?" in german
    assert "Das Team arbeitet in Silos; Wissen wird kaum geteilt." in german
    assert "Erwartungen übertroffen" in german
    assert "How do we share knowledge?" not in german
    english = _answer_page(bob_client, round, "en")
    assert "How do we share knowledge? Are we aligned?" in english
    assert "Wie teilen wir Wissen?" not in english


def test_a_teams_rewording_is_shown_as_written_to_everyone(
    bob_client: Client, team: Team
) -> None:
    first = TeamDimension.objects.filter(team=team).order_by("position").first()
    assert first is not None
    first.prompt = "Reden wir genug miteinander?"
    first.save()
    round = make_round(team, title="Frühjahr", dimensions=2)
    for language in ("de", "fr", "en"):
        page = _answer_page(bob_client, round, language)
        assert "Reden wir genug miteinander?" in page
    # The texts it did not reword are still the framework's, translated.
    assert escape("Zusammenarbeit & Kommunikation") in _answer_page(
        bob_client, round, "de"
    )


def test_the_round_keeps_its_snapshot(bob_client: Client, team: Team) -> None:
    round = make_round(team, title="Frühjahr", dimensions=1)
    # Rewording the team's dimension after opening does not touch the round.
    TeamDimension.objects.filter(team=team).update(prompt="Neu formuliert?")
    page = _answer_page(bob_client, round, "de")
    assert "Neu formuliert?" not in page
    assert "Wie teilen wir Wissen? Sind wir aufeinander abgestimmt?" in page

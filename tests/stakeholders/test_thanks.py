"""GET /s/thanks/."""

from __future__ import annotations

from django.test import Client

from tests.stakeholders.conftest import answer_data


def test_it_works(link_client: Client) -> None:
    r = link_client.post("/s/", answer_data(), follow=True)
    assert r.status_code == 200
    assert "Thank you, your answer is in" in r.text
    assert "You have already answered" not in r.text


def test_it_shows_nothing_about_the_team(client: Client, db: None) -> None:
    r = client.get("/s/thanks/")
    assert r.status_code == 200
    assert "Alpha" not in r.text

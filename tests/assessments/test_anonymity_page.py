"""The anonymity contract page (/anonymity/) and the links to it."""

from __future__ import annotations

from django.test import Client

from assessments.models import Round


def test_it_shows_the_contract_without_login(client: Client) -> None:
    r = client.get("/anonymity/")
    assert r.status_code == 200
    assert "The anonymity contract" in r.text
    assert "Honest limits" in r.text
    assert "assessments/disclosure.py" in r.text


def test_it_rejects_post(client: Client) -> None:
    assert client.post("/anonymity/").status_code == 405


def test_the_answer_page_links_to_it(bob_client: Client, open_round: Round) -> None:
    r = bob_client.get(f"/rounds/{open_round.code}/answer/")
    assert 'href="/anonymity/">About anonymity</a>' in r.text

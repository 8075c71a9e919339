"""POST /s/more-notes/: more boxes for notes, keeping what was written."""

from __future__ import annotations

from django.test import Client

from assessments.models import Response, StakeholderLink
from tests.stakeholders.conftest import answer_data


def test_it_adds_rows_and_keeps_answers(link_client: Client) -> None:
    data = answer_data(relationship="Customer", keep_1="Kept note", d1_comment="Hm")
    r = link_client.post("/s/more-notes/", data)
    assert r.status_code == 200
    assert 'name="keep_6"' in r.text
    assert 'name="keep_7"' not in r.text
    assert "Kept note" in r.text
    assert "Hm" in r.text
    assert 'value="Customer" checked' in r.text
    assert not Response.objects.exists()


def test_it_rejects_missing_session(client: Client, link: StakeholderLink) -> None:
    r = client.post("/s/more-notes/", answer_data())
    assert r.status_code == 404
    assert "This link is not valid" in r.text


def test_it_rejects_get(link_client: Client) -> None:
    assert link_client.get("/s/more-notes/").status_code == 405

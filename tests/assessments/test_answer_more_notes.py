from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Participation, Response, Round
from tests.assessments.conftest import answer_data


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/answer/more-notes/"


def test_it_adds_boxes_and_keeps_everything(
    bob_client: Client, open_round: Round
) -> None:
    data = answer_data(
        open_round, d1_level="3", keep_3="Pairing", d2_comment="Mine", note_rows="3"
    )
    r = bob_client.post(_url(open_round), data)
    assert r.status_code == 200
    assert 'name="keep_6"' in r.text
    assert 'name="stop_6"' in r.text
    assert 'name="keep_7"' not in r.text
    assert 'name="note_rows" value="6"' in r.text
    assert ">\nPairing</textarea>" in r.text
    assert "Mine</textarea>" in r.text
    assert 'name="d1_level" id="id_d1_level_2" value="3" checked' in r.text
    # Nothing is stored and nothing is flagged as an error yet.
    assert "Please check your answer" not in r.text
    assert not Response.objects.exists()
    assert not Participation.objects.exists()


def test_the_form_posts_to_the_answer_page(
    bob_client: Client, open_round: Round
) -> None:
    r = bob_client.post(_url(open_round), answer_data(open_round))
    assert f'action="/rounds/{open_round.code}/answer/"' in r.text
    assert f'formaction="{_url(open_round)}"' in r.text


def test_it_redirects_when_already_answered(
    bob_client: Client, open_round: Round, bob: User
) -> None:
    Participation.objects.create(round=open_round, user=bob)
    r = bob_client.post(_url(open_round), answer_data(open_round))
    assert r.status_code == 302
    assert r["Location"] == f"/rounds/{open_round.code}/answer/"


def test_it_hides_round_from_outsider(carol_client: Client, open_round: Round) -> None:
    assert carol_client.post(_url(open_round), {}).status_code == 404


def test_get_goes_back_to_the_answer_page(
    bob_client: Client, open_round: Round
) -> None:
    # The page shows this URL after "More boxes"; reloading it must not be an error.
    r = bob_client.get(_url(open_round))
    assert r.status_code == 302
    assert r["Location"] == f"/rounds/{open_round.code}/answer/"

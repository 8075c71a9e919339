"""No answer is lost: long texts are refused and kept, never cut; the browser keeps
a draft (static/js/draft.js) that the pages after sending clear; an expired session
comes back to the form."""

from __future__ import annotations

from django.test import Client

from assessments.models import Response, Round
from tests.assessments.conftest import answer_data
from tests.factories import add_response


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/answer/"


def test_a_long_note_is_refused_and_kept_not_cut(
    bob_client: Client, open_round: Round
) -> None:
    note = ("Lorem ipsum dolor sit amet. " * 358).strip()  # 10,023 characters
    r = bob_client.post(_url(open_round), answer_data(open_round, keep_1=note))
    assert r.status_code == 200
    assert "Please check your answer: nothing has been saved yet." in r.text
    assert "at most 2000 characters (it has 10023)" in r.text
    assert note + "</textarea>" in r.text  # every character still in the box
    assert not Response.objects.exists()


def test_text_boxes_count_instead_of_cutting(
    bob_client: Client, open_round: Round
) -> None:
    r = bob_client.get(_url(open_round))
    assert "maxlength" not in r.text  # the browser would cut a paste silently
    assert 'data-max-length="2000"' in r.text  # keep/stop/start notes
    assert 'data-max-length="4000"' in r.text  # comments and the check-in reason
    assert "of %(max)s characters" in r.text  # the counter's words, translated


def test_the_form_keeps_a_draft_in_the_browser(
    bob_client: Client, open_round: Round
) -> None:
    r = bob_client.get(_url(open_round))
    assert f'data-draft-key="member:{open_round.code}"' in r.text
    assert "/static/js/draft.js" in r.text
    assert 'nonce="' in r.text


def test_it_shows_as_many_note_boxes_as_the_draft_needs(
    bob_client: Client, open_round: Round
) -> None:
    r = bob_client.get(_url(open_round) + "?rows=5")
    assert 'name="keep_5"' in r.text
    assert 'name="keep_6"' not in r.text
    r = bob_client.get(_url(open_round) + "?rows=nonsense")
    assert 'name="keep_2"' in r.text


def test_the_page_after_sending_clears_the_draft(
    bob_client: Client, open_round: Round
) -> None:
    r = bob_client.post(_url(open_round), answer_data(open_round), follow=True)
    assert "Thank you: your answer is saved" in r.text
    assert f'data-draft-clear="member:{open_round.code}"' in r.text
    r = bob_client.get(_url(open_round))  # "You have already answered"
    assert f'data-draft-clear="member:{open_round.code}"' in r.text


def test_a_closed_round_clears_the_draft(bob_client: Client, open_round: Round) -> None:
    Round.objects.filter(pk=open_round.pk).update(state=Round.State.CLOSED)
    r = bob_client.get(_url(open_round))
    assert "This round is closed" in r.text
    assert f'data-draft-clear="member:{open_round.code}"' in r.text


def test_an_unanswered_open_round_keeps_the_draft(
    bob_client: Client, open_round: Round
) -> None:
    add_response(open_round, [2, 2, 2])  # someone else answered
    r = bob_client.get(f"/rounds/{open_round.code}/")
    assert "data-draft-clear" not in r.text


def test_an_expired_session_comes_back_to_the_form(open_round: Round) -> None:
    # Signed out (the session expired) while answering: sent to sign in, and back
    # to the form afterwards, where the browser puts the draft back.
    r = Client().post(_url(open_round), answer_data(open_round))
    assert r.status_code == 302
    assert r["Location"] == f"/accounts/login/?next={_url(open_round)}"
    assert not Response.objects.exists()

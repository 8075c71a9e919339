"""A blank answer form's fields are rendered once per round, language and wording,
and shared by everyone who opens the form (issue 27); nothing personal is ever in
the shared entry, and no change of wording or language serves a stale form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape

from assessments import answer_fields
from assessments.models import Round
from teams.models import Membership, Team
from tests.assessments.conftest import answer_data
from tests.conftest import client_for
from tests.factories import put_on_roster


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/answer/"


def test_it_renders_the_fields_once_for_every_member(
    open_round: Round,
    team: Team,
    alice_client: Client,
    bob_client: Client,
    renders: list[str],
) -> None:
    first = alice_client.get(_url(open_round))
    second = bob_client.get(_url(open_round))
    assert first.status_code == second.status_code == 200
    assert renders == ["assessments/_answer_fields.html"]
    assert 'id="id_d1_level"' in first.text
    assert 'id="id_d1_level"' in second.text


def test_it_keeps_everything_personal_out_of_the_shared_fields(
    open_round: Round,
    team: Team,
    alice_client: Client,
    bob_client: Client,
    alice: User,
) -> None:
    # An answer with an error keeps what was typed on the page of its author...
    typed = answer_data(open_round, keep_1="Only Bob wrote this", d1_level="")
    refused = bob_client.post(_url(open_round), typed)
    assert refused.status_code == 200
    assert "Only Bob wrote this" in refused.text
    # ...and never on anyone else's, nor in the shared entry.
    page = alice_client.get(_url(open_round))
    assert "Only Bob wrote this" not in page.text
    token = str(page.context["csrf_token"])
    dims = list(open_round.dimensions.order_by("position"))
    html = cache.get(
        answer_fields.fields_key(open_round, dims, from_outside=False, rows=2)
    )
    assert isinstance(html, str)
    assert 'id="id_d1_level"' in html
    assert "Only Bob wrote this" not in html
    assert token not in html
    assert "csrfmiddlewaretoken" not in html
    assert "data-draft-key" not in html
    assert alice.username not in html


def test_a_renamed_dimension_is_never_served_from_the_old_fields(
    open_round: Round, team: Team, bob_client: Client
) -> None:
    before = bob_client.get(_url(open_round))
    dim = open_round.dimensions.order_by("position").first()
    assert dim is not None
    assert escape(dim.shown_name) in before.text
    dim.name, dim.builtin_id = "Our very own flow", None
    dim.save()
    after = bob_client.get(_url(open_round))
    assert "Our very own flow" in after.text


def test_a_changed_level_text_is_never_served_from_the_old_fields(
    open_round: Round, team: Team, bob_client: Client
) -> None:
    bob_client.get(_url(open_round))
    dim = open_round.dimensions.order_by("position").first()
    assert dim is not None
    dim.level_2, dim.builtin_id = "We meet, most weeks, what we promise.", None
    dim.save()
    after = bob_client.get(_url(open_round))
    assert "We meet, most weeks, what we promise." in after.text


def test_another_language_gets_its_own_fields(
    open_round: Round, team: Team, bob_client: Client
) -> None:
    english = bob_client.get(_url(open_round))
    assert "The dimensions" in english.text
    bob_client.cookies["django_language"] = "de"
    german = bob_client.get(_url(open_round), headers={"accept-language": "de"})
    assert "Die Dimensionen" in german.text
    assert "The dimensions" not in german.text
    bob_client.cookies["django_language"] = "en"
    again = bob_client.get(_url(open_round))
    assert "The dimensions" in again.text


def test_more_note_rows_from_a_draft_are_their_own_fields(
    open_round: Round, team: Team, bob_client: Client
) -> None:
    blank = bob_client.get(_url(open_round))
    more = bob_client.get(_url(open_round) + "?rows=5")
    assert 'name="keep_3"' not in blank.text
    assert 'name="keep_5"' in more.text
    assert 'name="keep_6"' not in more.text


def test_the_form_page_makes_a_fixed_number_of_queries(
    open_round: Round,
    team: Team,
    bob_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    bob_client.get(_url(open_round))  # the shared fields are made once
    for i in range(5):
        user = User.objects.create_user(f"member{i}")
        Membership.objects.create(team=team, user=user)
        put_on_roster(open_round, user)
    # Session, user, the round with its dimensions and role, the roster and its
    # answers, the carried actions, the shared fields: the same for 3 or 30.
    client = client_for(User.objects.get(username="member0"))
    with django_assert_max_num_queries(7):
        r = client.get(_url(open_round))
    assert r.status_code == 200

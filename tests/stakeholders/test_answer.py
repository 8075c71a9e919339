"""GET and POST /s/: a stakeholder answers the round without an account."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from assessments.models import (
    Note,
    Rating,
    Response,
    Round,
    SealedAnswer,
    StakeholderGroup,
    StakeholderInvitation,
    StakeholderLink,
)
from assessments.services import answers_release, team_start
from teams.models import Team, hash_token
from tests.factories import add_response, make_round
from tests.stakeholders.conftest import (
    INVITATION_TOKEN,
    LINK_TOKEN,
    answer_data,
    open_link,
)


def test_it_introduces_team_and_exercise(link_client: Client, round: Round) -> None:
    r = link_client.get("/s/")
    assert r.status_code == 200
    assert 'How do you see <bdi dir="auto">Alpha</bdi>?' in r.text
    assert "The alpha team" in r.text  # the team's description
    assert "Spring check" in r.text
    assert "anonymous" in r.text


def test_it_links_the_anonymity_contract(link_client: Client) -> None:
    """Issue 11 item 7: the contract is one click from every answer page, the
    stakeholder's too."""
    r = link_client.get("/s/")
    assert 'href="/anonymity/">About anonymity</a>' in r.text


def test_it_asks_for_notes_about_the_team(link_client: Client) -> None:
    r = link_client.get("/s/")
    assert "What should the team keep doing?" in r.text
    assert "What should we keep doing?" not in r.text


def test_it_asks_relationship_from_team_list(link_client: Client, team: Team) -> None:
    StakeholderGroup.objects.create(team=team, name="Data platform", position=9)
    r = link_client.get("/s/")
    for name in ("Product / business", "Adjacent team", "Leadership", "Customer"):
        assert f'value="{name}"' in r.text
    assert 'value="Data platform"' in r.text


def test_it_offers_dont_know_for_every_dimension(
    link_client: Client, round: Round
) -> None:
    r = link_client.get("/s/")
    assert r.text.count('value="dk"') == 3
    for dim in round.dimensions.all():
        assert escape(dim.name) in r.text
    assert 'name="d1_comment"' in r.text
    assert 'name="keep_1"' in r.text
    assert 'name="checkin"' not in r.text  # the check-in is the team's own question


def test_it_shows_no_results_notes_or_participation(
    link_client: Client, round: Round
) -> None:
    for _ in range(3):
        add_response(
            round,
            [1, 1, 1],
            comments=["Secret team comment"],
            notes=[("keep", "Secret team note")],
            checkin="performing",
            checkin_reason="Secret reason",
        )
    add_response(
        round,
        [3, 3, 3],
        perspective=Response.Perspective.STAKEHOLDER,
        relationship="Leadership",
        notes=[("stop", "Another stakeholder's note")],
    )
    r = link_client.get("/s/")
    for text in (
        "Secret team comment",
        "Secret team note",
        "Secret reason",
        "Another stakeholder",
        "have answered",
        "Performing",
    ):
        assert text not in r.text
    assert "/report" not in r.text
    assert str(round.code) not in r.text
    assert str(round.team.code) not in r.text


def test_it_stores_an_anonymous_stakeholder_response(
    link_client: Client, round: Round
) -> None:
    data = answer_data(
        d2_comment="Great demos",
        keep_1="Open roadmap",
        keep_1_dimension="2",
        start_1="Fewer handovers",
    )
    r = link_client.post("/s/", data)
    assert r.status_code == 302
    assert r["Location"] == "/s/thanks/"
    sealed = SealedAnswer.objects.get()
    assert (sealed.perspective, sealed.channel) == ("stakeholder", "link")
    assert not Response.objects.exists()
    answers_release(round=round)
    response = Response.objects.get()
    assert response.perspective == Response.Perspective.STAKEHOLDER
    assert response.relationship == "Leadership"
    assert response.checkin == ""
    levels = dict(Rating.objects.values_list("dimension__position", "level").order_by())
    assert levels == {1: 1, 2: 3, 3: None}
    assert Rating.objects.get(dimension__position=2).comment == "Great demos"
    notes = {(n.kind, n.text, n.dimension_id) for n in Note.objects.all()}
    dim2 = round.dimensions.get(position=2).pk
    assert notes == {("keep", "Open roadmap", dim2), ("start", "Fewer handovers", None)}
    assert round.source_figures.get().source == "link"
    round.refresh_from_db()
    assert round.data_version == 1


def test_it_keeps_values_on_error(link_client: Client) -> None:
    data = answer_data(d2_comment="Kept comment", keep_1="Kept note")
    del data["d3_level"]
    data["relationship"] = ""
    r = link_client.post("/s/", data)
    assert r.status_code == 200
    assert not SealedAnswer.objects.exists()
    assert "Choose how you work with the team." in r.text
    assert "Choose a level, or “Don&#x27;t know”." in r.text
    assert "Kept comment" in r.text
    assert "Kept note" in r.text
    assert 'name="d1_level" id="id_d1_level_0" value="1" checked' in r.text
    assert 'name="d2_level" id="id_d2_level_2" value="3" checked' in r.text


def test_it_rejects_a_relationship_not_in_the_list(link_client: Client) -> None:
    r = link_client.post("/s/", answer_data(relationship="CEO's golf partner"))
    assert r.status_code == 200
    assert not SealedAnswer.objects.exists()
    assert "Select a valid choice" in r.text


def test_shared_link_answers_once_per_browser(
    link_client: Client, link: StakeholderLink
) -> None:
    assert link_client.post("/s/", answer_data()).status_code == 302
    r = link_client.post("/s/", answer_data(), follow=True)  # back button, resend
    assert r.status_code == 200
    assert "You have already answered" in r.text
    assert "your answer is in" in r.text
    assert SealedAnswer.objects.count() == 1
    r = link_client.get("/s/", follow=True)
    assert "You have already answered" in r.text


def test_shared_link_takes_answers_from_several_browsers(
    link: StakeholderLink,
) -> None:
    for _ in range(3):
        client = Client()
        open_link(client, LINK_TOKEN)
        assert client.post("/s/", answer_data()).status_code == 302
    assert SealedAnswer.objects.count() == 3


def test_invitation_works_once(
    invitation_client: Client, invitation: StakeholderInvitation
) -> None:
    assert invitation_client.post("/s/", answer_data()).status_code == 302
    invitation.refresh_from_db()
    assert invitation.used
    # Someone else opens the same (forwarded) invitation afterwards.
    other = Client()
    open_link(other, INVITATION_TOKEN)
    r = other.get("/s/")
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert SealedAnswer.objects.count() == 1


def test_used_invitation_rejects_a_second_open_page(
    invitation: StakeholderInvitation,
) -> None:
    first, second = Client(), Client()
    open_link(first, INVITATION_TOKEN)
    open_link(second, INVITATION_TOKEN)  # both loaded the form before either sent
    assert first.post("/s/", answer_data()).status_code == 302
    r = second.post("/s/", answer_data(relationship="Customer"))
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    answers_release(round=invitation.round)
    assert list(Response.objects.values_list("relationship", flat=True)) == [
        "Leadership"
    ]


def test_invitation_double_click_late_second_request_is_told_counted(
    invitation_client: Client, invitation: StakeholderInvitation
) -> None:
    """A double click whose second request arrives after the first stored the
    answer, with the cookie the browser had before (issue 13, all hands): the
    person is told the answer was counted, not that the link is not valid."""
    before = invitation_client.cookies["mirror_stakeholder"].value
    assert invitation_client.post("/s/", answer_data()).status_code == 302
    invitation_client.cookies["mirror_stakeholder"] = before
    r = invitation_client.post("/s/", answer_data(), follow=True)
    assert r.status_code == 200
    assert "You have already answered" in r.text
    assert SealedAnswer.objects.count() == 1
    # Anyone else opening the used invitation still finds it not valid.
    other = Client()
    other.cookies["mirror_stakeholder"] = "forged"
    assert other.post("/s/", answer_data()).status_code == 404


def test_revoked_link_rejects_an_open_page(
    link_client: Client, link: StakeholderLink
) -> None:
    link.revoked_at = timezone.now()
    link.save()
    r = link_client.post("/s/", answer_data())
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert not SealedAnswer.objects.exists()


def test_round_closed_while_answering(
    invitation_client: Client, invitation: StakeholderInvitation, round: Round
) -> None:
    round.state = Round.State.CLOSED
    round.save()
    r = invitation_client.post("/s/", answer_data())
    assert r.status_code == 404
    assert not SealedAnswer.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


def test_it_rejects_missing_session(client: Client, round: Round) -> None:
    r = client.get("/s/")
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert client.post("/s/", answer_data()).status_code == 404
    assert not SealedAnswer.objects.exists()


def test_it_needs_no_account_but_works_signed_in(
    carol_client: Client, link: StakeholderLink
) -> None:
    open_link(carol_client, LINK_TOKEN)
    assert carol_client.post("/s/", answer_data()).status_code == 302
    answers_release(round=link.round)
    assert Response.objects.get().perspective == Response.Perspective.STAKEHOLDER


def test_it_refuses_a_member_of_the_team(
    bob_client: Client, link: StakeholderLink
) -> None:
    """The attack: a signed-in member answered their own team's link as a
    stakeholder. Now the page says why not, and nothing is stored."""
    open_link(bob_client, LINK_TOKEN)
    r = bob_client.get("/s/")
    assert r.status_code == 403
    assert "This link is for people outside the team" in r.text
    assert 'You are signed in as a member of <bdi dir="auto">Alpha</bdi>' in r.text
    assert bob_client.post("/s/", answer_data()).status_code == 403
    assert bob_client.post("/s/more-notes/", answer_data()).status_code == 403
    assert not Response.objects.exists()


def test_it_refuses_a_member_of_the_team_on_a_personal_invitation(
    bob_client: Client, invitation: StakeholderInvitation
) -> None:
    """The same through a personal invitation (say, to a member's own address):
    refused, and the invitation stays unused."""
    open_link(bob_client, INVITATION_TOKEN)
    r = bob_client.get("/s/")
    assert r.status_code == 403
    assert "This link is for people outside the team" in r.text
    assert bob_client.post("/s/", answer_data()).status_code == 403
    invitation.refresh_from_db()
    assert not invitation.used
    assert not Response.objects.exists()
    assert not SealedAnswer.objects.exists()


def test_query_count_does_not_grow_with_responses(
    link_client: Client, round: Round, django_assert_max_num_queries: object
) -> None:
    for _ in range(20):
        add_response(round, [1, 2, 3], perspective=Response.Perspective.STAKEHOLDER)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert link_client.get("/s/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_race_on_single_use_invitation(alice: User) -> None:
    team = team_start(name="Alpha", description="", creator=alice)
    round = make_round(team, dimensions=3)
    invitation = StakeholderInvitation.objects.create(
        round=round, token_hash=hash_token("R" * 43)
    )
    clients = [Client(), Client()]
    for client in clients:
        open_link(client, "R" * 43)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit(client: Client) -> None:
        barrier.wait()
        try:
            statuses.append(client.post("/s/", answer_data()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The loser is told the invitation's answer was counted once, or (if the winner
    # had committed before its request began) that the link is used up.
    assert sorted(statuses) in ([302, 302], [302, 404])
    assert SealedAnswer.objects.get().channel == "invitation"
    invitation.refresh_from_db()
    assert invitation.used


def test_it_shows_one_error_box_for_relationship_and_levels(
    link_client: Client,
) -> None:
    data = answer_data(relationship="")
    del data["d2_level"]
    r = link_client.post("/s/", data)
    assert r.status_code == 200
    assert r.text.count("Please check your answer") == 1
    assert r.text.count('role="alert"') == 1
    assert 'href="#id_relationship"' in r.text
    assert 'href="#id_d2_level"' in r.text
    assert not SealedAnswer.objects.exists()


def test_a_long_note_is_refused_and_kept(link_client: Client) -> None:
    note = "x" * 10_000
    r = link_client.post("/s/", answer_data(keep_1=note))
    assert r.status_code == 200
    assert "at most 2000 characters (it has 10000)" in r.text
    assert note + "</textarea>" in r.text
    assert "maxlength" not in r.text
    assert not SealedAnswer.objects.exists()


def test_it_keeps_a_draft_under_a_name_without_the_round_code(
    link_client: Client, round: Round
) -> None:
    r = link_client.get("/s/")
    assert 'data-draft-key="stakeholder:' in r.text
    assert str(round.code) not in r.text


def test_the_thank_you_page_clears_drafts(link_client: Client) -> None:
    r = link_client.post("/s/", answer_data(), follow=True)
    assert 'data-draft-clear="stakeholder:"' in r.text


@pytest.mark.parametrize("kind", ["link", "invitation"])
def test_the_answer_post_makes_at_most_eight_queries(
    link_client: Client,
    invitation_client: Client,
    round: Round,
    kind: str,
    django_assert_max_num_queries: Any,
) -> None:
    # Issue 13: no session row at all; the link or invitation with its round, the
    # relationship list, the dimensions, then the transaction: claim or guard,
    # sealed answer, the "still open" check (with savepoints).
    for _ in range(10):
        add_response(round, [1, 2, 3], perspective=Response.Perspective.STAKEHOLDER)
    client = link_client if kind == "link" else invitation_client
    with django_assert_max_num_queries(8):
        r = client.post("/s/", answer_data())
    assert r.status_code == 302
    assert SealedAnswer.objects.get().channel == kind

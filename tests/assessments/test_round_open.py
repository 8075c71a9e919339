from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from assessments.models import Round, StakeholderLink, TeamDimension
from teams.models import Team, hash_token
from tests.factories import make_round

LINK_TOKEN = "L" * 43


def _url(round: Round) -> str:
    return f"/rounds/{round.code}/open/"


def test_it_opens_a_draft(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    r = alice_client.post(_url(round), follow=True)
    assert "The round is open" in r.text
    round.refresh_from_db()
    assert round.state == Round.State.OPEN
    assert round.opened_at is not None


def test_opening_takes_the_current_wording(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT, dimensions=1)
    TeamDimension.objects.filter(team=team, position=1).update(name="Teamwork")
    alice_client.post(_url(round))
    assert round.dimensions.get().name == "Teamwork"


def test_it_reopens_a_closed_round(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.CLOSED)
    alice_client.post(_url(round))
    round.refresh_from_db()
    assert round.state == Round.State.OPEN
    assert round.closed_at is None


def test_only_one_round_is_open(alice_client: Client, open_round: Round) -> None:
    draft = make_round(open_round.team, state=Round.State.DRAFT)
    r = alice_client.post(_url(draft), follow=True)
    assert "Another round of this team is open" in r.text
    draft.refresh_from_db()
    assert draft.state == Round.State.DRAFT


def test_a_round_past_its_date_no_longer_blocks(
    alice_client: Client, open_round: Round
) -> None:
    Round.objects.filter(pk=open_round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    draft = make_round(open_round.team, state=Round.State.DRAFT)
    alice_client.post(_url(draft))
    draft.refresh_from_db()
    open_round.refresh_from_db()
    assert (open_round.state, draft.state) == (Round.State.CLOSED, Round.State.OPEN)


def test_it_refuses_to_reopen_past_closing_date(
    alice_client: Client, team: Team
) -> None:
    round = make_round(team, state=Round.State.CLOSED)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(days=1)
    )
    r = alice_client.post(_url(round), follow=True)
    assert "Its closing date has passed" in r.text
    round.refresh_from_db()
    assert round.state == Round.State.CLOSED


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert bob_client.post(_url(round)).status_code == 403
    round.refresh_from_db()
    assert round.state == Round.State.DRAFT


def test_it_hides_round_from_outsider(carol_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert carol_client.post(_url(round)).status_code == 404
    round.refresh_from_db()
    assert round.state == Round.State.DRAFT


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    round = make_round(team, state=Round.State.DRAFT)
    assert alice_client.get(_url(round)).status_code == 405


def _shared_link(round: Round, *, revoked: bool = False) -> StakeholderLink:
    return StakeholderLink.objects.create(
        round=round,
        token_hash=hash_token(LINK_TOKEN),
        revoked_at=timezone.now() if revoked else None,
    )


def test_opening_by_hand_moves_the_shared_link(
    alice_client: Client, team: Team, client: Client
) -> None:
    """The link the team handed out leads to the round opened by hand too, not
    only to one the schedule opened."""
    previous = make_round(team, title="Previous", state=Round.State.CLOSED)
    link = _shared_link(previous)
    draft = make_round(team, title="Next check-in", state=Round.State.DRAFT)
    alice_client.post(_url(draft))
    link.refresh_from_db()
    assert link.round == draft
    client.get(f"/s/{LINK_TOKEN}/")
    page = client.get("/s/")
    assert page.status_code == 200
    assert "Next check-in" in page.text
    # The closed round keeps its answers: only the link moved.
    previous.refresh_from_db()
    assert previous.state == Round.State.CLOSED


def test_a_revoked_link_stays_revoked(
    alice_client: Client, team: Team, client: Client
) -> None:
    previous = make_round(team, state=Round.State.CLOSED)
    link = _shared_link(previous, revoked=True)
    draft = make_round(team, state=Round.State.DRAFT)
    alice_client.post(_url(draft))
    link.refresh_from_db()
    assert link.round == previous
    client.get(f"/s/{LINK_TOKEN}/")
    assert client.get("/s/").status_code == 404


def test_a_refused_opening_moves_no_link(
    alice_client: Client, open_round: Round
) -> None:
    link = _shared_link(open_round)
    draft = make_round(open_round.team, state=Round.State.DRAFT)
    alice_client.post(_url(draft))
    link.refresh_from_db()
    assert link.round == open_round


def test_another_teams_link_does_not_move(
    alice_client: Client, team: Team, other_team: Team
) -> None:
    theirs = _shared_link(make_round(other_team, state=Round.State.CLOSED))
    draft = make_round(team, state=Round.State.DRAFT)
    alice_client.post(_url(draft))
    theirs.refresh_from_db()
    assert theirs.round.team == other_team


def test_reopening_a_round_takes_the_shared_link(
    alice_client: Client, team: Team
) -> None:
    earlier = make_round(team, title="Earlier", state=Round.State.CLOSED)
    latest = make_round(team, title="Latest", state=Round.State.CLOSED)
    link = _shared_link(latest)
    alice_client.post(_url(earlier))
    link.refresh_from_db()
    assert link.round == earlier

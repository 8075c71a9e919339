"""The statements written once in SQL for the busiest requests (``config.rawsql``)
give what the querysets they replace give: the same instances, field for field
(converted types included), the same access facts, the same refusals."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, signals
from django.utils import timezone

from assessments import selectors, services
from assessments.models import (
    Eligibility,
    Participation,
    Round,
    RoundDimension,
    SealedAnswer,
    StakeholderGroup,
    StakeholderInvitation,
    StakeholderLink,
    SubmitGuard,
)
from config import rawsql
from config.sessions import SessionStore
from stakeholders import services as stakeholder_services
from stakeholders.services import Access
from teams.access import AuthenticatedHttpRequest, role_annotation
from teams.backends import TeamMirrorBackend
from teams.models import CoachShare, Membership, Team
from tests.factories import add_response, make_round

pytestmark = pytest.mark.django_db


def fields(obj: Any) -> dict[str, Any]:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def orm_round_to_answer(code: Any, user: User) -> list[RoundDimension]:
    request = AuthenticatedHttpRequest()
    request.user = user
    roster = Eligibility.objects.filter(round=OuterRef("round"), user=user)
    return list(
        RoundDimension.objects.filter(round__code=code)
        .select_related("round__team")
        .annotate(
            member_role=role_annotation(request, "round__team"),
            on_roster=Exists(roster),
        )
    )


@pytest.mark.parametrize("who", ["facilitator", "member", "off roster", "outsider"])
def test_round_to_answer_is_the_queryset(
    team: Team, alice: User, bob: User, carol: User, who: str
) -> None:
    round = make_round(team, dimensions=4)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() + timedelta(days=3)
    )
    Team.objects.filter(pk=team.pk).update(language="de")
    user = {"facilitator": alice, "member": bob, "outsider": carol}.get(who)
    if user is None:
        user = User.objects.create_user("late")
        Membership.objects.create(team=team, user=user)
    found = selectors.round_to_answer(round.code, user.pk)
    expected = orm_round_to_answer(round.code, user)
    assert found is not None
    assert len(found.dimensions) == len(expected) == 4
    for got, want in zip(found.dimensions, expected, strict=True):
        annotations = ("member_role", "on_roster")
        want_fields = {k: v for k, v in fields(want).items() if k not in annotations}
        assert fields(got) == want_fields
        assert fields(got.round) == fields(want.round)
        assert fields(got.round.team) == fields(want.round.team)
        assert got.round is found.dimensions[0].round
    assert found.role == expected[0].member_role  # type: ignore[attr-defined]
    assert found.on_roster is bool(expected[0].on_roster)  # type: ignore[attr-defined]
    assert (
        found.role
        == {
            "facilitator": "facilitator",
            "member": "member",
            "off roster": "member",
            "outsider": None,
        }[who]
    )
    assert found.on_roster is (who in ("facilitator", "member"))
    assert found.dimensions[0].round.closes_at == Round.objects.get().closes_at


def test_round_to_answer_of_no_round_is_none(bob: User, team: Team) -> None:
    round = make_round(team, dimensions=0)
    assert selectors.round_to_answer(round.code, bob.pk) is None
    round.delete()
    assert selectors.round_to_answer(round.code, bob.pk) is None


def test_an_instance_is_a_fetched_one(team: Team, bob: User) -> None:
    # Made without Model.__init__ (config.rawsql._plain): the same state and
    # attributes in the same order, lazy relations, and saving updates the row.
    round = make_round(team, dimensions=2)
    found = selectors.round_to_answer(round.code, bob.pk)
    assert found is not None
    fetched = RoundDimension.objects.filter(round=round).order_by("position", "id")
    for got, want in zip(found.dimensions, fetched, strict=True):
        assert type(got) is RoundDimension
        assert list(got.__dict__) == list(want.__dict__)
        assert (got._state.adding, got._state.db) == (False, "default")
        assert got.team_dimension == want.team_dimension
        assert got.round is found.dimensions[0].round
    dimension = found.dimensions[0]
    dimension.name = "Renamed"
    dimension.save()
    assert RoundDimension.objects.filter(round=round).count() == 2
    assert RoundDimension.objects.get(pk=dimension.pk).name == "Renamed"


def test_a_model_with_init_receivers_is_made_by_from_db(team: Team, bob: User) -> None:
    round = make_round(team, dimensions=3)
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    signals.post_init.connect(receiver, sender=RoundDimension)
    try:
        found = selectors.round_to_answer(round.code, bob.pk)
    finally:
        signals.post_init.disconnect(receiver, sender=RoundDimension)
    assert found is not None
    assert seen == found.dimensions
    assert all(a is b for a, b in zip(seen, found.dimensions, strict=True))


@pytest.mark.parametrize("share", ["none", "active", "revoked"])
def test_the_signed_in_user_is_the_queryset(
    alice: User, team: Team, share: str
) -> None:
    if share != "none":
        CoachShare.objects.create(
            team=team,
            coach=alice,
            revoked_at=timezone.now() if share == "revoked" else None,
        )
    found = TeamMirrorBackend().get_user(alice.pk)
    shares = CoachShare.objects.active().filter(coach=OuterRef("pk"))
    expected = User.objects.annotate(has_coach_shares=Exists(shares)).get(pk=alice.pk)
    assert found is not None
    assert fields(found) == fields(expected)
    assert found.has_coach_shares is (share == "active")  # type: ignore[attr-defined]
    assert TeamMirrorBackend().get_user(alice.pk + 1000) is None
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert TeamMirrorBackend().get_user(alice.pk) is None


def test_the_open_check_is_the_queryset(team: Team, bob: User, carol: User) -> None:
    round = make_round(team, dimensions=1)
    services._check_open(round)
    services._check_open(round, on_roster=bob)
    with pytest.raises(services.NotOnRoster):
        services._check_open(round, on_roster=carol)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    assert (
        not Round.objects.open_now().filter(pk=round.pk).update(releases=F("releases"))
    )
    with pytest.raises(services.RoundNotOpen):
        services._check_open(round, on_roster=bob)
    with pytest.raises(services.RoundNotOpen):
        services._check_open(round)
    Round.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() + timedelta(hours=1), state=Round.State.CLOSED
    )
    with pytest.raises(services.RoundNotOpen):
        services._check_open(round)


@pytest.mark.parametrize("kind", ["link", "invitation"])
@pytest.mark.parametrize(
    "case", ["usable", "revoked", "used", "closed by date", "closed", "no dimensions"]
)
def test_round_for_access_is_the_queryset(team: Team, kind: str, case: str) -> None:
    round = make_round(team, dimensions=0 if case == "no dimensions" else 3)
    model = StakeholderLink if kind == "link" else StakeholderInvitation
    row = model.objects.create(round=round, token_hash="h" * 64)
    if case == "revoked":
        model.objects.update(revoked_at=timezone.now())
    if case == "used":
        StakeholderInvitation.objects.update(used=True)
    if case == "closed by date":
        Round.objects.update(closes_at=timezone.now() - timedelta(seconds=1))
    if case == "closed":
        Round.objects.update(state=Round.State.CLOSED)
    if case == "usable":
        Round.objects.update(closes_at=timezone.now() + timedelta(days=1))
    found = stakeholder_services.round_for_access(Access(kind, row.pk))
    usable = model.objects.usable().filter(pk=row.pk)
    expected = usable.select_related("round__team").first()
    if expected is None:
        assert found is None
        assert case in ("revoked", "closed by date", "closed") or (
            case == "used" and kind == "invitation"
        )
        return
    assert found is not None
    got_round, dimensions = found
    assert fields(got_round) == fields(expected.round)
    assert fields(got_round.team) == fields(expected.round.team)
    want = list(expected.round.dimensions.all())
    assert [fields(d) for d in dimensions] == [fields(d) for d in want]
    assert all(d.round is got_round for d in dimensions)
    assert len(dimensions) == (0 if case == "no dimensions" else 3)


def test_the_session_row_is_the_queryset(alice: User) -> None:
    store = SessionStore()
    store["hello"] = "world"
    store.save()
    key = store.session_key
    assert key is not None
    found = SessionStore(key)._get_session_from_db()
    expected = Session.objects.get(session_key=key, expire_date__gt=timezone.now())
    assert found is not None
    assert fields(found) == fields(expected)
    assert SessionStore(key).load() == {"hello": "world"}
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore(None).load() == {}


def test_an_insert_is_create(team: Team, bob: User, alice: User) -> None:
    round = make_round(team, dimensions=1)
    rawsql.insert(Participation, round=round, user=bob)
    Participation.objects.create(round=round, user=alice)
    raw, orm = (Participation.objects.get(user=u) for u in (bob, alice))
    assert (raw.round_id, raw.user_id) == (round.pk, bob.pk)
    assert raw.round_id == orm.round_id
    assert raw.pk != orm.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        rawsql.insert(Participation, round=round, user=bob)
    rawsql.insert(
        SealedAnswer, round=round, perspective="team", channel="member", sealed=b"\x00x"
    )
    sealed = SealedAnswer.objects.get()
    assert isinstance(sealed.id, uuid.UUID)
    assert (sealed.round_id, sealed.perspective, sealed.channel) == (
        round.pk,
        "team",
        "member",
    )
    assert bytes(sealed.sealed) == b"\x00x"
    rawsql.insert(SubmitGuard, round=round, key="k" * 64)
    assert SubmitGuard.objects.get().key == "k" * 64
    with pytest.raises(TypeError):
        rawsql.insert(SubmitGuard, round=round, key="x", extra=1)


def test_an_invitation_is_claimed_once(team: Team) -> None:
    round = make_round(team, dimensions=1)
    invitation = StakeholderInvitation.objects.create(round=round, token_hash="i" * 64)
    revoked = StakeholderInvitation.objects.create(
        round=round, token_hash="r" * 64, revoked_at=timezone.now()
    )
    claim = stakeholder_services.invitation_claim
    assert claim(invitation_id=invitation.pk, visit_key="v1")
    assert not claim(invitation_id=invitation.pk, visit_key="v2")
    assert not claim(invitation_id=revoked.pk, visit_key="v3")
    invitation.refresh_from_db()
    revoked.refresh_from_db()
    assert (invitation.used, invitation.used_by_visit) == (True, "v1")
    assert (revoked.used, revoked.used_by_visit) == (False, "")


def test_relationship_names_are_the_queryset(team: Team, other_team: Team) -> None:
    StakeholderGroup.objects.create(team=team, name="Zeta first", position=0)
    StakeholderGroup.objects.create(team=other_team, name="Not ours", position=0)
    expected = list(team.stakeholder_groups.values_list("name", flat=True))
    assert stakeholder_services.relationship_names(team) == expected
    assert expected[0] == "Zeta first"
    assert "Not ours" not in expected


def test_report_counts_are_the_turnout_and_channels(
    team: Team, other_team: Team, alice: User, bob: User
) -> None:
    """The report page's counts in one statement, against the two querysets they
    replace: a draft, an open round with sealed and released answers of every
    channel, another round's answers not counted."""
    draft = make_round(team, state=Round.State.DRAFT, dimensions=1)
    round = make_round(team, dimensions=1)
    elsewhere = make_round(other_team, dimensions=1)
    Participation.objects.create(round=round, user=alice)
    for target in (round, elsewhere):
        for perspective, channel, n in [
            ("team", "member", 2),
            ("stakeholder", "invitation", 3),
            ("stakeholder", "link", 1),
        ]:
            for _ in range(n):
                SealedAnswer.objects.create(
                    round=target, perspective=perspective, channel=channel, sealed=b"x"
                )
        add_response(target, [2], perspective="stakeholder", channel="invitation")
    for _ in range(4):
        add_response(round, [2], perspective="stakeholder", channel="link")
    add_response(round, [2])
    for r in (draft, round, elsewhere):
        turnout, channels = selectors.report_counts(r)
        assert turnout == selectors.turnout(r)
        assert channels == selectors.stakeholder_channels(r)
    turnout, channels = selectors.report_counts(round)
    assert (turnout.answered, turnout.eligible) == (1, 2)
    assert (turnout.held_team, turnout.held_stakeholder) == (2, 4)
    assert (channels.by_invitation, channels.by_link) == (4, 5)

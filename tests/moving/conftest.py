"""A team with everything a team owns, to move: two closed rounds with answers
(``tests/reports/conftest.py``), a draft, a dimension of its own and a reworded
one, confirmed themes, input metrics, a retro with its votes, agreed actions, a
schedule and its activity log."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from assessments import services
from assessments.models import Note, Participation, Round, TeamDimension, TeamSchedule
from retro import services as retro_services
from teams.models import Membership, Team
from tests.conftest import make_user
from tests.factories import make_round
from tests.reports.conftest import make_q1, make_q2


@pytest.fixture
def moving_team(team: Team) -> Team:
    for name in ("dan", "erin", "frank"):
        Membership.objects.create(team=team, user=make_user(name))
    first = TeamDimension.objects.filter(team=team).order_by("position").first()
    assert first is not None
    first.name, first.level_3 = "Talking to each other", "We say it as it is"
    first.save()
    TeamDimension.objects.create(
        team=team,
        name="Fun",
        prompt="Do we enjoy it?",
        level_1="No",
        level_2="Mostly",
        level_3="Yes",
        position=99,
        archived=True,
    )
    q1 = make_q1(team)
    # Erin answered only Q2 and Frank only Q1: too few to compare the two rounds
    # (the report withholds the changes, and so must the new server).
    for name in ("alice", "bob", "dan", "frank"):
        Participation.objects.create(round=q1, user=User.objects.get(username=name))
    q2 = make_q2(team)
    make_round(team, title="Next", state=Round.State.DRAFT)
    notes = list(Note.objects.filter(round=q2).order_by("text"))
    services.themes_confirm(
        round=q2,
        drafts=[
            services.ThemeDraft(
                dimension_id=None, label="Ways of working", note_ids=[notes[0].pk]
            )
        ],
    )
    services.metric_record(
        round=q2,
        kind="lead_time",
        name="Lead time",
        value=Decimal("3.25"),
        unit="days",
        note="median",
    )
    dimension = q2.dimensions.order_by("position").first()
    assert dimension is not None
    session = retro_services.session_start(round=q2)
    session = retro_services.voting_open(session=session, votes_each=1)
    for membership in team.memberships.all()[:3]:
        retro_services.vote_cast(
            session=session, user=membership.user, dimension=dimension
        )
    session = retro_services.voting_close(session=session)
    session = retro_services.roti_open(session=session)
    for membership, score in zip(team.memberships.all()[:3], (4, 4, 5), strict=True):
        retro_services.roti_answer(session=session, user=membership.user, score=score)
    session = retro_services.roti_close(session=session)
    retro_services.session_finish(session=session, summary="Fewer meetings")
    services.action_create(
        round=q2,
        text="Pair on every bug",
        dimension=dimension,
        owner=team.memberships.get(user__username="bob"),
        due_on=datetime.date(2027, 1, 15),
    )
    TeamSchedule.objects.create(team=team, recurring=True, every_weeks=6)
    return team

"""Stakeholder answers counted by personal invitation and by shared link, on the
round page, the report and the PDF (issue 12, point 2): a burst on the shared link
is visible to every member. Counts only: no figure is ever split by channel."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Channel, Response, Round
from assessments.selectors import stakeholder_channels
from assessments.services import Answers, RatingAnswer
from reports.assembly import build_round_report
from teams.models import Team
from tests.factories import add_response, make_round

BURST = "1 by personal invitation, 12 by the shared link."


def _submit(round: Round, channel: str, level: int = 2, relationship: str = "") -> None:
    dims = list(round.dimensions.all())
    services.response_submit(
        round=round,
        perspective=Response.Perspective.STAKEHOLDER,
        relationship=relationship,
        channel=channel,
        answers=Answers(ratings=[RatingAnswer(d, level, "") for d in dims]),
    )


def _burst(round: Round) -> None:
    _submit(round, Channel.INVITATION)
    for _ in range(12):
        _submit(round, Channel.LINK)


def test_a_member_sees_a_burst_on_the_link_on_the_round_page(
    bob_client: Client, round: Round
) -> None:
    """Bob is a plain member, not the facilitator who could have sent it."""
    _burst(round)
    r = bob_client.get(f"/rounds/{round.code}/")
    assert "13 stakeholders have answered." in r.text
    assert BURST in r.text


def test_the_facilitators_stakeholder_page_counts_by_channel(
    alice_client: Client, round: Round
) -> None:
    _burst(round)
    r = alice_client.get(f"/rounds/{round.code}/stakeholders/")
    assert BURST in r.text


def test_no_channel_line_before_any_stakeholder_answer(
    bob_client: Client, round: Round
) -> None:
    add_response(round, [2, 2, 2])  # a member's answer is no stakeholder's
    r = bob_client.get(f"/rounds/{round.code}/")
    assert "0 stakeholders have answered." in r.text
    assert "by the shared link" not in r.text


def test_the_report_counts_sealed_answers_by_channel_while_open(
    bob_client: Client, round: Round
) -> None:
    _burst(round)
    r = bob_client.get(reverse("reports:round", args=[round.code]))
    assert "Stakeholders: 13 answered." in r.text
    assert BURST in r.text


def test_the_report_and_pdf_count_by_channel_after_release(
    bob_client: Client, round: Round, printed: list[str]
) -> None:
    _burst(round)
    services.round_close(round=round)
    assert stakeholder_channels(round).by_link == 12  # released, same counts
    r = bob_client.get(reverse("reports:round", args=[round.code]))
    assert "Stakeholders: 13 answered." in r.text
    assert BURST in r.text
    r = bob_client.get(reverse("reports:pdf", args=[round.code]))
    assert r.status_code == 200
    assert BURST in printed[0]


def test_channels_change_no_figure(team: Team) -> None:
    """The same answers, split between the channels differently: every figure of
    the report is the same, only the two counts differ. A channel with one answer
    (here the link) tells nothing of what that one person answered."""
    reports = []
    for channels in (
        [Channel.INVITATION] * 3 + [Channel.LINK],
        [Channel.LINK] * 3 + [Channel.INVITATION],
    ):
        round = make_round(team, dimensions=3)
        for i, channel in enumerate(channels):
            _submit(round, channel, level=1 if i == 3 else 3, relationship="Customer")
        services.round_close(round=round)
        report = build_round_report(round, rounds=[round], show_notes=False)
        report.channels = stakeholder_channels(round)
        reports.append(report)
    first, second = reports
    assert (first.channels.by_invitation, first.channels.by_link) == (3, 1)
    assert (second.channels.by_invitation, second.channels.by_link) == (1, 3)

    def shown(report: Any) -> list[Any]:
        return [
            (g.label, g.levels, g.mean, g.median, g.spread)
            for d in report.dimensions
            for g in d.groups
        ] + [(s.label, s.responses, s.visible) for s in report.sizes]

    assert shown(first) == shown(second)
    # No group of the report is a channel.
    assert all("invitation" not in g.label.lower() for g in first.sizes)


def test_one_query_whatever_the_number_of_answers(
    round: Round, django_assert_num_queries: Any
) -> None:
    _burst(round)
    with django_assert_num_queries(1):
        counted = stakeholder_channels(round)
    assert (counted.by_invitation, counted.by_link, counted.total) == (1, 12, 13)


def test_an_outsider_gets_404(carol_client: Client, round: Round) -> None:
    _burst(round)
    r = carol_client.get(reverse("reports:round", args=[round.code]))
    assert r.status_code == 404
    assert carol_client.get(f"/rounds/{round.code}/").status_code == 404

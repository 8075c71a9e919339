from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessments.models import Round, RoundMetric
from teams.models import CoachShare, Team
from tests.retro.conftest import answered_round


def url(round: Round, name: str = "metrics") -> str:
    return reverse(f"retro:{name}", args=[round.code])


def test_facilitator_records_a_preset_with_its_usual_unit(
    alice_client: Client, closed_round: Round
) -> None:
    response = alice_client.post(
        url(closed_round, "metric_add"),
        {"kind": "lead_time", "value": "3.5", "note": "after the freeze"},
    )
    assert response.status_code == 302
    metric = RoundMetric.objects.get()
    assert (metric.name, str(metric.value), metric.unit, metric.note) == (
        "Lead time for changes",
        "3.50",
        "days",
        "after the freeze",
    )


def test_the_same_measure_again_replaces_it(
    alice_client: Client, closed_round: Round
) -> None:
    for value in ("4", "6"):
        alice_client.post(
            url(closed_round, "metric_add"), {"kind": "wip", "value": value}
        )
    assert RoundMetric.objects.get().value == 6


def test_an_own_measure_needs_a_name_and_keeps_the_input(
    alice_client: Client, closed_round: Round
) -> None:
    response = alice_client.post(
        url(closed_round, "metric_add"),
        {"kind": "custom", "value": "12", "unit": "bugs"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Give your own measure a name." in body
    assert 'value="bugs"' in body
    assert not RoundMetric.objects.exists()


def test_a_bad_value_is_refused(alice_client: Client, closed_round: Round) -> None:
    response = alice_client.post(
        url(closed_round, "metric_add"), {"kind": "wip", "value": "lots"}
    )
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()


def test_members_read_the_trend_next_to_the_round(
    alice_client: Client, bob_client: Client, team: Team
) -> None:
    q1 = answered_round(team, "Q1")
    q2 = answered_round(team, "Q2")
    alice_client.post(url(q1, "metric_add"), {"kind": "wip", "value": "9"})
    alice_client.post(url(q2, "metric_add"), {"kind": "wip", "value": "5"})
    body = bob_client.get(url(q2)).content.decode()
    assert "Trend across rounds" in body
    assert body.index(">9<") < body.index(">5<")
    round_page = bob_client.get(q2.get_absolute_url()).content.decode()
    assert "Work in progress" in round_page
    assert "Record" not in body  # a member reads only


def test_it_requires_facilitator(bob_client: Client, closed_round: Round) -> None:
    response = bob_client.post(
        url(closed_round, "metric_add"), {"kind": "wip", "value": "1"}
    )
    assert response.status_code == 403
    assert not RoundMetric.objects.exists()


def test_facilitator_removes_one(alice_client: Client, closed_round: Round) -> None:
    alice_client.post(url(closed_round, "metric_add"), {"kind": "wip", "value": "1"})
    metric = RoundMetric.objects.get()
    alice_client.post(
        reverse("retro:metric_delete", args=[closed_round.code, metric.code])
    )
    assert not RoundMetric.objects.exists()


def test_it_hides_metrics_from_an_outsider_and_a_coach(
    carol_client: Client, cora_client: Client, cora, team: Team, closed_round: Round
) -> None:  # type: ignore[no-untyped-def]
    CoachShare.objects.create(team=team, coach=cora, include_notes=True)
    RoundMetric.objects.create(
        round=closed_round, kind="wip", name="Work in progress", value=7
    )
    assert carol_client.get(url(closed_round)).status_code == 404
    assert cora_client.get(url(closed_round)).status_code == 404
    report = cora_client.get(reverse("reports:round", args=[closed_round.code]))
    assert "Work in progress" not in report.content.decode()

"""GET and POST /teams/<code>/stakeholder-groups/: the relationship list."""

from __future__ import annotations

from django.test import Client

from assessments.models import Response, Round, StakeholderGroup
from teams.models import Team
from tests.factories import add_response


def _url(team: Team) -> str:
    return f"/teams/{team.code}/stakeholder-groups/"


def _names(team: Team) -> list[str]:
    return list(team.stakeholder_groups.values_list("name", flat=True))


def test_it_shows_the_list(alice_client: Client, team: Team) -> None:
    r = alice_client.get(_url(team))
    assert r.status_code == 200
    assert "Product / business\nAdjacent team\nLeadership\nCustomer" in r.text


def test_it_saves_the_list_in_order(alice_client: Client, team: Team) -> None:
    text = "  Customer \r\nPlatform team\n\ncustomer\nLeadership\n"
    r = alice_client.post(_url(team), {"groups": text}, follow=True)
    assert "Relationships saved." in r.text
    assert _names(team) == ["Customer", "Platform team", "Leadership"]


def test_renaming_keeps_earlier_answers(
    alice_client: Client, team: Team, round: Round
) -> None:
    add_response(
        round,
        [1],
        perspective=Response.Perspective.STAKEHOLDER,
        relationship="Customer",
    )
    alice_client.post(_url(team), {"groups": "Clients"})
    assert _names(team) == ["Clients"]
    assert Response.objects.get().relationship == "Customer"


def test_it_keeps_input_on_error(alice_client: Client, team: Team) -> None:
    long_name = "x" * 101
    r = alice_client.post(_url(team), {"groups": f"Partners\n{long_name}"})
    assert r.status_code == 200
    assert "Keep each name to 100 characters at most" in r.text
    assert f"Partners\n{long_name}" in r.text
    assert "Partners" not in _names(team)


def test_it_needs_one_group(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), {"groups": " \n "})
    assert r.status_code == 200
    assert "Keep at least one relationship." in r.text
    assert len(_names(team)) == 4


def test_it_limits_the_number(alice_client: Client, team: Team) -> None:
    names = "\n".join(f"Group {n}" for n in range(21))
    r = alice_client.post(_url(team), {"groups": names})
    assert "Keep it to 20 relationships at most." in r.text
    assert len(_names(team)) == 4


def test_stakeholders_see_the_new_list(
    alice_client: Client, team: Team, link_client: Client
) -> None:
    alice_client.post(_url(team), {"groups": "Sales\nSupport"})
    r = link_client.get("/s/")
    assert 'value="Sales"' in r.text
    assert 'value="Support"' in r.text
    assert 'value="Leadership"' not in r.text


def test_it_hides_team_from_outsider(carol_client: Client, team: Team) -> None:
    assert carol_client.get(_url(team)).status_code == 404
    assert carol_client.post(_url(team), {"groups": "Mine"}).status_code == 404
    assert len(_names(team)) == 4


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    assert bob_client.get(_url(team)).status_code == 403
    assert bob_client.post(_url(team), {"groups": "Mine"}).status_code == 403
    assert not StakeholderGroup.objects.filter(name="Mine").exists()


def test_a_new_team_starts_with_the_relationships_in_its_creators_language(
    alice_client: Client,
) -> None:
    """The four defaults are written in the language of whoever creates the team
    (docs/languages.md); from then on they are the team's own words."""
    r = alice_client.post(
        "/teams/new/", {"name": "Raketen"}, headers={"accept-language": "de"}
    )
    assert r.status_code == 302
    team = Team.objects.get(name="Raketen")
    assert _names(team) == [
        "Produkt / Fachbereich",
        "Benachbartes Team",
        "Führung",
        "Kunde",
    ]

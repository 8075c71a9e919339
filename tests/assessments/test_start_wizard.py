"""The first-team wizard: name → invite members by email → choose dimensions →
the first round."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture

from assessments.models import Round
from teams.models import Invitation, Team


def test_the_wizard_goes_from_name_to_first_round(
    alice_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    r = alice_client.post("/teams/new/", {"name": "Rockets"})
    team = Team.objects.get(name="Rockets")
    assert r["Location"] == f"/teams/{team.code}/start/invite/"
    page = alice_client.get(r["Location"])
    assert "2. Invite members" in page.text
    assert 'aria-current="step"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_client.post(
            f"/teams/{team.code}/start/invite/",
            {"addresses": "a@example.com\nb@example.com", "role": "member"},
        )
    assert r["Location"] == f"/teams/{team.code}/start/dimensions/"
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(team=team).count() == 2
    dims = list(team.dimensions.order_by("position"))
    keep = [str(d.code) for d in dims[:5]]
    r = alice_client.post(f"/teams/{team.code}/start/dimensions/", {"dimensions": keep})
    assert r["Location"] == f"/teams/{team.code}/rounds/new/?start=1"
    assert team.dimensions.active().count() == 5
    page = alice_client.get(r["Location"])
    assert "4. First round" in page.text
    # Only the chosen dimensions are offered for the round.
    assert page.text.count("position-input") == 5
    data = {"title": "First check-in", "min_responses": "3"}
    for dim in dims[:5]:
        data[f"dim_{dim.code.hex}_include"] = "on"
        data[f"dim_{dim.code.hex}_position"] = str(dim.position)
    r = alice_client.post(f"/teams/{team.code}/rounds/new/?start=1", data)
    assert r.status_code == 302
    assert Round.objects.get(team=team).dimensions.count() == 5


def test_invitations_can_be_skipped(alice_client: Client, team: Team) -> None:
    r = alice_client.get(f"/teams/{team.code}/start/invite/")
    assert f'href="/teams/{team.code}/start/dimensions/"' in r.text


def test_bad_addresses_are_shown_with_input_kept(
    alice_client: Client, team: Team
) -> None:
    r = alice_client.post(
        f"/teams/{team.code}/start/invite/", {"addresses": "dana@", "role": "member"}
    )
    assert r.status_code == 200
    assert "These are not email addresses: dana@" in r.text
    assert not Invitation.objects.exists()


def test_at_least_one_dimension(alice_client: Client, team: Team) -> None:
    r = alice_client.post(f"/teams/{team.code}/start/dimensions/", {})
    assert r.status_code == 200
    assert "Choose at least one dimension." in r.text
    assert team.dimensions.active().count() == 12


def test_it_hides_the_wizard_from_outsider(carol_client: Client, team: Team) -> None:
    for step in ("invite", "dimensions"):
        assert carol_client.get(f"/teams/{team.code}/start/{step}/").status_code == 404


def test_it_requires_facilitator(bob_client: Client, team: Team) -> None:
    for step in ("invite", "dimensions"):
        assert bob_client.get(f"/teams/{team.code}/start/{step}/").status_code == 403


def test_the_dimensions_to_choose_are_in_the_readers_language(
    alice_client: Client, team: Team
) -> None:
    """The twelve names as the answer form and the report show them: the
    framework's in the reader's language, isolated; a team's own wording as
    written."""
    dim = team.dimensions.get(position=2)
    dim.name = "Unser Weg"
    dim.save()
    r = alice_client.get(
        f"/teams/{team.code}/start/dimensions/", headers={"accept-language": "de"}
    )
    assert r.status_code == 200
    assert '<bdi dir="auto">Zusammenarbeit &amp; Kommunikation</bdi>' in r.text
    assert '<bdi dir="auto">Unser Weg</bdi>' in r.text
    assert "Collaboration &amp; Communication" not in r.text
    assert "Code Quality" not in r.text

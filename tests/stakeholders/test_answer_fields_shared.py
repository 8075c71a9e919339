"""The stakeholder's blank form is shared like the members' (issue 27), but is
never the members' form: no check-in, the outside note questions."""

from __future__ import annotations

from django.test import Client

from assessments.models import Round, StakeholderLink
from teams.models import Team
from tests.stakeholders.conftest import LINK_TOKEN, open_link


def test_the_stakeholder_fields_are_not_the_members(
    round: Round, team: Team, link: StakeholderLink, bob_client: Client
) -> None:
    member = bob_client.get(f"/rounds/{round.code}/answer/")
    stakeholder = Client()
    open_link(stakeholder, LINK_TOKEN)
    outside = stakeholder.get("/s/")
    assert outside.status_code == 200
    assert "Where do we stand?" in member.text
    assert "Where do we stand?" not in outside.text
    assert 'id="id_d1_level"' in outside.text


def test_it_renders_the_stakeholder_fields_once_for_everyone(
    round: Round, link: StakeholderLink, renders: list[str]
) -> None:
    pages = []
    for _ in range(3):
        stakeholder = Client()
        open_link(stakeholder, LINK_TOKEN)
        pages.append(stakeholder.get("/s/"))
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert renders == ["assessments/_answer_fields.html"]
    # Each keeps its own relationship question and draft key around the fields.
    assert all('name="relationship"' in page.text for page in pages)

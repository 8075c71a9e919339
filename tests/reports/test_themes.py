"""The round's themes page: suggested groups, confirmed by the facilitator, then
renamed, merged and split. Members read; coaches and outsiders get 404."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.models import Note, NoteTheme, Round
from teams.models import Team
from tests.coach.conftest import share
from tests.factories import add_response, make_round

NOTES = [
    [("stop", "Too many meetings", 1), ("keep", "Pair programming", 2)],
    [("stop", "Fewer meetings please", 1), ("keep", "Keep pair programming", 2)],
    [("stop", "Meetings all day", 1), ("start", "Roadmap in the open")],
]


@pytest.fixture
def round(team: Team) -> Round:
    r = make_round(team, title="Q3", state=Round.State.CLOSED, dimensions=2)
    for notes in NOTES:
        add_response(r, [2, 2], notes=notes)
    return r


def url(round: Round, action: str = "") -> str:
    return f"/rounds/{round.code}/themes/{action}"


def test_it_shows_suggested_groups_to_a_member(
    bob_client: Client, round: Round
) -> None:
    r = bob_client.get(url(round))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Suggested: 3 groups" in page
    assert "Fewer meetings please" in page
    assert "Roadmap in the open" in page
    assert "Not tagged with a dimension" in page
    assert "Confirm these themes" not in page  # a member does not confirm
    assert not NoteTheme.objects.exists()  # reading writes nothing


def test_it_hides_themes_from_outsider(carol_client: Client, round: Round) -> None:
    assert carol_client.get(url(round)).status_code == 404
    assert carol_client.post(url(round, "confirm/")).status_code == 404


def test_it_hides_themes_from_a_coach(
    cora_client: Client, cora, team: Team, round: Round
) -> None:
    share(team, cora, include_notes=True)
    assert cora_client.get(url(round)).status_code == 404


def test_unknown_round_is_404(bob_client: Client, round: Round) -> None:
    assert (
        bob_client.get(
            "/rounds/00000000-0000-0000-0000-000000000000/themes/"
        ).status_code
        == 404
    )


def test_confirm_requires_facilitator(bob_client: Client, round: Round) -> None:
    assert bob_client.post(url(round, "confirm/")).status_code == 403
    assert not NoteTheme.objects.exists()


def test_confirm_rejects_get(alice_client: Client, round: Round) -> None:
    assert alice_client.get(url(round, "confirm/")).status_code == 405


def test_it_confirms_the_suggestion_once(alice_client: Client, round: Round) -> None:
    r = alice_client.post(url(round, "confirm/"), follow=True)
    assert "The team confirmed 3 themes." in r.content.decode()
    themes = {t.label: t.notes.count() for t in NoteTheme.objects.filter(round=round)}
    assert sorted(themes.values()) == [1, 2, 3]
    assert Note.objects.filter(round=round, theme__isnull=True).count() == 0
    # A double submit changes nothing and says so.
    r = alice_client.post(url(round, "confirm/"), follow=True)
    assert "confirmed already" in r.content.decode()
    assert NoteTheme.objects.filter(round=round).count() == 3


def test_nothing_before_the_results(alice_client: Client, team: Team) -> None:
    open_round = make_round(team, title="Now", state=Round.State.OPEN, dimensions=1)
    for _ in range(3):
        add_response(open_round, [2], notes=[("keep", "Secret note")])
    r = alice_client.get(url(open_round))
    assert "Themes appear with the results" in r.content.decode()
    assert "Secret note" not in r.content.decode()
    assert alice_client.post(url(open_round, "confirm/")).status_code == 404


def test_fewer_than_the_minimum_show_nothing(alice_client: Client, team: Team) -> None:
    small = make_round(team, title="Small", state=Round.State.CLOSED, dimensions=1)
    for _ in range(2):
        add_response(small, [2], notes=[("keep", "Only two of us")])
    r = alice_client.get(url(small))
    assert "Only two of us" not in r.content.decode()


def _confirmed(client: Client, round: Round) -> dict[str, NoteTheme]:
    client.post(url(round, "confirm/"))
    return {
        t.notes.first().text: t  # type: ignore[union-attr]
        for t in NoteTheme.objects.filter(round=round)
    }


def test_it_renames(alice_client: Client, round: Round) -> None:
    theme = next(iter(_confirmed(alice_client, round).values()))
    r = alice_client.post(
        url(round, f"{theme.code}/rename/"), {"label": "Meeting load"}
    )
    assert r.status_code == 302
    theme.refresh_from_db()
    assert theme.label == "Meeting load"


def test_a_bad_name_is_refused_on_the_page_with_the_input_kept(
    alice_client: Client, round: Round
) -> None:
    theme = next(iter(_confirmed(alice_client, round).values()))
    long_name = "x" * 121
    r = alice_client.post(url(round, f"{theme.code}/rename/"), {"label": long_name})
    assert r.status_code == 400
    page = r.content.decode()
    assert "at most 120 characters (it has 121)" in page
    assert f'value="{long_name}"' in page
    assert NoteTheme.objects.get(pk=theme.pk).label == theme.label


def test_rename_requires_facilitator(
    alice_client: Client, bob_client: Client, round: Round
) -> None:
    theme = next(iter(_confirmed(alice_client, round).values()))
    r = bob_client.post(url(round, f"{theme.code}/rename/"), {"label": "Mine"})
    assert r.status_code == 403


def test_it_splits_and_merges(alice_client: Client, round: Round) -> None:
    _confirmed(alice_client, round)
    meetings = Note.objects.get(text="Meetings all day").theme
    assert meetings is not None
    before = meetings.notes.count()
    note = Note.objects.get(text="Meetings all day")
    r = alice_client.post(url(round, "move/"), {"note": str(note.pk), "to": "new"})
    assert r.status_code == 302
    note.refresh_from_db()
    assert note.theme_id != meetings.pk
    assert meetings.notes.count() == before - 1
    split = note.theme
    assert split is not None
    assert split.label == "New theme"
    # Merge the split-off theme back: it disappears, its note returns.
    r = alice_client.post(
        url(round, f"{split.code}/merge/"), {"into": str(meetings.code)}
    )
    assert r.status_code == 302
    assert not NoteTheme.objects.filter(pk=split.pk).exists()
    assert meetings.notes.count() == before
    # Repeating the merge is harmless.
    alice_client.post(url(round, f"{split.code}/merge/"), {"into": str(meetings.code)})
    assert meetings.notes.count() == before


def test_it_never_merges_across_dimensions(alice_client: Client, round: Round) -> None:
    by_text = _confirmed(alice_client, round)
    meetings = Note.objects.get(text="Too many meetings").theme
    roadmap = Note.objects.get(text="Roadmap in the open").theme
    assert meetings
    assert roadmap
    assert by_text
    r = alice_client.post(
        url(round, f"{meetings.code}/merge/"), {"into": str(roadmap.code)}, follow=True
    )
    assert "Choose another theme of the same dimension." in r.content.decode()
    assert NoteTheme.objects.filter(pk=meetings.pk).exists()


def test_moving_a_note_of_another_round_does_nothing(
    alice_client: Client, round: Round, team: Team
) -> None:
    _confirmed(alice_client, round)
    other = make_round(team, title="Other", state=Round.State.CLOSED, dimensions=2)
    for _ in range(3):
        add_response(other, [2, 2], notes=[("keep", "Elsewhere", 1)])
    stranger = Note.objects.filter(round=other, text="Elsewhere").first()
    assert stranger is not None
    r = alice_client.post(url(round, "move/"), {"note": str(stranger.pk), "to": "new"})
    assert r.status_code == 302
    stranger.refresh_from_db()
    assert stranger.theme_id is None


def test_reset_goes_back_to_suggestions(alice_client: Client, round: Round) -> None:
    _confirmed(alice_client, round)
    alice_client.post(url(round, "reset/"))
    assert not NoteTheme.objects.exists()
    assert "Suggested: 3 groups" in alice_client.get(url(round)).content.decode()


def test_the_page_makes_few_queries(
    alice_client: Client, round: Round, team: Team, django_assert_max_num_queries
) -> None:
    _confirmed(alice_client, round)
    with django_assert_max_num_queries(14):
        assert alice_client.get(url(round)).status_code == 200


def test_the_report_links_to_the_themes(bob_client: Client, round: Round) -> None:
    page = bob_client.get(f"/rounds/{round.code}/report/").content.decode()
    assert f'href="/rounds/{round.code}/themes/"' in page


def test_a_coach_report_has_no_themes_link(
    cora_client: Client, cora, team: Team, round: Round
) -> None:
    share(team, cora, include_notes=True)
    page = cora_client.get(f"/rounds/{round.code}/report/").content.decode()
    assert "/themes/" not in page

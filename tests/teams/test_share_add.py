from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import AccessLogEntry, CoachShare, Team
from teams.services import coach_share_grant, coach_share_revoke
from tests.conftest import make_user


def _url(team: Team) -> str:
    return f"/teams/{team.code}/sharing/add/"


def test_it_shares_scores_only(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    r = alice_client.post(_url(team), {"coach": "cora", "include_notes": "scores"})
    assert r.status_code == 302
    assert r["Location"] == f"/teams/{team.code}/sharing/"
    share = CoachShare.objects.get()
    assert (share.team, share.coach, share.include_notes) == (team, cora, False)
    assert share.revoked_at is None
    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessLogEntry.Action.GRANTED
    assert (entry.coach, entry.coach_name, entry.actor, entry.actor_name) == (
        cora,
        "cora",
        alice,
        "alice",
    )
    assert entry.include_notes is False


def test_it_shares_notes_too(alice_client: Client, team: Team, cora: User) -> None:
    alice_client.post(_url(team), {"coach": "cora", "include_notes": "notes"})
    assert CoachShare.objects.get().include_notes is True
    assert AccessLogEntry.objects.get().include_notes is True


def test_it_finds_the_coach_by_email(
    alice_client: Client, team: Team, cora: User
) -> None:
    r = alice_client.post(
        _url(team), {"coach": "CORA@example.com", "include_notes": "scores"}
    )
    assert r.status_code == 302
    assert CoachShare.objects.get().coach == cora


def _answer(r: object) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(r.wsgi_request))  # type: ignore[attr-defined]


def test_it_answers_the_same_whether_or_not_the_account_exists(
    alice_client: Client, team: Team, cora: User
) -> None:
    """The share form used to say "No account has this username or email": anyone
    could find out who has an account. Now both answers are the same page."""
    unknown = alice_client.post(
        _url(team), {"coach": "nobody@example.com", "include_notes": "notes"}
    )
    said_unknown = _answer(unknown).replace("nobody@example.com", "<address>")
    alice_client.get(unknown["Location"])  # shows (and so consumes) the message
    known = alice_client.post(
        _url(team), {"coach": "cora@example.com", "include_notes": "notes"}
    )
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    said_known = _answer(known).replace("cora@example.com", "<address>")
    assert said_unknown == said_known
    assert "Shared with “<address>”" in said_known
    assert CoachShare.objects.get().coach == cora
    assert AccessLogEntry.objects.count() == 1


def test_an_unknown_account_shares_nothing(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), {"coach": "nobody", "include_notes": "notes"})
    assert r.status_code == 302
    assert not CoachShare.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_an_ambiguous_email_shares_nothing_and_says_the_same(
    alice_client: Client, team: Team
) -> None:
    make_user("coach1").__class__.objects.filter(username="coach1").update(
        email="coach@example.com"
    )
    make_user("coach2").__class__.objects.filter(username="coach2").update(
        email="coach@example.com"
    )
    r = alice_client.post(
        _url(team), {"coach": "coach@example.com", "include_notes": "scores"}
    )
    assert r.status_code == 302
    assert "Shared with “coach@example.com”" in _answer(r)
    assert not CoachShare.objects.exists()


def test_it_keeps_input_on_an_empty_name(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), {"coach": "", "include_notes": "notes"})
    assert r.status_code == 200
    assert "This field is required." in r.text
    assert not CoachShare.objects.exists()


def test_it_rejects_a_member(alice_client: Client, team: Team) -> None:
    r = alice_client.post(_url(team), {"coach": "bob", "include_notes": "scores"})
    assert "bob is a member of the team" in r.text
    assert not CoachShare.objects.exists()


def test_it_rejects_a_coach_who_already_has_access(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    r = alice_client.post(_url(team), {"coach": "cora", "include_notes": "notes"})
    assert "cora already has access" in r.text
    assert CoachShare.objects.count() == 1
    assert AccessLogEntry.objects.count() == 1


def test_it_shares_again_after_revoking(
    alice_client: Client, team: Team, alice: User, cora: User
) -> None:
    first = coach_share_grant(team=team, coach=cora, include_notes=False, actor=alice)
    coach_share_revoke(share=first, actor=alice)
    alice_client.post(_url(team), {"coach": "cora", "include_notes": "notes"})
    assert CoachShare.objects.active().get().include_notes is True
    assert CoachShare.objects.count() == 2
    assert (
        list(AccessLogEntry.objects.values_list("action", flat=True))
        == [
            "granted",
            "revoked",
            "granted",
        ][::-1]
    )


def test_a_double_submit_shares_once(
    alice_client: Client, team: Team, cora: User
) -> None:
    data = {"coach": "cora", "include_notes": "scores"}
    alice_client.post(_url(team), data)
    r = alice_client.post(_url(team), data)
    assert r.status_code == 200  # "cora already has access"
    assert CoachShare.objects.count() == 1
    assert AccessLogEntry.objects.count() == 1


def test_it_requires_facilitator(bob_client: Client, team: Team, cora: User) -> None:
    r = bob_client.post(_url(team), {"coach": "cora", "include_notes": "scores"})
    assert r.status_code == 403
    assert not CoachShare.objects.exists()


def test_it_hides_team_from_outsider(
    carol_client: Client, team: Team, cora: User
) -> None:
    r = carol_client.post(_url(team), {"coach": "cora", "include_notes": "scores"})
    assert r.status_code == 404
    assert not CoachShare.objects.exists()


def test_it_rejects_get(alice_client: Client, team: Team) -> None:
    assert alice_client.get(_url(team)).status_code == 405

"""A form refused by the CSRF check (cookies cleared mid-answer, a page kept open
across a sign-out): the site's own page in the reader's language, never Django's
English "CSRF verification failed"; on an answer page it says the answer is kept in
this browser and how to send it again (issue 28 point 9)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Round, SealedAnswer, StakeholderLink
from teams.models import Team, hash_token
from tests.factories import make_round

TOKEN = "C" * 43


def _stakeholder(round: Round, language: str = "en") -> Client:
    StakeholderLink.objects.create(round=round, token_hash=hash_token(TOKEN))
    client = Client(enforce_csrf_checks=True, headers={"accept-language": language})
    assert client.get(f"/s/{TOKEN}/").status_code == 303
    return client


def test_a_stakeholder_is_told_the_answer_is_kept(team: Team) -> None:
    round = make_round(team, dimensions=3)
    client = _stakeholder(round)
    r = client.post("/s/", {"relationship": "Leadership", "d1_level": "2"})
    assert r.status_code == 403
    assert "CSRF verification failed" not in r.text
    assert "Your answer is kept in this browser." in r.text
    assert "open the link you were sent" in r.text
    assert 'href="/s/"' in r.text
    assert not SealedAnswer.objects.exists()


def test_it_speaks_the_readers_language(team: Team) -> None:
    round = make_round(team, dimensions=3)
    client = _stakeholder(round, "de")
    r = client.post("/s/", {"relationship": "Leadership"})
    assert r.status_code == 403
    assert '<html lang="de"' in r.text
    assert "Deine Antwort ist in diesem Browser gespeichert." in r.text


def test_a_member_is_sent_back_to_the_form(team: Team, bob: User) -> None:
    round = make_round(team, dimensions=3)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    answer = f"/rounds/{round.code}/answer/"
    for path in (answer, answer + "more-notes/"):
        r = client.post(path, {"checkin": "performing"})
        assert r.status_code == 403
        assert "Your answer is kept in this browser." in r.text
        assert f'href="{answer}"' in r.text
        assert "If you are asked to sign in" in r.text
    assert not SealedAnswer.objects.exists()


def test_other_forms_get_the_same_page_without_an_answer(bob: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    r = client.post("/teams/new/", {"name": "Rockets"})
    assert r.status_code == 403
    assert "Not sent: the page had expired" in r.text
    assert "CSRF" not in r.text
    assert "Your answer is kept" not in r.text
    assert not Team.objects.filter(name="Rockets").exists()


def test_an_expired_link_on_sending_says_the_answer_is_kept(team: Team) -> None:
    round = make_round(team, dimensions=3)
    StakeholderLink.objects.create(round=round, token_hash=hash_token(TOKEN))
    client = Client()
    client.get(f"/s/{TOKEN}/")
    StakeholderLink.objects.update(revoked_at=round.created)
    r = client.post("/s/", {"relationship": "Leadership", "d1_level": "2"})
    assert r.status_code == 404
    assert "This link is not valid" in r.text
    assert "Your answer was not sent." in r.text
    assert "What you typed is kept in this browser" in r.text
    # Opening an unusable link shows the page every unusable link shows.
    assert "Your answer was not sent." not in client.get("/s/").text


def test_an_expired_session_on_an_answer_page_says_the_answer_is_kept(
    team: Team,
) -> None:
    round = make_round(team, dimensions=3)
    answer = f"/rounds/{round.code}/answer/"
    r = Client().post(answer, {"checkin": "performing"}, follow=True)
    assert r.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert "Your answer was not sent yet: it is kept in this browser." in r.text
    r = Client().get("/accounts/login/?next=/teams/new/")
    assert "Your answer was not sent yet" not in r.text

"""A person's own email settings (/email-settings/) and the unsubscribe link."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from teams.models import EmailPreference, hash_token

URL = "/email-settings/"


def test_it_shows_everything_on_and_writes_nothing(bob_client: Client) -> None:
    r = bob_client.get(URL)
    assert r.status_code == 200
    assert "Remind me of rounds I have not answered yet" in r.content.decode()
    assert not EmailPreference.objects.exists()


def test_it_turns_reminders_off(bob_client: Client, bob: User) -> None:
    r = bob_client.post(URL, {"news": "on"})
    assert r.status_code == 302
    preference = EmailPreference.objects.get(user=bob)
    assert (preference.reminders, preference.news) == (False, True)
    assert preference.token_hash == hash_token(preference.unsubscribe_token())


def test_it_needs_signing_in(client: Client) -> None:
    r = client.get(URL)
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_unsubscribe_asks_then_stops_everything(client: Client, bob: User) -> None:
    preference = EmailPreference.for_user(bob)
    url = f"/unsubscribe/{preference.unsubscribe_token()}/"
    r = client.get(url)
    assert r.status_code == 200
    assert "Stop these emails" in r.content.decode()
    preference.refresh_from_db()
    assert preference.reminders
    assert preference.news
    r = client.post(url)
    assert r.status_code == 200
    assert "Emails stopped" in r.content.decode()
    preference.refresh_from_db()
    assert (preference.reminders, preference.news) == (False, False)


def test_unsubscribe_rejects_bad_token(client: Client, bob: User) -> None:
    EmailPreference.for_user(bob)
    r = client.post("/unsubscribe/" + "x" * 43 + "/")
    assert r.status_code == 404
    assert "This link is not valid" in r.content.decode()
    assert EmailPreference.objects.get(user=bob).reminders


def test_the_token_is_not_stored(bob: User) -> None:
    preference = EmailPreference.for_user(bob)
    token = preference.unsubscribe_token()
    assert len(token) >= 43  # 256 bits
    stored = EmailPreference.objects.filter(pk=preference.pk).values().get()
    assert token not in {str(v) for v in stored.values()}

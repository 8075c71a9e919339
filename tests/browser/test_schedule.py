"""A scheduled round and reminders in a real browser, time moved by the test.

The facilitator sets a schedule on its page; the schedule drafts the next round
from the last one (its three dimensions, the open action carried over) and, once
its day has come, opens it by itself and emails the team. A member follows the
email and answers. Four days later the reminder goes only to the two who have not
answered and names no one; one of them stops reminders through the link in the
email without signing in, so the day before closing only the other is reminded.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from assessments import schedule
from assessments.models import Action, Round
from assessments.services import team_start
from teams.models import Membership
from tests.browser.conftest import Visitor, VisitorFactory
from tests.conftest import make_user
from tests.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.timedelta(days=1)


def _path(message: mail.EmailMessage, pattern: str) -> str:
    found = re.search(r"https?://[^/\s]+(" + pattern + r")", message.body)
    assert found is not None, message.body
    return found.group(1)


def _to(messages: list[mail.EmailMessage]) -> list[str]:
    return sorted(address for m in messages for address in m.to)


def _set_schedule(alice: Visitor, team_path: str, opens_on: datetime.date) -> None:
    page = alice.page
    alice.goto(team_path)
    alice.follow(page.get_by_role("link", name="Schedule and reminders"))
    page.locator("#id_recurring").check()
    page.locator("#id_every_weeks").fill("2")
    page.locator("#id_weekday").select_option(str(opens_on.weekday()))
    page.locator("#id_open_days").fill("7")
    page.locator("#id_next_opens_on").fill(opens_on.isoformat())
    alice.follow(page.get_by_role("button", name="Save"))
    assert page.get_by_text("The team's schedule is saved.").is_visible()
    alice.screenshot("schedule")


def test_a_scheduled_round_opens_by_itself_and_reminders_name_no_one(
    visitor_factory: VisitorFactory,
) -> None:
    alice_user = make_user("alice")
    team = team_start(name="Alpha", description="", creator=alice_user)
    for name in ("bob", "dan"):
        Membership.objects.create(team=team, user=make_user(name))
    last = make_round(team, title="Last month", state=Round.State.CLOSED, dimensions=3)
    Action.objects.create(
        team=team, round=last, dimension=last.dimensions.first(), text="Pair more"
    )

    alice = visitor_factory()
    alice.sign_in("alice")
    opens_on = timezone.localdate() + 2 * DAY
    _set_schedule(alice, team.get_absolute_url(), opens_on)

    # Cron runs: two days ahead, the round is drafted from the last one.
    assert schedule.scheduled_rounds_draft() == 1
    draft = team.rounds.get(opens_at__isnull=False)
    assert draft.dimensions.count() == 3
    alice.goto("/")
    assert alice.page.get_by_text("opens by itself on").is_visible()

    # Time moves to its opening day: it opens by itself and the team is told.
    assert draft.opens_at is not None
    assert schedule.scheduled_rounds_open(now=draft.opens_at + DAY / 24) == 1
    opened = [m for m in mail.outbox if "a new round is open" in m.subject]
    assert _to(opened) == ["alice@example.com", "bob@example.com", "dan@example.com"]

    bob = visitor_factory()
    bob.sign_in("bob")
    [to_bob] = [m for m in opened if m.to == ["bob@example.com"]]
    bob.goto(_path(to_bob, r"/rounds/\S+/answer/"))
    page = bob.page
    assert page.get_by_text("Pair more").first.is_visible()
    page.get_by_label("Performing", exact=True).check()
    levels = page.locator("input[type=radio][name$=_level][value='2']")
    for n in range(levels.count()):
        levels.nth(n).check()
    bob.follow(page.get_by_role("button", name="Send my answer"))
    assert page.get_by_text("your answer is saved, anonymously").is_visible()

    # Four days after opening: a reminder to the two who have not answered only.
    mail.outbox.clear()
    assert schedule.round_emails_due(now=timezone.now() + 4 * DAY) == 1
    assert _to(mail.outbox) == ["alice@example.com", "dan@example.com"]
    for message in mail.outbox:
        assert "you have not answered it yet" in message.body
        assert "bob" not in message.body
    # The facilitator sees how many, never who.
    alice.goto(draft.get_absolute_url())
    assert alice.page.get_by_text("1 of 3 members have answered.").is_visible()
    assert alice.page.get_by_text("dan").count() == 0

    # Dan stops reminders from the email, without signing in.
    [to_dan] = [m for m in mail.outbox if m.to == ["dan@example.com"]]
    dan = visitor_factory()
    dan.goto(_path(to_dan, r"/unsubscribe/\S+/"))
    dan.follow(dan.page.get_by_role("button", name="Stop these emails"))
    assert dan.page.get_by_role("heading", name="Emails stopped").is_visible()

    # The day before closing: only alice is reminded.
    mail.outbox.clear()
    draft.refresh_from_db()
    assert draft.closes_at is not None
    assert schedule.round_emails_due(now=draft.closes_at - DAY / 2) == 1
    assert _to(mail.outbox) == ["alice@example.com"]
    assert "closes tomorrow" in mail.outbox[0].subject

"""``manage.py sealing_key rotate`` seals the ballots of an open retro vote again
under the new key: the old key can go while voting is open, and every vote still
counts (issue 25 item 1)."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from assessments.models import Round
from retro import ballots
from retro.models import Ballot
from tests.retro.helpers import post
from tests.retro.test_vote import open_voting

OLD = "old-sealing-key-" + "o" * 40
NEW = "new-sealing-key-" + "n" * 40


def test_rotation_seals_open_ballots_again(
    settings: Settings,
    alice_client: Client,
    bob_client: Client,
    closed_round: Round,
) -> None:
    settings.ANSWER_SEALING_KEY = OLD
    settings.ANSWER_SEALING_KEY_FALLBACKS = []
    settings.SECRET_KEY_FALLBACKS = []
    session = open_voting(alice_client, closed_round, votes=2)
    dim = closed_round.dimensions.get(position=1)
    post(bob_client, "vote", closed_round, {"dimension": dim.pk})
    bob_id = Ballot.objects.get().user_id

    settings.ANSWER_SEALING_KEY = NEW
    settings.ANSWER_SEALING_KEY_FALLBACKS = [OLD]
    out = io.StringIO()
    call_command("sealing_key", "rotate", stdout=out)
    assert "1 other sealed value(s)" in out.getvalue()

    settings.ANSWER_SEALING_KEY_FALLBACKS = []  # the old key is gone
    assert ballots.own(session, Ballot.Kind.DOTS, bob_id) == {dim.pk: 1}

from __future__ import annotations

import pytest
from django.core.management import call_command

from teams.models import Membership, Team


@pytest.mark.django_db
def test_it_is_idempotent() -> None:
    call_command("seed_demo")
    counts = (Team.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Team.objects.count(), Membership.objects.count()) == counts
    assert Team.objects.filter(name="Payments").exists()

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User


def test_sign_in_and_create_team(visitor_factory: Any, transactional_db: None) -> None:
    User.objects.create_user("alice", "alice@example.com", "password")
    alice = visitor_factory()
    alice.sign_in("alice")
    alice.page.get_by_role("link", name="Create a team").click()
    alice.check()
    alice.page.get_by_label("Name").fill("Rockets")
    alice.page.get_by_role("button", name="Create the team").click()
    alice.check()
    assert alice.page.get_by_role("heading", name="Rockets").is_visible()

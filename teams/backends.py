"""Sign-in through allauth's backend (a ModelBackend that also takes an email),
with one addition for the navigation."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef

from teams.models import CoachShare


class TeamMirrorBackend(AuthenticationBackend):
    """Loads the signed-in user with ``has_coach_shares``: whether any team shares
    its results with them, so that the navigation can offer the coach dashboard.
    It rides on the query that loads the user anyway, so it costs no query and is
    never stale. A hint for a link only: access is always checked on the shares."""

    def get_user(self, user_id: Any) -> User | None:
        shares = CoachShare.objects.active().filter(coach=OuterRef("pk"))
        user = (
            User._default_manager.annotate(has_coach_shares=Exists(shares))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

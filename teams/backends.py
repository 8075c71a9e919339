"""Sign-in through allauth's backend (a ModelBackend that also takes an email),
with one addition for the navigation."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import User
from django.db import connection

from config import rawsql
from teams.models import CoachShare


class TeamMirrorBackend(AuthenticationBackend):
    """Loads the signed-in user with ``has_coach_shares``: whether any team shares
    its results with them, so that the navigation can offer the coach dashboard.
    It rides on the query that loads the user anyway, so it costs no query and is
    never stale. A hint for a link only: access is always checked on the shares."""

    def get_user(self, user_id: Any) -> User | None:
        # Every signed-in request runs this: written once in SQL (config.rawsql),
        # it is User.objects.annotate(has_coach_shares=Exists(CoachShare.objects
        # .active().filter(coach=OuterRef("pk")))).filter(pk=user_id).first().
        user = _user_with_coach_shares(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_with_coach_shares(user_id: Any) -> User | None:
    user = rawsql.columns(User, "u")
    t, c = rawsql.table, rawsql.column
    sql = (
        f"SELECT {user.sql}, EXISTS(SELECT 1 FROM {t(CoachShare)} s "  # noqa: S608
        f"WHERE s.{c(CoachShare, 'coach')} = u.{c(User, 'id')} "
        f"AND s.{c(CoachShare, 'revoked_at')} IS NULL) "
        f"FROM {t(User)} u WHERE u.{c(User, 'id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [rawsql.prep(User, "id", user_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    found: User = user.instance(row[: user.width])
    found.has_coach_shares = bool(row[-1])  # type: ignore[attr-defined]
    return found

"""Django's database sessions, with the row of every signed-in request read by a
statement written once (``config.rawsql``) instead of a queryset compiled anew:
``Session.objects.get(session_key=key, expire_date__gt=now)``, the same row or
none. Everything else (saving, expiry, cycling the key) is Django's own."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from config import rawsql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is None:
            return None
        session = rawsql.columns(Session, "s")
        t, c = rawsql.table, rawsql.column
        sql = (
            f"SELECT {session.sql} FROM {t(Session)} s "  # noqa: S608 (names only)
            f"WHERE s.{c(Session, 'session_key')} = %s "
            f"AND s.{c(Session, 'expire_date')} > %s"
        )
        now = rawsql.prep(Session, "expire_date", timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        found: Session = session.instance(row)
        return found

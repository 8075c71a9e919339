from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessments.models import Round
from retro.models import RetroSession


def post(
    client: Client,
    name: str,
    round: Round,
    data: dict[str, object] | None = None,
    **kwargs: object,
):  # type: ignore[no-untyped-def]
    return client.post(
        reverse(f"retro:{name}", args=[round.code, *kwargs.values()]), data or {}
    )


def go_to(round: Round, step: str, index: int = 0) -> RetroSession:
    session, _ = RetroSession.objects.get_or_create(round=round)
    session.step = step
    session.discuss_index = index
    session.save()
    return session

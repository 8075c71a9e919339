"""A ballot's choices, sealed and opened with the answers' sealing
(``assessments.sealing``, under the keys of ``assessments.services.sealing_keys``).

Choices are a mapping from a key (a round dimension's id for the dot vote, the
score for "was this worth our time?") to how many votes it got. The sealed content
names the session, the vote and the voter, so that a ballot copied onto another
person's row or another vote does not open (``sealing.SealBroken``). The round's id
is the sealing's associated data, as for answers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from assessments import sealing
from assessments.services import sealing_keys
from retro.models import Ballot, RetroSession

Choices = dict[int, int]

logger = logging.getLogger(__name__)


def _label(session: RetroSession, kind: str, user_id: int) -> list[object]:
    return [session.pk, str(kind), user_id]


def seal(
    session: RetroSession, kind: str, user_id: int, choices: Mapping[int, int]
) -> bytes:
    content = {
        "ballot": _label(session, kind, user_id),
        "choices": [[k, n] for k, n in sorted(choices.items()) if n > 0],
    }
    return sealing.seal(content, key=sealing_keys()[0], round_id=session.round_id)


def unseal(
    session: RetroSession, kind: str, user_id: int, blob: bytes | memoryview
) -> Choices:
    content = sealing.unseal(
        bytes(blob), keys=sealing_keys(), round_id=session.round_id
    )
    if content.get("ballot") != _label(session, kind, user_id):
        raise sealing.SealBroken
    return {int(k): int(n) for k, n in content["choices"]}


def opened(
    session: RetroSession, kind: str, user_id: int, blob: bytes | memoryview
) -> Choices:
    """``unseal``, or no choices if no configured key opens the ballot (the
    sealing key changed without the old one kept in the fallbacks): the voter
    starts again, or is left out of the count, rather than the meeting failing."""
    try:
        return unseal(session, kind, user_id, blob)
    except sealing.SealBroken:
        logger.warning(
            "A retro ballot no configured sealing key opens was left out: keep an "
            "old ANSWER_SEALING_KEY in ANSWER_SEALING_KEY_FALLBACKS while a vote "
            "is open."
        )
        return {}


def own(session: RetroSession, kind: str, user_id: int) -> Choices:
    """This person's choices in an open vote (empty if they have none)."""
    blob = (
        Ballot.objects.filter(session=session, kind=kind, user_id=user_id)
        .values_list("sealed", flat=True)
        .first()
    )
    return opened(session, kind, user_id, blob) if blob is not None else {}


def ballots_reseal(**kwargs: object) -> int:
    """Seal every ballot of an open vote again under the current key (``manage.py
    sealing_key rotate``, through ``assessments.signals.sealing_key_rotated``), so
    that the old key can leave the settings while a vote is open. A ballot changed
    meanwhile (its voter voted) is already under the current key; one no key opens
    is left as it is. Returns how many."""
    keys = sealing_keys()
    count = 0
    rows = Ballot.objects.values_list("pk", "session__round_id", "sealed")
    for pk, round_id, blob in rows.iterator(chunk_size=200):
        try:
            content = sealing.unseal(bytes(blob), keys=keys, round_id=round_id)
        except sealing.SealBroken:
            continue
        count += Ballot.objects.filter(pk=pk, sealed=bytes(blob)).update(
            sealed=sealing.seal(content, key=keys[0], round_id=round_id)
        )
    return count

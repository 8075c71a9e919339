"""One cache key for anything computed from rounds' answers.

Every stored answer bumps ``Round.data_version``; a key made of each round's version,
state, minimum and title (the chart labels) is therefore never stale, and an entry
only has to expire to free memory. Charts, the team overview's trends and the coach's
figures all use this one helper.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from assessments.models import Round

# (round id, data_version, state, min_responses, title)
RoundVersion = tuple[int, int, str, int, str]


def round_version(round: Round) -> RoundVersion:
    return (round.pk, round.data_version, round.state, round.min_responses, round.title)


def cache_key(kind: str, rounds: Iterable[Round | RoundVersion], *extra: object) -> str:
    """The key of ``kind`` computed from ``rounds`` (Round objects or their
    ``round_version``) in their current versions, and whatever else it depends on
    (``extra``: a language, a viewer's share, ...)."""
    versions = sorted(
        round_version(r) if isinstance(r, Round) else tuple(r) for r in rounds
    )
    digest = hashlib.sha256(repr((versions, extra)).encode()).hexdigest()[:40]
    return f"mirror:{kind}:{digest}"

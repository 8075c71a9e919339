"""Background work of the reports: a round's PDFs laid out as soon as its results
are released and whenever what they show changes, so that the first reader to
download one does not wait for the layout (seconds for a large round,
docs/performance.md).

The task's only argument is the round's code; it makes every PDF of the round its
readers ask for (``reports.views.pdf_views``: the members' in the team's language
and in each language a member chose, each sharing coach's) and leaves them in the
shared cache under the keys their downloads look up (``reports.views.pdf_key``).
It returns nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.tasks import task

from assessments.models import Action, Round, RoundMetric
from teams.models import CoachShare, Team


@task()
def prerender_round_pdf(*, round: str) -> None:
    """Lay out the round's PDFs (each a no-op when it is already cached; nothing
    when the round is gone or has no results)."""
    from reports import views

    found = Round.objects.select_related("team").filter(code=round).first()
    if found is None:
        return
    views.round_pdfs(found)


def _in_background() -> bool:
    """Only with a backend that runs tasks in the background (``db_worker``;
    ``supports_defer``): the immediate backend of development and the tests would
    lay the PDFs out inside the request, and there the first download does it just
    as well."""
    return bool(prerender_round_pdf.get_backend().supports_defer)


def prerender_after_release(sender: Any, *, round: Round, **kwargs: Any) -> None:
    """Receiver of ``assessments.signals.results_released``."""
    if _in_background():
        prerender_round_pdf.enqueue(round=str(round.code))


def _enqueue_later(rounds: Any) -> None:
    """Queue the PDFs of the released rounds among ``rounds`` (a queryset, asked
    once the write is committed, so the request pays no query for it)."""

    def enqueue() -> None:
        for code in rounds.filter(releases__gt=0).values_list("code", flat=True):
            prerender_round_pdf.enqueue(round=str(code))

    transaction.on_commit(enqueue)


# A round's saves that change its PDF without a release: a new title, a reopen.
# Closing releases its answers, and the release queues the PDFs already.
ROUND_FIELDS = frozenset({"title", "opened_at"})


def prerender_after_change(
    sender: Any, *, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    """Receiver of ``post_save`` and ``post_delete`` of what a round's PDF shows
    beyond its answers: its actions and input metrics and its title (that round),
    the team's name and language and its coach shares (the team's latest round with
    results, the one its readers download). It changes no data: the new version's
    PDFs are laid out before anyone asks, whichever page or the admin made the
    change."""
    if not _in_background():
        return
    if isinstance(instance, Action | RoundMetric):
        _enqueue_later(Round.objects.filter(pk=instance.round_id))
    elif isinstance(instance, Round):
        if update_fields is not None and not ROUND_FIELDS & set(update_fields):
            return
        _enqueue_later(Round.objects.filter(pk=instance.pk))
    elif isinstance(instance, Team | CoachShare):
        team_id = instance.pk if isinstance(instance, Team) else instance.team_id
        latest = (
            Round.objects.filter(team_id=team_id, releases__gt=0)
            .order_by("-created")
            .values("pk")[:1]
        )
        _enqueue_later(Round.objects.filter(pk__in=latest))

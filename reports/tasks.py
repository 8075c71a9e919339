"""Background work of the reports: a round's PDF laid out as soon as its results
are released, so that the first member to download it does not wait for the layout
(seconds for a large round, docs/performance.md).

The task's only argument is the round's code; it makes the PDF a member gets, in
the team's language, and leaves it in the shared cache under the same key a
member's download looks up (``reports.views.pdf_key``). It returns nothing.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils import translation

from assessments.models import Round


@task()
def prerender_round_pdf(*, round: str) -> None:
    """Lay out the round's PDF for its members (a no-op when it is already cached,
    the round is gone or has no results)."""
    from reports import views

    found = Round.objects.select_related("team").filter(code=round).first()
    if found is None:
        return
    with translation.override(found.team.language):
        views.member_pdf(found)


def prerender_after_release(sender: Any, *, round: Round, **kwargs: Any) -> None:
    """Receiver of ``assessments.signals.results_released``. Only with a backend
    that runs tasks in the background (``db_worker``; ``supports_defer``): the
    immediate backend of development and the tests would lay the PDF out inside the
    close, and there the first download does it just as well."""
    if not prerender_round_pdf.get_backend().supports_defer:
        return
    prerender_round_pdf.enqueue(round=str(round.code))

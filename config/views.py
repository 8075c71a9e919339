"""Pages of the site as a whole, not of one app.

``csrf_failure`` (``CSRF_FAILURE_VIEW``) replaces Django's English "Forbidden (403)
CSRF verification failed" page: a form sent after the browser's cookies were
cleared, or from a page kept open across a sign-out. On an answer page it says that
nothing was sent, that the answer is kept in this browser (``static/js/draft.js``)
and how to send it again.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

# The forms whose unsent answer the browser keeps (data-draft-key), by URL name.
MEMBER_ANSWER_PAGES = {"assessments:answer", "assessments:answer_more_notes"}
STAKEHOLDER_ANSWER_PAGES = {"stakeholders:answer", "stakeholders:more_notes"}


def _answer_page(request: HttpRequest) -> tuple[str, str]:
    """Who was answering ("member", "stakeholder" or "") and where the form is."""
    # The check runs after the URL was resolved (an unknown address is a 404).
    match = request.resolver_match
    if match is None:
        return "", ""
    if match.view_name in MEMBER_ANSWER_PAGES:
        return "member", reverse("assessments:answer", args=[match.kwargs["code"]])
    if match.view_name in STAKEHOLDER_ANSWER_PAGES:
        return "stakeholder", reverse("stakeholders:answer")
    return "", ""


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    answering, form_url = _answer_page(request)
    ctx = {"answering": answering, "form_url": form_url}
    return render(request, "403_csrf.html", ctx, status=403)

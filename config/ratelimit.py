"""A fixed-window rate limiter for the anonymous (stakeholder) pages.

Page views and submissions are counted apart (``RATELIMIT_ANONYMOUS`` and
``RATELIMIT_SUBMISSIONS``): colleagues behind one office address each view a few
pages and send one answer, and a completed answer must not be refused because the
same address viewed many pages. A refused submission shows the form again with
everything typed still in it (see ``stakeholders.views``), never a bare error page.

Counters live in the ``default`` cache: Redis in a company install, so the limit
holds across every app server. The local-memory cache of a single-machine install
counts per process, so there the real limit is the configured one times the number
of worker processes.

The client address is used only to pick a counter: the cache key holds an HMAC of it
(keyed with ``SECRET_KEY``), never the address, and nothing here logs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    View = Callable[..., HttpResponse]

KEY_SALT = "team-mirror.ratelimit"


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/600"`` → (30 requests, per 600 seconds)."""
    try:
        count, seconds = (int(part) for part in rate.split("/"))
    except ValueError:
        raise ImproperlyConfigured(
            f"A rate is 'requests/seconds', such as '30/600', not {rate!r}."
        ) from None
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"A rate needs positive numbers, not {rate!r}.")
    return count, seconds


def client_address(request: HttpRequest) -> str:
    """The address of the client, seen through ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the entry that many places from the right.
    Entries further left were sent by the client itself and are not trusted.
    """
    remote: str = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < hops:
        # The request did not come through all the proxies: trust only the socket.
        return remote
    return entries[-hops]


def hit(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count one request from this client; True while it is within the rate."""
    limit, window = parse_rate(rate)
    client = salted_hmac(
        KEY_SALT, client_address(request), algorithm="sha256"
    ).hexdigest()[:32]
    key = f"ratelimit:{scope}:{window}:{int(time.time()) // window}:{client}"
    # add() creates the counter only if it is missing, incr() is atomic in Redis:
    # together they count correctly however many servers share the cache.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def retry_after(rate: str) -> int:
    """Seconds until the current window of this rate ends."""
    window = parse_rate(rate)[1]
    return window - int(time.time()) % window


def too_many_requests(request: HttpRequest, rate: str) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after(rate))
    return response


def anonymous_limit(view: View) -> View:
    """Limit a view to ``RATELIMIT_ANONYMOUS`` page views per client (429 past it).
    Only for pages where nothing typed can be lost."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        rate = settings.RATELIMIT_ANONYMOUS
        if not hit(request, "anonymous", rate):
            return too_many_requests(request, rate)
        return view(request, *args, **kwargs)

    return wrapped

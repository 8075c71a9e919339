"""A fixed-window rate limiter for the anonymous (stakeholder) pages.

Page views and submissions are counted apart (``RATELIMIT_ANONYMOUS`` and
``RATELIMIT_SUBMISSIONS``): colleagues behind one office address each view a few
pages and send one answer, and a completed answer must not be refused because the
same address viewed many pages. A refused submission shows the form again with
everything typed still in it (see ``stakeholders.views``), never a bare error page.

Counters live in the ``default`` cache: Redis in a company install, so the limit
holds across every app server; the database cache of a single-machine install,
shared by all its worker processes.

The client address is used only to pick a counter: the cache key holds an HMAC of it
(keyed with ``SECRET_KEY``), never the address, and nothing here logs it.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse, HttpResponseBase

    View = Callable[..., HttpResponseBase]
    IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

KEY_SALT = "team-mirror.ratelimit"


def clock() -> float:
    """Seconds since the epoch, as the windows see them: the one place this module
    reads the time, so that tests can pin it (``tests/conftest.py``)."""
    return time.time()


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


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["10.0.0.0/8", "192.168.1.10"]`` → networks; a clear error for a typo."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES holds addresses or networks such as "
                f"'10.0.0.0/8', not {cidr!r}."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(cidrs)


def _trusted(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client, seen through the proxies in ``TRUSTED_PROXIES``.

    X-Forwarded-For is read only when the request came from a trusted proxy
    (``REMOTE_ADDR`` in one of the networks). Each trusted proxy appends the
    address it received the request from, so walking the header from the right,
    the first entry that is not a trusted proxy is the client. Entries further left
    were written by the client itself and are never used: nobody who can reach the
    app port directly picks their own address.
    """
    remote: str = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    client = remote
    for entry in reversed(entries):
        client = entry
        if not _trusted(entry, networks):
            break
    return client


def hit(request: HttpRequest, scope: str, rate: str, *, key: str | None = None) -> bool:
    """Count one request from this client (or, with ``key``, for that key: a user,
    an email address); True while it is within the rate."""
    limit, window = parse_rate(rate)
    who = client_address(request) if key is None else key
    client = salted_hmac(KEY_SALT, f"{scope}:{who}", algorithm="sha256").hexdigest()[
        :32
    ]
    key = f"ratelimit:{scope}:{window}:{int(clock()) // window}:{client}"
    return bump(key, timeout=window) <= limit


def bump(key: str, *, timeout: int) -> int:
    """Add one to the counter ``key`` in the cache (made with ``timeout`` when
    missing) and give its new value.

    incr() is atomic in Redis; add() creates the counter only if it is missing:
    together they count correctly however many servers share the cache. The
    counter exists for every request of a window but the first, so it is counted
    first and made only when missing: one write to the cache per request, not two
    (the database cache of the embedded default writes a transaction each)."""
    try:
        return cache.incr(key)
    except ValueError:  # the first (or the counter expired)
        if cache.add(key, 1, timeout=timeout):
            return 1
    try:
        return cache.incr(key)  # another request made it meanwhile
    except ValueError:
        return 1


def retry_after(rate: str) -> int:
    """Seconds until the current window of this rate ends."""
    window = parse_rate(rate)[1]
    return window - int(clock()) % window


def too_many_requests(request: HttpRequest, rate: str) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after(rate))
    return response


def anonymous_limit(view: View) -> View:
    """Limit a view to ``RATELIMIT_ANONYMOUS`` page views per client (429 past it).
    Only for pages where nothing typed can be lost."""

    @wraps(view)
    def wrapped(
        request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        rate = settings.RATELIMIT_ANONYMOUS
        if not hit(request, "anonymous", rate):
            return too_many_requests(request, rate)
        return view(request, *args, **kwargs)

    return wrapped


def limit(
    scope: str, setting: str, *, methods: tuple[str, ...] = ("POST",), per: str = "ip"
) -> Callable[[View], View]:
    """Limit a view's ``methods`` to the rate in the setting named ``setting``,
    per client address (``per="ip"``) or per signed-in user (``per="user"``);
    past it, the 429 page. For sign-up-free pages such as password reset, /join/,
    team creation and sending invitations."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(
            request: HttpRequest, *args: object, **kwargs: object
        ) -> HttpResponseBase:
            if request.method in methods:
                rate = getattr(settings, setting)
                key = None
                if per == "user" and request.user.is_authenticated:
                    key = f"user:{request.user.pk}"
                if not hit(request, scope, rate, key=key):
                    return too_many_requests(request, rate)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Failed sign-ins per account: a cool-down that slows guessing down without
locking the account's owner out.

allauth keeps the per-address limit (``RATELIMIT_LOGIN_FAILED``, failed sign-ins
per client address). Per account, a fixed lock-out ("5 wrong passwords, the account
rests for 5 minutes") let anyone who knows a username keep its owner out with one
wrong try a minute. Here instead:

- the first ``SIGNIN_FREE_FAILURES`` failed sign-ins of an account cost nothing;
- after that, an address that has itself failed on the account waits before its
  next try: ``SIGNIN_DELAY_FIRST`` seconds after its last failure, doubling with
  every further failure of the account (from anywhere), at most
  ``SIGNIN_DELAY_MAX`` seconds. It is refused with a 429 whatever the password;
- an address that has not failed on the account is not held back: the right
  password signs in at once (the owner, from their own connection, while someone
  else is guessing), a wrong one counts and puts that address in the cool-down.

Counters are forgotten an hour after the account's last failure and cleared by a
successful sign-in. They live in the shared ``default`` cache; their keys hold
HMACs of the name typed and of the client address, never either of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from config import ratelimit
from config.ratelimit import client_address

KEY_SALT = "team-mirror.signin-failures"
KEEP_SECONDS = 60 * 60


def _key(*parts: str) -> str:
    digest = salted_hmac(KEY_SALT, "\0".join(parts), algorithm="sha256").hexdigest()
    return f"signin-failures:{digest[:32]}"


def _keys(request: HttpRequest, login: str) -> tuple[str, str]:
    """The account's counter and this address's last failure on the account."""
    name = login.strip().lower()
    return _key("account", name), _key("address", name, client_address(request))


def delay(failures: int) -> int:
    """The wait after a failure, for an account that failed ``failures`` times."""
    over = failures - settings.SIGNIN_FREE_FAILURES
    if over < 0:
        return 0
    return int(min(settings.SIGNIN_DELAY_FIRST * 2**over, settings.SIGNIN_DELAY_MAX))


def wait(request: HttpRequest, login: str) -> int:
    """Seconds before this client may try this account again; 0 to try now."""
    account, address = _keys(request, login)
    failures = cache.get(account) or 0
    last = cache.get(address)
    if last is None or failures < settings.SIGNIN_FREE_FAILURES:
        return 0
    return max(0, int(last + delay(failures) - ratelimit.clock()) + 1)


def failed(request: HttpRequest, login: str) -> None:
    account, address = _keys(request, login)
    failures = (cache.get(account) or 0) + 1
    cache.set(account, failures, timeout=KEEP_SECONDS)
    cache.set(address, int(ratelimit.clock()), timeout=KEEP_SECONDS)


def succeeded(request: HttpRequest, login: str) -> None:
    """The owner proved the password: the account's counters start again."""
    account, address = _keys(request, login)
    cache.delete_many([account, address])

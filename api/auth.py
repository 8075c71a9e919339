"""Who is calling the API: a team's token in ``Authorization: Bearer <token>``.

Every request counts against ``RATELIMIT_API`` per client address first (the
limiter of ``config.ratelimit``, shared by all workers), so guessing tokens is as
slow as reading. A missing, wrong, unknown or revoked token all get the same 401.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from api.models import ApiToken
from config.ratelimit import hit


class RateLimited(Exception):
    def __init__(self, rate: str) -> None:
        super().__init__(rate)
        self.rate = rate


class TeamToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiToken | None:
        rate = settings.RATELIMIT_API
        if not hit(request, "api", rate):
            raise RateLimited(rate)
        result: ApiToken | None = super().__call__(request)
        return result

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return ApiToken.objects.for_secret(token)

"""A bounded schemathesis run against the API's own OpenAPI schema, in process
(WSGI): for every endpoint, generated requests (with a real token and real codes,
and with made-up ones) get answers that match the schema, never a server error.

Kept to a few seconds: a handful of examples per endpoint (``EXAMPLES``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Token
from tests.reports.conftest import Scenario

EXAMPLES = 5


@pytest.fixture
def schema(db: None) -> Iterator[Any]:
    # As Django's test client does: the test's database connection stays open
    # across the requests (the WSGI handler closes it after each one otherwise).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/openapi.json", get_wsgi_application()
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@override_settings(RATELIMIT_API="100000/60")
def test_every_endpoint_answers_as_its_schema_says(
    schema: Any, scenario: Scenario, token: Token
) -> None:
    real = {
        "team": str(scenario.team.code),
        "round": str(scenario.q2.code),
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy(), use_real=st.booleans())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: Any, use_real: bool) -> None:
            if use_real:
                for name in case.path_parameters or {}:
                    case.path_parameters[name] = real[name]
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {token.secret}"}
            )
            assert response.status_code in (200, 404), response.text

        check()

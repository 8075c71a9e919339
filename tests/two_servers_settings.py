"""Settings of the app servers started by ``tests/test_two_servers.py``: the real
ones, with the chart log at DEBUG so the test can count the charts drawn."""

from typing import Any, cast

from config.settings import *  # noqa: F403
from config.settings import LOGGING

cast(dict[str, Any], LOGGING["loggers"])["reports.charts"] = {"level": "DEBUG"}

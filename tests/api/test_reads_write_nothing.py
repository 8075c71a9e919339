"""Using a token writes nothing (reads never write): every endpoint, with a real
token, real codes and made-up ones, leaves every table as it was."""

from __future__ import annotations

from assessments.models import Round
from tests.api.conftest import ApiClient, Token
from tests.reports.conftest import Scenario
from tests.test_reads_write_nothing import table_digest


def test_no_api_read_changes_the_database(scenario: Scenario, token: Token) -> None:
    api = ApiClient(token.secret)
    team = scenario.team.code
    unknown = "00000000-0000-4000-8000-000000000000"
    paths = [f"/teams/{team}", f"/teams/{team}/rounds", f"/teams/{unknown}"]
    for round in Round.objects.filter(team=scenario.team):
        for part in ("", "/figures", "/notes", "/actions"):
            paths.append(f"/teams/{team}/rounds/{round.code}{part}")
    before = table_digest()
    statuses = {api.get(path).status_code for path in paths}
    statuses.add(ApiClient("tm_wrong").get(f"/teams/{team}").status_code)
    assert table_digest() == before
    assert statuses == {200, 401, 404}

"""On a phone the radar becomes one bar per dimension (the radar's labels would be
about 5 px at 390 px wide)."""

from __future__ import annotations

from django.test import Client

from reports.templatetags.report_tags import bar_percent
from tests.reports.conftest import Scenario


def test_bar_percent_maps_levels_onto_the_bar() -> None:
    assert bar_percent(None) == "0"
    assert bar_percent(1.5) == "50"
    assert bar_percent(3) == "100"
    assert bar_percent(4) == "100"


def test_the_report_has_a_phone_layout_with_the_same_numbers(
    bob_client: Client, scenario: Scenario
) -> None:
    page = bob_client.get(f"/rounds/{scenario.q2.code}/report/").content.decode()
    # The radar image is for wider screens; the bars for phones.
    assert 'class="chart mb-2 d-none d-md-block"' in page
    assert 'class="radar-phone d-md-none mb-2"' in page
    # Dimension 1: team mean 2.0 -> two thirds of the bar; stakeholders 1.333.
    assert 'class="radar-bar-1" x="0" y="0" width="66.67%"' in page
    assert 'class="radar-bar-2" x="0" y="0" width="44.44%"' in page

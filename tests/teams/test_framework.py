"""The built-in framework is loaded verbatim, in order, from the project's copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessments.models import BuiltinDimension, Framework

DATA = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "assessments"
        / "framework"
        / "twelve-dimensions.json"
    ).read_text()
)


@pytest.mark.django_db
def test_twelve_dimensions_in_order_verbatim() -> None:
    dims = list(BuiltinDimension.objects.order_by("position"))
    assert len(dims) == 12
    assert dims[0].name == "Collaboration & Communication"
    assert dims[-1].name == "Capabilities & Adaptability"
    for dim, src in zip(dims, DATA["dimensions"], strict=True):
        assert dim.slug == src["slug"]
        assert dim.position == src["position"]
        assert dim.name == src["name"]
        assert dim.short_name == src["short_name"]
        assert dim.prompt == src["reflection_prompt"]
        assert dim.signs_of_struggle == src["signs_of_struggle"]
        assert dim.level_1 == src["levels"]["not_meeting"]
        assert dim.level_2 == src["levels"]["meeting"]
        assert dim.level_3 == src["levels"]["exceeding"]


@pytest.mark.django_db
def test_levels_and_checkin() -> None:
    fw = Framework.objects.get()
    assert fw.level_1_label == "Not Meeting Expectations"
    assert fw.level_2_label == "Meeting Expectations"
    assert fw.level_3_label == "Exceeding Expectations"
    assert fw.checkin_question == (
        "Would we consider ourselves underperforming, performing, or high-performing?"
    )
    assert fw.checkin_choices == ["underperforming", "performing", "high-performing"]
    assert fw.source.startswith("Phil Clark")


def test_copy_names_its_source() -> None:
    assert DATA["source"].startswith("Phil Clark")

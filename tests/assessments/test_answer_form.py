from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.utils import translation

from assessments.forms import AnswerForm
from assessments.models import Round
from teams.models import Team
from tests.factories import make_round


def _data(round: Round, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"checkin": "performing", "checkin_reason": "We ship"}
    for number in range(1, round.dimensions.count() + 1):
        data[f"d{number}_level"] = "2"
    data.update(extra)
    return data


def test_it_cleans_levels_comments_and_notes(team: Team) -> None:
    round = make_round(team, dimensions=3)
    dims = list(round.dimensions.all())
    data = _data(
        round,
        d2_level="dk",
        d3_level="3",
        d3_comment=" Solid ",
        keep_1="Pairing",
        keep_1_dimension="2",
        stop_2="Long meetings",
        start_1="",
    )
    form = AnswerForm(dims, data, include_checkin=True)
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert [(r.dimension, r.level, r.comment) for r in answers.ratings] == [
        (dims[0], 2, ""),
        (dims[1], None, ""),
        (dims[2], 3, "Solid"),
    ]
    assert [(n.kind, n.text, n.dimension) for n in answers.notes] == [
        ("keep", "Pairing", dims[1]),
        ("stop", "Long meetings", None),
    ]
    assert (answers.checkin, answers.checkin_reason) == ("performing", "We ship")


def test_it_requires_a_level_for_every_dimension(team: Team) -> None:
    round = make_round(team, dimensions=2)
    data = _data(round)
    del data["d2_level"]
    form = AnswerForm(list(round.dimensions.all()), data, include_checkin=True)
    assert not form.is_valid()
    assert "d2_level" in form.errors
    assert "d1_level" not in form.errors


def test_it_rejects_unknown_level(team: Team) -> None:
    round = make_round(team, dimensions=1)
    form = AnswerForm(
        list(round.dimensions.all()), _data(round, d1_level="4"), include_checkin=True
    )
    assert not form.is_valid()
    assert "d1_level" in form.errors


def test_it_requires_checkin_only_when_included(team: Team) -> None:
    round = make_round(team, dimensions=1)
    dims = list(round.dimensions.all())
    data = {"d1_level": "1"}
    assert not AnswerForm(dims, data, include_checkin=True).is_valid()
    form = AnswerForm(dims, data, include_checkin=False)
    assert form.is_valid(), form.errors
    assert "checkin" not in form.fields
    assert form.answers().checkin == ""


def test_it_rejects_tag_without_text(team: Team) -> None:
    round = make_round(team, dimensions=1)
    form = AnswerForm(
        list(round.dimensions.all()),
        _data(round, start_1_dimension="1"),
        include_checkin=True,
    )
    assert not form.is_valid()
    assert "start_1" in form.errors


def test_it_adds_note_rows_and_keeps_answers(team: Team) -> None:
    round = make_round(team, dimensions=1)
    dims = list(round.dimensions.all())
    initial = _data(round, keep_1="Pairing", note_rows="3")
    form = AnswerForm(dims, initial=initial, include_checkin=True, more_note_rows=True)
    assert form.note_row_count == 6
    assert "keep_6" in form.fields
    assert form["keep_1"].value() == "Pairing"
    assert form["note_rows"].value() == 6
    # The next submission has six rows per kind.
    bound = AnswerForm(
        dims, _data(round, note_rows="6", keep_6="Later"), include_checkin=True
    )
    assert bound.is_valid(), bound.errors
    assert [n.text for n in bound.answers().notes] == ["Later"]


def test_it_caps_note_rows(team: Team) -> None:
    round = make_round(team, dimensions=1)
    form = AnswerForm(
        list(round.dimensions.all()),
        _data(round, note_rows="100000"),
        include_checkin=True,
    )
    assert form.note_row_count == 30


def test_forms_of_one_round_share_nothing_a_page_changes(team: Team) -> None:
    # The fields are built once per wording and cloned (assessments.forms): an
    # error shown on one person's form (crispy writes "is-invalid" into the
    # widget's attributes) never shows on the next person's.
    round = make_round(team, dimensions=2)
    dims = list(round.dimensions.all())
    page = Template("{% load crispy_forms_tags %}{{ form.d1_comment|as_crispy_field }}")
    refused = AnswerForm(
        dims, _data(round, d1_comment="x" * 4001), include_checkin=True
    )
    assert not refused.is_valid()
    assert "is-invalid" in page.render(Context({"form": refused}))
    fresh = AnswerForm(dims, include_checkin=True)
    assert "is-invalid" not in page.render(Context({"form": fresh}))
    assert fresh.fields["d1_comment"] is not refused.fields["d1_comment"]
    assert fresh.fields["d1_comment"].widget is not refused.fields["d1_comment"].widget
    assert "is-invalid" not in str(fresh.fields["d1_comment"].widget.attrs)


def test_the_labels_follow_the_language_and_the_wording(team: Team) -> None:
    round = make_round(team, dimensions=1)
    dims = list(round.dimensions.all())
    english = AnswerForm(dims, include_checkin=True).fields["d1_comment"].label
    with translation.override("de"):
        german = AnswerForm(dims, include_checkin=True).fields["d1_comment"].label
    assert english.startswith("Comment on ")
    assert german != english
    dims[0].short_name, dims[0].builtin_id = "Our own words", None
    own = AnswerForm(dims, include_checkin=True).fields["d1_comment"].label
    assert own == "Comment on Our own words (optional)"

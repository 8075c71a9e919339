from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments.forms import AnswerForm, valid_answers
from assessments.models import Checkin, NoteKind, Round
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


# The answer POST's fast path (``valid_answers``) against the form it stands in
# for: on any input it gives the valid form's answers or None, and None only when
# the form refuses the input or the input is unusual (the form then decides).
_LEVELS = (["1", "2", "3", "dk"], ["", "0", "4", " 1", "1.0", "DK"])
_TAGS = (["", "1", "2", "3"], ["4", "0", "01", " 1", "x", "-1"])
_ROWS = (["", "1", "2", "3", "05"], ["30", "31", "0", "3.0", " 2", "-1", "x", "٣"])
_CHECKINS = (Checkin.values, ["", "Performing", "performing "])
_TEXTS = ([], ["", "  ", " a ", "a\x00b", "x" * 2001, " " + "x" * 2000 + "\n"])
_LONG_TEXTS = ([], [*_TEXTS[1], "x" * 4000, "x" * 4001])
_USUAL_ROWS = {None, "", "1", "2", "3", "05", "30", "31", "0", "-1", "x"}


def _kind_of(name: str) -> tuple[list[str], list[str]]:
    if name == "note_rows":
        return _ROWS
    if name == "checkin":
        return _CHECKINS
    if name.endswith("_level"):
        return _LEVELS
    if name.endswith("_dimension"):
        return _TAGS
    return _LONG_TEXTS if name.endswith(("_comment", "_reason")) else _TEXTS


@st.composite
def _posts(draw: st.DrawFn) -> list[tuple[str, str]]:
    """What a browser (or anyone) might post: a valid answer (names of optional
    fields left out at random), then up to three names changed to odd values or
    left out, and sometimes a name sent twice."""
    names = _NAMES
    parts = ["_level", "_comment", "_1", "_2", "_3", "_4", "_dimension"]
    data: dict[str, str] = {}
    for name in names:
        usual, _odd = _kind_of(name)
        if name.endswith(("_level", "checkin")) or draw(st.booleans()):
            data[name] = draw(st.sampled_from(usual) if usual else st.text(max_size=6))
    for name in names:
        note = name.removesuffix("_dimension")
        if note != name and name in data and not data.get(note, "").strip():
            data[name] = ""  # a tag without a note is one of the odd cases
    for _ in range(draw(st.integers(0, 3))):
        # Each kind of field as likely as another, however many there are.
        kind = draw(st.sampled_from(["note_rows", "checkin", "_reason", *parts]))
        name = draw(st.sampled_from([n for n in names if n.endswith(kind)]))
        if draw(st.integers(0, 3)) == 0:
            data.pop(name, None)
        else:
            data[name] = draw(st.sampled_from(_kind_of(name)[1]))
            if name.endswith("_dimension"):
                data[name.removesuffix("_dimension")] = "A note"
    pairs = list(data.items())
    # A name sent twice: the last value counts, for both.
    if draw(st.integers(0, 9)) == 0:
        name = draw(st.sampled_from(names))
        usual, odd = _kind_of(name)
        pairs.append((name, draw(st.sampled_from(usual + odd))))
    return pairs


_NAMES = [
    "note_rows",
    "checkin",
    "checkin_reason",
    *(f"d{n}_{part}" for n in range(1, 4) for part in ("level", "comment")),
    *(
        f"{kind}_{row}{part}"
        for kind in NoteKind.values
        for row in range(1, 5)
        for part in ("", "_dimension")
    ),
]


def _agree(dims: list[Any], pairs: list[tuple[str, str]], checkin: bool) -> bool:
    """Assert that the fast path gives the form's answers or None, None whenever
    the form refuses, and the answers whenever the input is usual; whether the
    form took it."""
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    form = AnswerForm(dims, data, include_checkin=checkin)
    fast = valid_answers(dims, data, include_checkin=checkin)
    if not form.is_valid():
        assert fast is None, (pairs, form.errors)
        return False
    if data.get("note_rows") in _USUAL_ROWS:
        assert fast == form.answers(), pairs
    else:
        assert fast in (None, form.answers()), pairs
    return True


def test_the_fast_path_agrees_on_every_odd_value(team: Team) -> None:
    dims = list(make_round(team, dimensions=3).dimensions.all())
    valid = {
        "note_rows": "2",
        "checkin": "performing",
        "d1_level": "1",
        "d2_level": "dk",
        "d3_level": "3",
        "d1_comment": "Solid",
        "keep_1": "Pairing",
        "keep_1_dimension": "2",
        "stop_2": "Late merges",
        "stop_2_dimension": "3",
        "start_1": "Demos",
    }
    assert _agree(dims, list(valid.items()), True)
    refused = 0
    for name in _NAMES:
        for value in [None, *_kind_of(name)[1]]:
            data = {**valid, name: value}
            if value is None:
                del data[name]
            elif name.endswith("_dimension"):
                data[name.removesuffix("_dimension")] = "A note"
            for checkin in (True, False):
                refused += not _agree(dims, list(data.items()), checkin)
    assert refused > 150  # the loop did try what the form refuses


@settings(
    max_examples=max(settings().max_examples, 200),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(pairs=_posts(), include_checkin=st.booleans())
def test_the_fast_path_agrees_with_the_form(
    team: Team, pairs: list[tuple[str, str]], include_checkin: bool
) -> None:
    # Read-only: the round is made once for all examples.
    round = Round.objects.filter(team=team).first() or make_round(team, dimensions=3)
    dims = list(round.dimensions.all())
    event("valid" if _agree(dims, pairs, include_checkin) else "refused")


def test_the_fast_path_gives_what_the_form_gives(team: Team) -> None:
    round = make_round(team, dimensions=3)
    dims = list(round.dimensions.all())
    data = _data(
        round,
        d2_level="dk",
        d3_comment=" Solid ",
        keep_1="Pairing",
        keep_1_dimension="2",
        stop_2="Long meetings",
        note_rows="2",
    )
    answers = valid_answers(dims, data, include_checkin=True)
    assert answers is not None
    assert [(r.dimension, r.level, r.comment) for r in answers.ratings] == [
        (dims[0], 2, ""),
        (dims[1], None, ""),
        (dims[2], 2, "Solid"),
    ]
    assert [(n.kind, n.text, n.dimension) for n in answers.notes] == [
        ("keep", "Pairing", dims[1]),
        ("stop", "Long meetings", None),
    ]
    assert (answers.checkin, answers.checkin_reason) == ("performing", "We ship")
    stakeholder = valid_answers(dims, data, include_checkin=False)
    assert stakeholder is not None
    assert (stakeholder.checkin, stakeholder.checkin_reason) == ("", "")

"""The note grouping: pure, deterministic, multilingual (no database)."""

from __future__ import annotations

import random

from reports.grouping import (
    NoteText,
    cluster_texts,
    group_notes,
    label_terms,
    strip_kind_words,
)

# A fixed mixture of English, German, French and Spanish notes of one dimension.
MIXED = [
    "Stop having so many meetings",
    "Fewer meetings please",
    "Weniger Meetings",
    "Arrêter les réunions inutiles",
    "Dejar de tener tantas reuniones",
    "Keep pair programming",
    "Weiter Pair Programming machen",
    "Continuer le pair programming",
    "Seguir con pair programming",
    "More automated tests",
    "Mehr automatisierte Tests",
    "Commencer à écrire des tests automatisés",
    "Empezar a escribir tests automatizados",
    "Keep the daily standup short",
    "Daily standup under 15 minutes",
    "Start code reviews within a day",
    "Code reviews take too long",
    "Schnellere Code Reviews",
]


def _texts(groups: list, notes: list[NoteText]) -> list[set[str]]:
    by_key = {n.key: n.text for n in notes}
    return [{by_key[k] for k in g.keys} for g in groups]


def _notes(texts: list[str], dimension: object = 1) -> list[NoteText]:
    return [NoteText(f"n{i:03}", dimension, t) for i, t in enumerate(texts)]


def test_it_groups_a_multilingual_mixture_by_topic() -> None:
    notes = _notes(MIXED)
    assert _texts(group_notes(notes), notes) == [
        {
            "Keep pair programming",
            "Weiter Pair Programming machen",
            "Continuer le pair programming",
            "Seguir con pair programming",
        },
        {
            "More automated tests",
            "Mehr automatisierte Tests",
            "Commencer à écrire des tests automatisés",
            "Empezar a escribir tests automatizados",
        },
        {"Stop having so many meetings", "Fewer meetings please", "Weniger Meetings"},
        {
            "Start code reviews within a day",
            "Code reviews take too long",
            "Schnellere Code Reviews",
        },
        {"Arrêter les réunions inutiles", "Dejar de tener tantas reuniones"},
        {"Keep the daily standup short", "Daily standup under 15 minutes"},
    ]


def test_it_labels_groups_by_their_distinctive_terms() -> None:
    labels = [g.label for g in group_notes(_notes(MIXED))]
    assert labels[0].split(" · ")[:2] == ["programming", "pair"]
    assert "meetings" in labels[2]
    assert "reviews" in labels[3]
    assert all("keep" not in label and "stop" not in label for label in labels)


def test_the_same_input_in_any_order_gives_the_same_groups() -> None:
    notes = _notes(MIXED)
    shuffled = notes[:]
    random.Random(7).shuffle(shuffled)
    assert group_notes(shuffled) == group_notes(notes)


def test_it_never_groups_across_dimensions() -> None:
    notes = _notes(["Fewer meetings", "Fewer meetings please"], dimension=1)
    notes += [NoteText("x", 2, "Fewer meetings")]
    notes += [NoteText("y", None, "Fewer meetings")]
    groups = group_notes(notes)
    assert [(g.dimension, len(g.keys)) for g in groups] == [(1, 2), (2, 1), (None, 1)]


def test_kind_verbs_do_not_make_a_group() -> None:
    notes = _notes(["Keep flaky builds visible", "Keep the roadmap public"])
    assert len(group_notes(notes)) == 2


def test_strip_kind_words_in_four_languages() -> None:
    assert strip_kind_words("Keep pairing") == "pairing"
    assert strip_kind_words("Aufhören mit Überstunden") == "überstunden"
    assert strip_kind_words("Arrêter les réunions") == "les réunions"
    assert strip_kind_words("Dejar de tener reuniones") == "de tener reuniones"
    assert strip_kind_words("Keep") == "keep"  # nothing else: kept as it is


def test_single_notes_and_empty_input() -> None:
    assert group_notes([]) == []
    assert cluster_texts(["x"]) == [0]
    assert cluster_texts(["a", "b"]) == [0, 1]  # no n-grams at all: each alone
    [only] = group_notes(_notes(["Retro actions get lost"]))
    assert only.keys == ("n000",)
    assert only.label


def test_label_terms_prefer_words_many_members_share() -> None:
    members = ["flaky tests again", "flaky tests on main", "tests are flaky"]
    assert label_terms(members, ["slow builds"], size=2) == ["flaky", "tests"]

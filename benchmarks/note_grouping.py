"""How long grouping a round's notes takes (reports.grouping), against a bare
TF-IDF of the same notes measured in the same run.

    .venv/bin/python benchmarks/note_grouping.py --notes 1000 --runs 7

Notes are made from a fixed vocabulary in four languages, spread over twelve
dimensions (the usual case) and all in one dimension (the worst case). Prints the
median of ``--runs`` runs. Needs no database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _common import machine

from reports.grouping import NoteText, _vectorizer, group_notes

_WORDS = (
    "meetings tests reviews deploys pairing standup backlog refinement onboarding "
    "incidents alerts pipeline flaky release planning estimates focus interruptions "
    "Besprechungen Tests Reviews Planung Fokus Unterbrechungen réunions tests revues "
    "planification reuniones pruebas revisiones planificación"
)
WORDS = _WORDS.split()
VERBS = [
    "keep",
    "stop",
    "start",
    "weiter",
    "aufhören",
    "continuer",
    "arrêter",
    "seguir",
]


def notes(count: int, dimensions: int, seed: int = 1) -> list[NoteText]:
    rnd = random.Random(seed)
    return [
        NoteText(
            f"{i:06}",
            rnd.randrange(dimensions),
            f"{rnd.choice(VERBS)} {' '.join(rnd.sample(WORDS, rnd.randint(2, 6)))}",
        )
        for i in range(count)
    ]


def median_seconds(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    for dimensions in (12, 1):
        batch = notes(args.notes, dimensions)
        texts = [n.text for n in batch]
        bare = median_seconds(
            lambda texts=texts: _vectorizer().fit_transform(texts), args.runs
        )
        grouped = median_seconds(lambda batch=batch: group_notes(batch), args.runs)
        groups = len(group_notes(batch))
        print(
            f"{args.notes} notes in {dimensions} dimension(s): grouping "
            f"{grouped * 1000:.0f} ms median ({groups} groups); bare TF-IDF "
            f"{bare * 1000:.0f} ms; ratio {grouped / bare:.1f}x"
        )


if __name__ == "__main__":
    main()

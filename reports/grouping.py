"""Grouping a round's notes by similarity, on the server alone.

Input: plain ``NoteText`` rows (a key, a dimension key, the text). Output: groups per
dimension, each labelled by its most distinctive terms. No ORM, no request, no
network, nothing downloaded: scikit-learn's TF-IDF over character n-grams, cosine
distance and agglomerative clustering with a distance threshold.

Character n-grams work for English, German, French and Spanish alike (and for
mixtures): "Kommunikation" and "communication" share most of their n-grams, and
inflections ("review", "reviews", "reviewing") need no stemmer. The keep / stop /
start verbs are stripped first, or notes would cluster by their verb.

Deterministic: notes are sorted before they are vectorised, and clustering and
labels break every tie by text, so the same input always gives the same groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

# Two notes whose average cosine distance is below this end in one group. Chosen on
# the fixtures in tests/reports/test_grouping.py: lower splits paraphrases, higher
# merges unrelated notes that share common n-grams.
DISTANCE_THRESHOLD = 0.82
LABEL_TERMS = 3

# Verbs (and their little companions) that say which kind a note is, not what it is
# about: keep / stop / start and their usual forms in the four shipped languages.
_KIND_WORDS = """
    keep keeping kept continue continuing stop stopping start starting begin
    more less do doing let's lets we should please
    behalten beibehalten weiter weitermachen weiterhin aufhören aufhoeren hören
    stoppen anfangen beginnen starten mehr weniger wir sollten bitte mit damit
    garder continuer continuons arrêter arreter arrêtons cesser commencer commençons
    démarrer demarrer plus moins nous on devrait faut
    mantener seguir sigamos continuar dejar parar empezar empecemos comenzar
    más mas menos hacer debemos deberíamos
"""
KIND_WORDS = frozenset(_KIND_WORDS.split())

# Words too common to label a group, in the same four languages.
_STOP_WORDS = """
    a an and are as at be but by for from has have in into is it its of on or our so
    than that the their them there these they this those to too us was we were what
    when which while who will with without you your not no all any can each just
    very also some such only out up about after before over under again than then
    having have take takes taking get make making many much lot lots way thing things
    machen haben nehmen viele viel immer
    faire avoir prendre beaucoup tant tous toutes
    tener tantas tantos tanto mucho muchos muchas hay
    der die das den dem des ein eine einen einem einer und oder aber ist sind war
    wird werden zu zum zur im in am an auf aus bei für fuer von vor nach über ueber
    unter mit ohne nicht kein keine uns unser unsere es sie er ich du ihr man auch
    noch nur sehr so wie was wenn dass daß als um bis durch gegen
    le la les un une des du de d l et ou mais est sont était à a au aux en dans sur
    pour par avec sans ne pas plus nous notre nos vous il elle ils elles ce cette
    ces se sa son ses qui que quoi dont où très trop aussi encore
    el la los las un una unos unas y o pero es son era en de del al a con sin por
    para no nos nuestro nuestra nuestros su sus se que qué quien muy también aún
    lo le les este esta estos estas ese esa
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile("[^\\W\\d_]+(?:['\u2019-][^\\W\\d_]+)*")


@dataclass(frozen=True)
class NoteText:
    key: str  # any stable identifier of the note (its random id)
    dimension: Hashable  # notes are only ever grouped with notes of one dimension
    text: str


@dataclass(frozen=True)
class NoteGroup:
    dimension: Hashable
    label: str  # the group's most distinctive terms, joined with " · "
    keys: tuple[str, ...]  # the notes in the group, in a stable order


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")


def words(text: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(_fold(text))]


def strip_kind_words(text: str) -> str:
    """The note without its keep / stop / start verbs (and similar), so that what is
    left is what it is about. A note of nothing but such words is kept as it is."""
    kept = [w for w in words(text) if w not in KIND_WORDS]
    return " ".join(kept) if kept else " ".join(words(text)) or _fold(text).strip()


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        sublinear_tf=True,
        strip_accents="unicode",
        lowercase=True,
        dtype=np.float64,
    )


def cluster_texts(
    texts: Sequence[str], threshold: float = DISTANCE_THRESHOLD
) -> list[int]:
    """A cluster number per text (0 = the cluster of the first text, and so on, in
    order of first appearance). Texts should already be stripped and sorted."""
    if len(texts) < 2:
        return [0] * len(texts)
    matrix = _vectorizer().fit_transform(texts)
    if matrix.nnz == 0:
        return [0] * len(texts)
    dense = matrix.toarray()
    # A text with no n-gram at all (one or two letters) would have no direction:
    # give it a direction of its own so that it stays alone.
    empty = ~dense.any(axis=1)
    if empty.any():
        pad = np.zeros((len(texts), int(empty.sum())))
        pad[np.flatnonzero(empty), np.arange(int(empty.sum()))] = 1.0
        dense = np.hstack([dense, pad])
    raw = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=threshold,
    ).fit_predict(dense)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(c), len(renumber)) for c in raw]


def label_terms(
    members: Sequence[str], others: Sequence[str], size: int = LABEL_TERMS
) -> list[str]:
    """The words that best tell a group's texts from the rest: used by many of its
    texts, by few others. Ties go to the longer word, then alphabetically."""
    inside: dict[str, int] = {}
    for text in members:
        for word in set(words(text)):
            if len(word) > 2 and word not in STOP_WORDS and word not in KIND_WORDS:
                inside[word] = inside.get(word, 0) + 1
    outside: dict[str, int] = {}
    for text in others:
        for word in set(words(text)):
            outside[word] = outside.get(word, 0) + 1
    total = len(members) + len(others)

    def score(word: str) -> tuple[float, int, str]:
        share = inside[word] / len(members)
        rarity = np.log((1 + total) / (1 + inside[word] + outside.get(word, 0))) + 1
        return (-share * rarity, -len(word), word)

    return sorted(inside, key=score)[:size]


def group_notes(
    notes: Iterable[NoteText], threshold: float = DISTANCE_THRESHOLD
) -> list[NoteGroup]:
    """The notes of each dimension in groups of similar notes. Dimensions come in
    the order they first appear; within one, larger groups first, then by label."""
    ordered = sorted(
        notes, key=lambda n: (_dimension_order(n.dimension), n.text, n.key)
    )
    result: list[NoteGroup] = []
    for dimension, batch in groupby(ordered, key=lambda n: n.dimension):
        items = sorted(batch, key=lambda n: (strip_kind_words(n.text), n.key))
        stripped = [strip_kind_words(n.text) for n in items]
        clusters = cluster_texts(stripped, threshold)
        groups: list[NoteGroup] = []
        for number in sorted(set(clusters)):
            inside = [i for i, c in enumerate(clusters) if c == number]
            members = [stripped[i] for i in inside]
            others = [t for i, t in enumerate(stripped) if clusters[i] != number]
            label = " · ".join(label_terms(members, others)) or members[0][:60]
            keys = tuple(items[i].key for i in inside)
            groups.append(NoteGroup(dimension, label, keys))
        groups.sort(key=lambda g: (-len(g.keys), g.label, g.keys))
        result.extend(groups)
    return result


def _dimension_order(dimension: Hashable) -> tuple[int, str]:
    """Sort key for dimension keys of any type; None (untagged) last."""
    return (1, "") if dimension is None else (0, f"{dimension!s:>20}")

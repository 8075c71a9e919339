"""A team's archive: everything the team owns, as one JSON document that another
server's ``moving.services.team_import`` turns back into the same team.

What goes in (``docs/operations.md``, "Moving a team to another server"): the team
and its settings, members by email address and role, its dimensions with their
wording and level texts, stakeholder groups, schedule, every round with its
dimensions as worded then, its released answers, themes, input metrics, retro and
agreed actions, and the activity and access logs.

Released answers travel as **counts and unlinked texts, never one record per
answer**: how many answers of each perspective, relationship group, check-in and
batch; how many gave each level to each dimension; the notes, comments and
check-in reasons each on its own. Only what the team's report can show travels: a
perspective whose answers are below the round's minimum stays behind, and a
relationship group the report never shows on its own travels without its name
(in its perspective's total, where the report counts it); a level or check-in
travels with its group only where the report shows that group's tally, else as
``HIDDEN`` (counted, its value pooled with the others the report shows only as
the perspective's minus the groups shown, or not at all). After a reopen, a
batch the report leaves out of a dimension or a check-in tally (``reports.frozen``)
leaves it out of the file too: its levels stay behind, its check-ins travel as
none. Nothing sealed, no
channel or invitation per answer, no link from a person to an answer, no token.

A round that is open cannot be exported (``RoundStillOpen``): its answers are still
sealed, and held sealed answers never leave the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import disclosure
from assessments.models import Perspective, Round, TeamDimension
from assessments.selectors import Turnout
from moving import selectors
from reports.assembly import RoundReport, build_team_reports
from reports.history import action_data, metric_data
from reports.selectors import turnouts
from retro.models import RetroSession

FORMAT = "team-mirror-team"
# A level or check-in given in a group whose levels or check-ins the report does
# not show: it counts (rated, given), its value does not travel with the group.
HIDDEN = "hidden"
VERSION = 1
TEAM_FIELDS = ("name", "description", "action_limit", "language")
SCHEDULE_FIELDS = (
    "recurring",
    "cadence",
    "every_weeks",
    "weekday",
    "open_days",
    "next_opens_on",
    "remind_after_days",
    "remind_before_closing",
)
ROUND_FIELDS = (
    "title",
    "state",
    "closes_at",
    "min_responses",
    "created",
    "opened_at",
    "opens_at",
    "closed_at",
    "retro_summary",
    "releases",
    "releases_at_open",
)
RETRO_FIELDS = (
    "step",
    "order",
    "discuss_index",
    "voting",
    "votes_each",
    "voters",
    "roti",
    "roti_voters",
    "started_at",
    "finished_at",
)


class RoundStillOpen(Exception):
    """A round of the team takes answers: close it before moving the team."""

    def __init__(self, round: Round) -> None:
        super().__init__(
            _(
                "The round %(round)s is open: close it before moving the team. "
                "Answers of an open round are sealed, and sealed answers never "
                "leave the server."
            )
            % {"round": round.title}
        )


def plain(value: Any) -> Any:
    """A field's value as JSON: times and days as ISO 8601, codes as text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in names}


def _texts(dimension: Any) -> dict[str, Any]:
    return {
        **dimension.texts(),
        "position": dimension.position,
        "builtin": dimension.builtin.slug if dimension.builtin else None,
    }


def _carried(report: RoundReport | None) -> tuple[set[str], set[tuple[str, str]]]:
    """The perspectives whose answers travel (those the report shows) and the
    relationship groups that keep their name (those shown on their own)."""
    if report is None or not report.has_results:
        return set(), set()
    perspectives = {p for p in Perspective.values if report.visible(p)}
    named = {
        (s.perspective, s.relationship)
        for s in report.visible_groups
        if s.relationship and s.perspective in perspectives
    }
    return perspectives, named


def _shown_levels(
    report: RoundReport | None, codes: dict[int, str]
) -> set[tuple[str, str, str]]:
    """(dimension code, perspective, relationship) of the groups whose levels the
    report shows (``disclosure`` decided it there: the minimum of levels given,
    and the difference from the groups left out)."""
    if report is None:
        return set()
    return {
        (codes[d.dimension_id], g.perspective, g.relationship)
        for d in report.dimensions
        for g in d.groups
        if g.shown and d.dimension_id in codes
    }


def _shown_checkins(report: RoundReport | None) -> set[tuple[str, str]]:
    """(perspective, relationship) of the groups whose check-ins the report shows."""
    if report is None:
        return set()
    return {(row.perspective, row.relationship) for row in report.checkins}


def _merged(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows whose last item is a count, with equal keys summed, in key order."""
    totals: dict[tuple[Any, ...], int] = {}
    for *key, n in rows:
        totals[tuple(key)] = totals.get(tuple(key), 0) + n
    return [(*key, n) for key, n in sorted(totals.items(), key=lambda kv: repr(kv[0]))]


def _batches_taken(
    rows: Iterable[tuple[Any, ...]], minimums: dict[int, int]
) -> dict[tuple[Any, ...], int]:
    """For each aggregate (rows of (round id, ..., release batch, answers it
    adds)), the last batch the report takes in (``disclosure.batches_taken``,
    as ``reports.frozen`` applies it)."""
    per_batch: dict[tuple[Any, ...], dict[int, int]] = {}
    for *key, release, n in rows:
        batches = per_batch.setdefault(tuple(key), {})
        batches[release] = batches.get(release, 0) + n
    return {
        key: disclosure.batches_taken(batches, minimums[key[0]])
        for key, batches in per_batch.items()
    }


def team_archive(team: Any) -> dict[str, Any]:
    """The team as plain data (see the module's docstring). Raises
    ``RoundStillOpen`` if a round takes answers."""
    rounds = selectors.rounds(team)
    for r in rounds:
        if r.is_open():
            raise RoundStillOpen(r)
    ids = [r.pk for r in rounds]
    reports = {
        report.round.pk: report
        for report in build_team_reports(rounds, show_notes=True, texts=False)
    }
    carried = {pk: _carried(reports.get(pk)) for pk in ids}
    # A reason tells its author's check-in: only where the check-ins are shown.
    with_checkins = {
        pk: {row.perspective for row in report.checkins if not row.relationship}
        for pk, report in reports.items()
    }
    dimension_codes = {d.pk: str(d.code) for d in selectors.round_dimensions(ids)}
    levels_shown = {pk: _shown_levels(reports.get(pk), dimension_codes) for pk in ids}
    checkins_shown = {pk: _shown_checkins(reports.get(pk)) for pk in ids}
    counted = turnouts([(r.round, r.previous) for r in reports.values()])
    by_round: dict[int, dict[str, Any]] = {
        r.pk: {
            "code": str(r.code),
            **_fields(r, ROUND_FIELDS),
            "dimensions": [],
            "responses": [],
            "ratings": [],
            "pooled_levels": [],
            "pooled_checkins": [],
            "channels": [],
            "notes": [],
            "comments": [],
            "checkin_reasons": [],
            "themes": [],
            "metrics": [],
            "retro": None,
            "turnout": _turnout(reports.get(r.pk), counted.get(r.pk)),
        }
        for r in rounds
    }
    for d in selectors.round_dimensions(ids):
        by_round[d.round_id]["dimensions"].append(
            {
                "code": str(d.code),
                "team_dimension": str(d.team_dimension.code)
                if d.team_dimension
                else None,
                **_texts(d),
            }
        )

    def relationship(round_id: int, perspective: str, name: str) -> str:
        return name if (perspective, name) in carried[round_id][1] else ""

    minimums = {r.pk: r.min_responses for r in rounds}
    counted_responses = [
        row for row in selectors.response_counts(ids) if row[1] in carried[row[0]][0]
    ]
    # Release once, then freeze (``reports.frozen``): a check-in of a batch the
    # report leaves out travels as no check-in, as the report counts it.
    checkin_batches = _batches_taken(
        (
            (pk, p, release, n)
            for pk, p, _rel, checkin, release, n in counted_responses
            if checkin
        ),
        minimums,
    )
    response_rows = [
        (
            pk,
            p,
            relationship(pk, p, rel),
            checkin if release <= checkin_batches.get((pk, p), release) else "",
            release,
            n,
        )
        for pk, p, rel, checkin, release, n in counted_responses
    ]
    checkins_pooled = {
        (pk, p)
        for pk, p, rel, checkin, _release, _n in response_rows
        if rel and checkin and (p, rel) not in checkins_shown[pk]
    }

    def checkin_of(pk: int, p: str, rel: str, checkin: str) -> str:
        """A check-in travels with its group only where the report shows that
        group's check-ins. Where a perspective's are shown but not those of one
        of its groups, the check-ins outside the groups shown travel as
        ``HIDDEN`` (given, its value in the perspective's pool: the report
        shows that pool as the perspective's minus the groups shown); where the
        perspective's are not shown, as ``HIDDEN`` with no pool."""
        if not checkin:
            return checkin
        if (p, "") not in checkins_shown[pk]:
            return HIDDEN
        if (rel and (p, rel) not in checkins_shown[pk]) or (
            not rel and (pk, p) in checkins_pooled
        ):
            return HIDDEN
        return checkin

    responses = _merged(
        (pk, p, rel, checkin_of(pk, p, rel, checkin), release, n)
        for pk, p, rel, checkin, release, n in response_rows
    )
    for pk, p, release, checkin, n in _merged(
        (pk, p, release, checkin, n)
        for pk, p, rel, checkin, release, n in response_rows
        if checkin_of(pk, p, rel, checkin) == HIDDEN and (p, "") in checkins_shown[pk]
    ):
        by_round[pk]["pooled_checkins"].append(
            {"perspective": p, "release": release, "checkin": checkin, "count": n}
        )
    for pk, p, rel, checkin, release, n in responses:
        by_round[pk]["responses"].append(
            {
                "perspective": p,
                "relationship": rel,
                "checkin": checkin,
                "release": release,
                "count": n,
            }
        )
    counted_ratings = [
        (pk, str(code), p, rel, release, level, n)
        for pk, code, p, rel, release, level, n in selectors.rating_counts(ids)
        if p in carried[pk][0]
    ]
    # A dimension's levels of a batch the report leaves out stay behind (its
    # "don't know" too), as the report leaves them out.
    level_batches = _batches_taken(
        (
            (pk, code, p, release, n if level is not None else 0)
            for pk, code, p, _rel, release, level, n in counted_ratings
        ),
        minimums,
    )
    rating_rows = [
        (pk, code, p, relationship(pk, p, rel), release, level, n)
        for pk, code, p, rel, release, level, n in counted_ratings
        if release <= level_batches[(pk, code, p)]
    ]
    levels_pooled = {
        (pk, code, p)
        for pk, code, p, rel, _release, level, _n in rating_rows
        if rel and level is not None and (code, p, rel) not in levels_shown[pk]
    }

    def level_of(pk: int, code: str, p: str, rel: str, level: Any) -> Any:
        """A level travels with its group only where the report shows that
        group's levels; else as ``HIDDEN`` (a level was given, not which), the
        same way as check-ins (``checkin_of``)."""
        if level is None:
            return level
        if (code, p, "") not in levels_shown[pk]:
            return HIDDEN
        if (rel and (code, p, rel) not in levels_shown[pk]) or (
            not rel and (pk, code, p) in levels_pooled
        ):
            return HIDDEN
        return level

    ratings = _merged(
        (pk, code, p, rel, release, level_of(pk, code, p, rel, level), n)
        for pk, code, p, rel, release, level, n in rating_rows
    )
    # Inside a perspective whose levels are shown, the levels of the groups not
    # shown travel together, without their group: the report shows them too, as
    # the perspective's minus the groups it shows.
    for pk, code, p, release, level, n in _merged(
        (pk, code, p, release, level, n)
        for pk, code, p, rel, release, level, n in rating_rows
        if level_of(pk, code, p, rel, level) == HIDDEN
        and (code, p, "") in levels_shown[pk]
    ):
        by_round[pk]["pooled_levels"].append(
            {
                "dimension": code,
                "perspective": p,
                "release": release,
                "level": level,
                "count": n,
            }
        )
    for pk, code, p, rel, release, level, n in ratings:
        by_round[pk]["ratings"].append(
            {
                "dimension": str(code),
                "perspective": p,
                "relationship": rel,
                "release": release,
                "level": level,
                "count": n,
            }
        )
    channel_rows = [
        row for row in selectors.channel_counts(ids) if row[1] in carried[row[0]][0]
    ]
    channel_totals = _merged((pk, p, n) for pk, p, _channel, n in channel_rows)
    # Rule 6 as the round page applies it: the split only once the perspective's
    # source counts reach the minimum.
    sources_shown = {
        (pk, p)
        for pk, p, n in channel_totals
        if disclosure.sources_shown(n, by_round[pk]["min_responses"])
    }
    for pk, p, channel, n in channel_rows:
        if (pk, p) in sources_shown:
            by_round[pk]["channels"].append(
                {"perspective": p, "channel": channel, "count": n}
            )
    for pk, p, kind, text, dimension, theme in selectors.notes(ids):
        if p in carried[pk][0]:
            by_round[pk]["notes"].append(
                {
                    "perspective": p,
                    "kind": kind,
                    "text": text,
                    "dimension": plain(dimension),
                    "theme": plain(theme),
                }
            )
    for pk, p, dimension, text in selectors.comments(ids):
        if p in carried[pk][0]:
            by_round[pk]["comments"].append(
                {"perspective": p, "dimension": str(dimension), "text": text}
            )
    for pk, p, text in selectors.checkin_reasons(ids):
        if p in carried[pk][0] and p in with_checkins.get(pk, set()):
            by_round[pk]["checkin_reasons"].append({"perspective": p, "text": text})
    for theme in selectors.themes(ids):
        by_round[theme.round_id]["themes"].append(
            {
                "code": str(theme.code),
                "label": theme.label,
                "dimension": str(theme.dimension.code) if theme.dimension else None,
            }
        )
    for m in selectors.metrics(ids):
        by_round[m.round_id]["metrics"].append(
            {"code": str(m.code), **metric_data(m), "value": str(m.value)}
        )
    _add_retros(by_round, ids)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "team": {
            "code": str(team.code),
            "created": plain(team.created),
            **_fields(team, TEAM_FIELDS),
        },
        "members": [
            {"email": m.user.email, "role": m.role, "joined": plain(m.joined)}
            for m in selectors.members(team)
            if m.user.email
        ],
        "dimensions": [_team_dimension(d) for d in selectors.dimensions(team)],
        "stakeholder_groups": [
            {"name": g.name, "position": g.position}
            for g in selectors.stakeholder_groups(team)
        ],
        "schedule": _schedule(team),
        "rounds": [by_round[pk] for pk in ids],
        "actions": [_action(a) for a in selectors.actions(team)],
        "activity": [
            {
                "actor_name": e.actor_name,
                "action": e.action,
                "detail": e.detail,
                "at": plain(e.at),
            }
            for e in selectors.activity(team)
        ],
        "access_log": [
            {
                "action": e.action,
                "coach_name": e.coach_name,
                "actor_name": e.actor_name,
                "include_notes": e.include_notes,
                "at": plain(e.at),
            }
            for e in selectors.access_log(team)
        ],
    }


def _turnout(report: RoundReport | None, counted: Turnout | None) -> Any:
    """ "n of m members answered", and how many answered only this round and only
    the one it is compared with: counts, never who (the roster and who answered
    stay on this server)."""
    if report is None or counted is None:
        return None
    return {
        "answered": counted.answered,
        "eligible": counted.eligible,
        "compared_with": str(report.previous.code) if report.previous else None,
        "only_this": counted.only_this,
        "only_other": counted.only_other,
    }


def _team_dimension(d: TeamDimension) -> dict[str, Any]:
    return {"code": str(d.code), **_texts(d), "archived": d.archived}


def _schedule(team: Any) -> dict[str, Any] | None:
    schedule = selectors.schedule(team)
    return None if schedule is None else _fields(schedule, SCHEDULE_FIELDS)


def _action(a: Any) -> dict[str, Any]:
    data = action_data(a)
    return {
        "code": data["code"],
        "round": str(a.round.code),
        "text": data["text"],
        "dimension": str(a.dimension.code) if a.dimension else None,
        "team_dimension": str(a.team_dimension.code) if a.team_dimension else None,
        "owner": a.owner.user.email if a.owner and a.owner.user.email else None,
        "due_on": data["due_on"],
        "state": data["state"],
        "helped": a.helped,
        "reviewed_in": str(a.reviewed_in.code) if a.reviewed_in else None,
        "created": data["agreed_at"],
        "finished_at": data["finished_at"],
    }


def _add_retros(by_round: dict[int, dict[str, Any]], ids: list[int]) -> None:
    """Each round's retro with its vote counts and its "worth our time?" counts
    once each vote closed, and only if at least the round's minimum voted (as the
    retro page shows them); the ballots of a vote still open stay behind."""
    counts: dict[int, list[dict[str, Any]]] = {}
    for pk, dimension, count in selectors.vote_counts(ids):
        counts.setdefault(pk, []).append({"dimension": str(dimension), "count": count})
    roti: dict[int, list[dict[str, Any]]] = {}
    for pk, score, count in selectors.roti_counts(ids):
        roti.setdefault(pk, []).append({"score": score, "count": count})
    for session in selectors.retros(ids):
        data = _fields(session, RETRO_FIELDS)
        minimum = by_round[session.round_id]["min_responses"]
        closed = session.voting == RetroSession.Voting.CLOSED
        shown = closed and session.voters >= minimum
        data["votes"] = counts.get(session.round_id, []) if shown else []
        if not closed:
            data["voting"] = RetroSession.Voting.NOT_STARTED
            data["voters"] = 0
        roti_closed = session.roti == RetroSession.Voting.CLOSED
        roti_shown = roti_closed and session.roti_voters >= minimum
        data["roti_counts"] = roti.get(session.round_id, []) if roti_shown else []
        if not roti_closed:
            data["roti"] = RetroSession.Voting.NOT_STARTED
            data["roti_voters"] = 0
        by_round[session.round_id]["retro"] = data

"""A team's whole history as plain data (for the JSON export): every round with its
dimensions, figures, notes, comments, check-in reasons, actions and input metrics.

Built from one ``RoundReport`` per round, so it holds exactly what the report pages
show: a round whose results are not out (open, or below the minimum) has no figure
and no text; a hidden group has no entry; a hidden figure is ``null``; never one
entry per person. Texts are in the report's random order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from reports.assembly import GroupFigures, RoundReport
from reports.exports import CHECKIN_MEASURES, LEVEL_MEASURES
from reports.figures import STAKEHOLDER, TEAM

FORMAT = "team-mirror-history/1"


def _when(value: object) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else None


def _group(g: GroupFigures) -> dict[str, Any]:
    levels = dict(zip(LEVEL_MEASURES, g.levels, strict=True)) if g.levels else None
    return {
        "group": g.label,
        "perspective": g.perspective,
        "relationship": g.relationship,
        "answers": g.answers,
        "dont_know": g.dont_know,
        "rated": g.rated,
        "levels": levels,
        "mean": g.mean,
        "median": g.median,
        "spread": g.spread,
        "agreement": g.agreement,
    }


# Why a comparison with the previous round is withheld: stable codes, with the
# report's reason in words beside them.
MEMBERS_ANSWERED_ONE_ROUND = "members_answered_one_round"
STAKEHOLDER_COUNTS_DIFFER = "stakeholder_counts_differ"


def comparison(report: RoundReport) -> dict[str, Any]:
    """The previous round as the report compares with it: its code only when the
    report sets this round against it, else null with the reason; the same for
    the stakeholders' part (``disclosure.rounds_comparable``,
    ``disclosure.stakeholder_rounds_comparable``)."""
    previous = report.previous if report.has_results else None
    withheld = stakeholders = None
    if previous is not None and report.not_compared:
        people = report.not_compared
        withheld = {
            "code": MEMBERS_ANSWERED_ONE_ROUND,
            "reason": ngettext(
                "Not compared with the previous round: %(people)d member answered "
                "only one of the two rounds. With fewer than the round's minimum "
                "doing so, the change would be about them.",
                "Not compared with the previous round: %(people)d members answered "
                "only one of the two rounds. With fewer than the round's minimum "
                "doing so, the change would be about them.",
                people,
            )
            % {"people": people},
        }
        previous = None
    elif previous is not None and report.stakeholders_then is not None:
        now = report.stakeholder_responses
        stakeholders = {
            "code": STAKEHOLDER_COUNTS_DIFFER,
            "reason": ngettext(
                "The stakeholders are not compared with the previous round: "
                "%(now)d answered this round and %(then)d that one. With a "
                "difference of fewer than the round's minimum, the change could be "
                "about those few.",
                "The stakeholders are not compared with the previous round: "
                "%(now)d answered this round and %(then)d that one. With a "
                "difference of fewer than the round's minimum, the change could be "
                "about those few.",
                now,
            )
            % {"now": now, "then": report.stakeholders_then},
        }
    return {
        "previous_round": str(previous.code) if previous is not None else None,
        "comparison_withheld": withheld,
        "stakeholder_comparison_withheld": stakeholders,
    }


def action_data(a: Any) -> dict[str, Any]:
    """An agreed action: a team decision, not an answer."""
    return {
        "code": str(a.code),
        "text": a.text,
        "dimension": a.dimension_label or None,
        "owner": a.owner.user.get_username() if a.owner else None,
        "due_on": _when(a.due_on),
        "state": a.state,
        "helped": a.helped or None,
        "agreed_at": _when(a.created),
        "finished_at": _when(a.finished_at),
    }


def metric_data(m: Any) -> dict[str, Any]:
    """An input metric beside the round: context, never a score."""
    return {
        "kind": m.kind,
        "name": m.name,
        "value": float(m.value),
        "unit": m.unit,
        "note": m.note,
    }


def round_data(
    report: RoundReport, *, actions: Sequence[Any] = (), metrics: Sequence[Any] = ()
) -> dict[str, Any]:
    """One round, as the report shows it, with the actions agreed in its retro and
    its input metrics."""
    round = report.round
    data: dict[str, Any] = {
        "code": str(round.code),
        "title": round.title,
        "state": round.state,
        "opened_at": _when(round.opened_at),
        "closed_at": _when(round.closed_at),
        "min_responses": round.min_responses,
        "results_shown": report.has_results,
        **comparison(report),
        "groups": [
            {
                "group": s.label,
                "perspective": s.perspective,
                "relationship": s.relationship,
                "responses": s.responses,
            }
            for s in report.visible_groups
        ],
        "dimensions": [],
        "checkins": [],
        "notes": [],
        "comments": [],
        "checkin_reasons": [],
        "actions": [action_data(a) for a in actions],
        "metrics": [metric_data(m) for m in metrics],
    }
    if not report.has_results:
        data["groups"] = []
        return data
    data["dimensions"] = [
        {
            "key": d.key,
            "name": d.name,
            "label": d.label,
            "prompt": d.prompt,
            "groups": [_group(g) for g in d.groups],
            "team_minus_stakeholders": d.gap,
            "gap_kind": d.gap_kind or None,
            "changes": [
                {
                    "group": c.perspective_label,
                    "previous_mean": c.previous_mean,
                    "mean": c.mean,
                    "change": c.change,
                }
                for c in d.changes
            ],
        }
        for d in report.dimensions
    ]
    data["checkins"] = [
        {
            "group": row.label,
            "perspective": row.perspective,
            "relationship": row.relationship,
            "responses": row.responses,
            "counts": {
                key: count
                for key, (_label, count, _pct) in zip(
                    CHECKIN_MEASURES, row.counts, strict=True
                )
            },
        }
        for row in report.checkins
    ]
    if report.show_notes:
        data["notes"] = [
            {
                "kind": n.kind,
                "dimension": n.dimension_label or None,
                "perspective": n.perspective_label,
                "text": n.text,
                "count": n.count,
            }
            for n in report.notes
        ]
        data["comments"] = [
            {"dimension": d.label, "perspective": who, "text": text}
            for d in report.dimensions
            for who, text in d.comments
        ]
        data["checkin_reasons"] = [
            {"perspective": who, "text": text} for who, text in report.checkin_reasons
        ]
    return data


def history(
    team: Any,
    reports: Sequence[RoundReport],
    *,
    actions: Sequence[Any] = (),
    metrics: Sequence[Any] = (),
) -> dict[str, Any]:
    """The team and its rounds, oldest first; ``actions`` and ``metrics`` of any
    of the rounds, each put with its round."""
    by_round: dict[int, list[Any]] = {}
    for a in actions:
        by_round.setdefault(a.round_id, []).append(a)
    metrics_by_round: dict[int, list[Any]] = {}
    for m in metrics:
        metrics_by_round.setdefault(m.round_id, []).append(m)
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "team": {
            "code": str(team.code),
            "name": team.name,
            "description": team.description,
        },
        "perspectives": [TEAM, STAKEHOLDER],
        "rounds": [
            round_data(
                r,
                actions=by_round.get(r.round.pk, []),
                metrics=metrics_by_round.get(r.round.pk, []),
            )
            for r in reports
        ],
    }

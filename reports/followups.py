"""What became of the actions a team agreed before a round: each beside its
dimension with how the team's mean moved since ("Safety 1.6 → 2.1 since we agreed
to …").

Input: a ``RoundReport`` (figures with the minimum rule applied, so a hidden mean
is ``None``) and the actions carried into its round
(``assessments.selectors.carried_actions``). No query of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessments.models import Action
from reports.assembly import DimensionReport, RoundReport


@dataclass(frozen=True)
class Followup:
    text: str
    key: str
    dimension_label: str
    agreed_in: str
    state: str
    state_label: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def action_key(action: Action) -> str:
    """The key ``reports.selectors`` gives the action's dimension across rounds."""
    if action.team_dimension_id is not None:
        return f"team-dimension:{action.team_dimension_id}"
    return f"round-dimension:{action.dimension_id}"


def _team_mean(dimension: DimensionReport | None) -> float | None:
    team = dimension.team if dimension is not None else None
    return team.mean if team is not None and team.shown else None


def followups(report: RoundReport, actions: Sequence[Action]) -> list[Followup]:
    """One line per action. "Before" is the team's mean in the round the action
    was agreed in, when that is the report's previous round (the one it compares
    with); "after" the mean in this round; either is ``None`` when not shown."""
    now = {d.key: d for d in report.dimensions} if report.team_visible else {}
    before = {d.key: d for d in report.previous_dimensions}
    previous_id = report.previous.pk if report.previous is not None else None
    result = []
    for a in actions:
        key = action_key(a)
        dimension = now.get(key)
        result.append(
            Followup(
                text=a.text,
                key=key,
                dimension_label=(
                    dimension.label if dimension is not None else a.dimension_label
                ),
                agreed_in=a.round.title,
                state=a.state,
                state_label=str(a.get_state_display()),
                before=(
                    _team_mean(before.get(key)) if a.round_id == previous_id else None
                ),
                after=_team_mean(dimension),
            )
        )
    return result

"""What the API answers, field by field: the shapes of ``reports.history``'s data
(the JSON export), so the API and the export cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema


class Message(Schema):
    detail: str


class TeamOut(Schema):
    code: UUID
    name: str
    description: str


class WithheldOut(Schema):
    code: str = Field(description="a stable code for the reason")
    reason: str = Field(description="the reason in words, as the report says it")


class RoundOut(Schema):
    code: UUID
    title: str
    state: str = Field(description="draft rounds are never listed: open or closed")
    opened_at: datetime | None
    closed_at: datetime | None
    min_responses: int = Field(
        description="the fewest answers a group needs before anything of it shows"
    )
    results_shown: bool = Field(
        description="false while the round is open or below its minimum: then it "
        "has no figures, notes or comments"
    )
    previous_round: UUID | None = Field(
        description="the earlier round this one is compared with; null when there "
        "is none, when the round shows no results, or when the comparison is "
        "withheld (see comparison_withheld)"
    )
    comparison_withheld: WithheldOut | None = Field(
        description="why this round is not compared with the previous one at all "
        "(code members_answered_one_round: fewer than min_responses members "
        "answered only one of the two rounds); null when it is, or there is none"
    )
    stakeholder_comparison_withheld: WithheldOut | None = Field(
        description="why the stakeholders' figures are not compared with the "
        "previous round (code stakeholder_counts_differ: the numbers of "
        "stakeholders who answered differ by fewer than min_responses); the "
        "team's still are"
    )


class GroupSizeOut(Schema):
    group: str
    perspective: str
    relationship: str
    responses: int


class LevelsOut(Schema):
    not_meeting: int
    meeting: int
    exceeding: int


class GroupFiguresOut(Schema):
    group: str
    perspective: str
    relationship: str
    answers: int
    dont_know: int
    rated: int
    levels: LevelsOut | None = Field(description="null where it is hidden")
    mean: float | None
    median: float | None
    spread: float | None
    agreement: float | None


class ChangeOut(Schema):
    group: str
    previous_mean: float
    mean: float
    change: float


class DimensionOut(Schema):
    key: str
    name: str
    label: str
    prompt: str
    groups: list[GroupFiguresOut]
    team_minus_stakeholders: float | None
    gap_kind: str | None
    changes: list[ChangeOut]


class CheckinOut(Schema):
    group: str
    perspective: str
    relationship: str
    responses: int
    counts: dict[str, int] = Field(
        description="underperforming, performing, high-performing, no_answer"
    )


class FiguresOut(Schema):
    round: RoundOut
    groups: list[GroupSizeOut]
    dimensions: list[DimensionOut]
    checkins: list[CheckinOut]


class NoteOut(Schema):
    kind: str = Field(description="keep, stop or start")
    dimension: str | None
    perspective: str = Field(description="Team or Stakeholders, never a smaller group")
    text: str
    count: int = Field(description="how many wrote this same note")


class CommentOut(Schema):
    dimension: str
    perspective: str
    text: str


class ReasonOut(Schema):
    perspective: str
    text: str


class NotesOut(Schema):
    round: RoundOut
    notes: list[NoteOut]
    comments: list[CommentOut]
    checkin_reasons: list[ReasonOut]


class ActionOut(Schema):
    code: UUID
    text: str
    dimension: str | None
    owner: str | None
    due_on: date | None
    state: str
    helped: str | None
    agreed_at: datetime | None
    finished_at: datetime | None


class MetricOut(Schema):
    kind: str
    name: str
    value: float
    unit: str
    note: str


class ActionsOut(Schema):
    round: RoundOut
    actions: list[ActionOut]
    metrics: list[MetricOut]

"""Migrations 0013 to 0015 (issue 24 item 3): a round released before them keeps
its channel counts, as numbers kept apart, and its used invitation stops saying
it was used; then the channel column goes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teams.models import Team

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("assessments", "0014_heartbeat")]
AFTER = [("assessments", "0017_response_no_channel")]


def test_released_rounds_keep_their_channel_counts_and_forget_their_invitations() -> (
    None
):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Round = apps.get_model("assessments", "Round")
    Response = apps.get_model("assessments", "Response")
    Invitation = apps.get_model("assessments", "StakeholderInvitation")
    # The teams app stays migrated: its current model.
    team = Team.objects.create(name="Old")
    released = Round.objects.create(team_id=team.pk, title="Released", state="closed")
    for channel in ["link", "link", "invitation", "member"]:
        Response.objects.create(
            round=released,
            perspective="team" if channel == "member" else "stakeholder",
            channel=channel,
        )
    for n in range(3):
        Invitation.objects.create(
            round=released,
            token_hash=f"{n:064}",
            used=n == 1,
            used_by_visit="v" if n == 1 else "",
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        SourceFigure = apps.get_model("assessments", "SourceFigure")
        Invitation = apps.get_model("assessments", "StakeholderInvitation")
        kept = set(
            SourceFigure.objects.values_list(
                "round_id", "perspective", "source", "answers"
            )
        )
        assert kept == {
            (released.pk, "stakeholder", "link", 2),
            (released.pk, "stakeholder", "invitation", 1),
        }
        invitations = Invitation.objects.filter(round_id=released.pk)
        # The used one is gone (counted above); the others keep their tokens.
        hashes = set(invitations.values_list("token_hash", flat=True))
        assert hashes == {f"{0:064}", f"{2:064}"}
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(
                cursor, "assessments_response"
            )
        assert "channel" not in {c.name for c in columns}
    finally:
        MigrationExecutor(connection).loader.build_graph()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

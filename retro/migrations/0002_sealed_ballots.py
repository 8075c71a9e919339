"""Votes become one sealed ballot per voter (issue 24, point 4). A dot vote still
open when this runs is closed as voting_close did until now: its dots become
counts, and the per-vote and per-person rows go."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from config.migrating import RefuseRollbackWhileRows
from django.db.models import Count


def close_open_votes(apps, schema_editor):  # type: ignore[no-untyped-def]
    RetroSession = apps.get_model("retro", "RetroSession")
    Vote = apps.get_model("retro", "Vote")
    Voter = apps.get_model("retro", "Voter")
    VoteCount = apps.get_model("retro", "VoteCount")
    for session in RetroSession.objects.filter(voting="open"):
        counts = (
            Vote.objects.filter(session=session)
            .values("dimension_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        VoteCount.objects.bulk_create(
            VoteCount(session=session, dimension_id=row["dimension_id"], count=row["n"])
            for row in counts
        )
        session.voters = Voter.objects.filter(session=session, used__gt=0).count()
        session.voting = "closed"
        session.save(update_fields=["voters", "voting"])
    Vote.objects.all().delete()
    Voter.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retro", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(close_open_votes, migrations.RunPython.noop),
        migrations.DeleteModel(name="Vote"),
        migrations.DeleteModel(name="Voter"),
        migrations.CreateModel(
            name="Ballot",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "kind",
                    models.CharField(choices=[("dots", "Dot vote")], max_length=10),
                ),
                ("sealed", models.BinaryField()),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="retro.retrosession",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "ballot",
                "verbose_name_plural": "ballots",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "kind", "user"),
                        name="ballot_once_per_vote",
                    )
                ],
            },
        ),
        # Backwards: refuse while these hold rows (config/migrating.py).
        RefuseRollbackWhileRows("retro.Ballot"),
    ]

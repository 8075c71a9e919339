import secrets
import uuid

from django.db import migrations
from django.db.models import Count

_random = secrets.SystemRandom()


def count_then_forget(apps, schema_editor):
    """Released rounds: count their stakeholder answers per channel into
    ``SourceFigure`` (the channel column is dropped by 0015); in rounds with no
    stakeholder answer still sealed, delete the used invitations and rewrite the
    others in a random order with new keys."""
    Response = apps.get_model("assessments", "Response")
    SourceFigure = apps.get_model("assessments", "SourceFigure")
    SealedAnswer = apps.get_model("assessments", "SealedAnswer")
    Invitation = apps.get_model("assessments", "StakeholderInvitation")
    groups = (
        Response.objects.filter(
            perspective="stakeholder", channel__in=["link", "invitation"]
        )
        .values_list("round_id", "release", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    SourceFigure.objects.bulk_create(
        (
            SourceFigure(
                round_id=round_id,
                release=release,
                perspective="stakeholder",
                source=channel,
                answers=n,
            )
            for round_id, release, channel, n in groups
        ),
        batch_size=1000,
    )
    released = set(
        Response.objects.filter(perspective="stakeholder").values_list(
            "round_id", flat=True
        )
    )
    waiting = set(
        SealedAnswer.objects.filter(perspective="stakeholder").values_list(
            "round_id", flat=True
        )
    )
    for round_id in sorted(released - waiting):
        invitations = list(Invitation.objects.filter(round_id=round_id))
        if not any(i.used for i in invitations):
            continue
        Invitation.objects.filter(round_id=round_id).delete()
        unused = [i for i in invitations if not i.used]
        for invitation in unused:
            invitation.reminded = True
            invitation.pk, invitation.code = None, uuid.uuid4()
        _random.shuffle(unused)
        Invitation.objects.bulk_create(unused)


class Migration(migrations.Migration):
    """Apart from 0013's schema changes: PostgreSQL refuses an index on a table
    with rows written in the same transaction."""

    dependencies = [
        ("assessments", "0015_sources_kept_at_release"),
    ]

    operations = [
        migrations.RunPython(count_then_forget, migrations.RunPython.noop),
    ]

import hashlib
import secrets
import uuid

from django.db import migrations
from django.db.models import Count

_random = secrets.SystemRandom()


def count_then_forget(apps, schema_editor):
    """Released rounds: count their stakeholder answers per channel into
    ``SourceFigure`` (the channel column is dropped by 0015), and rewrite the
    invitations of rounds with no stakeholder answer still sealed, in a random
    order with new keys, none marked used (a used one gets a token nobody has)."""
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
        for invitation in invitations:
            if invitation.used:
                token = secrets.token_urlsafe(32)
                invitation.token_hash = hashlib.sha256(token.encode()).hexdigest()
            invitation.used, invitation.used_by_visit = False, ""
            invitation.reminded = True
            invitation.pk, invitation.code = None, uuid.uuid4()
        _random.shuffle(invitations)
        Invitation.objects.bulk_create(invitations)


class Migration(migrations.Migration):
    """Apart from 0013's schema changes: PostgreSQL refuses an index on a table
    with rows written in the same transaction."""

    dependencies = [
        ("assessments", "0015_sources_kept_at_release"),
    ]

    operations = [
        migrations.RunPython(count_then_forget, migrations.RunPython.noop),
    ]

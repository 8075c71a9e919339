"""Give each coach share a random code, so URLs never carry its sequential id.

Three steps, as for any unique field added to a table that may hold rows: add it
without the constraint, fill each existing row with its own UUID, then make it
unique."""

import uuid

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    CoachShare = apps.get_model("teams", "CoachShare")
    for share in CoachShare.objects.filter(code__isnull=True).only("pk"):
        share.code = uuid.uuid4()
        share.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="coachshare",
            name="code",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="coachshare",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]

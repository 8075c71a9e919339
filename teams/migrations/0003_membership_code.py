"""Give each membership a random code, so URLs never carry its sequential id.

Three steps, as for any unique field added to a table that may hold rows: add it
without the constraint, fill each existing row with its own UUID, then make it
unique."""

import uuid

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    Membership = apps.get_model("teams", "Membership")
    for membership in Membership.objects.filter(code__isnull=True).only("pk"):
        membership.code = uuid.uuid4()
        membership.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_coachshare_code")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="code",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]

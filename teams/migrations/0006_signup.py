"""Sign-up arrives: the shared cache table, and confirmed addresses for accounts
made before it (by the operator, the demo or a team invitation), so that
requiring a confirmed address does not lock them out."""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

CACHE_TABLE = "mirror_cache"


def create_cache_table(apps, schema_editor):
    # The table the database cache of a single-machine install uses (settings),
    # made whatever the cache is now, so that switching to it needs no extra step.
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}"
    )


def confirm_existing_addresses(apps, schema_editor):
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = set(EmailAddress.objects.values_list("email", flat=True))
    rows = []
    for user_id, email in User.objects.exclude(email="").values_list("pk", "email"):
        email = email.lower()
        if email in taken:
            continue
        taken.add(email)
        rows.append(
            EmailAddress(user_id=user_id, email=email, verified=True, primary=True)
        )
    EmailAddress.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0005_team_action_limit"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
        migrations.RunPython(confirm_existing_addresses, migrations.RunPython.noop),
    ]

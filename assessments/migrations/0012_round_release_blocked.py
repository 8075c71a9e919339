from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0011_round_releases_at_open"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="release_blocked",
            field=models.BooleanField(default=False, editable=False),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0012_carried_turnout"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="release_blocked",
            field=models.BooleanField(default=False, editable=False),
        ),
    ]

from django.db import migrations, models
from django.db.models import F


def from_releases(apps, schema_editor):
    """Rounds as they are count as opened after their last release: a batch
    released while a round is open now cannot be told apart, and is said to be
    published at its close from its next reopen on."""
    Round = apps.get_model("assessments", "Round")
    Round.objects.update(releases_at_open=F("releases"))


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0010_round_figure_builtin_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="releases_at_open",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(from_releases, migrations.RunPython.noop),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    """No released answer says how it came in: counted by 0014 (``SourceFigure``)."""

    dependencies = [
        ("assessments", "0016_count_channels_forget_invitations"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="response",
            name="channel",
        ),
    ]

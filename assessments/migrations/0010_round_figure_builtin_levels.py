from itertools import groupby

from django.db import migrations, models


def pack_levels_of_kept_figures(apps, schema_editor):
    # Figures kept before the column existed: pack their built-in dimensions'
    # tallies from the DimensionFigure rows, as ``tallies.keep`` now does.
    from assessments.packed import pack_levels

    RoundFigure = apps.get_model("assessments", "RoundFigure")
    DimensionFigure = apps.get_model("assessments", "DimensionFigure")
    rows = (
        DimensionFigure.objects.filter(builtin__isnull=False)
        .order_by("round_id", "perspective", "builtin_id", "dimension_id")
        .values_list(
            "round_id", "perspective", "builtin_id", "level_1", "level_2", "level_3"
        )
    )
    packed = {
        key: pack_levels(row[2:] for row in group)
        for key, group in groupby(rows.iterator(), key=lambda row: row[:2])
    }
    figures = []
    for figure in RoundFigure.objects.all().iterator():
        text = packed.get((figure.round_id, figure.perspective), "")
        if text:
            figure.builtin_levels = text
            figures.append(figure)
    RoundFigure.objects.bulk_update(figures, ["builtin_levels"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_released_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="roundfigure",
            name="builtin_levels",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(pack_levels_of_kept_figures, migrations.RunPython.noop),
    ]

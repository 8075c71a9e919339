"""Load the built-in 12-dimension framework, verbatim, from the copy of its JSON that
ships with the project (assessments/framework/twelve-dimensions.json)."""

import json
from pathlib import Path

from django.db import migrations

FRAMEWORK_FILE = Path(__file__).resolve().parent.parent / "framework" / "twelve-dimensions.json"


def load(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    BuiltinDimension = apps.get_model("assessments", "BuiltinDimension")
    data = json.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    labels = {level["value"]: level["label"] for level in data["levels"]}
    overall = data["overall_self_assessment"]
    framework, _ = Framework.objects.update_or_create(
        slug="twelve-dimensions",
        defaults={
            "name": data["framework"],
            "source": data["source"],
            "level_1_label": labels[1],
            "level_2_label": labels[2],
            "level_3_label": labels[3],
            "checkin_question": overall["question"],
            "checkin_choices": overall["choices"],
            "follow_up": overall["follow_up"],
        },
    )
    for dim in data["dimensions"]:
        BuiltinDimension.objects.update_or_create(
            slug=dim["slug"],
            defaults={
                "framework": framework,
                "position": dim["position"],
                "name": dim["name"],
                "short_name": dim["short_name"],
                "prompt": dim["reflection_prompt"],
                "signs_of_struggle": dim["signs_of_struggle"],
                "level_1": dim["levels"]["not_meeting"],
                "level_2": dim["levels"]["meeting"],
                "level_3": dim["levels"]["exceeding"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

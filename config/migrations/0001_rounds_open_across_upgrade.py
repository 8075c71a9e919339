"""Repair rounds that were open across the upgrade from 0.1.0 (issue 25 item 2).

A data repair of ``assessments`` kept in the ``config`` app, so that the apps'
own migrations go on numbering without it; it runs once the tables it reads
exist, and writes only fields that are still there.

Until this fix, ``0005_sealed_answers`` counted a round that was open at the
upgrade as released once: its close then took it for a reopen and held the
answers given after the upgrade back until the round's minimum of them had come
in, forever if they never did. ``0005`` now leaves such a round unreleased. This
migration finds the databases that went through the old ``0005`` by facts that
only such a round has: it was opened before ``0005`` was applied (the time in
``django_migrations``), was not closed then, and has not been reopened since
(no "reopened a round" in its team's activity log after the upgrade).

- Still open: it becomes unreleased again, so that its close releases every
  answer in one batch, as the release it was opened under would have published
  it. Nothing of an open round is ever shown, so nothing shown changes.
- Closed since, with answers still sealed: the sealed answers of a perspective
  (team, stakeholders) of which fewer than the round's minimum were released —
  so nothing of it was ever shown — are released now, into the first batch. A
  perspective shown already keeps its sealed answers sealed: releasing fewer
  than the minimum into figures people have seen would let them work those
  answers out by comparing (privacy invariant 2).

Answers the configured keys cannot open are left sealed and named by round.
"""

from django.conf import settings
from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, F


def _upgraded_at(connection):
    recorder = MigrationRecorder(connection)
    return (
        recorder.migration_qs.filter(app="assessments", name="0005_sealed_answers")
        .values_list("applied", flat=True)
        .first()
    )


def _logged_since(ActivityEntry, round, action, since):
    return ActivityEntry.objects.filter(
        team_id=round.team_id, action=action, at__gte=since, detail__round=round.title
    ).count()


def repair(apps, schema_editor):
    upgraded_at = _upgraded_at(schema_editor.connection)
    if upgraded_at is None:
        return
    Round = apps.get_model("assessments", "Round")
    Response = apps.get_model("assessments", "Response")
    ActivityEntry = apps.get_model("teams", "ActivityEntry")
    candidates = Round.objects.filter(opened_at__lt=upgraded_at).exclude(
        closed_at__lt=upgraded_at
    )
    for round in candidates.exclude(state="draft").order_by("pk"):
        if _logged_since(ActivityEntry, round, "round_reopened", upgraded_at):
            continue
        if round.state == "open":
            Response.objects.filter(round=round).update(release=1)
            Round.objects.filter(pk=round.pk).update(
                releases=0, releases_at_open=0, data_version=F("data_version") + 1
            )
        elif _logged_since(ActivityEntry, round, "round_closed", upgraded_at) <= 1:
            _release_unshown(apps, round)


def _has(model, name):
    return any(field.name == name for field in model._meta.get_fields())


def _release_unshown(apps, round):
    from assessments import disclosure, sealing, tallies

    Round = apps.get_model("assessments", "Round")
    Response = apps.get_model("assessments", "Response")
    Rating = apps.get_model("assessments", "Rating")
    Note = apps.get_model("assessments", "Note")
    SealedAnswer = apps.get_model("assessments", "SealedAnswer")
    released = dict(
        Response.objects.filter(round=round)
        .values_list("perspective")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sealed = SealedAnswer.objects.filter(round=round)
    unshown = [
        perspective
        for perspective in set(sealed.values_list("perspective", flat=True))
        if released.get(perspective, 0) < round.min_responses
    ]
    # Fields later migrations may drop are written only while they exist.
    channels = _has(SealedAnswer, "channel") and _has(Response, "channel")
    rows = list(
        sealed.filter(perspective__in=unshown).values_list(
            "pk", "perspective", "channel" if channels else "perspective", "sealed"
        )
    )
    if not rows:
        return
    keys = sealing.keys_from_settings(
        settings.ANSWER_SEALING_KEY,
        settings.SECRET_KEY,
        (*settings.ANSWER_SEALING_KEY_FALLBACKS, *settings.SECRET_KEY_FALLBACKS),
    )
    try:
        contents = [
            (perspective, channel, sealing.unseal(blob, keys=keys, round_id=round.pk))
            for _pk, perspective, channel, blob in rows
        ]
    except sealing.SealBroken:
        print(
            f"\n  Round {round.code}: the configured keys cannot open its sealed "
            "answers; they stay sealed."
        )
        return
    responses, ratings, notes = [], [], []
    for perspective, channel, content in disclosure.shuffled(contents):
        fields = {"channel": channel} if channels else {}
        if _has(Response, "release"):
            fields["release"] = 1
        response = Response(
            round=round,
            perspective=perspective,
            relationship=content["relationship"],
            checkin=content["checkin"],
            checkin_reason=content["checkin_reason"],
            **fields,
        )
        responses.append(response)
        ratings += [
            Rating(response=response, dimension_id=d, level=level, comment=comment)
            for d, level, comment in content["ratings"]
        ]
        notes += [
            Note(response=response, round=round, kind=kind, text=text, dimension_id=d)
            for kind, text, d in content["notes"]
        ]
    Response.objects.bulk_create(responses)
    Rating.objects.bulk_create(disclosure.shuffled(ratings))
    Note.objects.bulk_create(disclosure.shuffled(notes))
    SealedAnswer.objects.filter(pk__in=[pk for pk, *_rest in rows]).delete()
    tallies.keep(
        [round.pk],
        round_figure=apps.get_model("assessments", "RoundFigure"),
        dimension_figure=apps.get_model("assessments", "DimensionFigure"),
        response=Response,
        rating=Rating,
    )
    Round.objects.filter(pk=round.pk).update(data_version=F("data_version") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0011_round_releases_at_open"),
        ("teams", "0004_activity_log"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
    ]

"""Turning a team's archive (``moving.archive``) back into the team, on another
server: one transaction, so a bad file changes nothing.

Answers arrive as counts and unlinked texts; they are written back as anonymous
rows that give exactly those counts (``_answers``): each answer's ratings, notes,
comments and reason are put together here, on this server, in a fresh random
order, so the rows say nothing about who wrote what, not even what the old
server's rows did.

People: the facilitator who uploads the file (``actor``) is the team's first
member. Everyone else in the file is matched only to a **verified** address on
this server: with ``add_verified`` (the operator's command) such a person is added
with their role; everyone else, and everyone when a facilitator uploads, gets an
emailed invitation to accept (nobody is added to a team without proving the
address or clicking a link). Every such change is in the team's activity log.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from assessments import disclosure, tallies
from assessments.models import (
    Action,
    BuiltinDimension,
    CarriedTurnout,
    Channel,
    Checkin,
    Level,
    Note,
    NoteKind,
    NoteTheme,
    Perspective,
    Rating,
    Response,
    Round,
    RoundDimension,
    RoundMetric,
    SourceFigure,
    StakeholderGroup,
    TeamDimension,
    TeamSchedule,
)
from moving import archive as spec
from moving import selectors
from retro.models import RetroSession, RotiCount, VoteCount
from teams.models import (
    AccessLogEntry,
    ActivityEntry,
    Invitation,
    Membership,
    Team,
    hash_token,
    new_token,
)
from teams.services import activity_record, invitations_left_today
from teams.tasks import send_team_invitation


class ArchiveError(Exception):
    """The file cannot be imported; the message says why, for the person."""


@dataclass
class Imported:
    team: Team
    members: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    rounds: int = 0


def load(raw: bytes) -> dict[str, Any]:
    """The archive in ``raw``, checked for size, JSON and format version."""
    if len(raw) > settings.TEAM_ARCHIVE_MAX_BYTES:
        raise ArchiveError(
            _("The file is larger than %(size)s: not a team archive.")
            % {"size": filesizeformat(settings.TEAM_ARCHIVE_MAX_BYTES)}
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ArchiveError(
            _(
                "The file is not a team archive: it is not complete JSON "
                "(cut off, or another kind of file)."
            )
        ) from error
    if not isinstance(data, dict) or data.get("format") != spec.FORMAT:
        raise ArchiveError(
            _("The file is not a team archive from Team Mirror's “Move the team”.")
        )
    if data.get("version") != spec.VERSION:
        raise ArchiveError(
            _(
                "The archive is of format version %(found)s; this server reads "
                "version %(version)s. Export it again from a server of the same "
                "release."
            )
            % {"found": data.get("version"), "version": spec.VERSION}
        )
    return data


def _bad(what: str) -> ArchiveError:
    return ArchiveError(
        _("The archive is damaged or edited: %(what)s is missing or not valid.")
        % {"what": what}
    )


def _get(data: Any, key: str, kind: type | tuple[type, ...], what: str = "") -> Any:
    if not isinstance(data, dict) or key not in data:
        raise _bad(what or key)
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _bad(what or key)
    return value


def _list(data: Any, key: str) -> list[Any]:
    value: list[Any] = _get(data, key, list)
    return value


def _opt(data: Any, key: str, kind: type) -> Any:
    return _get(data, key, (kind, type(None)))


def _when(data: Any, key: str) -> datetime.datetime | None:
    value = _opt(data, key, str)
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise _bad(key)
    return parsed


def _day(data: Any, key: str) -> datetime.date | None:
    value = _opt(data, key, str)
    if value is None:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise _bad(key)
    return parsed


def _count(data: Any, key: str = "count", *, least: int = 1) -> int:
    value: int = _get(data, key, int)
    if not least <= value <= 1_000_000:
        raise _bad(key)
    return value


def _checked[M: Model](obj: M, *, exclude: tuple[str, ...] = ()) -> M:
    """The object, after its fields' own checks (lengths, choices, ranges)."""
    try:
        obj.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        names = ", ".join(sorted(error.message_dict))
        raise _bad(f"{type(obj).__name__} ({names})") from error
    return obj


class _Codes:
    """Codes in the file -> the objects made from them; a code that does not
    resolve is a damaged file."""

    def __init__(self) -> None:
        self.found: dict[str, dict[str, Any]] = {}

    def add(self, kind: str, code: str, obj: Any) -> None:
        self.found.setdefault(kind, {})[code] = obj

    def get(self, kind: str, code: Any, *, optional: bool = True) -> Any:
        if code is None and optional:
            return None
        try:
            return self.found[kind][code]
        except (KeyError, TypeError):
            raise _bad(f"{kind} {code}") from None


def team_import(
    *, archive: dict[str, Any], actor: User | None, add_verified: bool
) -> Imported:
    """Create the team of ``archive`` (from ``load``) on this server, in one
    transaction: a bad file raises ``ArchiveError`` and changes nothing."""
    try:
        with transaction.atomic():
            return _import(archive, actor=actor, add_verified=add_verified)
    except IntegrityError as error:
        raise ArchiveError(
            _(
                "Something in the archive already exists on this server (the team "
                "or one of its rounds, dimensions or actions): was it imported "
                "before?"
            )
        ) from error


def _import(
    archive: dict[str, Any], *, actor: User | None, add_verified: bool
) -> Imported:
    data = _get(archive, "team", dict)
    code = _get(data, "code", str)
    if Team.objects.filter(code=code).exists():
        raise ArchiveError(
            _(
                "A team with this archive's code already exists on this server: "
                "it was imported before."
            )
        )
    team = _checked(
        Team(
            code=code,
            created=_when(data, "created") or timezone.now(),
            **{name: _get(data, name, (str, int)) for name in spec.TEAM_FIELDS},
        )
    )
    team.save()
    codes = _Codes()
    result = Imported(team=team)
    _people(archive, team, actor, add_verified, codes, result)
    for d in _list(archive, "dimensions"):
        dimension = _dimension(TeamDimension(team=team), d)
        dimension.archived = _get(d, "archived", bool)
        dimension.save()
        codes.add("dimension", dimension_code(dimension), dimension)
    for g in _list(archive, "stakeholder_groups"):
        _checked(
            StakeholderGroup(
                team=team,
                name=_get(g, "name", str),
                position=_get(g, "position", int),
            ),
            exclude=("team",),
        ).save()
    schedule = _opt(archive, "schedule", dict)
    if schedule is not None:
        values = {name: schedule.get(name) for name in spec.SCHEDULE_FIELDS}
        values["next_opens_on"] = _day(schedule, "next_opens_on")
        _checked(TeamSchedule(team=team, **values), exclude=("team",)).save()
    rounds = [_round(team, r, codes) for r in _list(archive, "rounds")]
    result.rounds = len(rounds)
    for a in _list(archive, "actions"):
        _action(team, a, codes)
    for e in _list(archive, "activity"):
        ActivityEntry.objects.create(
            team=team,
            actor_name=_get(e, "actor_name", str)[:150],
            action=_get(e, "action", str)[:40],
            detail=_get(e, "detail", dict),
            at=_when(e, "at") or timezone.now(),
        )
    for e in _list(archive, "access_log"):
        entry = AccessLogEntry(
            team=team,
            action=_get(e, "action", str),
            coach_name=_get(e, "coach_name", str),
            actor_name=_get(e, "actor_name", str),
            include_notes=_get(e, "include_notes", bool),
            at=_when(e, "at") or timezone.now(),
        )
        _checked(entry, exclude=("team", "coach", "actor")).save()
    tallies.keep_for([r.pk for r in rounds])
    activity_record(
        team=team,
        actor=actor,
        action=ActivityEntry.Action.TEAM_MOVED,
        detail={
            "count": len(rounds),
            "members": ", ".join(result.members),
            "invited": ", ".join(result.invited),
        },
    )
    return result


def dimension_code(dimension: TeamDimension | RoundDimension) -> str:
    return str(dimension.code)


def _dimension[D: TeamDimension | RoundDimension](obj: D, d: Any) -> D:
    obj.code = _get(d, "code", str)
    for name in obj.TEXT_FIELDS:
        setattr(obj, name, _get(d, name, str))
    obj.position = _get(d, "position", int)
    slug = _opt(d, "builtin", str)
    if slug is not None:
        builtin = BuiltinDimension.objects.filter(slug=slug).first()
        if builtin is None:
            raise _bad(f"builtin {slug}")
        obj.builtin = builtin
    return _checked(obj, exclude=("team", "round", "team_dimension", "builtin"))


def _people(
    archive: dict[str, Any],
    team: Team,
    actor: User | None,
    add_verified: bool,
    codes: _Codes,
    result: Imported,
) -> None:
    people = _list(archive, "members")
    addresses = [_get(m, "email", str).strip().lower() for m in people]
    if actor is not None:
        # Uploaded by a person: the invitations it sends are theirs, under the
        # same caps as any they send (docs/security.md).
        left = min(
            invitations_left_today(actor=actor), settings.TEAM_OPEN_INVITATIONS_MAX
        )
        if len(addresses) > left + 1:
            raise ArchiveError(
                _(
                    "The archive names %(count)d members; you may invite %(left)d "
                    "more people today. Ask the server's operator to import it "
                    "with “manage.py import_team”."
                )
                % {"count": len(addresses), "left": left}
            )
    verified = selectors.verified_users(addresses)
    own = set()
    if actor is not None:
        Membership.objects.create(
            team=team, user=actor, role=Membership.Role.FACILITATOR
        )
        own = {a for a, user in verified.items() if user.pk == actor.pk}
        result.members.append(actor.get_username())
    for person, address in zip(people, addresses, strict=True):
        role = _get(person, "role", str)
        if role not in Membership.Role.values:
            raise _bad("role")
        user = verified.get(address)
        if address in own and actor is not None:
            codes.add("member", address, actor.memberships.get(team=team))
            continue
        if user is not None and add_verified:
            membership = Membership.objects.create(
                team=team,
                user=user,
                role=role,
                joined=_when(person, "joined") or timezone.now(),
            )
            codes.add("member", address, membership)
            result.members.append(user.get_username())
            continue
        invitation = _checked(
            Invitation(
                team=team,
                label=address,
                role=role,
                created_by=actor,
                # Replaced by the task's own token when it sends the email.
                token_hash=hash_token(new_token()),
            ),
            exclude=("team", "created_by", "used_by"),
        )
        invitation.save()
        result.invited.append(address)
        transaction.on_commit(
            partial(send_team_invitation.enqueue, invitation=str(invitation.code))
        )


def _round(team: Team, data: Any, codes: _Codes) -> Round:
    round = Round(team=team, code=_get(data, "code", str))
    for name in spec.ROUND_FIELDS:
        if name in ("closes_at", "created", "opened_at", "opens_at", "closed_at"):
            setattr(round, name, _when(data, name))
        else:
            setattr(round, name, _get(data, name, (str, int)))
    if round.created is None:
        raise _bad("created")
    if round.state == Round.State.OPEN:
        raise _bad("state")
    _checked(round, exclude=("team",)).save()
    codes.add("round", str(round.code), round)
    dimensions: dict[str, RoundDimension] = {}
    for d in _list(data, "dimensions"):
        dimension = _dimension(RoundDimension(round=round), d)
        dimension.team_dimension = codes.get(
            "dimension", _opt(d, "team_dimension", str)
        )
        dimension.save()
        dimensions[dimension_code(dimension)] = dimension
        codes.add("round dimension", dimension_code(dimension), dimension)
    themes: dict[str, NoteTheme] = {}
    for t in _list(data, "themes"):
        theme = _checked(
            NoteTheme(
                round=round,
                code=_get(t, "code", str),
                label=_get(t, "label", str),
                dimension=codes.get("round dimension", _opt(t, "dimension", str)),
            ),
            exclude=("round", "dimension"),
        )
        theme.save()
        themes[str(theme.code)] = theme
        codes.add("theme", str(theme.code), theme)
    _answers(round, data, codes)
    turnout = _opt(data, "turnout", dict)
    if turnout is not None:
        _checked(
            CarriedTurnout(
                round=round,
                answered=_get(turnout, "answered", int),
                eligible=_get(turnout, "eligible", int),
                compared_with=codes.get("round", _opt(turnout, "compared_with", str)),
                only_this=_get(turnout, "only_this", int),
                only_other=_get(turnout, "only_other", int),
            ),
            exclude=("round", "compared_with"),
        ).save()
    for m in _list(data, "metrics"):
        try:
            value = Decimal(str(_get(m, "value", (str, int, float)))).quantize(
                Decimal("0.01")
            )
        except InvalidOperation:
            raise _bad("value") from None
        _checked(
            RoundMetric(
                round=round,
                code=_get(m, "code", str),
                kind=_get(m, "kind", str),
                name=_get(m, "name", str),
                value=value,
                unit=_get(m, "unit", str),
                note=_get(m, "note", str),
            ),
            exclude=("round",),
        ).save()
    retro = _opt(data, "retro", dict)
    if retro is not None:
        _retro(round, retro, codes)
    return round


def _retro(round: Round, data: Any, codes: _Codes) -> None:
    session = RetroSession(round=round)
    for name in spec.RETRO_FIELDS:
        if name in ("started_at", "finished_at"):
            continue
        setattr(session, name, _get(data, name, (str, int)))
    session.finished_at = _when(data, "finished_at")
    _checked(session, exclude=("round",)).save()
    # ``started_at`` is set on creation: kept as it was.
    RetroSession.objects.filter(pk=session.pk).update(
        started_at=_when(data, "started_at") or timezone.now()
    )
    VoteCount.objects.bulk_create(
        VoteCount(
            session=session,
            dimension=codes.get(
                "round dimension", _get(v, "dimension", str), optional=False
            ),
            count=_count(v, least=0),
        )
        for v in _list(data, "votes")
    )
    scores = []
    for r in _list(data, "roti_counts"):
        score = _get(r, "score", int)
        if score not in RotiCount.SCORES:
            raise _bad("roti_counts.score")
        count = _count(r, least=0)
        scores.append(RotiCount(session=session, score=score, count=count))
    RotiCount.objects.bulk_create(disclosure.shuffled(scores))


def _answers(round: Round, data: Any, codes: _Codes) -> None:
    """Anonymous rows that give exactly the archive's counts: answers of each
    perspective, relationship, check-in and batch; levels given to each
    dimension within a perspective, relationship and batch; then the notes,
    comments and check-in reasons, each put on an answer of its perspective."""
    groups: dict[tuple[str, str, int], list[Response]] = {}
    hidden_checkins: dict[tuple[str, int], list[Response]] = {}
    for r in _list(data, "responses"):
        perspective = _choice(r, "perspective", Perspective.values)
        relationship = _get(r, "relationship", str)[:100]
        release = _count(r, "release")
        checkin = _get(r, "checkin", str)
        if checkin and checkin not in (*Checkin.values, spec.HIDDEN):
            raise _bad("checkin")
        rows = [
            Response(
                round=round,
                perspective=perspective,
                relationship=relationship,
                checkin=checkin,
                release=release,
            )
            for _n in range(_count(r))
        ]
        groups.setdefault((perspective, relationship, release), []).extend(rows)
        if checkin == spec.HIDDEN:
            hidden_checkins.setdefault((perspective, release), []).extend(rows)
    by_perspective: dict[str, list[Response]] = {}
    for (perspective, _rel, _release), rows in groups.items():
        by_perspective.setdefault(perspective, []).extend(rows)
    sources = _channels(data, round, by_perspective)
    pooled_checkins: dict[tuple[Any, ...], list[Any]] = {}
    for c in _list(data, "pooled_checkins"):
        where = (_choice(c, "perspective", Perspective.values), _count(c, "release"))
        pooled_checkins.setdefault(where, []).extend(
            [_choice(c, "checkin", Checkin.values)] * _count(c)
        )
    _pooled(
        hidden_checkins,
        pooled_checkins,
        "checkin",
        Checkin.PERFORMING.value,
        "pooled_checkins",
    )
    ratings: dict[tuple[str, str], list[Rating]] = {}
    hidden_levels: dict[tuple[str, str, int], list[Rating]] = {}
    taken: dict[tuple[str, str, int, str], int] = {}
    for r in _list(data, "ratings"):
        dimension = codes.get(
            "round dimension", _get(r, "dimension", str), optional=False
        )
        if dimension.round_id != round.pk:
            raise _bad("dimension")
        key = (
            _choice(r, "perspective", Perspective.values),
            _get(r, "relationship", str)[:100],
            _count(r, "release"),
        )
        hidden = r.get("level") == spec.HIDDEN
        level = None if hidden else _opt(r, "level", int)
        if level is not None and level not in Level.values:
            raise _bad("level")
        rows = groups.get(key, [])
        start = taken.get((*key, str(dimension.code)), 0)
        count = _count(r)
        if start + count > len(rows):
            raise _bad("ratings.count")
        taken[(*key, str(dimension.code))] = start + count
        made = [
            Rating(response=response, dimension=dimension, level=level)
            for response in rows[start : start + count]
        ]
        ratings.setdefault((key[0], str(dimension.code)), []).extend(made)
        if hidden:
            hidden_levels.setdefault((str(dimension.code), key[0], key[2]), []).extend(
                made
            )
    pooled_levels: dict[tuple[Any, ...], list[Any]] = {}
    for r in _list(data, "pooled_levels"):
        cell = (
            _get(r, "dimension", str),
            _choice(r, "perspective", Perspective.values),
            _count(r, "release"),
        )
        level = _get(r, "level", int)
        if level not in Level.values:
            raise _bad("pooled_levels.level")
        pooled_levels.setdefault(cell, []).extend([level] * _count(r))
    _pooled(hidden_levels, pooled_levels, "level", Level.MEETING.value, "pooled_levels")
    notes = _texts(data, round, by_perspective, ratings, codes)
    Response.objects.bulk_create(
        disclosure.shuffled(r for rows in groups.values() for r in rows)
    )
    Rating.objects.bulk_create(
        disclosure.shuffled(r for rows in ratings.values() for r in rows)
    )
    Note.objects.bulk_create(disclosure.shuffled(notes))
    SourceFigure.objects.bulk_create(sources)


def _pooled(
    hidden: dict[Any, list[Any]],
    pools: dict[Any, list[Any]],
    name: str,
    placeholder: Any,
    what: str,
) -> None:
    """Give the rows whose level or check-in travelled as ``HIDDEN`` the values
    of their perspective's pool, in a fresh random order: exactly as many as
    there are such rows. Rows whose perspective's figure the old report did not
    show have no pool: they get ``placeholder``, which no reader shows (fewer
    than the minimum, and a moved round is never reopened)."""
    if set(pools) - set(hidden):
        raise _bad(what)
    for key, rows in hidden.items():
        values = pools.get(key)
        if values is None:
            values = [placeholder] * len(rows)
        if len(values) != len(rows):
            raise _bad(what)
        for row, value in zip(rows, disclosure.shuffled(values), strict=True):
            setattr(row, name, value)


def _choice(data: Any, key: str, values: list[str]) -> str:
    value: str = _get(data, key, str)
    if value not in values:
        raise _bad(key)
    return value


def _channels(
    data: Any, round: Round, by_perspective: dict[str, list[Response]]
) -> list[SourceFigure]:
    """How many answers came by each channel, per round: the counts the round
    page shows (never a channel per answer in the file, nor in the database: the
    stakeholders' are kept as ``SourceFigure`` counts, as a release keeps them)."""
    given: dict[str, int] = {}
    sources = []
    for c in _list(data, "channels"):
        perspective = _choice(c, "perspective", Perspective.values)
        channel = _choice(c, "channel", Channel.values)
        rows = by_perspective.get(perspective, [])
        start, count = given.get(perspective, 0), _count(c)
        if start + count > len(rows):
            raise _bad("channels")
        given[perspective] = start + count
        if channel != Channel.MEMBER and count:
            sources.append(
                SourceFigure(
                    round=round,
                    perspective=perspective,
                    source=channel,
                    answers=count,
                )
            )
    return sources


def _texts(
    data: Any,
    round: Round,
    by_perspective: dict[str, list[Response]],
    ratings: dict[tuple[str, str], list[Rating]],
    codes: _Codes,
) -> list[Note]:
    """The notes to write, with the comments and check-in reasons put on the
    ratings and answers of their perspective (and dimension)."""
    notes: list[Note] = []
    for n in _list(data, "notes"):
        perspective = _choice(n, "perspective", Perspective.values)
        rows = by_perspective.get(perspective)
        if not rows:
            raise _bad("notes.perspective")
        notes.append(
            _checked(
                Note(
                    response=rows[len(notes) % len(rows)],
                    round=round,
                    kind=_choice(n, "kind", NoteKind.values),
                    text=_get(n, "text", str),
                    dimension=codes.get("round dimension", _opt(n, "dimension", str)),
                    theme=codes.get("theme", _opt(n, "theme", str)),
                ),
                exclude=("response", "round", "dimension", "theme"),
            )
        )
    free = {key: list(rows) for key, rows in ratings.items()}
    for c in _list(data, "comments"):
        perspective = _choice(c, "perspective", Perspective.values)
        unsaid = free.get((perspective, _get(c, "dimension", str)), [])
        if not unsaid:
            raise _bad("comments.perspective")
        unsaid.pop().comment = _get(c, "text", str)[:4000]
    reasons = _list(data, "checkin_reasons")
    for perspective in Perspective.values:
        texts = [
            _get(r, "text", str)[:4000]
            for r in reasons
            if _choice(r, "perspective", Perspective.values) == perspective
        ]
        rows = by_perspective.get(perspective, [])
        if len(texts) > len(rows):
            raise _bad("checkin_reasons.perspective")
        for response, text in zip(rows, texts, strict=False):
            response.checkin_reason = text
    return notes


def _action(team: Team, data: Any, codes: _Codes) -> None:
    owner = _opt(data, "owner", str)
    action = Action(
        team=team,
        code=_get(data, "code", str),
        round=codes.get("round", _get(data, "round", str), optional=False),
        dimension=codes.get("round dimension", _opt(data, "dimension", str)),
        team_dimension=codes.get("dimension", _opt(data, "team_dimension", str)),
        text=_get(data, "text", str),
        owner=codes.found.get("member", {}).get((owner or "").strip().lower()),
        due_on=_day(data, "due_on"),
        state=_get(data, "state", str),
        helped=_get(data, "helped", str),
        reviewed_in=codes.get("round", _opt(data, "reviewed_in", str)),
        created=_when(data, "created") or timezone.now(),
        finished_at=_when(data, "finished_at"),
    )
    _checked(
        action,
        exclude=(
            "team",
            "round",
            "dimension",
            "team_dimension",
            "owner",
            "reviewed_in",
        ),
    ).save()

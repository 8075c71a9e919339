from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiToken, new_api_token
from teams.models import ActivityEntry, Team, hash_token
from teams.services import activity_record


class TooManyTokens(Exception):
    pass


class NameTaken(Exception):
    pass


def api_token_create(*, team: Team, name: str, actor: User) -> tuple[ApiToken, str]:
    """A new token for the team and its secret (only the hash is stored), logged in
    the team's activity log. Raises ``TooManyTokens`` past ``API_TOKENS_PER_TEAM``
    active tokens and ``NameTaken`` when an active token has this name (which also
    stops a double submit from making two)."""
    try:
        with transaction.atomic():
            # Lock the team row so two racing requests cannot both pass the cap.
            Team.objects.select_for_update().filter(pk=team.pk).first()
            if team.api_tokens.active().count() >= settings.API_TOKENS_PER_TEAM:
                raise TooManyTokens
            if team.api_tokens.active().filter(name=name).exists():
                raise NameTaken
            secret = new_api_token()
            token = ApiToken.objects.create(
                team=team, name=name, created_by=actor, token_hash=hash_token(secret)
            )
            activity_record(
                team=team,
                actor=actor,
                action=ActivityEntry.Action.API_TOKEN_CREATED,
                detail={"name": name},
            )
    except IntegrityError:
        raise NameTaken from None
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> bool:
    """Revoke the token at once; False (and nothing logged) if it was revoked
    already, such as by a double submit."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        return False
    activity_record(
        team=token.team,
        actor=actor,
        action=ActivityEntry.Action.API_TOKEN_REVOKED,
        detail={"name": token.name},
    )
    return True


@transaction.atomic
def api_tokens_of_leaver_end(*, team: Team, user: User, actor: User) -> int:
    """Revoke the team's active tokens made by ``user``, who is no longer a member
    (a token reads as its maker's membership did), each logged in the team's
    activity log. Returns how many."""
    tokens = list(team.api_tokens.active().filter(created_by=user))
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).update(
        revoked_at=timezone.now()
    )
    for token in tokens:
        activity_record(
            team=team,
            actor=actor,
            action=ActivityEntry.Action.API_TOKEN_ENDED,
            detail={"name": token.name, "member": user.get_username()},
        )
    return len(tokens)


def end_tokens_of_leaver(
    sender: object, *, team: Team, user: User, actor: User, **kwargs: object
) -> None:
    """The receiver of ``teams.signals.member_left``."""
    api_tokens_of_leaver_end(team=team, user=user, actor=actor)

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.ratelimit import hit, limit
from teams import services
from teams.access import (
    AuthenticatedHttpRequest,
    get_team_for_facilitator,
    get_team_for_member,
)
from teams.adapter import COACH_SESSION_KEY, JOIN_SESSION_KEY
from teams.forms import (
    CoachShareForm,
    EmailInvitationsForm,
    EmailPreferenceForm,
    InvitationForm,
    RoleForm,
    ShareNotesForm,
    TeamForm,
)
from teams.models import (
    ActivityEntry,
    CoachInvitation,
    CoachShare,
    EmailPreference,
    Invitation,
    Membership,
    Team,
    hash_token,
)


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("team")
        .annotate(member_count=Count("team__memberships"))
        .order_by("team__name")
    )
    coached = Team.objects.filter(
        coach_shares__coach=request.user, coach_shares__revoked_at__isnull=True
    ).order_by("name")
    ctx = {"memberships": memberships, "coached": coached}
    return render(request, "teams/index.html", ctx)


def detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    team, membership = get_team_for_member(request, code)
    members = team.memberships.select_related("user").order_by("user__username")
    ctx = {
        "team": team,
        "membership": membership,
        "members": members,
        "rounds": team.rounds.order_by("-created")[:20],
    }
    return render(request, "teams/detail.html", ctx)


def edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Team details saved."))
        return redirect(team)
    return render(request, "teams/edit.html", {"team": team, "form": form})


def members(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    return _members_page(request, team, membership, InvitationForm())


def _members_page(
    request: AuthenticatedHttpRequest,
    team: Team,
    membership: Membership,
    form: InvitationForm,
    email_form: EmailInvitationsForm | None = None,
) -> HttpResponse:
    ctx = {
        "email_form": email_form or EmailInvitationsForm(),
        "team": team,
        "membership": membership,
        "members": team.memberships.select_related("user").order_by("user__username"),
        "invitations": team.invitations.usable(),
        "form": form,
        "invitation_days": settings.TEAM_INVITATION_DAYS,
        "role_choices": Membership.Role.choices,
        "new_link": request.session.pop("new_invitation_link", None),
    }
    return render(request, "teams/members.html", ctx)


@require_POST
@limit("invite", "RATELIMIT_INVITE", per="user")
def invite(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, team, membership, form)
    try:
        invitation, token = services.invitation_create(
            team=team,
            label=form.cleaned_data["label"],
            role=form.cleaned_data["role"],
            created_by=request.user,
        )
    except services.TooManyOpenInvitations:
        form.add_error(
            None,
            _(
                "The team already has %(max)d open invitation links. Revoke unused "
                "ones before making more."
            )
            % {"max": settings.TEAM_OPEN_INVITATIONS_MAX},
        )
        return _members_page(request, team, membership, form)
    except services.TooManyInvitationsToday:
        form.add_error(None, invitations_per_day_message())
        return _members_page(request, team, membership, form)
    # Shown once, on the next page: only the token's hash is stored.
    link = settings.SITE_URL + reverse("teams:join_token", args=[token])
    request.session["new_invitation_link"] = {"label": invitation.label, "url": link}
    return redirect("teams:members", team.code)


def invitations_per_day_message() -> str:
    return _(
        "You have invited %(max)d people in the last 24 hours, the most one person "
        "may. Try again tomorrow, or ask the server's operator to raise "
        "INVITATIONS_PER_PERSON_PER_DAY."
    ) % {"max": settings.INVITATIONS_PER_PERSON_PER_DAY}


@require_POST
@limit("invite", "RATELIMIT_INVITE", per="user")
def invite_email(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    form = EmailInvitationsForm(request.POST)
    if not form.is_valid():
        return _members_page(request, team, membership, InvitationForm(), form)
    addresses = form.cleaned_data["addresses"]
    try:
        services.invitations_email(
            team=team,
            addresses=addresses,
            role=form.cleaned_data["role"],
            created_by=request.user,
        )
    except services.TooManyOpenInvitations:
        form.add_error(
            None,
            _(
                "The team can have at most %(max)d open invitations. Revoke unused "
                "ones, or invite fewer people at once."
            )
            % {"max": settings.TEAM_OPEN_INVITATIONS_MAX},
        )
        return _members_page(request, team, membership, InvitationForm(), form)
    except services.TooManyInvitationsToday:
        form.add_error(None, invitations_per_day_message())
        return _members_page(request, team, membership, InvitationForm(), form)
    messages.success(
        request,
        ngettext(
            "%(count)d invitation is on its way by email.",
            "%(count)d invitations are on their way by email.",
            len(addresses),
        )
        % {"count": len(addresses)},
    )
    return redirect("teams:members", team.code)


@require_POST
def revoke_invitation(
    request: AuthenticatedHttpRequest, code: str, invitation: str
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    if services.invitation_revoke(team=team, code=invitation, actor=request.user):
        messages.success(request, _("Invitation revoked: its link no longer works."))
    return redirect("teams:members", team.code)


@require_POST
def change_role(
    request: AuthenticatedHttpRequest, code: str, member: UUID
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    target = get_object_or_404(team.memberships.select_related("user"), code=member)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("teams:members", team.code)
    try:
        services.membership_change_role(
            membership=target, role=form.cleaned_data["role"], actor=request.user
        )
    except services.NoFacilitatorLeft:
        messages.error(request, _("A team needs at least one facilitator."))
        return redirect("teams:members", team.code)
    messages.success(request, _("Role changed."))
    return redirect("teams:members", team.code)


@require_POST
def remove_member(
    request: AuthenticatedHttpRequest, code: str, member: UUID
) -> HttpResponse:
    team, membership = get_team_for_member(request, code)
    target = get_object_or_404(
        team.memberships.select_related("user", "team"), code=member
    )
    leaving = target.pk == membership.pk
    if not leaving and not membership.is_facilitator:
        raise PermissionDenied
    try:
        services.membership_remove(membership=target, actor=request.user)
    except services.NoFacilitatorLeft:
        messages.error(
            request,
            _(
                "A team needs at least one facilitator: make someone else "
                "facilitator first."
            ),
        )
        return redirect(team)
    if leaving:
        messages.success(request, _("You left %(team)s.") % {"team": team.name})
        return redirect("teams:index")
    messages.success(request, _("Member removed."))
    return redirect("teams:members", team.code)


ACTIVITY_PER_PAGE = 50


def activity(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    # Every member reads the whole log: each way of adding people or answers,
    # and every change of access, is visible to the team.
    team, membership = get_team_for_member(request, code)
    entries = ActivityEntry.objects.for_team(team)
    page = Paginator(entries, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    ctx = {"team": team, "membership": membership, "page": page}
    return render(request, "teams/activity.html", ctx)


def _usable_invitation(request: HttpRequest) -> Invitation | None:
    token_hash = request.session.get(JOIN_SESSION_KEY)
    if not token_hash:
        return None
    return (
        Invitation.objects.open_to(request.user)
        .select_related("team")
        .filter(token_hash=token_hash)
        .first()
    )


@login_not_required
def join_token(request: HttpRequest, token: str) -> HttpResponse:
    # Swap the token for a session value and get it out of the address bar (and
    # out of history, logs and Referer headers). Always a redirect: an error page
    # here would log the token with the URL; past the limit /join/ answers 429.
    if hit(request, "join", settings.RATELIMIT_JOIN):
        request.session[JOIN_SESSION_KEY] = hash_token(token)
    return redirect("teams:join")


@login_not_required
@limit("join", "RATELIMIT_JOIN", methods=("GET", "POST"))
def join(request: HttpRequest) -> HttpResponse:
    """A person holding an invitation joins, signed in. Without an account they
    sign up through allauth's own sign-up (its rules: one account per address,
    confirmed before it signs in, never saying who has an account), which uses the
    invitation up for the new account and comes back here once confirmed."""
    invitation = _usable_invitation(request)
    if invitation is None:
        return render(request, "teams/join_invalid.html", status=404)
    if request.user.is_authenticated and request.method == "POST":
        return _accept(request, invitation)
    already = (
        request.user.is_authenticated
        and invitation.team.memberships.filter(user=request.user).exists()
    )
    return render(
        request, "teams/join.html", {"invitation": invitation, "already": already}
    )


def _accept(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    try:
        services.invitation_accept(invitation_id=invitation.pk, user=request.user)  # type: ignore[arg-type]
    except services.InvitationNotUsable:
        return render(request, "teams/join_invalid.html", status=404)
    except services.AddressNotProven:
        return redirect("account_email_verification_sent")
    request.session.pop(JOIN_SESSION_KEY, None)
    messages.success(
        request, _("Welcome to %(team)s.") % {"team": invitation.team.name}
    )
    return redirect(invitation.team)


def sharing(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    # Every member may see who can read the team's results; only facilitators
    # change it.
    team, membership = get_team_for_member(request, code)
    return _sharing_page(request, team, membership, CoachShareForm())


def _sharing_page(
    request: AuthenticatedHttpRequest,
    team: Team,
    membership: Membership,
    form: CoachShareForm,
) -> HttpResponse:
    shares = (
        team.coach_shares.active().select_related("coach").order_by("coach__username")
    )
    ctx = {
        "team": team,
        "membership": membership,
        "shares": [(s, ShareNotesForm(initial=_notes_initial(s))) for s in shares],
        "log": team.access_log.all()[:200],
        "invited": team.coach_invitations.usable().order_by("-created"),
        "form": form,
    }
    return render(request, "teams/sharing.html", ctx)


def _notes_initial(share: CoachShare) -> dict[str, str]:
    return {"include_notes": "notes" if share.include_notes else "scores"}


@require_POST
@limit("invite", "RATELIMIT_INVITE", per="user")
def share_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    form = CoachShareForm(request.POST)
    if not form.is_valid():
        return _sharing_page(request, team, membership, form)
    email = form.cleaned_data["coach"]
    try:
        services.coach_invitation_create(
            team=team,
            email=email,
            include_notes=form.cleaned_data["include_notes"],
            created_by=request.user,
        )
    except services.TooManyInvitationsToday:
        form.add_error(None, invitations_per_day_message())
        return _sharing_page(request, team, membership, form)
    # Always an invitation, whether or not the address has an account: the page
    # says the same, and shows no account until the coach accepts.
    messages.success(request, share_added_message(email))
    return redirect("teams:sharing", team.code)


def share_added_message(email: str) -> str:
    return _(
        "An invitation is on its way to “%(email)s”. The coach sees the team's "
        "results once they accept it, signed in with this address."
    ) % {"email": email}


@require_POST
def share_notes(
    request: AuthenticatedHttpRequest, code: str, share: str
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    coach_share = get_object_or_404(
        team.coach_shares.active().select_related("coach", "team"), code=share
    )
    form = ShareNotesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what the coach sees."))
        return redirect("teams:sharing", team.code)
    include_notes = form.cleaned_data["include_notes"]
    if services.coach_share_change(
        share=coach_share, include_notes=include_notes, actor=request.user
    ):
        messages.success(request, _("Saved: the change applies at once."))
    return redirect("teams:sharing", team.code)


@require_POST
def share_revoke(
    request: AuthenticatedHttpRequest, code: str, share: str
) -> HttpResponse:
    team, membership = get_team_for_facilitator(request, code)
    coach_share = get_object_or_404(
        team.coach_shares.select_related("coach", "team"), code=share
    )
    if services.coach_share_revoke(share=coach_share, actor=request.user):
        messages.success(
            request,
            _("%(name)s no longer sees the team's results.")
            % {"name": coach_share.coach},
        )
    return redirect("teams:sharing", team.code)


def _usable_coach_invitation(request: HttpRequest) -> CoachInvitation | None:
    token_hash = request.session.get(COACH_SESSION_KEY)
    if not token_hash:
        return None
    return (
        CoachInvitation.objects.usable()
        .select_related("team")
        .filter(token_hash=token_hash)
        .first()
    )


@login_not_required
def coach_token(request: HttpRequest, token: str) -> HttpResponse:
    # As for /join/: the token leaves the address bar at once.
    request.session[COACH_SESSION_KEY] = hash_token(token)
    return redirect("teams:coach_invitation")


@login_not_required
def coach_invitation(request: HttpRequest) -> HttpResponse:
    invitation = _usable_coach_invitation(request)
    if invitation is None:
        return render(request, "teams/join_invalid.html", status=404)
    # Only an account that confirmed the invited address accepts: a link passed
    # on, or an account made with that address but never confirmed, does not.
    proven = request.user.is_authenticated and services.has_proven(
        request.user,
        invitation.email,
    )
    ctx = {"invitation": invitation, "proven": proven}
    if request.user.is_authenticated and request.method == "POST":
        if not proven:
            return render(request, "teams/coach_invitation.html", ctx, status=403)
        try:
            services.coach_invitation_accept(
                invitation_id=invitation.pk,
                user=request.user,
            )
        except (services.InvitationNotUsable, services.AddressNotProven):
            return render(request, "teams/join_invalid.html", status=404)
        request.session.pop(COACH_SESSION_KEY, None)
        messages.success(
            request,
            _("%(team)s now shares its results with you.")
            % {"team": invitation.team.name},
        )
        return redirect("teams:index")
    return render(request, "teams/coach_invitation.html", ctx)


def email_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's own choice of automatic email."""
    preference = EmailPreference.of(request.user)
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email settings are saved."))
        return redirect("teams:email_settings")
    return render(request, "teams/email_settings.html", {"form": form})


@login_not_required
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of every automatic email: turns them all off without
    signing in. A GET only asks (mail scanners follow links); the POST does it. An
    unknown token shows the same page as any invalid link."""
    preference = EmailPreference.objects.filter(token_hash=hash_token(token)).first()
    if preference is None:
        return render(request, "teams/join_invalid.html", status=404)
    if request.method == "POST":
        preference.reminders = preference.news = False
        preference.save(update_fields=["reminders", "news", "token_hash"])
        return render(request, "teams/unsubscribed.html")
    return render(request, "teams/unsubscribe.html")

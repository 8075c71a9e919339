"""allauth's sign-in and sign-up, with a clear 429 page when a limit is reached."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.views import MEMBER_ANSWER_PAGES
from teams import services
from teams.access import AuthenticatedHttpRequest
from teams.forms import LanguageForm
from teams.language import from_browser, remember, supported
from teams.models import LanguagePreference


class LoginView(allauth_views.LoginView):
    """Sign in with a username or email. Too many failed attempts for one account
    or from one address: the 429 page (allauth would show a form error)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["signup_open"] = get_adapter().is_open_for_signup(self.request)
        ctx["answer_kept"] = _is_answer_page(str(ctx.get("redirect_field_value") or ""))
        return ctx

    def form_invalid(self, form: Any) -> HttpResponse:
        too_many = str(get_adapter().error_messages["too_many_login_attempts"])
        if too_many in form.non_field_errors():
            return too_many_attempts(self.request)
        return super().form_invalid(form)


def _is_answer_page(url: str) -> bool:
    """Whether signing in leads back to a member's answer form (a session that
    expired while answering), whose unsent answer the browser kept."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return match.view_name in MEMBER_ANSWER_PAGES


def too_many_attempts(request: Any) -> HttpResponse:
    """The 429 page: the account's cool-down for this address
    (``teams.signin_limits``), or else allauth's per-address limit, whose window
    is ``RATELIMIT_LOGIN_FAILED``'s (ten minutes by default)."""
    wait = getattr(request, "signin_wait", 0) or 600
    ctx = {"signin": True, "wait_minutes": -(-wait // 60)}
    response = render(request, "429.html", ctx, status=429)
    response["Retry-After"] = str(wait)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, with the email sent from a task: the request looks
    up no account and sends nothing, so it answers the same, in the same time,
    for a known and an unknown address."""

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_request(
            email=form.cleaned_data["email"], language=translation.get_language()
        )
        return HttpResponseRedirect(self.get_success_url())


login = login_not_required(LoginView.as_view())
signup = login_not_required(allauth_views.SignupView.as_view())


@csrf_exempt
@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language choice: Django's ``set_language`` (a cookie, then back
    to a page of this site), and for a signed-in person also their saved setting.
    Without a CSRF token, so that every page stays the same for everyone (a page
    that must not tell two visitors apart, such as "this link is not valid", would
    differ by its token) and sets no cookie; the worst a forged post can do is
    change the language someone reads the site in."""
    response = i18n_views.set_language(request)
    code = supported(request.POST.get("language"))
    if code and request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(
            user=request.user, defaults={"language": code}
        )
        remember(request, code)
    return response


def language_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's language: theirs, or their browser's (blank)."""
    preference = LanguagePreference.objects.filter(user=request.user).first()
    form = LanguageForm(
        request.POST or None,
        instance=preference or LanguagePreference(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        remember(request, saved.language)
        translation.activate(saved.language or from_browser(request) or "en")
        messages.success(request, _("Your language setting is saved."))
        response = redirect("language_settings")
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return render(request, "account/language.html", {"form": form})

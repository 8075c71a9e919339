"""allauth's sign-in and sign-up, with a clear 429 page when a limit is reached."""

from __future__ import annotations

from typing import Any

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render


class LoginView(allauth_views.LoginView):
    """Sign in with a username or email. Too many failed attempts for one account
    or from one address: the 429 page (allauth would show a form error)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["signup_open"] = get_adapter().is_open_for_signup(self.request)
        return ctx

    def form_invalid(self, form: Any) -> HttpResponse:
        too_many = str(get_adapter().error_messages["too_many_login_attempts"])
        if too_many in form.non_field_errors():
            return too_many_attempts(self.request)
        return super().form_invalid(form)


def too_many_attempts(request: Any) -> HttpResponse:
    response = render(request, "429.html", {"signin": True}, status=429)
    response["Retry-After"] = "300"
    return response


login = login_not_required(LoginView.as_view())
signup = login_not_required(allauth_views.SignupView.as_view())

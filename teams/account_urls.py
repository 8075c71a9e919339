"""Sign-in, sign-up and passwords under /accounts/.

Sign-in, sign-up and email confirmation are django-allauth's (its rate limits,
its confirmation emails); signing out and changing or resetting a password stay
Django's own views, whose pages and links were already in place. Every page a
signed-out person needs is login_not_required.
"""

from __future__ import annotations

from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from config.ratelimit import limit
from teams import account_views

# Each reset request queues an email: limited per client address.
password_reset = limit("password-reset", "RATELIMIT_PASSWORD_RESET")(
    account_views.PasswordResetView.as_view()
)

urlpatterns = [
    path("login/", account_views.login, name="login"),
    path("language/", account_views.language_settings, name="language_settings"),
    path("set-language/", account_views.set_language, name="set_language"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", account_views.signup, name="signup"),
    path(
        "confirm-email/",
        allauth_views.email_verification_sent,
        name="email_verification_sent",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The names allauth's own code reverses, on the paths above. Its other pages
    # (managing several addresses, re-authentication) are not offered.
    path("login/", account_views.login, name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("signup/", account_views.signup, name="account_signup"),
    path(
        "confirm-email/",
        allauth_views.email_verification_sent,
        name="account_email_verification_sent",
    ),
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$",
        allauth_views.confirm_email,
        name="account_confirm_email",
    ),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="account_change_password",
    ),
    path("password/reset/", password_reset, name="account_reset_password"),
]

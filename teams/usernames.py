"""What a username may be, and how allauth names an account in its emails.

A username is shown to the team and written into emails ("… invites you"): one
that looks like a host name or an email address (``www.evil-login.example``)
would be linked by mail clients and read as the email's own words. New usernames
may not look like either; in emails every username is quoted as data
(``teams.text.quoted``), which also covers accounts named before this rule.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teams.text import quoted

# A dot before a letter is how host names and addresses are made (a.example,
# www.x.y); "anna.2" or "anna_k" are not.
_HOST_LIKE = re.compile(r"\.[^\W\d_]")


def not_a_host_or_address(username: str) -> None:
    if "@" in username or _HOST_LIKE.search(username):
        raise ValidationError(
            _(
                "A username may not look like an email or web address: use no “@” "
                "and no dot before a letter (for example “anna_k”, not “anna.k”)."
            ),
            code="host_like",
        )


# ACCOUNT_USERNAME_VALIDATORS: the model's own rule, then this one.
username_validators = [UnicodeUsernameValidator(), not_a_host_or_address]


def user_display(user: Any) -> str:
    """ACCOUNT_USER_DISPLAY: the username as allauth writes it into its emails and
    messages, quoted as data with links broken."""
    return quoted(user.get_username(), limit=150)

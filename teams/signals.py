"""Signals other apps listen to, so that teams needs to import none of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``services.membership_remove`` inside its transaction, once a member has
# left or was removed, with ``team``, ``user`` (no longer a member) and ``actor``
# (who removed them, or the same person leaving). ``api`` ends the API tokens that
# person made for the team, each with an entry in the team's activity log.
member_left = Signal()

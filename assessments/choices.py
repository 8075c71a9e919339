"""The values of an answer's choices, pure (no Django): the models build their
``choices`` (with translated labels) from these, and the pure figure modules
(``reports.figures``, ``coach.patterns``) read them without importing a model.
"""

from __future__ import annotations

# Levels of a dimension (missing = "don't know").
NOT_MEETING = 1
MEETING = 2
EXCEEDING = 3
LEVELS = (NOT_MEETING, MEETING, EXCEEDING)

# The overall check-in ("" = none given).
UNDERPERFORMING = "underperforming"
PERFORMING = "performing"
HIGH_PERFORMING = "high-performing"
CHECKINS = (UNDERPERFORMING, PERFORMING, HIGH_PERFORMING)

# Whose answer: a team member's or a stakeholder's.
TEAM = "team"
STAKEHOLDER = "stakeholder"
PERSPECTIVES = (TEAM, STAKEHOLDER)

# How an answer came in: a coarse category, never which link or invitation.
MEMBER = "member"
INVITATION = "invitation"
LINK = "link"
CHANNELS = (MEMBER, INVITATION, LINK)

# The kinds of a note.
KEEP = "keep"
STOP = "stop"
START = "start"
NOTE_KINDS = (KEEP, STOP, START)

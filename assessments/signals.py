"""Signals other apps listen to, so that assessments needs to import none of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once a release of a round's answers is committed (``answers_release``), with
# ``round`` (the Round, its team not loaded): its results are now what every report
# of it shows. ``reports`` lays the round's PDF out in the background on it.
results_released = Signal()

# Sent by ``manage.py sealing_key rotate`` once every held answer is sealed again under
# the current key: a receiver seals its own values again (the addresses in queued
# emails) and returns how many.
sealing_key_rotated = Signal()

from __future__ import annotations

from django import template

from assessments.models import Round
from stakeholders.services import Turnout, turnout

register = template.Library()


@register.simple_tag
def stakeholder_turnout(round: Round) -> Turnout:
    """``{% stakeholder_turnout round as turnout %}``: one query."""
    return turnout(round=round)

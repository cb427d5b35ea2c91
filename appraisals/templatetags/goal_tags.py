"""Goal progress bars and due dates. The goal status tag is the builtin
``{% goal_status %}`` (core/templatetags/vocabulary.py)."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html

from appraisals.models import GoalStatus
from core import clock, glossary

register = template.Library()


@register.simple_tag
def goal_progress(progress: int, *id_parts) -> str:
    """A <progress> bar with its number beside it, labelled by the number; the
    number's id is ``id_parts`` joined with hyphens (unique on the page)."""
    ident = "-".join(str(p) for p in id_parts) or "progress"
    return format_html(
        '<div class="app-progress"><progress class="app-progress__bar" max="100" value="{0}" '
        'aria-labelledby="{1}">{0}%</progress><span class="app-progress__value" id="{1}">{0}%</span></div>',
        progress,
        ident,
    )


@register.simple_tag
def goal_due(goal, today: date | None = None) -> str:
    """ "31 March 2027 (in 12 days)", "(overdue by 3 days)" for an open goal."""
    today = today or clock.today()
    due = goal.due_date
    text = glossary.long_date(due)
    if goal.status in (GoalStatus.ACHIEVED, GoalStatus.DROPPED):
        return text
    days = (due - today).days
    if days < 0:
        n = -days
        return format_html("{} <strong>(overdue by {} day{})</strong>", text, n, "" if n == 1 else "s")
    if days == 0:
        return format_html("{} (today)", text)
    return format_html("{} (in {} day{})", text, days, "" if days == 1 else "s")

"""The glossary's words on the page (``core/glossary.py``): one tag per status,
one date format per kind. A builtin (settings.TEMPLATES), so every template has
these without ``{% load %}`` and no app library defines its own.

    {% status_tag row.status %}          KPI status: Red, Amber, Green, Monitoring only, No result
    {% direction row.direction_previous %}   ↑ Improving, → No change... or "No comparison available"
    {% goal_status goal.status %}        On track, At risk...
    {% severity_tag flag.severity %}  {% flag_state_tag flag.state %}  {% run_status_tag run.status %}
    {% compliance_tag row.status %}     In date, Expiring soon, Lapsed, Not recorded
    {% term "overdue" %}                 Overdue, Above threshold, Within threshold
    {% result_state result.state %}      Awaiting sign-off, Signed off, Returned (and Due, Overdue)
    {{ goal.due_date|long_date }}        2 December 2026
    {{ flag.opened_at|date_time }}       2 December 2026, 14:05
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from core import glossary

register = template.Library()


def _tag(term: glossary.Term) -> str:
    return format_html('<strong class="govuk-tag {}">{}</strong>', term.tag, term.label)


def _unknown(code: str) -> str:
    return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', code)


@register.simple_tag
def status_tag(status: str | None, has_result: bool = True) -> str:
    """A KPI's status as a tag; no status, or ``has_result`` false, is "No result"."""
    return _tag(glossary.kpi_status(status if has_result else None))


# The scorecard's name for the same tag.
register.simple_tag(status_tag, name="kpi_status")


@register.filter
def status_label(status: str | None) -> str:
    return glossary.kpi_status_label(status)


@register.simple_tag
def direction(value: str | None) -> str:
    """A direction of travel as a tag: the arrow (hidden from screen readers) and the word."""
    if value is None:
        return format_html('<span class="govuk-body-s">{}</span>', glossary.NO_COMPARISON)
    term = glossary.DIRECTION[value]
    return format_html(
        '<strong class="govuk-tag {}"><span class="app-tag-arrow" aria-hidden="true">{}</span>{}</strong>',
        term.tag,
        glossary.DIRECTION_ARROWS[value],
        term.label,
    )


register.simple_tag(direction, name="kpi_direction")


@register.simple_tag
def goal_status(status: str) -> str:
    term = glossary.GOAL_STATUS.get(status)
    return _tag(term) if term else _unknown(status)


@register.simple_tag
def goal_status_tag(goal) -> str:
    return goal_status(goal.status)


@register.simple_tag
def severity_tag(severity: str) -> str:
    term = glossary.FLAG_SEVERITY.get(severity)
    return _tag(term) if term else _unknown(severity)


@register.simple_tag
def flag_state_tag(state: str) -> str:
    return _tag(glossary.FLAG_STATE[state])


@register.simple_tag
def run_status_tag(status: str) -> str:
    term = glossary.RUN_STATUS.get(status)
    return _tag(term) if term else _unknown(status)


@register.simple_tag
def result_state(code: str) -> str:
    """A KPI result's sign-off ("Awaiting sign-off", "Signed off", "Returned"), or
    where a KPI stands for a period on the collection page ("Due", "Overdue")."""
    return _tag(glossary.result_standing(code))


@register.simple_tag
def compliance_tag(status: str) -> str:
    """A registration's or a course's status: In date, Expiring soon, Lapsed, Not recorded."""
    term = glossary.COMPLIANCE.get(status)
    return _tag(term) if term else _unknown(status)


@register.simple_tag
def term(name: str) -> str:
    """``{% term "overdue" %}``: one of the glossary's other tags."""
    return _tag(glossary.TAGS[name])


@register.filter
def long_date(value) -> str:
    return glossary.long_date(value)


@register.filter
def date_time(value) -> str:
    return glossary.date_time(value)


@register.filter
def money(value) -> str:
    """1250 -> "£1,250"; 1250.5 -> "£1,250.50"."""
    return glossary.money(value)


@register.filter
def days(value) -> str:
    """3 -> "3 days", 0 -> "the same day"."""
    return "" if value is None else glossary.days(value)

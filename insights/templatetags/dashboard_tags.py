"""Percentages on dashboards. Status, direction, severity and goal status tags
are the builtin vocabulary tags (core/templatetags/vocabulary.py), so every page
shows one word and one colour for each."""

from django import template

from organisations.rules import kpis as kpi_rules

register = template.Library()


@register.filter
def percent(value, places: int = 0) -> str:
    """67.5 -> "68%" (half up)."""
    if value is None:
        return kpi_rules.MISSING
    return kpi_rules.format_value(float(value), kpi_rules.UNIT_PERCENT, int(places))

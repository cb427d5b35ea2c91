"""KPI periods, values and tolerances in words. Status and direction tags are
the builtin vocabulary tags (core/templatetags/vocabulary.py)."""

from django import template

from organisations.rules import kpi_words
from organisations.rules import kpis as kpi_rules
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules

register = template.Library()


@register.filter
def period_label(period_end, kpi):
    """``{{ date|period_label:kpi }}``: "Oct 2026", "Q3 2026/27" or "2026/27"."""
    if not period_end:
        return ""
    return year_rules.period_label(period_end, kpi.frequency, kpi.start_month)


@register.filter
def fy_label(year, start_month=year_rules.DEFAULT_FY_START_MONTH):
    return year_rules.fy_label(int(year), int(start_month))


@register.filter
def kpi_value(value, kpi):
    """``{{ target.target|kpi_value:kpi }}``: formatted in the KPI's unit."""
    return kpi.format(value)


@register.filter
def plain_number(value):
    """A stored Decimal without its padding zeros: 5.0000 -> 5, 2.5000 -> 2.5."""
    from organisations.services.kpi_csv import plain_number as plain

    return plain(value)


@register.filter
def tolerance(target, kpi):
    """``{{ target|tolerance:kpi }}``: "green on target or better, amber within 5% of target"."""
    if target is None:
        return ""
    return kpi_rules.tolerance_words(
        tolerance_kind=target.tolerance_kind,
        green=target.green_tolerance,
        amber=target.amber_tolerance,
        unit=kpi.unit,
    )


@register.filter
def materiality(kpi):
    """``{{ kpi|materiality }}``: "Changes smaller than 0.5 percentage points count as no change"."""
    return kpi_rules.materiality_words(kpi.materiality, kpi.unit)


@register.simple_tag
def tolerance_bands(target, kpi, value=None):
    """``{% tolerance_bands target kpi value as bands %}``: [(status, "Amber: up to 8
    percentage points below target (down to 72.0%)")], for ``value`` (a period's
    profiled target) or the year's target."""
    if target is None:
        return []
    return kpi_words.tolerance_bands(
        tolerance_kind=target.tolerance_kind,
        green=target.green_tolerance,
        amber=target.amber_tolerance,
        target=target.target if value is None else value,
        unit=kpi.unit,
        polarity=kpi.polarity,
        places=kpi.decimal_places,
    )


@register.filter
def profile_words(target, kpi):
    """``{{ target|profile_words:kpi }}``: how the year's target is spread, in words."""
    return profile_rules.profile_words(target.profile, kpi.cumulative)


@register.filter
def travel_words(kpi):
    """``{{ kpi|travel_words }}``: what direction of travel compares, in words."""
    return kpi_words.travel_words(kpi.cumulative)

"""Status and direction of travel as words (with an arrow), never colour alone."""

from django import template
from django.utils.html import format_html

from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules

register = template.Library()

STATUS_TAGS = {
    kpi_rules.GREEN: ("govuk-tag--green", "Green"),
    kpi_rules.AMBER: ("govuk-tag--orange", "Amber"),
    kpi_rules.RED: ("govuk-tag--red", "Red"),
    kpi_rules.GREY: ("govuk-tag--grey", "Monitoring only"),
}
NO_RESULT = ("govuk-tag--grey", "No result")

DIRECTION_TAGS = {
    kpi_rules.IMPROVING: "govuk-tag--green",
    kpi_rules.WORSENING: "govuk-tag--red",
    kpi_rules.NO_CHANGE: "govuk-tag--grey",
    kpi_rules.INCREASING: "govuk-tag--blue",
    kpi_rules.DECREASING: "govuk-tag--blue",
}


@register.simple_tag
def kpi_status(status: str | None, has_result: bool = True):
    """``{% kpi_status row.status row.has_result %}``: a GOV.UK tag with the status word."""
    css, word = STATUS_TAGS.get(status, NO_RESULT) if has_result else NO_RESULT
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, word)


@register.simple_tag
def kpi_direction(direction: str | None):
    """``{% kpi_direction row.direction_previous %}``: arrow and words, or "No comparison"."""
    if direction is None:
        return format_html('<span class="govuk-hint govuk-!-margin-0">{}</span>', "No comparison")
    return format_html(
        '<strong class="govuk-tag {}"><span aria-hidden="true">{}</span>\u00a0{}</strong>',
        DIRECTION_TAGS[direction],
        kpi_rules.DIRECTION_ARROWS[direction],
        kpi_rules.DIRECTION_LABELS[direction],
    )


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
    """``{{ target|tolerance:kpi }}``: "green within 0% of target, amber within 5%"."""
    if target is None:
        return ""

    def amount(x):
        if target.tolerance_kind == kpi_rules.PERCENT:
            return f"{plain_number(x)}% of target"
        return kpi.format(x)

    return f"green within {amount(target.green_tolerance)}, amber within {amount(target.amber_tolerance)}"

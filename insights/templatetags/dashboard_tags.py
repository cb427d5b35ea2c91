"""Status, direction and severity as words with a tag, never colour alone."""

from django import template
from django.utils.html import format_html

from insights.models import FlagSeverity
from organisations.rules import kpis as kpi_rules

register = template.Library()

STATUS_TAG_CLASSES = {
    kpi_rules.GREEN: "govuk-tag--green",
    kpi_rules.AMBER: "govuk-tag--orange",
    kpi_rules.RED: "govuk-tag--red",
    kpi_rules.GREY: "govuk-tag--grey",
}
STATUS_LABELS = {
    kpi_rules.GREEN: "Green",
    kpi_rules.AMBER: "Amber",
    kpi_rules.RED: "Red",
    kpi_rules.GREY: "Grey",
}

SEVERITY_TAG_CLASSES = {
    FlagSeverity.HIGH: "govuk-tag--red",
    FlagSeverity.MEDIUM: "govuk-tag--orange",
    FlagSeverity.LOW: "govuk-tag--blue",
}


@register.simple_tag
def status_tag(status: str | None):
    status = status or kpi_rules.GREY
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_TAG_CLASSES.get(status, "govuk-tag--grey"),
        STATUS_LABELS.get(status, status.title()),
    )


@register.filter
def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or kpi_rules.GREY, str(status).title())


@register.simple_tag
def direction(value: str | None):
    """ "↓ Worsening" with the arrow hidden from screen readers; "No comparison
    available" when there is nothing to compare with."""
    if value is None:
        return kpi_rules.NO_COMPARISON_LABEL
    return format_html(
        '<span class="app-tag-arrow" aria-hidden="true">{}</span>{}',
        kpi_rules.DIRECTION_ARROWS.get(value, ""),
        kpi_rules.DIRECTION_LABELS.get(value, value),
    )


@register.simple_tag
def severity_tag(severity: str):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        SEVERITY_TAG_CLASSES.get(severity, "govuk-tag--grey"),
        FlagSeverity(severity).label if severity in FlagSeverity.values else severity,
    )


@register.filter
def percent(value, places: int = 0) -> str:
    """67.5 -> "68%" (half up)."""
    if value is None:
        return kpi_rules.MISSING
    return kpi_rules.format_value(float(value), kpi_rules.UNIT_PERCENT, int(places))


GOAL_STATUS_TAG_CLASSES = {
    "draft": "govuk-tag--grey",
    "agreed": "govuk-tag--blue",
    "on_track": "govuk-tag--green",
    "at_risk": "govuk-tag--orange",
    "off_track": "govuk-tag--red",
    "achieved": "govuk-tag--turquoise",
    "dropped": "govuk-tag--grey",
}


@register.simple_tag
def goal_status_tag(goal):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        GOAL_STATUS_TAG_CLASSES.get(goal.status, "govuk-tag--grey"),
        goal.get_status_display(),
    )

"""Writes for appraisal cycles."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from appraisals.models import AppraisalCycle
from organisations.models import Employee, Organisation
from organisations.rules import years as year_rules


def appraisal_cycle_create(
    *,
    organisation: Organisation,
    by: Employee,
    financial_year: int,
    mid_year_opens: date,
    mid_year_closes: date,
    year_end_opens: date,
    year_end_closes: date,
) -> AppraisalCycle:
    """Open the appraisal cycle of a financial year (a performance officer's job)."""
    if not by.is_performance_officer or by.organisation_id != organisation.pk:
        raise ValidationError("Only a performance officer of this organisation can set up appraisal cycles.")
    fy_start, fy_end = year_rules.fy_bounds(financial_year, organisation.financial_year_start_month)
    label = year_rules.fy_label(financial_year, organisation.financial_year_start_month)
    errors = {}
    if not fy_start <= mid_year_opens <= fy_end:
        errors["mid_year_opens"] = f"Mid-year reviews must open within {label}."
    if year_end_opens < fy_start:
        errors["year_end_opens"] = f"Year-end reviews must open within {label} or just after it."
    if AppraisalCycle.objects.filter(organisation=organisation, financial_year=financial_year).exists():
        errors["financial_year"] = f"There is already an appraisal cycle for {label}."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = AppraisalCycle(
            organisation=organisation,
            financial_year=financial_year,
            mid_year_opens=mid_year_opens,
            mid_year_closes=mid_year_closes,
            year_end_opens=year_end_opens,
            year_end_closes=year_end_closes,
        )
        cycle.full_clean()
        cycle.save()
    return cycle


def default_cycle_windows(financial_year: int, start_month: int) -> dict[str, date | int]:
    """A typical council timetable: mid-year reviews in the 6th and 7th months of the
    financial year, year-end reviews from its last month into the first of the next."""
    fy_start, _fy_end = year_rules.fy_bounds(financial_year, start_month)

    def month_start(offset: int) -> date:
        index = fy_start.year * 12 + fy_start.month - 1 + offset
        return date(index // 12, index % 12 + 1, 1)

    return {
        "financial_year": financial_year,
        "mid_year_opens": month_start(5),
        "mid_year_closes": month_start(7) - timedelta(days=1),
        "year_end_opens": month_start(11),
        "year_end_closes": month_start(13) - timedelta(days=1),
    }

"""A year's target spread over its periods: the values a profile stores.

``period_targets_for`` works out what ``KPITarget.period_targets`` holds for a
profile (organisations/rules/profiles.py): nothing for flat, the typed values for
entered, the year's target spread evenly, or last year's shape from last year's
results (one query). The services in ``services/kpis.py`` save it and re-grade
the year's results against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from organisations.models import KPI, KPIResult
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules


def period_ends(kpi: KPI, financial_year: int) -> list[date]:
    return year_rules.period_ends_in_year(financial_year, kpi.frequency, kpi.start_month)


def last_year_figures(kpi: KPI, financial_year: int) -> list[Decimal | None]:
    """The KPI's results for each period of the year before ``financial_year``
    (None where a period has none). One query."""
    ends = period_ends(kpi, financial_year - 1)
    found = dict(KPIResult.objects.filter(kpi=kpi, period_end__in=ends).values_list("period_end", "value"))
    return [found.get(end) for end in ends]


def period_targets_for(
    *,
    kpi: KPI,
    financial_year: int,
    target: Decimal,
    profile: str,
    entered: Mapping[date, Decimal] | None = None,
) -> dict[str, str]:
    """What ``KPITarget.period_targets`` holds for ``profile``: ISO period end to
    value, for every period of the year; empty for a flat profile.

    Raises ValidationError (on ``profile``, or on the period's field, named by
    its ISO date) when the profile cannot be worked out: the even and last-year
    profiles for a point-in-time KPI, last year without a figure in a period, an
    entered profile missing a period or, for a year-to-date KPI, whose last
    period is not the year's target (the year-end figure is the outturn).
    """
    if profile not in profile_rules.PROFILES:
        raise ValidationError({"profile": "Choose how the year's target is spread over its periods."})
    if profile == profile_rules.FLAT:
        return {}
    if profile in profile_rules.CUMULATIVE_ONLY and not kpi.cumulative:
        raise ValidationError(
            {
                "profile": "Only a cumulative (year-to-date) KPI can be spread over the year or follow "
                "last year's shape: enter a target for each period instead."
            }
        )
    ends = period_ends(kpi, financial_year)
    places = kpi.decimal_places
    if profile == profile_rules.EVEN:
        values = profile_rules.even_profile(target, len(ends), places)
    elif profile == profile_rules.LAST_YEAR:
        last_label = year_rules.fy_label(financial_year - 1, kpi.start_month)
        try:
            values = profile_rules.last_year_shape(target, last_year_figures(kpi, financial_year), places)
        except ValueError as exc:
            raise ValidationError(
                {
                    "profile": f"{last_label} cannot give this year its shape: {exc}. "
                    "Spread the target evenly or enter a target for each period instead."
                }
            ) from None
    else:
        entered = entered or {}
        errors = {}
        for end in ends:
            if entered.get(end) is None:
                label = year_rules.period_label(end, kpi.frequency, kpi.start_month)
                errors[end.isoformat()] = f"Enter the target for {label}."
        if errors:
            raise ValidationError(errors)
        if kpi.cumulative and Decimal(entered[ends[-1]]) != Decimal(target):
            label = year_rules.period_label(ends[-1], kpi.frequency, kpi.start_month)
            raise ValidationError(
                {
                    ends[-1].isoformat(): f"The {label} target is the year's target, {kpi.format(target)}: "
                    "a year-to-date figure at the year end is the year's outturn."
                }
            )
        values = [Decimal(entered[end]) for end in ends]
    return {end.isoformat(): stored_number(value) for end, value in zip(ends, values, strict=True)}


def stored_number(value) -> str:
    """A period's target as stored: plain digits, no padding zeros ("50", "96.5")."""
    return format(Decimal(value).normalize(), "f")


def follow_new_target(kpi: KPI, financial_year: int, profile: str, stored: dict, target: Decimal) -> dict:
    """The period targets after the year's target changes: worked out again for
    the even and last-year profiles; an entered profile keeps what was typed,
    except that a year-to-date KPI's last period follows the year's target."""
    if profile in profile_rules.WORKED_OUT:
        return period_targets_for(kpi=kpi, financial_year=financial_year, target=target, profile=profile)
    if profile == profile_rules.ENTERED and stored:
        kept = dict(stored)
        if kpi.cumulative:
            kept[period_ends(kpi, financial_year)[-1].isoformat()] = stored_number(target)
        return kept
    return {}

"""The query parameters every list understands, checked: a value that cannot be
read is a 400 naming the parameter, never ignored and never a 500.

- ``service``: a service's id or code; the service and everything below it;
- ``period_from``, ``period_to``: ISO dates (2026-04-01), inclusive;
- ``financial_year``: 2026 or "2026/27" (the year it starts);
- ``kpi``: a KPI's id or code (targets and results).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rest_framework.exceptions import ValidationError

from organisations.models import Organisation
from organisations.models.structure import ServiceTree
from organisations.rules import years as year_rules

FILTER_NAMES = ("service", "period_from", "period_to", "financial_year", "kpi")


@dataclass
class Filters:
    service_ids: set[int] | None = None
    period_from: date | None = None
    period_to: date | None = None
    financial_year: int | None = None
    kpi: str | None = None

    def period_bounds(self, start_month: int) -> tuple[date | None, date | None]:
        """The dates a period must end within: the stated ones, narrowed by the financial year."""
        low, high = self.period_from, self.period_to
        if self.financial_year is not None:
            first, last = year_rules.fy_bounds(self.financial_year, start_month)
            low = max(low, first) if low else first
            high = min(high, last) if high else last
        return low, high


def _date(params, name: str) -> date | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: f"Give {name} as a date, YYYY-MM-DD, e.g. 2026-04-01."})
    if not 1900 <= parsed.year <= 2200:
        raise ValidationError({name: f"Give {name} as a date between 1900 and 2200."})
    return parsed


def _financial_year(params, start_month: int) -> int | None:
    value = params.get("financial_year", "").strip()
    if not value:
        return None
    try:
        year = (
            int(value)
            if value.isdigit() and len(value) == 4
            else year_rules.parse_fy_label(value, start_month)
        )
    except (ValueError, TypeError):
        raise ValidationError({"financial_year": "Give the financial year as 2026 or 2026/27."})
    if not 1900 <= year <= 2200:
        raise ValidationError({"financial_year": "Give a financial year between 1900 and 2200."})
    return year


def _service_ids(params, tree: ServiceTree | None) -> set[int] | None:
    value = params.get("service", "").strip()
    if not value or tree is None:
        return None
    match = None
    if value.isdigit():
        match = tree.get(int(value))
    if match is None:
        match = next((s for s in tree.services if s.code and s.code.lower() == value.lower()), None)
    if match is None:
        raise ValidationError({"service": "No service of your organisation has this id or code."})
    return tree.subtree_ids(match)


def read_filters(params, organisation: Organisation, tree: ServiceTree | None) -> Filters:
    """The filters of a request (``tree``: the organisation's services, when the
    request names one)."""
    if any("\x00" in params.get(name, "") for name in FILTER_NAMES):
        raise ValidationError({"detail": "A query parameter holds a character that is not allowed."})
    filters = Filters(
        service_ids=_service_ids(params, tree),
        period_from=_date(params, "period_from"),
        period_to=_date(params, "period_to"),
        financial_year=_financial_year(params, organisation.financial_year_start_month),
        kpi=params.get("kpi", "").strip() or None,
    )
    if filters.period_from and filters.period_to and filters.period_from > filters.period_to:
        raise ValidationError({"period_to": "period_to must be on or after period_from."})
    return filters

"""Writes for KPIs: definitions, yearly targets and results one at a time.

Each service is keyword-only, runs in one transaction, validates with
``full_clean()``, records who did it (``entered_by`` on results and the
simple-history user on every change) and asks for the organisation's flags to
be recomputed once the change is committed. Importing a results file is in
``services/kpi_import.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from core import clock
from core.queueing import request_recompute
from organisations.models import KPI, Employee, KPIResult, KPITarget, Organisation, Service
from organisations.models.kpis import KPI_FIELDS
from organisations.rules import kpis as kpi_rules
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules
from organisations.services.kpi_profiles import follow_new_target, period_targets_for
from organisations.services.kpi_sign_off import mark_submitted, save_trail, trail_event


def _as_history_user(obj: Any, by: Employee | None) -> None:
    # Outside a request simple-history cannot know the user: tell it.
    if by is not None:
        obj._history_user = by.user


def result_status(kpi: KPI, target: KPITarget | None, value: Decimal, *, period_end: date) -> str:
    """Status of a value against the target of its period: the year's target's
    profiled value for ``period_end`` (the year's target when it is not
    profiled); grey without a target."""
    if target is None:
        return kpi_rules.GREY
    return target.status_for(value, kpi.polarity, period_end)


def target_for(kpi: KPI, period_end: date) -> KPITarget | None:
    year = year_rules.financial_year_start(period_end, kpi.start_month)
    return KPITarget.objects.filter(kpi=kpi, financial_year=year).first()


def _regrade(kpi: KPI, *, financial_year: int | None = None, by: Employee | None = None) -> tuple[int, int]:
    """Recompute the stored status of a KPI's results (of one financial year, or
    all) after its target or polarity changed. Returns (changed, red without a
    corrective action): a result that turns red keeps its figures; the missing
    action is for its owner to add, and the flag run will prompt them."""
    targets = {t.financial_year: t for t in KPITarget.objects.filter(kpi=kpi)}
    results = list(KPIResult.objects.filter(kpi=kpi))
    changed = []
    reds_without_action = 0
    for r in results:
        year = year_rules.financial_year_start(r.period_end, kpi.start_month)
        if financial_year is not None and year != financial_year:
            continue
        status = result_status(kpi, targets.get(year), r.value, period_end=r.period_end)
        if status != r.status:
            r.status = status
            changed.append(r)
            if status == kpi_rules.RED and not r.corrective_action.strip():
                reds_without_action += 1
    if changed:
        bulk_update_with_history(
            changed,
            KPIResult,
            ["status"],
            default_user=by.user if by else None,
            default_change_reason="Re-graded",
        )
    return len(changed), reds_without_action


@transaction.atomic
def kpi_create(
    *,
    organisation: Organisation,
    service: Service,
    code: str,
    name: str,
    by: Employee | None = None,
    **fields,
) -> KPI:
    """Define a KPI. ``fields`` are the other KPI fields (unit, polarity, ...)."""
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown KPI fields: {sorted(unknown)}")
    kpi = KPI(organisation=organisation, service=service, code=code.strip().upper(), name=name, **fields)
    kpi.full_clean()
    _as_history_user(kpi, by)
    kpi.save()
    request_recompute(organisation.pk, kpis=[kpi.pk])
    return kpi


@dataclass
class KPIUpdateOutcome:
    kpi: KPI
    regraded: int = 0
    reds_without_action: int = 0


@transaction.atomic
def kpi_update(*, kpi: KPI, by: Employee | None = None, **changes) -> KPIUpdateOutcome:
    """Change a KPI's definition. Its frequency cannot change once it has results
    (their period ends would no longer be periods); a new polarity re-grades them."""
    unknown = set(changes) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown KPI fields: {sorted(unknown)}")
    before = KPI.objects.select_for_update().get(pk=kpi.pk)
    if "code" in changes:
        changes["code"] = changes["code"].strip().upper()
    for name, value in changes.items():
        setattr(kpi, name, value)
    if kpi.frequency != before.frequency and KPIResult.objects.filter(kpi=kpi).exists():
        raise ValidationError(
            {"frequency": "This KPI has results, so its frequency cannot change. Create a new KPI instead."}
        )
    kpi.full_clean()
    _as_history_user(kpi, by)
    kpi.save()
    outcome = KPIUpdateOutcome(kpi=kpi)
    if before.cumulative and not kpi.cumulative:
        # Spread evenly and last year's shape are for year-to-date figures: a KPI no
        # longer cumulative keeps its period targets as entered ones.
        worked_out = list(KPITarget.objects.filter(kpi=kpi, profile__in=profile_rules.CUMULATIVE_ONLY))
        for t in worked_out:
            t.profile = profile_rules.ENTERED
            _as_history_user(t, by)
            t.save(update_fields=["profile"])
    if kpi.polarity != before.polarity:
        outcome.regraded, outcome.reds_without_action = _regrade(kpi, by=by)
    request_recompute(kpi.organisation_id, kpis=[kpi.pk])
    return outcome


@dataclass
class TargetOutcome:
    target: KPITarget
    created: bool
    regraded: int = 0
    reds_without_action: int = 0


@transaction.atomic
def kpi_target_set(
    *,
    kpi: KPI,
    financial_year: int,
    target: Decimal,
    tolerance_kind: str = kpi_rules.PERCENT,
    green_tolerance: Decimal = Decimal(0),
    amber_tolerance: Decimal = Decimal(5),
    by: Employee | None = None,
) -> TargetOutcome:
    """Set (or change) a KPI's target for a financial year and re-grade that
    year's results against it. A profiled target's periods follow the new
    target (``kpi_profiles.follow_new_target``)."""
    obj = KPITarget.objects.select_for_update().filter(kpi=kpi, financial_year=financial_year).first()
    created = obj is None
    if created:
        obj = KPITarget(kpi=kpi, financial_year=financial_year)
    elif obj.target != target and obj.profile != profile_rules.FLAT:
        try:
            obj.period_targets = follow_new_target(
                kpi, financial_year, obj.profile, obj.period_targets, target
            )
        except ValidationError as exc:
            raise ValidationError({"target": exc.messages}) from None
    obj.target = target
    obj.tolerance_kind = tolerance_kind
    obj.green_tolerance = green_tolerance
    obj.amber_tolerance = amber_tolerance
    obj.full_clean()
    _as_history_user(obj, by)
    obj.save()
    regraded, reds = _regrade(kpi, financial_year=financial_year, by=by)
    request_recompute(kpi.organisation_id, kpis=[kpi.pk])
    return TargetOutcome(target=obj, created=created, regraded=regraded, reds_without_action=reds)


@transaction.atomic
def kpi_target_profile_set(
    *,
    target: KPITarget,
    profile: str,
    entered: dict[date, Decimal] | None = None,
    by: Employee | None = None,
) -> TargetOutcome:
    """Spread a year's target over its periods (``profile``: flat, entered, even or
    last year's shape; ``entered`` holds each period end's target for an entered
    profile) and re-grade that year's results against their periods' targets."""
    obj = KPITarget.objects.select_for_update().select_related("kpi__organisation").get(pk=target.pk)
    kpi = obj.kpi
    obj.period_targets = period_targets_for(
        kpi=kpi, financial_year=obj.financial_year, target=obj.target, profile=profile, entered=entered
    )
    obj.profile = profile
    obj.full_clean()
    _as_history_user(obj, by)
    obj.save()
    regraded, reds = _regrade(kpi, financial_year=obj.financial_year, by=by)
    request_recompute(kpi.organisation_id, kpis=[kpi.pk])
    return TargetOutcome(target=obj, created=False, regraded=regraded, reds_without_action=reds)


@transaction.atomic
def kpi_result_record(
    *,
    kpi: KPI,
    period_end: date,
    value: Decimal,
    commentary: str = "",
    corrective_action: str = "",
    public_commentary: str | None = None,
    by: Employee | None = None,
) -> tuple[KPIResult, bool]:
    """Record a period's result, or correct it if one exists. The status is
    computed from the target of the period's financial year; a red result needs
    a corrective action. Either way the result awaits sign-off (a signed-off
    result that is corrected goes back to awaiting it), recorded in the audit trail. ``public_commentary`` None leaves the published text as
    it is. Returns the result and whether it was created."""
    result = KPIResult.objects.select_for_update().filter(kpi=kpi, period_end=period_end).first()
    created = result is None
    if created:
        result = KPIResult(kpi=kpi, period_end=period_end)
    result.kpi = kpi  # the caller's instance: its organisation is already loaded
    result.value = value
    result.commentary = commentary.strip()
    result.corrective_action = corrective_action.strip()
    if public_commentary is not None:
        result.public_commentary = public_commentary.strip()
    result.status = result_status(kpi, target_for(kpi, period_end), value, period_end=period_end)
    if by is not None:
        result.entered_by = by.user
    # Recorded or corrected, it awaits sign-off again (docs/KPI_COLLECTION.md).
    now = clock.now()
    kind = mark_submitted(result, by=by, at=now)
    result.full_clean()
    _as_history_user(result, by)
    result._change_reason = "Submitted" if created else "Corrected and submitted again"
    result.save()
    if by is not None:
        save_trail([trail_event(kind, by, result, now)])
    request_recompute(kpi.organisation_id, kpis=[kpi.pk])
    return result, created

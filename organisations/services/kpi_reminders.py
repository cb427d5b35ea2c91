"""Remind KPI owners of results coming due and chase late ones: the daily job
(``organisations.tasks.send_result_reminders``) calls :func:`result_reminders_send`.

A week before a period's result is due its owner is reminded; the day after, if
it is still missing (or was returned and not submitted again), chased; then
once a week while it stays so (``rules.collection.reminder_key``). Each message
has its event's key, so running the job twice a day, or again after a missed
day, tells nobody twice. A KPI without an owner has nobody to remind: the
collection page and the data-missing flag (raised to the head of its service)
show it instead.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from core import glossary
from organisations.models import KPI, KPIResult, Organisation
from organisations.rules import collection as rules
from organisations.rules import years as year_rules
from organisations.services.notifications import notify


def _periods_to_check(kpi: KPI, today: date) -> list[date]:
    """Period ends whose due date lies from CHASE_LOOKBACK_DAYS ago to
    REMIND_DAYS_BEFORE days ahead, newest first."""
    start = kpi.start_month
    latest = today + timedelta(days=rules.REMIND_DAYS_BEFORE) - timedelta(days=kpi.data_lag_days)
    end = year_rules.period_end_for(latest, kpi.frequency, start)
    if end > latest:
        end = year_rules.previous_period_end(end, kpi.frequency, start)
    oldest = today - timedelta(days=rules.CHASE_LOOKBACK_DAYS + kpi.data_lag_days)
    out = []
    while end >= oldest and end < today:
        out.append(end)
        end = year_rules.previous_period_end(end, kpi.frequency, start)
    return out


def _message(kpi: KPI, period_end: date, state: str | None, suffix: str) -> str:
    label = year_rules.period_label(period_end, kpi.frequency, kpi.start_month)
    due = glossary.long_date(rules.due_date(period_end, kpi.data_lag_days))
    name = f"{kpi.code} {kpi.name}"
    if suffix == "due":
        return f"{name}: the result for {label} is due by {due}."
    why = (
        "was returned and has not been submitted again"
        if state == rules.RETURNED
        else "has not been recorded"
    )
    return f"{name}: the result for {label} was due by {due} and {why}."


def result_reminders_send(*, today: date, organisation: Organisation | None = None) -> int:
    """Remind and chase the owners of active KPIs (of one organisation, or all).
    Returns how many people were told something new. Queries: the KPIs with
    their owners, the results of the periods in question, then a few per
    message (``notify``)."""
    kpis = KPI.objects.filter(active=True, owner__isnull=False, owner__active=True).select_related(
        "owner", "organisation"
    )
    if organisation is not None:
        kpis = kpis.filter(organisation=organisation)
    kpi_list = list(kpis.order_by("organisation_id", "code"))
    periods = {k.pk: _periods_to_check(k, today) for k in kpi_list}
    wanted = {d for ds in periods.values() for d in ds}
    states: dict[tuple[int, date], str] = {}
    first: dict[int, date] = {}
    if wanted:
        for kpi_id, period_end, state in (
            KPIResult.objects.filter(kpi__in=[k.pk for k in kpi_list])
            .filter(period_end__gte=min(wanted))
            .order_by()
            .values_list("kpi_id", "period_end", "state")
        ):
            states[(kpi_id, period_end)] = state
            first[kpi_id] = min(first.get(kpi_id, period_end), period_end)
    sent = 0
    for kpi in kpi_list:
        chased_one = False
        for period_end in periods[kpi.pk]:
            state = states.get((kpi.pk, period_end))
            suffix = rules.reminder_key(
                state=state, period_end=period_end, lag_days=kpi.data_lag_days, today=today
            )
            if suffix is None:
                continue
            if suffix != "due":
                # As the data-missing flag: not before the KPI's first result (a new
                # KPI is not in arrears), and without any result only its latest period.
                if kpi.pk in first and period_end < first[kpi.pk]:
                    continue
                if kpi.pk not in first and chased_one:
                    continue
                chased_one = True
            url = reverse("organisations:kpi_result_record", args=[kpi.pk])
            told = notify(
                kpi.owner,
                "result_due",
                key=f"kpi-result:{kpi.pk}:{period_end.isoformat()}:{suffix}",
                text=_message(kpi, period_end, state, suffix),
                url=f"{url}?period={period_end.isoformat()}",
            )
            sent += told is not None
    return sent

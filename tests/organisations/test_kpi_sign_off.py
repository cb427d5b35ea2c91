"""Signing off KPI results: the rules, the services and their audit trail, the
import's tick box, and the daily reminders."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organisations.models import AuditEvent, KPIResult, Notification, ResultState
from organisations.rules import collection as rules
from organisations.services import kpis as kpi_services
from organisations.services.kpi_csv import CsvRow
from organisations.services.kpi_import import kpi_results_import
from organisations.services.kpi_reminders import result_reminders_send
from organisations.services.kpi_sign_off import result_return, results_validate
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal
SEP = date(2026, 9, 30)  # due 30 October with the usual lag of 30 days
TODAY = date(2026, 11, 20)


# --- Rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state", "key"),
    [
        (date(2026, 10, 22), None, None),  # eight days before the due date
        (date(2026, 10, 23), None, "due"),  # a week before
        (date(2026, 10, 30), None, "due"),  # the due date: still on time
        (date(2026, 10, 23), "submitted", None),
        (date(2026, 10, 23), "returned", None),  # returned early: the owner was told already
        (date(2026, 10, 31), None, "late-0"),  # the day after
        (date(2026, 11, 6), None, "late-0"),
        (date(2026, 11, 7), None, "late-1"),  # a week later
        (date(2026, 11, 14), "returned", "late-2"),
        (date(2026, 11, 14), "validated", None),
    ],
)
def test_reminder_key(today, state, key):
    assert rules.reminder_key(state=state, period_end=SEP, lag_days=30, today=today) == key


def test_standing():
    kw = {"period_end": SEP, "lag_days": 30}
    assert rules.standing(state=None, today=date(2026, 10, 30), **kw) == rules.NOT_DUE
    assert rules.standing(state=None, today=date(2026, 10, 31), **kw) == rules.LATE
    assert rules.standing(state="returned", today=date(2026, 12, 1), **kw) == rules.RETURNED
    assert rules.is_late(state="returned", today=date(2026, 12, 1), **kw)
    assert not rules.is_late(state="submitted", today=date(2026, 12, 1), **kw)
    with pytest.raises(ValueError):
        rules.standing(state="nonsense", today=date(2026, 12, 1), **kw)


@pytest.mark.parametrize(
    ("validated_by", "officer", "head", "owner", "may"),
    [
        ("officer", True, False, False, True),
        ("officer", False, True, False, False),
        ("head", False, True, False, True),
        ("head", False, False, False, False),
        ("head", True, False, True, False),  # never your own KPI's figures
    ],
)
def test_may_sign_off(validated_by, officer, head, owner, may):
    assert (
        rules.may_sign_off(
            validated_by=validated_by, is_performance_officer=officer, heads_kpi_service=head, owns_kpi=owner
        )
        is may
    )


# --- Services ----------------------------------------------------------------------


@pytest.fixture
def kpi(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01", owner=world.staff)
    KPITargetFactory(kpi=kpi, financial_year=2026, target=D("90"))
    return kpi


def trail(kind):
    return list(AuditEvent.objects.filter(kind=kind).values_list("subject_name", "actor_name", "detail"))


def test_a_recorded_result_awaits_sign_off_and_the_trail_has_each_step(world, kpi):
    result, _ = kpi_services.kpi_result_record(kpi=kpi, period_end=SEP, value=D("92"), by=world.staff)
    assert result.state == ResultState.SUBMITTED and result.submitted_by == world.staff
    assert trail("result_submitted") == [("HO-01 Sep 2026", world.staff.full_name, "")]

    results_validate(results=[result], by=world.officer)
    result.refresh_from_db()
    assert result.state == ResultState.VALIDATED and result.validated_by == world.officer
    assert trail("result_validated") == [("HO-01 Sep 2026", world.officer.full_name, "")]

    # Editing a signed-off figure sends it back for sign-off.
    result, created = kpi_services.kpi_result_record(kpi=kpi, period_end=SEP, value=D("93"), by=world.staff)
    assert not created and result.state == ResultState.SUBMITTED and result.validated_by is None
    assert len(trail("result_resubmitted")) == 1

    result_return(result=result, by=world.officer, reason="  Check the denominator.  ")
    result.refresh_from_db()
    assert result.state == ResultState.RETURNED and result.return_reason == "Check the denominator."
    assert trail("result_returned") == [("HO-01 Sep 2026", world.officer.full_name, "Check the denominator.")]
    (note,) = Notification.objects.filter(recipient=world.staff, kind="result_returned")
    assert "Check the denominator." in note.text and note.url.endswith("?period=2026-09-30")
    reasons = list(result.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Corrected and submitted again", "Returned"]


def test_only_those_who_sign_off_may_sign_off_or_return(world, kpi):
    result = KPIResultFactory(kpi=kpi, period_end=SEP, state=ResultState.SUBMITTED)
    result.kpi = kpi
    for person in (world.staff, world.manager, world.service_head, world.head):
        with pytest.raises(PermissionDenied):
            results_validate(results=[result], by=person)
        with pytest.raises(PermissionDenied):
            result_return(result=result, by=person, reason="No")
    # Where the organisation chooses heads, the head of the KPI's service (or above) signs off too.
    world.org.results_validated_by = "head"
    world.org.save()
    kpi.refresh_from_db()
    result.kpi = kpi
    assert results_validate(results=[result], by=world.service_head) == 1
    # ...but nobody signs off the figures of a KPI they own.
    owned = KPIFactory(organisation=world.org, service=world.service, code="HO-02", owner=world.officer)
    mine = KPIResultFactory(kpi=owned, period_end=SEP, state=ResultState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        results_validate(results=[mine], by=world.officer)


def test_signing_off_needs_a_result_awaiting_it_and_returning_needs_a_reason(world, kpi):
    done = KPIResultFactory(kpi=kpi, period_end=SEP)  # signed off already
    with pytest.raises(ValidationError):
        results_validate(results=[done], by=world.officer)
    with pytest.raises(ValidationError):
        results_validate(results=[], by=world.officer)
    with pytest.raises(ValidationError) as exc:
        result_return(result=done, by=world.officer, reason="   ")
    assert "reason" in exc.value.message_dict
    assert KPIResult.objects.get(pk=done.pk).state == ResultState.VALIDATED


def rows(*cells):
    return [
        CsvRow(
            number=i + 2,
            cells={"kpi_code": c, "period_end": p, "value": v, "commentary": "", "corrective_action": ""},
        )
        for i, (c, p, v) in enumerate(cells)
    ]


def test_an_import_is_submitted_unless_someone_who_signs_off_ticks_the_box(world, kpi):
    outcome = kpi_results_import(
        organisation=world.org, rows=rows(("HO-01", "2026-08-31", "91")), by=world.staff, today=TODAY
    )
    assert outcome.ok and KPIResult.objects.get(period_end=date(2026, 8, 31)).state == "submitted"
    outcome = kpi_results_import(
        organisation=world.org,
        rows=rows(("HO-01", "2026-08-31", "92"), ("HO-01", "2026-09-30", "93")),
        by=world.officer,
        sign_off=True,
        today=TODAY,
    )
    assert outcome.ok
    assert set(KPIResult.objects.values_list("state", "validated_by")) == {("validated", world.officer.pk)}
    assert len(trail("result_validated")) == 2 and len(trail("result_resubmitted")) == 1
    # Someone who may not sign off a KPI in the file: the row is refused, nothing imported.
    outcome = kpi_results_import(
        organisation=world.org,
        rows=rows(("HO-01", "2026-10-31", "94")),
        by=world.staff,
        sign_off=True,
        today=TODAY,
    )
    assert [e.message for e in outcome.errors] == ["You may not sign off the results of HO-01."]
    assert not KPIResult.objects.filter(period_end=date(2026, 10, 31)).exists()


# --- Reminders --------------------------------------------------------------------


def told(world):
    return list(
        Notification.objects.filter(recipient=world.staff, kind="result_due")
        .order_by("pk")
        .values_list("key", flat=True)
    )


def test_owners_are_reminded_before_and_chased_after_once_each(world, kpi):
    KPIResultFactory(kpi=kpi, period_end=date(2026, 8, 31))  # its first result: earlier gaps are not chased
    key = f"kpi-result:{kpi.pk}:2026-09-30"
    assert result_reminders_send(today=date(2026, 10, 22)) == 0
    assert result_reminders_send(today=date(2026, 10, 23)) == 1
    assert result_reminders_send(today=date(2026, 10, 24)) == 0  # told once
    assert result_reminders_send(today=date(2026, 10, 30)) == 0
    assert result_reminders_send(today=date(2026, 10, 31)) == 1  # the day after
    assert result_reminders_send(today=date(2026, 11, 3)) == 0
    assert told(world) == [f"{key}:due", f"{key}:late-0"]
    # A week on, still missing: chased again; October's is coming due too.
    result_reminders_send(today=date(2026, 11, 23))
    assert told(world)[2:] == [f"kpi-result:{kpi.pk}:2026-10-31:due", f"{key}:late-3"]
    (late,) = Notification.objects.filter(key=f"{key}:late-0")
    assert late.text.endswith("the result for Sep 2026 was due by 30 October 2026 and has not been recorded.")


def test_a_submitted_result_stops_the_chasing_and_a_returned_one_starts_it_again(world, kpi):
    result = KPIResultFactory(kpi=kpi, period_end=SEP, state=ResultState.SUBMITTED)
    assert result_reminders_send(today=date(2026, 11, 2)) == 0
    KPIResult.objects.filter(pk=result.pk).update(state=ResultState.RETURNED)
    assert result_reminders_send(today=date(2026, 11, 2)) == 1
    (note,) = Notification.objects.filter(kind="result_due")
    assert "was returned and has not been submitted again" in note.text


def test_kpis_without_an_owner_or_inactive_remind_nobody(world, kpi):
    kpi.owner = None
    kpi.save()
    KPIFactory(organisation=world.org, service=world.service, owner=world.peer, active=False)
    assert result_reminders_send(today=date(2026, 10, 31)) == 0
    assert result_reminders_send(today=date(2026, 10, 31) + timedelta(days=7)) == 0

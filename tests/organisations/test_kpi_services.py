"""KPI services: create and update, targets, recording and correcting results."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from organisations.models import KPI, KPIResult, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.services import kpis as svc
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal


@pytest.fixture
def kpi(world):
    return KPIFactory(organisation=world.org, service=world.service, code="HO-01", name="Prevented")


@pytest.fixture
def target(kpi):
    # 2025/26: 90%, green on target, amber within 5% of target (85.5), red below.
    return KPITargetFactory(kpi=kpi, financial_year=2025, target=D("90"))


def test_kpi_create_normalises_code_and_records_history(world):
    kpi = svc.kpi_create(
        organisation=world.org,
        service=world.service,
        code=" ho-09 ",
        name="Decisions within 56 days",
        unit=kpi_rules.UNIT_PERCENT,
        by=world.officer,
    )
    assert kpi.code == "HO-09"
    assert kpi.history.get().history_user == world.officer.user


def test_kpi_create_rejects_a_service_of_another_organisation(world):
    with pytest.raises(ValidationError) as exc:
        svc.kpi_create(organisation=world.org, service=world.other_service, code="X-1", name="X")
    assert "service" in exc.value.message_dict
    assert not KPI.objects.filter(code="X-1").exists()


def test_kpi_create_rejects_unknown_fields(world):
    with pytest.raises(TypeError):
        svc.kpi_create(organisation=world.org, service=world.service, code="X-1", name="X", colour="red")


def test_frequency_cannot_change_once_results_exist(kpi, target):
    svc.kpi_update(kpi=kpi, frequency=year_rules.QUARTERLY)  # no results yet: allowed
    kpi.refresh_from_db()
    assert kpi.frequency == year_rules.QUARTERLY
    svc.kpi_result_record(kpi=kpi, period_end=date(2025, 6, 30), value=D("91"))
    with pytest.raises(ValidationError) as exc:
        svc.kpi_update(kpi=kpi, frequency=year_rules.MONTHLY)
    assert "frequency" in exc.value.message_dict
    kpi.refresh_from_db()
    assert kpi.frequency == year_rules.QUARTERLY


def test_a_new_polarity_regrades_results(kpi, target):
    svc.kpi_result_record(kpi=kpi, period_end=date(2025, 4, 30), value=D("95"))  # green, higher is better
    outcome = svc.kpi_update(kpi=kpi, polarity=kpi_rules.LOWER)
    assert outcome.regraded == 1
    assert outcome.reds_without_action == 1  # 95 against 90, lower is better: 5.6% over, red
    assert KPIResult.objects.get().status == kpi_rules.RED


def test_result_status_is_computed_from_the_target_of_its_financial_year(kpi, target):
    KPITargetFactory(kpi=kpi, financial_year=2024, target=D("80"))
    # 84 in March 2025 is 2024/25 (target 80): green. In April 2025 it is 2025/26 (90): red.
    march, _ = svc.kpi_result_record(kpi=kpi, period_end=date(2025, 3, 31), value=D("84"))
    assert march.status == kpi_rules.GREEN
    with pytest.raises(ValidationError) as exc:
        svc.kpi_result_record(kpi=kpi, period_end=date(2025, 4, 30), value=D("84"))
    assert "corrective_action" in exc.value.message_dict
    april, _ = svc.kpi_result_record(
        kpi=kpi, period_end=date(2025, 4, 30), value=D("84"), corrective_action="Agency cover."
    )
    assert april.status == kpi_rules.RED
    amber, _ = svc.kpi_result_record(kpi=kpi, period_end=date(2025, 5, 31), value=D("86"))
    assert amber.status == kpi_rules.AMBER


def test_no_target_means_grey(kpi):
    result, _ = svc.kpi_result_record(kpi=kpi, period_end=date(2025, 4, 30), value=D("1"))
    assert result.status == kpi_rules.GREY


def test_result_period_must_be_a_period_end(kpi):
    with pytest.raises(ValidationError) as exc:
        svc.kpi_result_record(kpi=kpi, period_end=date(2025, 4, 15), value=D("1"))
    assert "period_end" in exc.value.message_dict


def test_correcting_a_result_keeps_one_row_and_its_history(world, kpi, target):
    first, created = svc.kpi_result_record(
        kpi=kpi, period_end=date(2025, 4, 30), value=D("91"), commentary="First", by=world.officer
    )
    assert created and first.entered_by == world.officer.user
    second, created = svc.kpi_result_record(
        kpi=kpi, period_end=date(2025, 4, 30), value=D("92.5"), commentary="Corrected", by=world.head
    )
    assert not created and second.pk == first.pk
    assert KPIResult.objects.count() == 1
    second.refresh_from_db()
    assert second.value == D("92.5") and second.entered_by == world.head.user
    history = list(second.history.order_by("history_date").values_list("value", "history_user_id"))
    assert history == [(D("91"), world.officer.user.pk), (D("92.5"), world.head.user.pk)]


def test_recording_queues_a_recompute_on_commit(kpi, target, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("core.queueing._handler", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        svc.kpi_result_record(kpi=kpi, period_end=date(2025, 4, 30), value=D("91"))
    assert queued == [kpi.organisation_id]


def test_a_failing_queue_never_fails_the_save(kpi, target, django_capture_on_commit_callbacks, monkeypatch):
    def broken(_org_id):
        raise ConnectionError("broker down")

    monkeypatch.setattr("core.queueing._handler", broken)
    with django_capture_on_commit_callbacks(execute=True):
        svc.kpi_result_record(kpi=kpi, period_end=date(2025, 4, 30), value=D("91"))
    assert KPIResult.objects.count() == 1
    kpi.organisation.refresh_from_db()
    assert kpi.organisation.recompute_failed_at is not None


def test_setting_a_target_regrades_that_year_only(kpi):
    in_year = KPIResultFactory(kpi=kpi, period_end=date(2025, 4, 30), value=D("88"))
    other_year = KPIResultFactory(kpi=kpi, period_end=date(2024, 4, 30), value=D("88"))
    assert in_year.status == other_year.status == kpi_rules.GREY
    outcome = svc.kpi_target_set(kpi=kpi, financial_year=2025, target=D("90"), amber_tolerance=D("5"))
    assert outcome.created and outcome.regraded == 1 and outcome.reds_without_action == 0
    in_year.refresh_from_db()
    other_year.refresh_from_db()
    assert in_year.status == kpi_rules.AMBER
    assert other_year.status == kpi_rules.GREY
    # Tightening the tolerance turns it red: counted, since it has no corrective action.
    outcome = svc.kpi_target_set(kpi=kpi, financial_year=2025, target=D("90"), amber_tolerance=D("1"))
    assert not outcome.created and outcome.reds_without_action == 1
    assert KPITarget.objects.filter(kpi=kpi).count() == 1


def test_target_amber_must_not_be_narrower_than_green(kpi):
    with pytest.raises(ValidationError) as exc:
        svc.kpi_target_set(
            kpi=kpi, financial_year=2025, target=D("90"), green_tolerance=D("3"), amber_tolerance=D("2")
        )
    assert "amber_tolerance" in exc.value.message_dict
    assert not KPITarget.objects.exists()

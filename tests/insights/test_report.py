"""The quarterly performance report: its contents, its scope rules and its
CSV and Excel downloads (read back with the csv module and openpyxl)."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from core import clock
from insights.selectors import latest_complete_quarter
from tests.conftest import client_for
from tests.insights.factories import KPIFactory, KPIResultFactory, KPITargetFactory, RiskFactory
from tests.insights.test_dashboards import text

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

FY = 2025  # July to September 2025 is Q2
Q2 = {"financial_year": FY, "quarter": 2}


@pytest.fixture
def report_world(world):
    """Four KPIs in Housing Options (and one in Resources) with results around Q2 2025/26."""
    monthly = KPIFactory(
        service=world.service, code="HO-01", name="Homelessness prevented", owner=world.staff
    )
    quarterly = KPIFactory(
        service=world.team, code="HO-02", name="Average re-let time", frequency="quarterly", polarity="lower"
    )
    improving = KPIFactory(service=world.service, code="HO-03", name="Rent collected")
    stale = KPIFactory(service=world.service, code="HO-04", name="Tenancy audits")
    resources = KPIFactory(service=world.corporate, code="RES-01", name="Invoices paid on time")
    for k in (monthly, quarterly, improving, stale, resources):
        KPITargetFactory(kpi=k, financial_year=2024, target=Decimal("90"))
        KPITargetFactory(kpi=k, financial_year=2025, target=Decimal("90"))
    KPIResultFactory(
        kpi=monthly,
        period_end=date(2025, 9, 30),
        value=Decimal("80"),
        status="red",
        commentary="Staff shortages in the prevention team.",
        corrective_action='=HYPERLINK("http://evil.example") recruit two officers',
    )
    KPIResultFactory(kpi=monthly, period_end=date(2025, 6, 30), value=Decimal("85"), status="amber")
    KPIResultFactory(kpi=monthly, period_end=date(2024, 9, 30), value=Decimal("88"), status="amber")
    KPIResultFactory(kpi=quarterly, period_end=date(2025, 9, 30), value=Decimal("30"), status="green")
    KPIResultFactory(kpi=quarterly, period_end=date(2025, 6, 30), value=Decimal("35"), status="green")
    KPIResultFactory(kpi=improving, period_end=date(2025, 9, 30), value=Decimal("95"), status="green")
    KPIResultFactory(kpi=improving, period_end=date(2025, 6, 30), value=Decimal("91"), status="green")
    KPIResultFactory(kpi=stale, period_end=date(2025, 4, 30), value=Decimal("99"), status="green")
    KPIResultFactory(kpi=resources, period_end=date(2025, 9, 30), value=Decimal("50"), status="red")
    RiskFactory(organisation=world.org, service=world.service, title="Temporary accommodation costs")
    RiskFactory(
        organisation=world.org,
        service=world.service,
        title="At target",
        residual_likelihood=2,
        residual_impact=2,
    )
    RiskFactory(organisation=world.org, service=world.corporate, title="Payroll system failure")
    return world


def report(client, name="insights:quarterly_report", **params):
    return client.get(reverse(name), {**Q2, **params})


def test_report_puts_exceptions_first_then_every_kpi(report_world):
    w = report_world
    response = report(client_for(w.officer), scope=w.service.pk)
    assert response.status_code == 200
    page = text(response)
    assert "Q2 2025/26 (July to September 2025), Housing Options." in page
    exceptions = page[page.index("1. Exceptions") : page.index("2. Every KPI")]
    assert "HO-01 Homelessness prevented" in exceptions
    assert "80.0% against a target of 90.0% Red" in exceptions
    assert "↓ Worsening (was 85.0%)" in exceptions  # against June
    assert "Staff shortages in the prevention team." in exceptions
    assert "recruit two officers" in exceptions
    assert "HO-02" not in exceptions and "HO-03" not in exceptions
    every = page[page.index("2. Every KPI") : page.index("3. Risks above target")]
    assert (
        "HO-02 Average re-let time Options Team Q2 2025/26 90.0% 30.0% Green ↑ Improving (was 35.0%)" in every
    )
    assert "HO-03 Rent collected Housing Options Sep 2025 90.0% 95.0% Green ↑ Improving (was 91.0%)" in every
    assert "HO-04 Tenancy audits Housing Options No result for this quarter" in every
    assert "RES-01" not in page  # another service
    risks = page[page.index("3. Risks above target") : page.index("4. Workforce")]
    assert "Temporary accommodation costs" in risks
    assert "At target" not in risks and "Payroll system failure" not in risks
    workforce = page[page.index("4. Workforce") :]
    assert "5 people, 5.0 FTE" in workforce
    assert "Supervision compliance: 0% of staff (0 of 5)" in workforce
    # A committee paper: no one's name.
    assert "Sol Staff" not in page


def test_report_for_the_whole_organisation(report_world):
    w = report_world
    page = text(report(client_for(w.chief), scope="organisation"))
    assert "Testshire Council (whole organisation)" in page
    assert "RES-01 Invoices paid on time" in page
    assert "Payroll system failure" in page
    assert "8 people, 8.0 FTE" in page


def test_report_defaults_to_the_latest_complete_quarter_and_the_viewers_scope(report_world):
    w = report_world
    fy, q = latest_complete_quarter(clock.today(), 4)
    response = client_for(w.head).get(reverse("insights:quarterly_report"))
    assert response.status_code == 200
    assert response.context["form"].cleaned_data == {
        "financial_year": fy,
        "quarter": q,
        "scope": str(w.directorate.pk),
    }
    officer = client_for(w.officer).get(reverse("insights:quarterly_report"))
    assert officer.context["form"].cleaned_data["scope"] == "organisation"
    assert officer.context["report"].service is None


def test_heads_report_only_on_their_subtree(report_world):
    w = report_world
    client = client_for(w.service_head)
    assert report(client, scope=w.service.pk).status_code == 200
    assert report(client, scope=w.team.pk).status_code == 200
    assert report(client, scope=w.directorate.pk).status_code == 403
    assert report(client, scope=w.corporate.pk).status_code == 403
    assert report(client, scope=w.other_service.pk).status_code == 404
    assert report(client_for(w.officer), scope=w.other_service.pk).status_code == 404
    # A head of service cannot ask for the whole organisation: not one of their choices.
    response = report(client, scope="organisation")
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Select a valid choice" in text(response)


def test_report_errors_are_shown_in_the_summary_and_next_to_the_field(report_world):
    response = report(client_for(report_world.officer), quarter=9)
    html = response.content.decode()
    assert response.context["report"] is None
    assert "<title>Error: Quarterly performance report" in html
    assert "govuk-error-summary" in html and 'href="#id_quarter"' in html
    assert "govuk-error-message" in html
    # What was chosen is kept.
    assert '<option value="2025" selected>' in html


def test_report_downloads_as_csv(report_world):
    w = report_world
    response = report(client_for(w.officer), "insights:quarterly_report_csv", scope=w.service.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="performance-report-2025-26-q2-service-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["Code"] for r in rows] == ["HO-01", "HO-03", "HO-04", "HO-02"]  # by service, then code
    first = rows[0]
    assert first["Actual"] == "80.0" and first["Target"] == "90.0" and first["Status"] == "Red"
    assert first["Previous quarter"] == "85.0"
    assert first["Direction against previous quarter"] == "Worsening"
    assert first["Same quarter last year"] == "88.0"
    assert first["Exception"] == "Yes"
    assert first["Commentary"] == "Staff shortages in the prevention team."
    # A formula typed into a comment never runs in a spreadsheet.
    assert first["Corrective action"].startswith("'=HYPERLINK")
    assert rows[2]["Status"] == "No result" and rows[2]["Actual"] == ""


def test_report_downloads_as_excel_with_every_section(report_world):
    w = report_world
    response = report(client_for(w.officer), "insights:quarterly_report_xlsx", scope="organisation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary",
        "Exceptions",
        "KPIs",
        "Risks above target",
        "Workforce",
        "Supervision",
    ]

    def rows(sheet):
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], r, strict=True)) for r in values[1:]]

    summary = {r["Item"]: r["Value"] for r in rows("Summary")}
    assert summary["Quarter"] == "Q2 2025/26 (July to September 2025)"
    assert summary["KPIs"] == 5
    assert summary["KPIs: Red"] == 2 and summary["KPIs: No result"] == 1
    assert "KPIs grey" not in summary and "KPIs: Grey" not in summary
    assert summary["Exceptions: red, or amber and worsening"] == 2
    assert [r["Code"] for r in rows("Exceptions")] == ["HO-01", "RES-01"]
    kpis = {r["Code"]: r for r in rows("KPIs")}
    assert (
        kpis["HO-02"]["Actual"] == 30 and kpis["HO-02"]["Direction against previous quarter"] == "Improving"
    )
    assert kpis["HO-01"]["Corrective action"].startswith("'=")
    assert book["KPIs"]["O2"].data_type != "f"  # nothing is a formula
    assert [r["Risk"] for r in rows("Risks above target")] == [
        "Payroll system failure",
        "Temporary accommodation costs",
    ]
    workforce = {r["Employment type"]: r for r in rows("Workforce")}
    assert workforce["Interim"]["People"] == 1 and workforce["Total"]["FTE"] == 8.0
    supervision = {r["Measure"]: r["Value"] for r in rows("Supervision")}
    assert supervision["Staff"] == 8 and supervision["Compliance (%)"] == 0


def test_downloads_refuse_a_bad_request(report_world):
    response = report(client_for(report_world.officer), "insights:quarterly_report_csv", quarter="x")
    assert response.status_code == 400


def test_report_is_for_leaders_only(report_world):
    w = report_world
    for name in (
        "insights:quarterly_report",
        "insights:quarterly_report_csv",
        "insights:quarterly_report_xlsx",
    ):
        assert report(client_for(w.staff), name).status_code == 403
        assert report(client_for(w.peer), name).status_code == 403
        assert report(client_for(w.head), name).status_code == 200


def test_comparisons_older_than_the_scorecards_figures_are_loaded(world):
    """An annual KPI whose latest result is three years back: its year before lies
    outside the figures the scorecard loads, and is read from the database."""
    from insights.selectors import quarter_rows
    from organisations.models import KPI
    from organisations.selectors.kpis import kpi_scorecard

    annual = KPIFactory(service=world.service, code="HO-09", name="Residents' survey", frequency="annual")
    monthly = KPIFactory(service=world.service, code="HO-10", name="Calls answered")
    KPIResultFactory(kpi=annual, period_end=date(2023, 3, 31), value=Decimal("70"), status="green")
    KPIResultFactory(kpi=annual, period_end=date(2022, 3, 31), value=Decimal("60"), status="green")
    KPIResultFactory(kpi=monthly, period_end=date(2025, 9, 30), value=Decimal("9"), status="green")
    KPIResultFactory(kpi=monthly, period_end=date(2025, 6, 30), value=Decimal("8"), status="green")
    KPIResultFactory(kpi=monthly, period_end=date(2024, 9, 30), value=Decimal("7"), status="green")
    rows = kpi_scorecard(
        KPI.objects.filter(pk__in=[annual.pk, monthly.pk]).order_by("code"),
        today=date(2026, 1, 15),
        as_of=date(2025, 9, 30),
    )
    assert rows[0].figures_from > date(2022, 3, 31)  # the year before is not among the figures
    by_code = {r.kpi.code: r for r in quarter_rows(rows, date(2025, 7, 1))}
    assert by_code["HO-09"].previous_quarter.value == Decimal("60")
    assert by_code["HO-09"].last_year.value == Decimal("60")
    assert by_code["HO-09"].direction_previous == "improving"
    assert (by_code["HO-10"].previous_quarter.value, by_code["HO-10"].last_year.value) == (8, 7)

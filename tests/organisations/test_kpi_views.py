"""KPI pages: who may edit, the forms (red needs a corrective action), query budgets."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from organisations.access import Viewer
from organisations.models import KPI, KPIResult, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal
pytestmark = pytest.mark.any_date


def current_fy() -> int:
    return year_rules.financial_year_start(clock.today())


def ended_month(months_back: int = 1) -> date:
    """The end of a month that has ended, ``months_back`` before the current one."""
    end = year_rules.period_end_for(clock.today(), year_rules.MONTHLY)
    for _ in range(months_back):
        end = year_rules.previous_period_end(end, year_rules.MONTHLY)
    return end


@pytest.fixture
def kpi(world):
    """Housing Options' KPI with a target of 90% for the year of the last full month
    (amber within 5% of target, so red below 85.5%); no owner."""
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01", name="Prevented")
    KPITargetFactory(kpi=kpi, financial_year=year_rules.financial_year_start(ended_month()), target=D("90"))
    return kpi


def errors_next_to(html: str, field: str) -> list[str]:
    block = re.search(
        rf'id="div_id_{field}".*?</div>\s*(?=<div id="div_id_|</fieldset>|<button|</form>)', html, re.S
    )
    assert block, f"no form group for {field}"
    return re.findall(
        r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*(.*?)\s*</span>',
        block.group(0),
        re.S,
    )


# --- Who may edit ----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("officer", True),  # performance officer
        ("chief", True),  # heads the root: every service is below
        ("head", True),  # heads the directorate above
        ("service_head", True),  # heads the KPI's service
        ("manager", False),  # heads a team below: not the KPI's service
        ("staff", False),
        ("outsider", False),  # another organisation
    ],
)
def test_can_edit_kpi(world, kpi, persona, may):
    assert Viewer(world.persona(persona)).can_edit_kpi(kpi) is may


def test_the_owner_may_edit(world, kpi):
    kpi.owner = world.staff
    kpi.save()
    assert Viewer(world.staff).can_edit_kpi(kpi)
    assert not Viewer(world.peer).can_edit_kpi(kpi)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 403),
        ("manager", 403),
        ("peer", 403),
        ("outsider", 404),
        ("service_head", 302),
        ("officer", 302),
    ],
)
def test_recording_a_result_is_for_editors(world, kpi, persona, status):
    response = client_for(world.persona(persona)).post(
        reverse("organisations:kpi_result_record", args=[kpi.pk]),
        {"period": ended_month().isoformat(), "value": "91"},
    )
    assert response.status_code == status
    assert KPIResult.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(
    ("persona", "status"), [("staff", 403), ("manager", 403), ("outsider", 404), ("head", 302)]
)
def test_setting_targets_is_for_editors(world, kpi, persona, status):
    response = client_for(world.persona(persona)).post(
        reverse("organisations:kpi_targets", args=[kpi.pk]),
        {
            "financial_year": current_fy() + 1,
            "target": "92",
            "tolerance_kind": "percent",
            "green_tolerance": "0",
            "amber_tolerance": "5",
        },
    )
    assert response.status_code == status
    assert KPITarget.objects.filter(financial_year=current_fy() + 1).exists() is (status == 302)


@pytest.mark.parametrize(
    ("persona", "status"), [("staff", 403), ("manager", 403), ("outsider", 404), ("officer", 302)]
)
def test_editing_a_kpi_is_for_editors(world, kpi, persona, status):
    data = kpi_form_data(world, code="HO-01", name="Renamed")
    response = client_for(world.persona(persona)).post(reverse("organisations:kpi_edit", args=[kpi.pk]), data)
    assert response.status_code == status
    kpi.refresh_from_db()
    assert (kpi.name == "Renamed") is (status == 302)


def test_everyone_in_the_organisation_may_view(world, kpi):
    for persona in ("staff", "manager", "peer", "interim"):
        client = client_for(world.persona(persona))
        assert client.get(reverse("organisations:kpi_detail", args=[kpi.pk])).status_code == 200
        page = client.get(reverse("organisations:kpi_scorecard", args=[world.service.pk])).content.decode()
        assert "HO-01" in page and "Record a result" not in page


# --- Recording a result ------------------------------------------------------


def test_red_result_needs_a_corrective_action_shown_next_to_the_field(world, kpi):
    client = client_for(world.officer)
    period = ended_month()
    url = reverse("organisations:kpi_result_record", args=[kpi.pk])
    response = client.post(url, {"period": period.isoformat(), "value": "80", "commentary": "Two vacancies"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Record a result" in html
    message = "This result is red against its target: enter a corrective action"
    assert message in errors_next_to(html, "corrective_action")[0]
    assert f'<a href="#id_corrective_action">{message}' in html  # the error summary links to it
    # Nothing typed is lost.
    assert 'value="80"' in html and "Two vacancies</textarea>" in html
    assert f'<option value="{period.isoformat()}" selected>' in html
    assert not KPIResult.objects.exists()
    response = client.post(
        url,
        {
            "period": period.isoformat(),
            "value": "80",
            "commentary": "Two vacancies",
            "corrective_action": "Agency cover",
        },
    )
    assert response.status_code == 302
    result = KPIResult.objects.get()
    assert (result.status, result.corrective_action, result.entered_by) == (
        "red",
        "Agency cover",
        world.officer.user,
    )


def test_the_result_form_says_what_is_published_next_to_the_field(world, kpi):
    html = client_for(world.officer).get(reverse("organisations:kpi_result_record", args=[kpi.pk])).content
    html = html.decode()
    hint = re.search(r'<div id="id_public_commentary_hint"[^>]*>(.*?)</div>', html, re.S)
    assert hint, "the public commentary field has its own hint"
    assert "Shown on the public performance page: anyone can read it." in hint.group(1)
    assert "Do not name people or teams' personal circumstances." in hint.group(1)
    assert "internal commentary and corrective action are not published" in hint.group(1)
    internal = re.search(r'<div id="id_commentary_hint"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "it is not published" in internal


def test_public_commentary_is_saved_apart_and_kept_on_correction(world, kpi):
    client = client_for(world.officer)
    period = ended_month()
    url = reverse("organisations:kpi_result_record", args=[kpi.pk])
    data = {
        "period": period.isoformat(),
        "value": "95",
        "commentary": "Two vacancies filled",
        "public_commentary": "Back on target.",
    }
    assert client.post(url, data).status_code == 302
    result = KPIResult.objects.get()
    assert (result.commentary, result.public_commentary) == ("Two vacancies filled", "Back on target.")
    html = client.get(f"{url}?period={period.isoformat()}").content.decode()
    assert "Back on target.</textarea>" in html


def test_amber_and_green_need_no_corrective_action(world, kpi):
    client = client_for(world.officer)
    url = reverse("organisations:kpi_result_record", args=[kpi.pk])
    assert client.post(url, {"period": ended_month(1).isoformat(), "value": "86"}).status_code == 302
    assert client.post(url, {"period": ended_month(2).isoformat(), "value": "95.5%"}).status_code == 302
    assert sorted(KPIResult.objects.values_list("status", flat=True)) == ["amber", "green"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "91"}, "period", "Choose the period this result is for."),
        ({"period": "2031-01-31", "value": "91"}, "period", "Choose one of the periods in the list."),
        ({"period": "PERIOD", "value": ""}, "value", "Enter the value for the period."),
        ({"period": "PERIOD", "value": "ninety"}, "value", "is not a number"),
    ],
)
def test_result_form_errors(world, kpi, data, field, message):
    data = {k: (ended_month().isoformat() if v == "PERIOD" else v) for k, v in data.items()}
    response = client_for(world.officer).post(reverse("organisations:kpi_result_record", args=[kpi.pk]), data)
    assert response.status_code == 200
    assert any(message in e for e in errors_next_to(response.content.decode(), field))
    assert not KPIResult.objects.exists()


def test_period_choices_are_ended_periods_of_the_kpis_frequency(world, kpi):
    kpi.frequency = year_rules.QUARTERLY
    kpi.save()
    html = (
        client_for(world.officer)
        .get(reverse("organisations:kpi_result_record", args=[kpi.pk]))
        .content.decode()
    )
    options = re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', html)
    assert len(options) == 12
    for value in options:
        d = date.fromisoformat(value)
        assert year_rules.is_period_end(d, year_rules.QUARTERLY) and d <= clock.today()


def test_period_in_the_query_string_loads_the_result_for_correction(world, kpi):
    old = year_rules.period_end_for(
        clock.today() - timedelta(days=6 * 365), year_rules.MONTHLY
    )  # older than the list
    KPIResultFactory(
        kpi=kpi, period_end=old, value=D("77.2500"), commentary="As reported", corrective_action="Plan"
    )
    url = reverse("organisations:kpi_result_record", args=[kpi.pk])
    html = client_for(world.officer).get(url, {"period": old.isoformat()}).content.decode()
    assert '<h1 class="govuk-heading-l">Correct a result</h1>' in html
    assert f'<option value="{old.isoformat()}" selected>' in html
    assert 'value="77.25"' in html and "As reported</textarea>" in html
    response = client_for(world.officer).post(
        url,
        {"period": old.isoformat(), "value": "78", "commentary": "Corrected", "corrective_action": "Plan"},
    )
    assert response.status_code == 302
    result = KPIResult.objects.get()
    assert result.value == D("78") and result.commentary == "Corrected"
    # A date that is not a period end is ignored rather than offered.
    html = client_for(world.officer).get(url, {"period": "2020-01-15"}).content.decode()
    assert "2020-01-15" not in html and "Record a result</h1>" in html


# --- Targets ---------------------------------------------------------------


def test_target_form_validates_tolerances_and_keeps_input(world, kpi):
    response = client_for(world.officer).post(
        reverse("organisations:kpi_targets", args=[kpi.pk]),
        {
            "financial_year": current_fy(),
            "target": "97.5",
            "tolerance_kind": "absolute",
            "green_tolerance": "2",
            "amber_tolerance": "1",
        },
    )
    html = response.content.decode()
    assert "<title>Error: Set a target" in html
    assert errors_next_to(html, "amber_tolerance") == [
        "The amber tolerance must be the same as or wider than the green tolerance."
    ]
    assert 'value="97.5"' in html


def test_target_saved_regrades_and_says_so(world, kpi):
    year = year_rules.financial_year_start(ended_month())
    KPIResultFactory(kpi=kpi, period_end=ended_month(), value=D("88"))  # amber against 90
    client = client_for(world.officer)
    response = client.post(
        reverse("organisations:kpi_targets", args=[kpi.pk]),
        {
            "financial_year": year,
            "target": "87",
            "tolerance_kind": "percent",
            "green_tolerance": "0",
            "amber_tolerance": "5",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "1 results in" in html and "were re-graded" in html
    assert KPIResult.objects.get().status == kpi_rules.GREEN


# --- Create and edit ----------------------------------------------------------


def kpi_form_data(world, **overrides):
    data = {
        "service": world.service.pk,
        "code": "ho-02",
        "name": "Decisions within 56 days",
        "definition": "",
        "unit": "percent",
        "decimal_places": "1",
        "polarity": "higher",
        "frequency": "monthly",
        "data_lag_days": "30",
        "owner": "",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_create_kpi_then_set_its_target(world):
    client = client_for(world.service_head)
    response = client.post(reverse("organisations:kpi_create"), kpi_form_data(world, owner=world.manager.pk))
    kpi = KPI.objects.get(code="HO-02")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organisations:kpi_targets", args=[kpi.pk]))
    assert kpi.organisation == world.org and kpi.owner == world.manager
    assert not kpi.published


def test_create_kpi_is_limited_to_the_services_one_heads(world):
    response = client_for(world.service_head).post(
        reverse("organisations:kpi_create"), kpi_form_data(world, service=world.corporate.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in errors_next_to(response.content.decode(), "service")[0]
    assert (
        client_for(world.staff).post(reverse("organisations:kpi_create"), kpi_form_data(world)).status_code
        == 403
    )


def test_create_kpi_errors_and_duplicate_code(world, kpi):
    client = client_for(world.officer)
    response = client.post(reverse("organisations:kpi_create"), kpi_form_data(world, code="ho-01", name=""))
    html = response.content.decode()
    assert "<title>Error: Add a KPI" in html
    assert errors_next_to(html, "code") == [
        "Another KPI already has the code HO-01. Choose a different code."
    ]
    assert errors_next_to(html, "name") == ["Enter the KPI&#x27;s name."]
    assert KPI.objects.count() == 1


def test_only_performance_officers_publish(world, kpi):
    client_for(world.head).post(
        reverse("organisations:kpi_edit", args=[kpi.pk]), kpi_form_data(world, code="HO-01", published="on")
    )
    kpi.refresh_from_db()
    assert not kpi.published
    client_for(world.officer).post(
        reverse("organisations:kpi_edit", args=[kpi.pk]), kpi_form_data(world, code="HO-01", published="on")
    )
    kpi.refresh_from_db()
    assert kpi.published


def test_edit_refuses_a_new_frequency_once_results_exist(world, kpi):
    KPIResultFactory(kpi=kpi, period_end=ended_month(), value=D("91"))
    response = client_for(world.officer).post(
        reverse("organisations:kpi_edit", args=[kpi.pk]),
        kpi_form_data(world, code="HO-01", frequency="quarterly"),
    )
    assert "its frequency cannot change" in errors_next_to(response.content.decode(), "frequency")[0]
    kpi.refresh_from_db()
    assert kpi.frequency == "monthly"


def test_owner_choices_are_leaders_and_officers(world, kpi):
    html = client_for(world.officer).get(reverse("organisations:kpi_edit", args=[kpi.pk])).content.decode()
    owners = re.search(r'<select name="owner".*?</select>', html, re.S).group(0)
    for leader in (world.manager, world.service_head, world.officer, world.chief):
        assert f'value="{leader.pk}"' in owners
    assert f'value="{world.peer.pk}"' not in owners  # no reports, heads nothing
    assert f'value="{world.outsider.pk}"' not in owners


# --- Reading pages -------------------------------------------------------------


def test_scorecard_shows_status_and_direction_in_words(world, kpi):
    KPIResultFactory(kpi=kpi, period_end=ended_month(2), value=D("92"))
    KPIResultFactory(kpi=kpi, period_end=ended_month(1), value=D("80"), corrective_action="Plan")
    html = (
        client_for(world.staff)
        .get(reverse("organisations:kpi_scorecard", args=[world.directorate.pk]))
        .content.decode()
    )
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    assert '<span class="app-tag-arrow" aria-hidden="true">\u2193</span>Worsening' in html
    assert "80.0%" in html and "90.0%" in html


def test_scorecard_exceptions_filter(world, kpi):
    # A KPI in the team below, with last month's result and nothing to judge it by:
    # not red, no earlier result to be worse than, not overdue. Not an exception.
    steady = KPIFactory(organisation=world.org, service=world.team, code="OT-01", name="Steady one")
    KPIResultFactory(kpi=steady, period_end=ended_month(1), value=D("1"))
    KPIResultFactory(kpi=kpi, period_end=ended_month(1), value=D("80"), corrective_action="Plan")
    url = reverse("organisations:kpi_scorecard", args=[world.service.pk])
    client = client_for(world.staff)
    all_html = client.get(url).content.decode()
    exceptions = client.get(url, {"show": "exceptions"}).content.decode()
    assert "OT-01" in all_html and "HO-01" in all_html
    assert "Options Team</span></caption>" in all_html  # several services: a table each
    assert "HO-01" in exceptions and "OT-01" not in exceptions
    assert "Showing exceptions only. Exceptions: red, or amber and worsening." in exceptions  # the rule
    assert "overdue" not in exceptions.split("Showing exceptions only")[1].split("</p>")[0]


def test_list_filters_by_status_and_service(world, kpi):
    other = KPIFactory(organisation=world.org, service=world.corporate, code="RES-01", name="Invoices paid")
    KPIResultFactory(kpi=kpi, period_end=ended_month(1), value=D("80"), corrective_action="Plan")
    KPIResultFactory(kpi=other, period_end=ended_month(1), value=D("1"))
    client = client_for(world.staff)
    url = reverse("organisations:kpi_list")
    # It opens on the viewer's own service (Housing Options, not their team), and any
    # other scope is a choice away.
    html = client.get(url).content.decode()
    assert "HO-01" in html and "RES-01" not in html and "in Housing" in html
    html = client.get(url, {"service": "all"}).content.decode()
    assert "HO-01" in html and "RES-01" in html
    html = client.get(url, {"service": "all", "status": "red"}).content.decode()
    assert "HO-01" in html and "RES-01 <" not in html
    html = client.get(url, {"service": "all", "q": "invoices"}).content.decode()
    assert "RES-01" in html and "HO-01 <" not in html
    html = client.get(url, {"service": world.corporate.pk}).content.decode()
    assert "RES-01" in html and "HO-01" not in html
    inactive = KPIFactory(organisation=world.org, service=world.service, code="OLD-01", active=False)
    assert inactive.code not in client.get(url).content.decode()
    assert inactive.code in client.get(url, {"inactive": "1"}).content.decode()


def test_detail_shows_targets_results_and_the_chart_table(world, kpi):
    KPIResultFactory(kpi=kpi, period_end=ended_month(3), value=D("92"), commentary="Good month")
    KPIResultFactory(kpi=kpi, period_end=ended_month(1), value=D("80"), corrective_action="Agency cover")
    html = client_for(world.staff).get(reverse("organisations:kpi_detail", args=[kpi.pk])).content.decode()
    assert 'data-chart="line"' in html
    # The missing month in between is a gap in the chart's table, not left out.
    chart = re.search(r'<table class="govuk-table" data-chart="line"[^>]*>.*?</table>', html, re.S).group(0)
    assert chart.count('<tr class="govuk-table__row">') == 4  # header and three periods
    assert "no result" in chart
    # Each result's status colours its point, and is in words in a column the chart leaves out.
    assert 'data-chart-columns="1,2"' in chart
    assert re.findall(r'data-value="[\d.]+" data-status="(\w+)"', chart) == [
        r.status for r in kpi.results.order_by("period_end")
    ]
    assert "No result</strong>" in chart
    assert "Corrective action:</strong> Agency cover" in html
    assert "Good month" in html
    assert "green on target or better, amber within 5% of target" in html
    assert "Every change counts, however small." in html  # no materiality set
    assert "No goals are linked to this KPI yet." in html
    assert "Record a result" not in html  # staff may not edit


def test_detail_lists_goals_but_hides_individual_objectives_from_others(world, kpi):
    from appraisals.models import Goal

    common = {
        "organisation": world.org,
        "kpi": kpi,
        "start_date": date(2026, 4, 1),
        "due_date": date(2027, 3, 31),
    }
    Goal.objects.create(level="service", service=world.service, title="Prevent more homelessness", **common)
    Goal.objects.create(level="individual", owner=world.staff, title="Close 40 prevention cases", **common)
    peer_view = (
        client_for(world.peer).get(reverse("organisations:kpi_detail", args=[kpi.pk])).content.decode()
    )
    assert "Prevent more homelessness" in peer_view
    assert "Close 40 prevention cases" not in peer_view
    assert "1 individual objective contributes" in peer_view
    manager_view = (
        client_for(world.manager).get(reverse("organisations:kpi_detail", args=[kpi.pk])).content.decode()
    )
    assert "Close 40 prevention cases" in manager_view


def test_detail_lists_the_first_individual_objectives_and_counts_the_rest(world, kpi):
    from appraisals.models import Goal
    from organisations.views.kpis import INDIVIDUAL_GOALS_LISTED

    common = {
        "organisation": world.org,
        "kpi": kpi,
        "start_date": date(2026, 4, 1),
        "due_date": date(2027, 3, 31),
        "level": "individual",
    }
    for i in range(INDIVIDUAL_GOALS_LISTED + 3):
        Goal.objects.create(owner=world.staff, title=f"Objective {i:02d}", **common)
    Goal.objects.create(owner=world.peer, title="Peer's objective", **common)
    Goal.objects.create(owner=world.staff, title="Dropped objective", status="dropped", **common)
    url = reverse("organisations:kpi_detail", args=[kpi.pk])
    staff_view = client_for(world.staff).get(url).content.decode()
    assert "Objective 00" in staff_view and f"Objective {INDIVIDUAL_GOALS_LISTED - 1:02d}" in staff_view
    assert f"Objective {INDIVIDUAL_GOALS_LISTED:02d}" not in staff_view
    assert "3 more individual objectives you may see contribute" in staff_view
    assert "Also 1 individual objective contributes" in staff_view  # the peer's
    assert "Dropped objective" not in staff_view
    manager_view = client_for(world.manager).get(url).content.decode()
    assert "4 more individual objectives you may see contribute" in manager_view
    assert "Also" not in manager_view.split("Goals contributing")[1]


# --- Query budgets --------------------------------------------------------------


def make_kpis(world, start: int, count: int) -> None:
    """KPIs spread over the service and its team, each with a target and three results."""
    kpis = KPI.objects.bulk_create(
        KPI(
            organisation=world.org,
            service=world.service if i % 2 else world.team,
            code=f"Q-{i:04d}",
            name=f"Indicator {i}",
            owner=world.staff if i % 3 == 0 else None,
        )
        for i in range(start, start + count)
    )
    KPITarget.objects.bulk_create(
        KPITarget(kpi=k, financial_year=year_rules.financial_year_start(ended_month(m)), target=D("90"))
        for k in kpis
        for m in (1,)
    )
    KPIResult.objects.bulk_create(
        KPIResult(kpi=k, period_end=ended_month(m), value=D(85 + m), status="amber", corrective_action="x")
        for k in kpis
        for m in (1, 2, 13)
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url_name",
    ["organisations:kpi_scorecard", "organisations:kpi_list"],
)
def test_query_budget_is_the_same_at_10_and_200_kpis(world, url_name):
    # Expected queries (13 for the scorecard at either size): the session and the
    # user; the viewer's employee; the nav's "has direct reports"; the service
    # (scorecard only) and the organisation's services (subtree, breadcrumbs); the
    # scorecard's four: KPIs with service, owner and organisation, their results'
    # figures in the window, the latest/previous/last-year results in full, the
    # targets of those years; the list adds "does the viewer own a KPI" (the import
    # button); then the session saved (SESSION_SAVE_EVERY_REQUEST) in a transaction.
    url = reverse(url_name, args=[world.service.pk]) if url_name.endswith("scorecard") else reverse(url_name)
    client = client_for(world.staff)
    make_kpis(world, 0, 10)
    small = count_queries(client, url)
    make_kpis(world, 10, 190)
    large = count_queries(client, url)
    assert small == large
    assert large <= 14
    assert "Q-0199" in client.get(url, {"q": "Q-0199"}).content.decode()


def test_the_list_opens_on_the_viewers_scope_and_pages_through_the_rest(world):
    make_kpis(world, 0, 120)
    url = reverse("organisations:kpi_list")
    staff = client_for(world.staff).get(url)
    assert staff.context["scope_name"].endswith(world.service.name)
    page = staff.context["page_obj"]
    assert page.paginator.count == 120 and len(page.object_list) == 50
    assert 'aria-label="Pagination"' in staff.content.decode()
    last = client_for(world.staff).get(url, {"page": 3}).context["page_obj"]
    assert len(last.object_list) == 20
    # Performance officers and the chief executive open on the whole organisation.
    assert client_for(world.officer).get(url).context["service_filter"] == "all"
    # Another organisation's KPIs are never in it, whatever the scope asked for.
    other = KPIFactory(organisation=world.other_org, code="OTH-01")
    assert other.code not in client_for(world.officer).get(url, {"service": "all"}).content.decode()
    assert other.code not in client_for(world.staff).get(url, {"service": other.service_id}).content.decode()

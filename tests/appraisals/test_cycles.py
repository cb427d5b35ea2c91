"""Appraisal cycles: completion, who sees whom, and setting one up."""

import re
from datetime import date

import pytest
from django.urls import reverse

from appraisals.models import AppraisalCycle
from appraisals.selectors.supervision import (
    DONE,
    MISSING,
    NOT_DUE,
    NOT_OPEN,
    OUTSTANDING,
    completion_by_service,
    cycle_completion,
)
from appraisals.services.cycles import default_cycle_windows
from core import clock
from organisations.rules.years import financial_year_start
from tests.appraisals.session_factories import AppraisalCycleFactory, FeedbackSessionFactory
from tests.conftest import client_for
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date


@pytest.fixture
def past_cycle(world):
    """Last financial year's cycle: both windows have closed, whatever today is."""
    year = financial_year_start(clock.today()) - 1
    return AppraisalCycleFactory(organisation=world.org, financial_year=year)


@pytest.fixture
def cycle(world):
    # 2026/27: mid-year 1 Sep - 31 Oct 2026, year-end 1 Mar - 30 Apr 2027
    return AppraisalCycleFactory(organisation=world.org, financial_year=2026)


def rows_for(world, cycle, today):
    people = world.org.employees.filter(
        pk__in=[world.staff.pk, world.peer.pk, world.interim.pk, world.manager.pk]
    )
    return {r.employee.pk: r for r in cycle_completion(cycle, people, today=today)}


def test_completion_statuses(world, cycle):
    FeedbackSessionFactory(employee=world.staff, kind="mid_year", held_on=date(2026, 9, 20))
    FeedbackSessionFactory(employee=world.staff, kind="annual", held_on=date(2027, 3, 15))
    # a mid-year review held late (after the window, before year-end opens) still counts
    FeedbackSessionFactory(employee=world.peer, kind="mid_year", held_on=date(2026, 11, 20))
    # last year's annual appraisal does not count for this cycle
    FeedbackSessionFactory(employee=world.interim, kind="annual", held_on=date(2026, 4, 20))
    FeedbackSessionFactory(employee=world.interim, kind="one_to_one", held_on=date(2026, 9, 20))
    # the manager started after the mid-year window closed
    world.manager.start_date = date(2026, 11, 1)
    world.manager.save()

    before = rows_for(world, cycle, date(2026, 8, 1))
    assert before[world.interim.pk].mid_year == NOT_OPEN and before[world.interim.pk].year_end == NOT_OPEN

    during = rows_for(world, cycle, date(2026, 10, 1))
    assert during[world.staff.pk].mid_year == DONE and during[world.staff.pk].mid_year_on == date(2026, 9, 20)
    assert during[world.interim.pk].mid_year == OUTSTANDING

    after = rows_for(world, cycle, date(2026, 12, 1))
    assert after[world.interim.pk].mid_year == MISSING
    assert after[world.peer.pk].mid_year == DONE
    assert after[world.manager.pk].mid_year == NOT_DUE
    assert after[world.interim.pk].year_end == NOT_OPEN

    end = rows_for(world, cycle, date(2027, 5, 1))
    assert end[world.staff.pk].year_end == DONE
    assert end[world.interim.pk].year_end == MISSING
    assert end[world.manager.pk].year_end == MISSING  # started in time for year-end

    services = completion_by_service(list(after.values()))
    assert len(services) == 2  # the team and the lettings team (interim)
    team = next(s for s in services if s.service_id == world.team.pk)
    assert (team.people, team.mid_year_due, team.mid_year_done, team.mid_year_percent) == (3, 2, 2, 100)
    lettings = next(s for s in services if s.service_id == world.other_team.pk)
    assert (lettings.mid_year_due, lettings.mid_year_done, lettings.mid_year_percent) == (1, 0, 0)
    assert lettings.year_end_percent is None


def test_default_windows():
    assert default_cycle_windows(2026, 4) == {
        "financial_year": 2026,
        "mid_year_opens": date(2026, 9, 1),
        "mid_year_closes": date(2026, 10, 31),
        "year_end_opens": date(2027, 3, 1),
        "year_end_closes": date(2027, 4, 30),
    }
    january = default_cycle_windows(2026, 1)
    assert january["mid_year_opens"] == date(2026, 6, 1) and january["year_end_closes"] == date(2027, 1, 31)


@pytest.mark.parametrize(
    ("persona", "sees", "hidden"),
    [
        ("manager", {"Sol Staff", "Pat Peer"}, {"Ira Interim", "Sam Service"}),
        ("head", {"Sol Staff", "Pat Peer", "Ira Interim", "Mo Manager"}, {"Olu Officer"}),
        ("officer", {"Sol Staff", "Ira Interim", "Olu Officer", "Cara Chief"}, {"Oz Outsider"}),
    ],
)
def test_cycle_page_scope(world, past_cycle, persona, sees, hidden):
    url = reverse("appraisals:cycle_detail", args=[past_cycle.financial_year])
    html = client_for(world.persona(persona)).get(url).content.decode()
    rows = set(re.findall(r'">([^<]+)</a></th>', html))  # each person's row
    assert sees <= rows
    assert not hidden & rows


def test_cycle_page_for_staff_is_refused(world, cycle):
    assert client_for(world.staff).get(reverse("appraisals:cycle_detail", args=[2026])).status_code == 403
    assert client_for(world.staff).get(reverse("appraisals:cycle_list")).status_code == 403


def test_cycle_page_shows_no_content(world, cycle):
    FeedbackSessionFactory(
        employee=world.staff, kind="mid_year", held_on=date(2026, 9, 20), discussion="SECRET-TALK"
    )
    html = client_for(world.officer).get(reverse("appraisals:cycle_detail", args=[2026])).content.decode()
    assert "SECRET-TALK" not in html and "PRIVATE-NOTE" not in html


def test_officer_sets_up_a_cycle(world, officer_client):
    response = officer_client.get(reverse("appraisals:cycle_create"))
    assert response.status_code == 200
    data = {
        "financial_year": "2027",
        "mid_year_opens": "1 9 2027",
        "mid_year_closes": "31/10/2027",
        "year_end_opens": "1 3 2028",
        "year_end_closes": "30 4 2028",
    }
    response = officer_client.post(reverse("appraisals:cycle_create"), data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:cycle_detail", args=[2027]
    )
    cycle = AppraisalCycle.objects.get(organisation=world.org, financial_year=2027)
    assert cycle.mid_year_closes == date(2027, 10, 31)
    # the same year again: an error on the year, typed values kept
    response = officer_client.post(reverse("appraisals:cycle_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is already an appraisal cycle for 2027/28" in html
    assert 'href="#id_financial_year"' in html and "31/10/2027" in html


def test_cycle_windows_are_validated(world, officer_client):
    data = {
        "financial_year": "2027",
        "mid_year_opens": "1 9 2026",  # before the year starts
        "mid_year_closes": "31 10 2027",
        "year_end_opens": "1 3 2028",
        "year_end_closes": "1 2 2028",  # closes before it opens
    }
    html = officer_client.post(reverse("appraisals:cycle_create"), data).content.decode()
    assert "Mid-year reviews must open within 2027/28" in html
    assert not AppraisalCycle.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("staff", 403), ("manager", 403), ("head", 403)])
def test_only_officers_set_up_cycles(world, persona, status):
    response = client_for(world.persona(persona)).post(
        reverse("appraisals:cycle_create"),
        {
            "financial_year": "2027",
            "mid_year_opens": "1 9 2027",
            "mid_year_closes": "31 10 2027",
            "year_end_opens": "1 3 2028",
            "year_end_closes": "30 4 2028",
        },
    )
    assert response.status_code == status
    assert not AppraisalCycle.objects.exists()


def test_missing_list_is_paginated(world, past_cycle):
    for _ in range(60):
        EmployeeFactory(
            organisation=world.org,
            service=world.team,
            line_manager=world.manager,
            start_date=date(2020, 1, 1),
        )
    client = client_for(world.officer)
    html = client.get(reverse("appraisals:cycle_detail", args=[past_cycle.financial_year])).content.decode()
    assert "Who is missing a review (68)" in html
    assert "govuk-pagination" in html

"""What each dashboard shows, on the hand-built service (tests/insights/conftest.py)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from appraisals.models import SessionState
from core import clock, glossary
from organisations.models import Organisation
from tests.conftest import client_for
from tests.insights.factories import ActionFactory, GoalFactory, SessionFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date


def text(response) -> str:
    """The page's text with tags and runs of whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").replace(" .", ".")


def service_dashboard(world, persona="head"):
    return client_for(world.persona(persona)).get(
        reverse("insights:service_dashboard", args=[world.service.pk])
    )


def test_service_dashboard_kpi_summary(world, scenario):
    response = service_dashboard(world)
    assert response.status_code == 200
    page = text(response)
    assert "5 KPIs: 1 red, 1 amber, 2 green, 0 monitoring only, 1 with no result; 1 exception" in page
    html = response.content.decode()
    assert 'data-chart="bar"' in html
    # Each bar in its status's colour and pattern; the row's label says the status in words.
    mix = re.search(r'<table class="govuk-table" data-chart="bar".*?</table>', html, re.S).group(0)
    assert re.findall(r'>([\w ]+)</th><td [^>]*data-status="(\w+)">(\d+)<', mix) == [
        ("Red", "red", "1"),
        ("Amber", "amber", "1"),
        ("Green", "green", "2"),
        ("Monitoring only", "grey", "0"),
        ("No result", "no_result", "1"),
    ]
    # The exceptions under the organisation's rule (the default: red, or amber and
    # worsening), with value, target and direction; the others not. HO-02 is green
    # and worse than before: not an exception, whatever the title once said.
    exceptions = page[page.index("Exceptions: red, or amber and worsening") :]
    exceptions = exceptions[: exceptions.index("Risks above target")]
    assert "HO-01 Prevention outcomes" in exceptions and "70.0%" in exceptions and "90.0%" in exceptions
    assert "HO-02" not in exceptions and "HO-03" not in exceptions and "HO-04" not in exceptions
    assert "RES-01" not in page and "HO-99" not in page  # outside the subtree; inactive


def test_service_dashboard_exceptions_follow_the_organisations_rule(world, scenario):
    world.org.exception_rule = glossary.EXCEPTIONS_RED_OR_AMBER
    world.org.save()
    page = text(service_dashboard(world))
    exceptions = page[page.index("Exceptions: red or amber") : page.index("Risks above target")]
    assert "HO-01" in exceptions and "HO-04" in exceptions and "HO-02" not in exceptions
    world.org.exception_rule = glossary.EXCEPTIONS_RED
    world.org.save()
    page = text(service_dashboard(world))
    exceptions = page[page.index("Exceptions: red") : page.index("Risks above target")]
    assert "HO-01" in exceptions and "HO-04" not in exceptions


def test_a_head_sees_what_needs_their_attention_and_the_rest_as_a_count(world, scenario):
    page = text(service_dashboard(world, "head"))
    attention = page[page.index("Needs your attention") : page.index("In more detail")]
    # A high KPI flag in the head's services; the team's flags are the manager's to act on.
    assert "Prevention outcomes is red" in attention
    assert f"{world.service_head.full_name}, Housing Options" in attention  # who acts, where
    assert "Feedback overdue for Pat Peer" not in page and "HO-02 worsening" not in page
    assert "2 flags for the people you manage to act on (1 high, 1 medium)" in attention
    assert "Resolved flag" not in page and "Dismissed flag" not in page and "Resources flag" not in page


def test_a_performance_officer_sees_the_services_flags_as_a_count_and_no_ones_personal_flags(world, scenario):
    page = text(service_dashboard(world, "officer"))
    assert "Feedback overdue for Pat Peer" not in page
    assert "Nothing needs your attention" in page
    # Flags in the service: the two not about a person (a personal flag is not theirs to see).
    assert "2 flags in Housing Options (1 high, 1 medium)" in page


def test_service_dashboard_workforce_supervision_goals_cycle_and_gaps(world, scenario):
    page = text(service_dashboard(world))
    assert "7 people, 6.5 FTE" in page
    assert "Interim and agency staff are 23.1% of FTE (2 people): Above threshold of 20%" in page
    assert "Contracts ending within 30 days: 1; within 90 days: 2." in page
    assert "Agency 1 0.5 1 1" in page
    assert "43% (3 of 7 staff). 4 overdue" in page
    assert "43%" in page
    overdue = page[page.index("Overdue, most overdue first") :]
    assert "Pat Peer Options Team" in overdue and " 12 " in overdue
    assert "Mid-year reviews done" in page and "1 of 7 (14%)" in page
    assert "Off track 0 0 1 1" in page and "At risk 0 1 0 1" in page
    assert "Skill" in page and "1 of 4" in page and "Interim cover" in page


def test_service_dashboard_says_when_flags_were_computed_and_warns_when_stale(world, scenario):
    page = text(service_dashboard(world))
    assert "Flags as of" in page
    assert "Flags may be out of date" not in page
    Organisation.objects.filter(pk=world.org.pk).update(recompute_failed_at=clock.now())
    assert "Flags may be out of date" in text(service_dashboard(world))


def test_service_dashboard_of_a_team_for_its_manager(world, scenario):
    response = client_for(world.manager).get(reverse("insights:service_dashboard", args=[world.team.pk]))
    assert response.status_code == 200
    assert "Feedback overdue for Pat Peer" in text(response)  # the manager is Pat's line manager


def test_service_dashboard_permissions(world, scenario):
    url = reverse("insights:service_dashboard", args=[world.directorate.pk])
    assert client_for(world.service_head).get(url).status_code == 403  # heads a service below only
    assert client_for(world.chief).get(url).status_code == 200
    other = reverse("insights:service_dashboard", args=[world.other_service.pk])
    assert client_for(world.chief).get(other).status_code == 404


def test_org_overview(world, scenario):
    response = client_for(world.officer).get(reverse("insights:org_overview"))
    assert response.status_code == 200
    page = text(response)
    # Housing (directorate): red 1, amber 1, green 2, monitoring only 0, no result 1; high
    # flags 1 (the one about a person is not the officer's to see); supervision 3 of 8
    # (the director too) = 38%; interim share 1.5 of 7.5 FTE = 20.0%, not above.
    assert "Monitoring only No result" in page and "Grey" not in page
    assert "Housing 1 1 2 0 1 1 38% 20.0%" in page
    # Housing Options (service) below it: 3 of 7 = 43%, 23.1% above threshold.
    assert "Housing Options 1 1 2 0 1 1 43% 23.1% Above threshold" in page
    assert "Resources 1 0 0 0 0 1" in page
    assert "Options Team" not in page.split("Directorates and services")[1].split("Top risks")[0]
    risks = page[page.index("Top risks") : page.index("Organisation priorities")]
    assert risks.index("Cyber attack") < risks.index("Temporary accommodation costs")
    assert "Closed risk" not in risks
    assert "Prevent homelessness" in page and "40%" in page
    assert 'max="100" value="40"' in response.content.decode()


def test_my_page(world, scenario):
    today = scenario.today
    shared = SessionFactory(
        employee=world.staff, held_on=today - timedelta(days=3), state=SessionState.SHARED
    )
    SessionFactory(employee=world.staff, held_on=today - timedelta(days=60), state=SessionState.ACKNOWLEDGED)
    ActionFactory(session=shared, owner=world.staff, description="Book the safeguarding course")
    ActionFactory(session=shared, owner=world.staff, description="Done already", done_on=today)
    ActionFactory(session=shared, owner=world.manager, description="The manager's action")
    GoalFactory(organisation=world.org, owner=world.staff, status="achieved", title="Finished objective")
    page = text(client_for(world.staff).get(reverse("insights:my_page")))
    assert "Cut waiting times" in page and "Off track" in page
    assert "Finished objective" not in page
    due = (today - timedelta(days=3) + timedelta(days=28)).strftime("%-d %B %Y")
    assert f"due by {due}" in page and "Overdue by" not in page
    assert "Book the safeguarding course" in page
    assert "Done already" not in page and "The manager's action" not in page
    assert f"One-to-one on {(today - timedelta(days=3)).strftime('%-d %B %Y')} with Mo Manager" in page
    assert (today - timedelta(days=60)).strftime("%-d %B %Y") not in page


def test_my_page_tags_an_overdue_session(world, scenario):
    page = text(client_for(world.peer).get(reverse("insights:my_page")))
    assert "Overdue by 12 days" in page


def test_needs_your_attention_puts_flags_opened_this_week_first(world, scenario):
    from insights.models import Flag

    team = reverse("insights:service_dashboard", args=[world.team.pk])
    page = text(client_for(world.manager).get(team))
    # Both of the manager's flags are days old at most: new.
    assert "those opened in the last 7 days" in page
    assert page.index("Feedback overdue for Pat Peer") < page.index("HO-02 worsening")  # high first
    Flag.objects.filter(organisation=world.org).update(opened_at=clock.now() - timedelta(days=30))
    fresh = Flag.objects.get(title="HO-02 worsening")
    fresh.opened_at = clock.now() - timedelta(hours=2)
    fresh.save()
    page = text(client_for(world.manager).get(team))
    # The medium flag opened today leads the high one opened a month ago, marked This week.
    assert "HO-02 worsening This week" in page and "Pat Peer This week" not in page
    assert page.index("HO-02 worsening") < page.index("Feedback overdue for Pat Peer")


def test_a_flag_escalated_to_the_viewer_leads_their_list_and_says_so(world, scenario):
    from insights.models import Flag

    Flag.objects.filter(title="HO-02 worsening").update(escalated_to=world.head, escalated_at=clock.now())
    page = text(service_dashboard(world, "head"))
    attention = page[page.index("Needs your attention") : page.index("In more detail")]
    assert "HO-02 worsening Escalated to you" in attention
    assert attention.index("HO-02 worsening") < attention.index("Prevention outcomes is red")


def test_run_history_is_linked_only_for_those_who_may_open_it(world, scenario):
    runs = reverse("insights:run_list")
    assert f'href="{runs}"' not in service_dashboard(world, "head").content.decode()
    assert f'href="{runs}"' in service_dashboard(world, "officer").content.decode()


def test_service_dashboard_lists_the_most_pressing_exceptions_and_links_the_rest(
    world, scenario, monkeypatch
):
    from insights.views import dashboards

    monkeypatch.setattr(dashboards, "EXCEPTIONS_LISTED", 1)
    world.org.exception_rule = glossary.EXCEPTIONS_RED_OR_AMBER  # HO-01 red, HO-04 amber
    world.org.save()
    response = service_dashboard(world)
    page = text(response)
    exceptions = page[page.index("Exceptions: red or amber") : page.index("Risks above target")]
    assert "the 1 most pressing of 2" in exceptions
    assert "HO-01 Prevention outcomes" in exceptions and "HO-04" not in exceptions  # red before amber
    assert "1 more exception:" in exceptions
    scorecard = reverse("organisations:kpi_scorecard", args=[world.service.pk])
    assert f'href="{scorecard}?show=exceptions"' in response.content.decode()

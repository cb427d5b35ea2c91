"""Flag pages: who sees which flag, the list's filters and freshness warning,
acknowledging and dismissing, the evidence and "record as a risk"."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, Run, RunStatus, SubjectType
from organisations.models import Organisation
from tests.conftest import client_for
from tests.factories import EmployeeFactory, UserFactory
from tests.insights.flag_factories import FlagFactory, personal_flag

LIST = reverse("insights:flag_list")
EVERYONE = ["staff", "peer", "manager", "service_head", "head", "chief", "officer", "interim", "outsider"]


def statuses(world, url, method="get", data=None):
    got = {}
    for name in EVERYONE:
        client = client_for(world.persona(name))
        got[name] = getattr(client, method)(url, data or {}).status_code
    return got


def detail(flag):
    return reverse("insights:flag_detail", args=[flag.pk])


# --- who sees a flag about a person ----------------------------------------------------
def test_a_flag_about_a_person_is_for_their_management_chain_and_head_of_service_only(world):
    flag = personal_flag(world.staff)
    expected = {
        "manager": 200,  # line manager (and head of the team)
        "service_head": 200,  # manager's manager
        "head": 200,  # further up the chain, and head of the directorate
        "chief": 200,
        "staff": 403,  # not the person themselves
        "peer": 403,
        "officer": 403,  # performance officers see the organisation, not people's flags
        "interim": 403,
        "outsider": 404,  # another organisation
    }
    for url in (
        detail(flag),
        reverse("insights:flag_acknowledge", args=[flag.pk]),
        reverse("insights:flag_dismiss", args=[flag.pk]),
    ):
        assert statuses(world, url) == expected, url
    # POSTs are refused the same way and change nothing.
    assert statuses(world, reverse("insights:flag_acknowledge", args=[flag.pk]), "post", {"note": "x"}) == {
        **expected,
        "manager": 302,
        "service_head": 302,
        "head": 302,
        "chief": 302,
    }
    flag.refresh_from_db()
    assert flag.acknowledged_by in (world.manager, world.service_head, world.head, world.chief)


def test_the_head_of_a_persons_service_sees_their_flag_without_managing_them(world):
    # Someone in the Options Team who reports to the service head, not to the team's manager.
    person = EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.service_head)
    flag = personal_flag(person)
    got = statuses(world, detail(flag))
    assert got["manager"] == 200  # heads the team the person is in
    assert got["service_head"] == 200 and got["head"] == 200
    assert got["officer"] == 403 and got["peer"] == 403 and got["staff"] == 403


def test_nobody_sees_a_flag_about_themselves(world):
    # The manager heads the team they sit in, so "head of their service" would let them in.
    flag = personal_flag(world.manager)
    got = statuses(world, detail(flag))
    assert got["manager"] == 403
    assert got["service_head"] == 200 and got["head"] == 200
    assert flag not in client_for(world.manager).get(LIST).context["page_obj"].object_list


def test_personal_flags_in_the_list_follow_the_same_rule(world):
    about_staff = personal_flag(world.staff, title="About staff")
    about_interim = personal_flag(world.interim, title="About interim")  # reports to service_head
    service_flag = FlagFactory(organisation=world.org, service=world.corporate, title="Resources flag")
    FlagFactory(organisation=world.other_org, title="Not ours")

    def listed(name):
        page = client_for(world.persona(name)).get(LIST, {"scope": "all"}).context["page_obj"]
        return {f.title for f in page.object_list}

    # The Resources flag is the chief executive's and officers' (see the next test).
    assert listed("manager") == {about_staff.title}
    assert listed("service_head") == {about_staff.title, about_interim.title}
    assert listed("head") == {about_staff.title, about_interim.title}
    assert listed("chief") == {about_staff.title, about_interim.title, service_flag.title}
    assert listed("officer") == {service_flag.title}
    assert client_for(world.staff).get(LIST).status_code == 403
    assert client_for(world.peer).get(LIST).status_code == 403


def test_other_flags_are_for_their_owner_the_heads_above_and_officers(world):
    # A Resources flag: not for the managers and heads of Housing (they cannot act on it).
    flag = FlagFactory(organisation=world.org, service=world.corporate, kind=FlagKind.RISK_ABOVE_TARGET)
    got = statuses(world, detail(flag))
    assert got == {
        "staff": 403,
        "peer": 403,
        "interim": 403,
        "manager": 403,
        "service_head": 403,
        "head": 403,
        "chief": 200,  # heads the council, above Resources
        "officer": 200,  # performance officers see every flag not about a person
        "outsider": 404,
    }
    # Named as its owner, a Housing manager sees it and may act on it.
    flag.owner = world.manager
    flag.save()
    assert statuses(world, detail(flag))["manager"] == 200


# --- the list --------------------------------------------------------------------------
@pytest.fixture
def flags(world):
    now = clock.now()
    made = {
        "old_high": FlagFactory(
            organisation=world.org,
            service=world.team,
            severity=FlagSeverity.HIGH,
            title="Old high",
            opened_at=now - timedelta(days=5),
        ),
        "new_high": FlagFactory(
            organisation=world.org,
            service=world.service,
            severity=FlagSeverity.HIGH,
            title="New high",
            kind=FlagKind.RISK_ABOVE_TARGET,
            opened_at=now - timedelta(days=1),
        ),
        "low": FlagFactory(
            organisation=world.org,
            service=world.corporate,
            severity=FlagSeverity.LOW,
            title="Low",
            kind=FlagKind.RISK_REVIEW_OVERDUE,
        ),
        "medium": FlagFactory(
            organisation=world.org,
            service=world.directorate,
            severity=FlagSeverity.MEDIUM,
            title="Medium",
            opened_at=now - timedelta(days=3),
        ),
        "acknowledged": FlagFactory(
            organisation=world.org,
            service=world.team,
            title="Acknowledged",
            acknowledged_at=now,
            acknowledged_by=world.head,
            acknowledgement_note="On it",
        ),
        "dismissed": FlagFactory(
            organisation=world.org,
            service=world.team,
            title="Dismissed",
            dismissed_at=now,
            dismissed_by=world.head,
            dismissal_reason="Known",
            dismissed_severity=FlagSeverity.MEDIUM,
        ),
        "resolved": FlagFactory(
            organisation=world.org, service=world.team, title="Resolved", resolved_at=now
        ),
    }
    return made


def listed(client, **params):
    """The "All you can see" tab (filters apply to every tab alike)."""
    return [f.title for f in client.get(LIST, {"scope": "all", **params}).context["page_obj"].object_list]


def test_list_defaults_to_flags_needing_attention_by_severity_then_newest(world, flags):
    # Medium flags: "Acknowledged" opened now, "Medium" three days ago.
    assert listed(client_for(world.officer)) == ["New high", "Old high", "Acknowledged", "Medium", "Low"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "new"}, ["New high", "Old high", "Medium", "Low"]),
        ({"state": "acknowledged"}, ["Acknowledged"]),
        ({"state": "dismissed"}, ["Dismissed"]),
        ({"state": "resolved"}, ["Resolved"]),
        (
            {"state": "all"},
            ["New high", "Old high", "Resolved", "Dismissed", "Acknowledged", "Medium", "Low"],
        ),
        ({"severity": "high"}, ["New high", "Old high"]),
        ({"kind": "risk_review_overdue"}, ["Low"]),
        ({"service": "service"}, ["New high", "Old high", "Acknowledged"]),  # with the teams below
        ({"service": "directorate"}, ["New high", "Old high", "Acknowledged", "Medium"]),
        ({"service": "team", "state": "all"}, ["Old high", "Resolved", "Dismissed", "Acknowledged"]),
        ({"state": "nonsense"}, ["New high", "Old high", "Acknowledged", "Medium", "Low"]),
        ({"scope": "nonsense"}, []),  # an unknown tab is the first: nothing is the officer's to act on
    ],
)
def test_list_filters(world, flags, params, expected):
    if params.get("service") in ("service", "directorate", "team"):
        params = {**params, "service": getattr(world, params["service"]).pk}
    assert listed(client_for(world.officer), **params) == expected


def test_list_shows_severity_and_state_in_words(world, flags):
    html = client_for(world.officer).get(LIST, {"scope": "all"}).content.decode()
    assert ">High</strong>" in html and ">Low</strong>" in html
    assert ">New</strong>" in html and ">Acknowledged</strong>" in html


def test_list_is_paginated(world):
    Flag.objects.bulk_create(
        [
            Flag(
                organisation=world.org,
                kind=FlagKind.INTERIM_RELIANCE,
                severity="medium",
                key=f"k{i}",
                subject_type=SubjectType.SERVICE,
                subject_id=world.service.pk,
                service=world.service,
                title=f"F{i}",
                rule="r",
                opened_at=clock.now(),
                last_seen_at=clock.now(),
            )
            for i in range(60)
        ]
    )
    client = client_for(world.officer)
    first = client.get(LIST, {"scope": "all"})
    assert len(first.context["page_obj"].object_list) == 50
    assert len(client.get(LIST, {"scope": "all", "page": 2}).context["page_obj"].object_list) == 10
    assert 'aria-label="Pagination"' in first.content.decode()


def test_list_query_budget_does_not_grow_with_the_flags(world):
    # Expected queries: session, user, the viewer's employee, the organisation's services,
    # whether the viewer manages anyone, the last successful run, the count, and one page
    # of flags with their service and person.
    client = client_for(world.head)

    def count(n):
        Flag.objects.all().delete()
        for i in range(n):
            personal_flag(world.staff, key=f"p{i}") if i % 2 else FlagFactory(
                organisation=world.org, service=world.team
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    assert count(4) == count(120)


# --- freshness -------------------------------------------------------------------------
def run(world, hours_ago, status=RunStatus.SUCCEEDED):
    r = Run.objects.create(organisation=world.org, status=status)
    started = clock.now() - timedelta(hours=hours_ago)
    Run.objects.filter(pk=r.pk).update(started_at=started, finished_at=started + timedelta(seconds=5))
    return r


def test_list_says_when_flags_were_computed(world):
    client = client_for(world.officer)
    assert "Flags have not been computed yet" in client.get(LIST).content.decode()
    run(world, hours_ago=2)
    html = client.get(LIST).content.decode()
    assert "Flags as of" in html and "may be stale" not in html
    run(world, hours_ago=0.5, status=RunStatus.FAILED)  # a failed run does not count
    assert client.get(LIST).context["freshness"].last_run.status == RunStatus.SUCCEEDED


def test_list_warns_when_the_last_run_is_more_than_26_hours_old(world):
    run(world, hours_ago=27)
    html = client_for(world.officer).get(LIST).content.decode()
    assert "Flags may be stale" in html and "more than a day" in html


def test_list_warns_when_a_recompute_could_not_be_queued(world):
    run(world, hours_ago=1)
    Organisation.objects.filter(pk=world.org.pk).update(recompute_failed_at=clock.now())
    html = client_for(world.officer).get(LIST).content.decode()
    assert "Flags may be stale" in html and "could not be queued" in html


# --- acknowledging and dismissing --------------------------------------------------------
def test_acknowledging_needs_a_note_and_records_who_and_why(world):
    flag = FlagFactory(organisation=world.org, service=world.service, title="Agency reliance")
    url = reverse("insights:flag_acknowledge", args=[flag.pk])
    client = client_for(world.head)
    response = client.post(url, {"note": "   "})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Acknowledge flag" in html
    assert html.count("Enter a note saying what you are doing about this flag") >= 2  # summary and field
    assert 'href="#id_note"' in html
    flag.refresh_from_db()
    assert flag.acknowledged_at is None

    response = client.post(url, {"note": "Recruitment agreed at DMT"})
    assert response.status_code == 302 and response["Location"] == detail(flag)
    flag.refresh_from_db()
    assert flag.state == "acknowledged"
    assert flag.acknowledged_by == world.head and flag.acknowledgement_note == "Recruitment agreed at DMT"
    record = flag.history.latest()
    assert record.history_user == world.head.user and record.history_change_reason == "Acknowledged"
    page = client_for(world.officer).get(detail(flag)).content.decode()
    assert f"By {world.head.full_name}" in page and "Recruitment agreed at DMT" in page
    assert "Acknowledged: Recruitment agreed at DMT" in page  # in the history


def test_dismissing_needs_a_reason_and_keeps_the_severity_it_was_dismissed_at(world):
    flag = FlagFactory(organisation=world.org, service=world.service, severity=FlagSeverity.MEDIUM)
    url = reverse("insights:flag_dismiss", args=[flag.pk])
    client = client_for(world.officer)
    response = client.post(url, {"reason": ""})
    assert "Enter why you are dismissing this flag" in response.content.decode()
    response = client.post(url, {"reason": "Already covered by risk HO02"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.state == "dismissed" and flag.dismissed_severity == FlagSeverity.MEDIUM
    assert flag.dismissed_by == world.officer and flag.dismissal_reason == "Already covered by risk HO02"
    assert flag.history.latest().history_change_reason == "Dismissed"
    assert flag not in client.get(LIST).context["page_obj"].object_list  # quiet by default
    # Dismissing twice, or acknowledging a dismissed flag: an error on the form, no change.
    assert "already dismissed" in client.post(url, {"reason": "again"}).content.decode()
    ack = client.post(reverse("insights:flag_acknowledge", args=[flag.pk]), {"note": "x"})
    assert "has been dismissed" in ack.content.decode()


def test_a_resolved_flag_cannot_be_acknowledged(world):
    flag = FlagFactory(organisation=world.org, service=world.service, resolved_at=clock.now())
    response = client_for(world.officer).post(
        reverse("insights:flag_acknowledge", args=[flag.pk]), {"note": "x"}
    )
    assert response.status_code == 200 and "nothing to acknowledge" in response.content.decode()
    flag.refresh_from_db()
    assert flag.acknowledged_at is None


# --- the flag page -------------------------------------------------------------------------
def test_flag_page_shows_the_rule_the_evidence_and_its_links(world):
    flag = FlagFactory(
        organisation=world.org,
        service=world.service,
        subject_id=world.service.pk,
        kind=FlagKind.INTERIM_RELIANCE,
        severity=FlagSeverity.HIGH,
        rule="Interim and agency staff hold more than 20% of the FTE.",
        evidence={
            "interim_and_agency_share_percent": "35",
            "contract_end_date": "2026-07-01",
            "links": [
                {
                    "label": "Workforce",
                    "url": reverse("organisations:service_detail", args=[world.service.pk]),
                },
                {"label": "Elsewhere", "url": "https://evil.example/"},
                {"label": "Script", "url": "javascript:alert(1)"},
            ],
        },
    )
    html = client_for(world.officer).get(detail(flag)).content.decode()
    assert "Interim and agency staff hold more than 20% of the FTE." in html
    assert "Interim and agency share (%)" in html and ">35<" in html
    assert "1 July 2026" in html  # ISO dates read as dates
    assert f'href="{reverse("organisations:service_detail", args=[world.service.pk])}"' in html
    assert "evil.example" not in html and "javascript:" not in html
    assert ">High severity</strong>" in html and ">New</strong>" in html
    assert world.service.name in html  # the subject


def test_record_as_a_risk_opens_the_risk_form_prefilled(world):
    flag = FlagFactory(
        organisation=world.org,
        service=world.service,
        kind=FlagKind.INTERIM_RELIANCE,
        title="Leaning on agency",
    )
    response = client_for(world.officer).get(detail(flag))
    link = response.context["risk_link"]
    assert link and "Record as a risk" in response.content.decode()
    parsed = urlparse(link)
    assert parsed.path == reverse("organisations:risk_create")
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert params["title"] == "Leaning on agency" and params["category"] == "workforce"
    assert params["service"] == str(world.service.pk) and params["flag"] == str(flag.pk)
    form = client_for(world.officer).get(link).context["form"]
    assert form.initial["title"] == "Leaning on agency" and form.initial["service"] == world.service.pk


def test_no_record_as_a_risk_for_personal_or_risk_flags_or_those_who_cannot_add_risks(world):
    personal = personal_flag(world.staff)
    assert client_for(world.manager).get(detail(personal)).context["risk_link"] is None
    risk_flag = FlagFactory(
        organisation=world.org, kind=FlagKind.RISK_ABOVE_TARGET, subject_type=SubjectType.RISK
    )
    assert client_for(world.officer).get(detail(risk_flag)).context["risk_link"] is None
    # A line manager who heads no service sees flags but cannot add risks.
    lead = EmployeeFactory(
        organisation=world.org, service=world.team, line_manager=world.manager, user=UserFactory()
    )
    EmployeeFactory(organisation=world.org, service=world.team, line_manager=lead)
    service_flag = FlagFactory(organisation=world.org, service=world.service, owner=lead)
    response = client_for(lead).get(detail(service_flag))
    assert response.status_code == 200 and response.context["risk_link"] is None


def test_evidence_reads_as_words_not_data():
    from insights.views.flags import evidence_rows

    rows, links = evidence_rows(
        {
            "kpi": {"code": "HO-07", "id": 78, "name": "Staff turnover"},
            "kpi_id": 78,
            "target": "12.0000",
            "target_display": "12.0%",
            "status": "red",
            "amber_tolerance": "2.5000",
            "periods": [
                {
                    "period": "Oct 2026",
                    "period_end": "2026-10-31",
                    "value": "46.0000",
                    "value_display": "46.0%",
                },
                {
                    "period": "Sep 2026",
                    "period_end": "2026-09-30",
                    "value": "12.3000",
                    "value_display": "12.3%",
                },
            ],
            "links": [{"label": "Scorecard", "url": "/kpis/services/1/"}],
        }
    )
    assert rows == [
        ("Amber tolerance", "2.5"),
        ("KPI", "HO-07 Staff turnover"),
        ("Periods", "Period: Oct 2026; Value: 46.0%\nPeriod: Sep 2026; Value: 12.3%"),
        ("Status", "Red"),
        ("Target", "12.0%"),
    ]
    assert links == [{"label": "Scorecard", "url": "/kpis/services/1/"}]

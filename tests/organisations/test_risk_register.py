"""The risk register: its filters, the matrix, who may edit, the forms and the services."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock, queueing
from organisations.access import Viewer
from organisations.models import Risk, RiskAction, RiskCategory
from organisations.rules import risks as risk_rules
from organisations.services.risks import (
    risk_action_can_complete,
    risk_can_create,
    risk_can_edit,
    risk_close,
    risk_create,
    risk_update,
)
from tests.conftest import client_for
from tests.organisations.risk_factories import RiskActionFactory, RiskFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

REGISTER = reverse("organisations:risk_register")
MATRIX = reverse("organisations:risk_matrix")


@pytest.fixture
def queued(monkeypatch):
    """The organisation ids a recompute was asked for (run on commit)."""
    calls = []
    monkeypatch.setattr(queueing, "_handler", calls.append)
    return calls


def titles(response) -> list[str]:
    return [row["risk"].title for row in response.context["rows"]]


def score(likelihood, impact):
    return {
        "residual_likelihood": likelihood,
        "residual_impact": impact,
        "inherent_likelihood": 5,
        "inherent_impact": 5,
        "target_likelihood": 1,
        "target_impact": 1,
    }


@pytest.fixture
def register(world):
    """Risks across the world's services and the corporate register."""
    today = clock.today()
    return {
        "corporate": RiskFactory(
            organisation=world.org,
            title="Cyber attack",
            category=RiskCategory.CYBER,
            owner=world.officer,
            **score(4, 5),
        ),
        "directorate": RiskFactory(
            organisation=world.org,
            service=world.directorate,
            title="TA budget",
            category=RiskCategory.FINANCIAL,
            owner=world.head,
            **score(3, 3),
        ),
        "service": RiskFactory(
            organisation=world.org,
            service=world.service,
            title="Case system",
            owner=world.service_head,
            review_due=today - timedelta(days=3),
            **score(3, 4),
        ),
        "team": RiskFactory(
            organisation=world.org,
            service=world.team,
            title="Team cover",
            category=RiskCategory.WORKFORCE,
            owner=world.staff,
            **score(1, 2),
        ),
        "closed": RiskFactory(
            organisation=world.org,
            service=world.team,
            title="Old risk",
            is_open=False,
            review_due=today - timedelta(days=90),
            **score(5, 5),
        ),
        "elsewhere": RiskFactory(
            organisation=world.org, service=world.corporate, title="Payroll", **score(2, 2)
        ),
        "other_org": RiskFactory(organisation=world.other_org, title="Not ours", **score(5, 5)),
    }


# --- the register --------------------------------------------------------------
def test_register_lists_open_risks_by_residual_score_with_bands_in_words(world, register):
    response = client_for(world.staff).get(REGISTER)
    assert response.status_code == 200
    assert titles(response) == ["Cyber attack", "Case system", "TA budget", "Payroll", "Team cover"]
    html = response.content.decode()
    assert "Not ours" not in html and "Old risk" not in html
    assert ">Extreme</strong>" in html and ">High</strong>" in html and ">Low</strong>" in html
    assert re.search(r"Overdue</strong>", html)  # the case system's review date has passed
    assert '<th scope="col"' in html and "<caption" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"service": "directorate"}, ["Case system", "TA budget", "Team cover"]),  # with its subtree
        ({"service": "service"}, ["Case system", "Team cover"]),
        ({"service": "team"}, ["Team cover"]),
        ({"service": "corporate"}, ["Cyber attack"]),
        ({"category": "workforce"}, ["Team cover"]),
        ({"band": "extreme"}, ["Cyber attack"]),
        ({"band": "high"}, ["Case system", "TA budget"]),
        ({"band": "low"}, ["Team cover"]),
        ({"status": "closed"}, ["Old risk"]),
        (
            {"status": "all"},
            ["Old risk", "Cyber attack", "Case system", "TA budget", "Payroll", "Team cover"],
        ),
        ({"overdue": "on"}, ["Case system"]),  # open risks only: the closed one is not "overdue"
        ({"owner": "head"}, ["TA budget"]),
        ({"likelihood": "3", "impact": "4"}, ["Case system"]),  # a matrix cell
        ({"service": "directorate", "band": "high", "category": "operational"}, ["Case system"]),
    ],
)
def test_register_filters(world, register, query, expected):
    params = dict(query)
    if params.get("service") in ("directorate", "service", "team"):
        params["service"] = getattr(world, params["service"]).pk
    if "owner" in params:
        params["owner"] = getattr(world, params["owner"]).pk
    response = client_for(world.staff).get(REGISTER, params)
    assert titles(response) == expected


def test_register_ignores_filters_that_do_not_fit(world, register):
    other_service = world.other_service.pk  # another organisation's service
    response = client_for(world.staff).get(
        REGISTER, {"service": other_service, "band": "bad", "likelihood": "9"}
    )
    assert response.status_code == 200
    assert len(titles(response)) == 5  # every open risk


def test_register_query_budget_does_not_grow_with_the_register(world):
    # Expected queries: session, user, the viewer's employee, the organisation's services,
    # whether the viewer manages anyone (navigation), risk owners (for the owner filter),
    # the count, and one page of risks with their service and owner.
    client = client_for(world.head)

    def count(n):
        Risk.objects.all().delete()
        for i in range(n):
            RiskFactory(organisation=world.org, service=world.team, owner=world.staff, title=f"Risk {i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(REGISTER).status_code == 200
        return len(ctx.captured_queries)

    assert count(5) == count(200)


def test_register_shows_add_link_only_to_those_who_can_add(world):
    add = reverse("organisations:risk_create")
    assert add not in client_for(world.staff).get(REGISTER).content.decode()
    assert add in client_for(world.officer).get(REGISTER).content.decode()


# --- the matrix --------------------------------------------------------------------
def test_matrix_counts_open_risks_by_residual_cell(world, register):
    RiskFactory(organisation=world.org, service=world.service, title="Second case risk", **score(3, 4))
    response = client_for(world.staff).get(MATRIX)
    rows = response.context["rows"]
    assert [r.likelihood for r in rows] == [5, 4, 3, 2, 1]
    assert all([c.impact for c in r.cells] == [1, 2, 3, 4, 5] for r in rows)
    counts = {(c.likelihood, c.impact): c.count for r in rows for c in r.cells}
    assert counts[(3, 4)] == 2 and counts[(4, 5)] == 1 and counts[(3, 3)] == 1
    assert counts[(1, 2)] == 1 and counts[(2, 2)] == 1
    assert counts[(5, 5)] == 0  # the closed risk and the other organisation's are not counted
    assert sum(counts.values()) == 6 == response.context["total"]
    bands = {b["band"]: b["count"] for b in response.context["bands"]}
    assert bands == {"extreme": 1, "high": 3, "moderate": 1, "low": 1}
    html = response.content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert f"{REGISTER}?likelihood=3&amp;impact=4" in html
    assert "Extreme, score 20" in html and "Moderate, score 6" in html  # band words in the cells
    assert "15 to 25" in html and "8 to 12" in html


def test_matrix_filters_by_service_and_links_keep_the_filter(world, register):
    response = client_for(world.staff).get(MATRIX, {"service": world.service.pk})
    counts = {(c.likelihood, c.impact): c.count for r in response.context["rows"] for c in r.cells}
    assert sum(counts.values()) == 2 and counts[(3, 4)] == 1 and counts[(1, 2)] == 1
    assert f"?likelihood=3&amp;impact=4&amp;service={world.service.pk}" in response.content.decode()
    # following the link gives exactly that cell's risks
    followed = client_for(world.staff).get(
        REGISTER, {"likelihood": 3, "impact": 4, "service": world.service.pk}
    )
    assert titles(followed) == ["Case system"]


def test_matrix_query_budget(world):
    # 9 whatever the register holds: session, user, the viewer's employee, the
    # counts by cell (one grouped query), the organisation's services, whether the
    # viewer manages anyone (navigation), and the session's save (3).
    client = client_for(world.staff)

    def count(n):
        Risk.objects.all().delete()
        for i in range(n):
            RiskFactory(
                organisation=world.org, service=world.team, title=f"R{i}", **score(1 + i % 5, 1 + i % 3)
            )
        with CaptureQueriesContext(connection) as ctx:
            client.get(MATRIX)
        return len(ctx.captured_queries)

    assert count(5) == count(100) == 9


def heat_map_cells(html: str) -> list[tuple[str, str]]:
    """Each heat map cell's band (from its class) and its inner HTML, row by row."""
    return re.findall(
        r'<td class="govuk-table__cell app-risk-heatmap__cell app-risk-heatmap__cell--(\w+)">(.*?)</td>',
        html,
        re.S,
    )


def test_matrix_is_a_heat_map_coloured_and_named_by_band(world, register):
    html = client_for(world.staff).get(MATRIX).content.decode()
    cells = heat_map_cells(html)
    assert len(cells) == 25
    expected = list(risk_rules.matrix_cells())  # likelihood 5 down to 1, impact 1 to 5
    links = 0
    for (likelihood, impact, score_, band), (css, inner) in zip(expected, cells, strict=True):
        assert css == band  # coloured by the band of its score...
        assert f"{risk_rules.BAND_LABELS[band]}, score {score_}</span>" in inner  # ...and named in words
        link = re.search(r'<a class="app-risk-heatmap__link" href="([^"]+)">(\d+)', inner)
        if link:
            links += 1
            assert link.group(1) == f"{REGISTER}?likelihood={likelihood}&amp;impact={impact}"
            assert int(link.group(2)) > 0
        else:  # an empty cell: a plain 0, no link
            assert '<span class="app-risk-heatmap__count">0</span>' in inner
    assert links == 5  # the cells of the world's five open risks
    assert "<caption" in html and html.count('<th scope="row"') >= 5 and html.count('<th scope="col"') >= 5


@pytest.mark.parametrize("scoped", [False, True])
def test_each_matrix_link_lists_exactly_its_cells_risks_and_never_another_organisations(
    world, register, scoped
):
    # Another organisation's risks in the very cells the world's risks sit in.
    for likelihood, impact in [(4, 5), (3, 4), (3, 3), (1, 2), (2, 2)]:
        RiskFactory(
            organisation=world.other_org, title=f"Theirs {likelihood}x{impact}", **score(likelihood, impact)
        )
    client = client_for(world.staff)
    query = {"service": world.directorate.pk} if scoped else {}
    html = client.get(MATRIX, query).content.decode()
    links = re.findall(r'<a class="app-risk-heatmap__link" href="([^"]+)">(\d+)', html)
    shown = set()
    for href, count in links:
        response = client.get(href.replace("&amp;", "&"))
        rows = [row["risk"] for row in response.context["rows"]]
        assert len(rows) == int(count), href
        cell = response.context["cell"]
        assert all(
            (r.residual_likelihood, r.residual_impact) == (cell["likelihood"], cell["impact"]) for r in rows
        )
        assert all(r.organisation_id == world.org.pk for r in rows)
        assert "Theirs" not in response.content.decode()
        shown |= {r.title for r in rows}
    # Scoped to the directorate: its own risks and its subtree's only.
    if scoped:
        assert shown == {"Case system", "TA budget", "Team cover"}
    else:
        assert shown == {"Cyber attack", "Case system", "TA budget", "Team cover", "Payroll"}


# --- who may edit ------------------------------------------------------------------
def test_edit_permissions(world):
    risk = RiskFactory(organisation=world.org, service=world.service, owner=world.staff)
    corporate = RiskFactory(organisation=world.org, service=None, owner=None)
    can = {
        name: risk_can_edit(Viewer(world.persona(name)), risk)
        for name in ("staff", "peer", "manager", "service_head", "head", "chief", "officer", "interim")
    }
    assert can == {
        "staff": True,  # the owner
        "peer": False,
        "manager": False,  # heads a team below the risk's service, not the service
        "service_head": True,
        "head": True,  # heads the directorate above
        "chief": True,
        "officer": True,
        "interim": False,
    }
    assert {
        n for n in ("staff", "head", "chief", "officer") if risk_can_edit(Viewer(world.persona(n)), corporate)
    } == {
        "chief",
        "officer",
    }
    assert not risk_can_edit(Viewer(world.outsider), risk)
    assert [
        n
        for n in ("staff", "peer", "manager", "head", "officer")
        if risk_can_create(Viewer(world.persona(n)))
    ] == [
        "manager",
        "head",
        "officer",
    ]
    action = RiskActionFactory(risk=risk, owner=world.peer)
    assert risk_action_can_complete(Viewer(world.peer), action)  # the action's owner
    assert not risk_action_can_complete(Viewer(world.interim), action)


# --- creating ------------------------------------------------------------------------
def form_data(world, **overrides):
    data = {
        "title": "Agency staff leave at short notice",
        "reference": "HO-09",
        "description": "Because many officers are agency staff, they may leave at a week's notice.",
        "category": "workforce",
        "service": world.service.pk,
        "owner": world.service_head.pk,
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "residual_likelihood": 3,
        "residual_impact": 4,
        "target_likelihood": 2,
        "target_impact": 2,
        "response": "treat",
        "controls": "Monthly review of agency placements.",
        "review_due_0": "31",
        "review_due_1": "3",
        "review_due_2": "2027",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_risk(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.officer).post(reverse("organisations:risk_create"), form_data(world))
    risk = Risk.objects.get(title="Agency staff leave at short notice")
    assert response.status_code == 302 and response["Location"] == reverse(
        "organisations:risk_detail", args=[risk.pk]
    )
    assert risk.organisation == world.org and risk.service == world.service
    assert risk.residual_score == 12 and risk.review_due == date(2027, 3, 31)
    record = risk.history.get()
    assert record.history_user == world.officer.user and record.history_change_reason == "Recorded"
    assert queued == [world.org.pk]


def test_adding_needs_an_officer_or_a_head_of_service(world):
    url = reverse("organisations:risk_create")
    assert client_for(world.staff).post(url, form_data(world)).status_code == 403
    assert not Risk.objects.exists()


def test_a_head_of_service_adds_risks_only_to_their_own_services(world):
    url = reverse("organisations:risk_create")
    # The manager heads the Options Team only.
    response = client_for(world.manager).post(url, form_data(world))  # Housing Options
    assert response.status_code == 200
    assert "Choose a service you are responsible for" in response.content.decode()
    response = client_for(world.manager).post(url, form_data(world, service=""))  # corporate
    assert "Choose the service whose register holds the risk" in response.content.decode()
    assert not Risk.objects.exists()
    response = client_for(world.manager).post(url, form_data(world, service=world.team.pk))
    assert response.status_code == 302
    assert Risk.objects.get().service == world.team


def test_validation_errors_show_by_the_field_and_in_the_summary_and_keep_what_was_typed(world):
    data = form_data(
        world, residual_likelihood=5, residual_impact=5, title="", review_due_0="", review_due_1=""
    )
    response = client_for(world.officer).post(reverse("organisations:risk_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Add a risk" in html
    assert 'class="govuk-error-summary"' in html
    summary = html.split('class="govuk-error-summary"')[1].split("</div>\n</div>")[0]
    for message in (
        "Enter a title for the risk",
        "The residual score (after controls) cannot be above the inherent score.",
    ):
        assert message in summary
        assert html.count(message) >= 2  # in the summary and by the field
    assert 'href="#id_title"' in summary and 'href="#id_residual_likelihood"' in summary
    assert 'href="#id_review_due_0"' in summary
    # What was typed is still there.
    assert "Because many officers are agency staff" in html
    assert 'value="HO-09"' in html and 'value="2027"' in html
    assert not Risk.objects.exists()


def test_create_form_is_prefilled_from_a_flag(world):
    url = reverse("organisations:risk_create")
    params = {
        "title": "Housing Options: 35% of FTE on agency contracts",
        "description": "Raised from a flag.",
        "category": "workforce",
        "service": world.service.pk,
        "flag": "42",
    }
    response = client_for(world.officer).get(url, params)
    form = response.context["form"]
    assert form.initial["title"] == params["title"] and form.initial["category"] == "workforce"
    assert form.initial["service"] == world.service.pk and form.initial["flag"] == 42
    html = response.content.decode()
    assert 'value="Housing Options: 35% of FTE on agency contracts"' in html
    assert "Filled in from a flag" in html
    # Values that do not fit are ignored, not an error.
    response = client_for(world.manager).get(
        url, {"category": "nonsense", "service": world.service.pk, "title": "x" * 500}
    )
    form = response.context["form"]
    assert not form.initial.get("category") and not form.initial.get("service")  # not the manager's service
    assert len(form.initial["title"]) == 200
    # Saving records where it came from.
    response = client_for(world.officer).post(url, form_data(world, flag="42"))
    assert Risk.objects.get().history.get().history_change_reason == "Recorded (from flag 42)"


# --- editing -------------------------------------------------------------------------
def test_the_owner_edits_and_the_history_says_who_changed_what(
    world, queued, django_capture_on_commit_callbacks
):
    risk = RiskFactory(organisation=world.org, service=world.team, owner=world.staff, title="Team cover")
    url = reverse("organisations:risk_edit", args=[risk.pk])
    data = form_data(world, service=world.team.pk, owner=world.staff.pk, title="Team cover in August")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.staff).post(url, {**data, "status": "open"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.title == "Team cover in August" and risk.residual_score == 12
    latest = risk.history.latest()
    assert latest.history_user == world.staff.user
    assert queued == [world.org.pk]
    page = client_for(world.peer).get(reverse("organisations:risk_detail", args=[risk.pk])).content.decode()
    assert "Title: Team cover → Team cover in August" in page
    assert world.staff.user.get_username() in page or world.staff.user.get_full_name() in page


def test_editing_is_refused_to_others_and_nothing_changes(world):
    risk = RiskFactory(
        organisation=world.org, service=world.service, owner=world.service_head, title="Case system"
    )
    url = reverse("organisations:risk_edit", args=[risk.pk])
    for name in ("staff", "peer", "manager", "interim"):
        response = client_for(world.persona(name)).post(url, {**form_data(world), "status": "open"})
        assert response.status_code == 403, name
    assert client_for(world.outsider).post(url, form_data(world)).status_code == 404
    risk.refresh_from_db()
    assert risk.title == "Case system"


def test_closing_and_reopening_a_risk(world):
    risk = RiskFactory(organisation=world.org, service=world.service, owner=world.service_head)
    url = reverse("organisations:risk_edit", args=[risk.pk])
    data = form_data(world, title=risk.title)
    client = client_for(world.service_head)
    client.post(url, {**data, "status": "closed", "closing_note": "System live and stable"})
    risk.refresh_from_db()
    assert not risk.is_open
    assert risk.history.latest().history_change_reason == "Closed: System live and stable"
    client.post(url, {**data, "status": "open"})
    risk.refresh_from_db()
    assert risk.is_open and risk.history.latest().history_change_reason == "Reopened"


def test_services_refuse_what_they_should(world):
    risk = RiskFactory(organisation=world.org)
    with pytest.raises(ValueError):
        risk_update(risk=risk, by=world.officer, changes={"organisation": world.other_org})
    with pytest.raises(ValidationError):
        risk_update(risk=risk, by=world.officer, changes={"target_likelihood": 5, "target_impact": 5})
    risk_close(risk=risk, by=world.officer)
    with pytest.raises(ValidationError):
        risk_close(risk=risk, by=world.officer)
    with pytest.raises(ValidationError):
        risk_create(
            organisation=world.org,
            by=world.officer,
            title="Wrong org service",
            description="d",
            category="cyber",
            inherent_likelihood=1,
            inherent_impact=1,
            residual_likelihood=1,
            residual_impact=1,
            target_likelihood=1,
            target_impact=1,
            review_due=date(2027, 1, 1),
            service=world.other_service,
        )


def test_an_unchanged_save_writes_no_history(world, queued, django_capture_on_commit_callbacks):
    risk = RiskFactory(organisation=world.org, title="Same")
    before = risk.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        risk_update(risk=risk, by=world.officer, changes={"title": "Same"})
    assert risk.history.count() == before and queued == []


# --- actions -----------------------------------------------------------------------
def test_adding_an_action(world):
    risk = RiskFactory(organisation=world.org, service=world.service, owner=world.service_head)
    url = reverse("organisations:risk_action_add", args=[risk.pk])
    assert client_for(world.staff).post(url, {"description": "x"}).status_code == 403
    response = client_for(world.service_head).post(
        url, {"description": "", "owner": world.manager.pk, "due_0": "1", "due_1": "13", "due_2": "2027"}
    )
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "Enter what will be done" in html
        and "Due must be a real date" in html
    )
    response = client_for(world.service_head).post(
        url,
        {
            "description": "Recruit six officers",
            "owner": world.manager.pk,
            "due_0": "1",
            "due_1": "9",
            "due_2": "2027",
        },
    )
    assert response.status_code == 302
    action = RiskAction.objects.get()
    assert action.risk == risk and action.owner == world.manager and action.due == date(2027, 9, 1)
    assert action.history.get().history_user == world.service_head.user
    page = client_for(world.staff).get(reverse("organisations:risk_detail", args=[risk.pk])).content.decode()
    assert "Action added: Recruit six officers" in page


def test_marking_an_action_done(world):
    risk = RiskFactory(organisation=world.org, service=world.service, owner=world.service_head)
    action = RiskActionFactory(risk=risk, owner=world.staff, description="Train the team")
    url = reverse("organisations:risk_action_done", args=[action.pk])
    assert client_for(world.peer).post(url).status_code == 403
    action.refresh_from_db()
    assert action.done is None
    response = client_for(world.staff).post(url)  # the action's owner, though not an editor of the risk
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done == clock.today()
    assert action.history.latest().history_user == world.staff.user
    # Twice: a message, no change.
    response = client_for(world.staff).post(url, follow=True)
    assert "already done" in response.content.decode()
    assert client_for(world.staff).get(url).status_code == 405


def test_risk_page_shows_scores_with_bands_actions_and_controls(world):
    today = clock.today()
    risk = RiskFactory(
        organisation=world.org,
        service=world.service,
        owner=world.service_head,
        controls="Daily triage",
        inherent_likelihood=4,
        inherent_impact=5,
        residual_likelihood=3,
        residual_impact=4,
        target_likelihood=2,
        target_impact=2,
        review_due=today - timedelta(days=1),
    )
    RiskActionFactory(risk=risk, description="Overdue thing", due=today - timedelta(days=2))
    RiskActionFactory(risk=risk, description="Done thing", done=today)
    html = client_for(world.staff).get(reverse("organisations:risk_detail", args=[risk.pk])).content.decode()
    for text in (
        "4 – Likely",
        "5 – Catastrophic",
        ">Extreme</strong>",
        "3 – Possible",
        ">High</strong>",
        ">Moderate</strong>",
        "Daily triage",
        "Overdue thing",
        "Done thing",
        "above the target",
    ):
        assert text in html, text
    assert html.count("Overdue</strong>") == 2  # the review and one action
    assert reverse("organisations:risk_edit", args=[risk.pk]) not in html  # staff cannot edit
    assert (
        reverse("organisations:risk_edit", args=[risk.pk])
        in client_for(world.head).get(reverse("organisations:risk_detail", args=[risk.pk])).content.decode()
    )

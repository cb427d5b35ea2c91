"""Goals pages: visibility, every form's POST permissions and errors, the
agreement workflow and bulk assignment in the browser's terms."""

from datetime import date

import pytest
from django.urls import reverse

from appraisals.models import Goal, GoalCheckIn, GoalLevel, GoalStatus
from organisations.models import KPI
from tests.appraisals.factories import GoalFactory, goals_of
from tests.conftest import client_for


def detail(goal):
    return reverse("appraisals:goal_detail", args=[goal.pk])


def date_fields(prefix: str, d: date) -> dict:
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def goal_post(**overrides) -> dict:
    data = {
        "title": "Cut waiting times",
        "description": "",
        "success_measure": "Median wait under 5 days",
        "parent": "",
        "kpi": "",
        "horizon": "short",
        "weight": "1",
        **date_fields("start_date", date(2026, 4, 1)),
        **date_fields("due_date", date(2027, 3, 31)),
    }
    data.update(overrides)
    return data


# --- visibility --------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,status",
    [
        ("staff", 200),  # the owner
        ("manager", 200),  # line manager
        ("service_head", 200),  # further up the chain
        ("head", 200),  # director: head of the directorate
        ("chief", 200),
        ("officer", 200),  # performance officer
        ("peer", 403),  # same team, not above
        ("interim", 403),  # same service, elsewhere
        ("outsider", 404),  # another organisation
    ],
)
def test_individual_goal_visibility(world, persona, status):
    goal = goals_of(world).staff_goal
    for name in ("appraisals:goal_detail", "appraisals:goal_check_in"):
        response = client_for(world.persona(persona)).get(reverse(name, args=[goal.pk]))
        assert response.status_code == status, (name, persona)


def test_shared_goals_are_seen_by_everyone_in_the_organisation(world):
    g = goals_of(world)
    for goal in (g.priority, g.service_goal, g.team_goal):
        assert client_for(world.peer).get(detail(goal)).status_code == 200
        assert client_for(world.outsider).get(detail(goal)).status_code == 404


def test_supporting_goals_list_only_what_the_viewer_may_see(world):
    team_goal = goals_of(world).team_goal
    html = client_for(world.peer).get(detail(team_goal)).content.decode()
    assert "Peer&#x27;s private objective" in html
    assert "Clear my backlog" not in html  # staff's
    assert "And 2 individual objectives of people whose goals you do not see" in html
    html = client_for(world.manager).get(detail(team_goal)).content.decode()
    assert "Clear my backlog" in html and "Peer&#x27;s private objective" in html


def test_chain_hides_another_persons_objective(world):
    g = goals_of(world)
    mine = GoalFactory(owner=world.staff, parent=g.peer_goal, title="Under my peer's")
    html = client_for(world.staff).get(detail(mine)).content.decode()
    assert "another person's objective" in html
    assert "Peer&#x27;s private objective" not in html
    html = client_for(world.manager).get(detail(mine)).content.decode()
    assert "Peer&#x27;s private objective" in html


def test_person_page_section(world):
    goals_of(world)
    url = reverse("organisations:person_detail", args=[world.staff.pk])
    for persona in ("staff", "manager", "head", "officer"):
        html = client_for(world.persona(persona)).get(url).content.decode()
        assert "Clear my backlog" in html, persona
    html = client_for(world.manager).get(url).content.decode()
    assert f"{reverse('appraisals:goal_create')}?owner={world.staff.pk}" in html
    html = client_for(world.peer).get(url).content.decode()
    assert "Clear my backlog" not in html and ">Goals</h2>" not in html


# --- my goals ------------------------------------------------------------------------


def test_my_goals_shows_status_progress_due_chain_and_kpi(world):
    g = goals_of(world)
    kpi = KPI.objects.create(organisation=world.org, service=world.service, code="HOU-07", name="Prevention")
    Goal.objects.filter(pk=g.service_goal.pk).update(kpi=kpi)
    html = client_for(world.staff).get(reverse("appraisals:my_goals")).content.decode()
    assert "Clear my backlog" in html and "Learn the new system" in html
    assert "Peer&#x27;s private objective" not in html
    assert '<strong class="govuk-tag govuk-tag--green">On track</strong>' in html
    assert '<progress class="app-progress__bar" max="100" value="40"' in html and ">40%</span>" in html
    assert "31 March 2027" in html
    chain = (
        f'Team goal: <a class="govuk-link" href="{detail(g.team_goal)}">Decide applications within 10 days</a> &gt; '
        f'Service goal: <a class="govuk-link" href="{detail(g.service_goal)}">Prevent more homelessness</a> &gt; '
        f'Organisation priority: <a class="govuk-link" href="{detail(g.priority)}">Every resident has a safe home</a>'
    )
    assert chain in html
    assert "HOU-07 Prevention" in html and "(through the goal it supports)" in html
    assert "awaiting agreement with your manager" in html


# --- check-in --------------------------------------------------------------------------


def test_check_in_by_owner_and_errors(world):
    goal = goals_of(world).staff_goal
    url = reverse("appraisals:goal_check_in", args=[goal.pk])
    client = client_for(world.staff)
    response = client.post(url, {"progress": "150", "status": "", "comment": "Typed this"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Check in on a goal" in html
    assert 'href="#id_progress">Progress must be 100 or less</a>' in html  # summary
    assert (
        '<span id="id_progress_1_error" class="govuk-error-message"> '
        '<span class="govuk-visually-hidden">Error:</span> Progress must be 100 or less'
    ) in html  # next to the field
    assert "Choose how the goal is going" in html
    assert "Typed this" in html and 'value="150"' in html  # nothing lost
    response = client.post(url, {"progress": "55", "status": "at_risk", "comment": "Short-staffed"})
    assert response.status_code == 302 and response["Location"] == detail(goal)
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (55, GoalStatus.AT_RISK)
    check_in = GoalCheckIn.objects.get(goal=goal)
    assert check_in.author == world.staff and check_in.comment == "Short-staffed"


def test_check_in_permissions(world):
    goal = goals_of(world).staff_goal
    url = reverse("appraisals:goal_check_in", args=[goal.pk])
    data = {"progress": "70", "status": "on_track", "comment": ""}
    for persona in ("manager", "head", "officer"):
        assert client_for(world.persona(persona)).post(url, data).status_code == 302, persona
    assert client_for(world.peer).post(url, data).status_code == 403
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert GoalCheckIn.objects.filter(goal=goal).count() == 3
    # Shared goals: the head of the service above, performance officers; not staff.
    team_url = reverse("appraisals:goal_check_in", args=[goals_of(world).team_goal.pk])
    assert client_for(world.staff).get(team_url).status_code == 403
    assert client_for(world.manager).get(team_url).status_code == 200  # heads the team
    priority_url = reverse("appraisals:goal_check_in", args=[goals_of(world).priority.pk])
    assert client_for(world.head).get(priority_url).status_code == 403
    assert client_for(world.chief).get(priority_url).status_code == 200


def test_dropping_needs_a_reason(world):
    goal = goals_of(world).staff_goal
    url = reverse("appraisals:goal_check_in", args=[goal.pk])
    html = client_for(world.manager).post(url, {"progress": "40", "status": "dropped"}).content.decode()
    assert "Say why the goal is being dropped" in html
    response = client_for(world.manager).post(
        url, {"progress": "40", "status": "dropped", "comment": "Restructure"}
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.DROPPED


def test_draft_cannot_be_checked_in(world):
    draft = goals_of(world).staff_draft
    url = reverse("appraisals:goal_check_in", args=[draft.pk])
    html = client_for(world.staff).post(url, {"progress": "10", "status": "on_track"}).content.decode()
    assert "once it is agreed" in html
    assert not GoalCheckIn.objects.filter(goal=draft).exists()


# --- propose and agree ----------------------------------------------------------------


def test_propose_a_goal(world):
    g = goals_of(world)
    url = reverse("appraisals:goal_propose")
    client = client_for(world.peer)
    response = client.post(
        url, goal_post(title="", parent=str(g.team_goal.pk), due_date_0="31", due_date_1="2")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Propose a goal" in html
    assert 'href="#id_title">This field is required.</a>' in html
    assert 'href="#id_due_date_0">Due date must be a real date</a>' in html
    assert "Median wait under 5 days" in html  # kept
    assert f'<option value="{g.team_goal.pk}" selected>' in html
    response = client.post(url, goal_post(parent=str(g.team_goal.pk)))
    goal = Goal.objects.get(title="Cut waiting times")
    assert response.status_code == 302 and response["Location"] == detail(goal)
    assert (goal.owner, goal.status, goal.level, goal.parent) == (
        world.peer,
        GoalStatus.DRAFT,
        GoalLevel.INDIVIDUAL,
        g.team_goal,
    )


def test_propose_rejects_another_organisations_parent_and_kpi(world):
    g = goals_of(world)
    other_kpi = KPI.objects.create(
        organisation=world.other_org, service=world.other_service, code="X", name="X"
    )
    html = (
        client_for(world.staff)
        .post(
            reverse("appraisals:goal_propose"),
            goal_post(parent=str(g.other_priority.pk), kpi=str(other_kpi.pk)),
        )
        .content.decode()
    )
    assert "Select a valid choice" in html
    assert not Goal.objects.filter(title="Cut waiting times").exists()


def test_agree_workflow(world):
    draft = goals_of(world).staff_draft
    url = reverse("appraisals:goal_agree", args=[draft.pk])
    assert client_for(world.manager).get(url).status_code == 405
    assert client_for(world.staff).post(url).status_code == 403  # not your own
    assert client_for(world.peer).post(url).status_code == 403
    assert client_for(world.officer).post(url).status_code == 403  # sees it, does not manage
    assert client_for(world.outsider).post(url).status_code == 404
    assert Goal.objects.get(pk=draft.pk).status == GoalStatus.DRAFT
    team = reverse("appraisals:team_goals")
    html = client_for(world.manager).get(team).content.decode()
    assert "Awaiting your agreement (1)" in html and "Learn the new system" in html
    response = client_for(world.manager).post(url)
    assert response.status_code == 302 and response["Location"] == team
    draft.refresh_from_db()
    assert draft.status == GoalStatus.AGREED and draft.agreed_by == world.manager
    html = client_for(world.manager).get(team, follow=True).content.decode()
    assert "Awaiting your agreement (0)" in html
    # Agreeing twice says so, and changes nothing.
    response = client_for(world.manager).post(url, {"next": detail(draft)}, follow=True)
    assert "Only a draft can be agreed" in response.content.decode()
    # A grand-manager may agree too; `next` must be on this site.
    other = GoalFactory(owner=world.peer, status=GoalStatus.DRAFT)
    response = client_for(world.service_head).post(
        reverse("appraisals:goal_agree", args=[other.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == team


# --- create and edit -----------------------------------------------------------------


def test_manager_sets_a_goal_for_a_report(world):
    g = goals_of(world)
    url = reverse("appraisals:goal_create") + f"?owner={world.staff.pk}"
    html = client_for(world.manager).get(url).content.decode()
    assert "Set a goal for Sol Staff" in html
    assert 'name="start_date_0"' in html
    response = client_for(world.manager).post(url, goal_post(parent=str(g.team_goal.pk)))
    goal = Goal.objects.get(title="Cut waiting times")
    assert response.status_code == 302
    assert (goal.owner, goal.status, goal.agreed_by, goal.created_by, goal.service) == (
        world.staff,
        GoalStatus.AGREED,
        world.manager,
        world.manager,
        world.team,
    )


def test_setting_goals_is_for_managers_of_the_person(world):
    create = reverse("appraisals:goal_create")
    assert client_for(world.manager).get(f"{create}?owner={world.service_head.pk}").status_code == 403
    assert client_for(world.staff).get(f"{create}?owner={world.peer.pk}").status_code == 403
    assert client_for(world.officer).get(f"{create}?owner={world.staff.pk}").status_code == 403
    assert client_for(world.manager).get(f"{create}?owner={world.outsider.pk}").status_code == 404
    assert client_for(world.manager).get(f"{create}?owner=abc").status_code == 404
    assert client_for(world.head).get(f"{create}?owner={world.staff.pk}").status_code == 200  # further up
    response = client_for(world.manager).post(f"{create}?owner={world.service_head.pk}", goal_post())
    assert response.status_code == 403 and not Goal.objects.filter(title="Cut waiting times").exists()


def test_head_of_service_creates_goals_for_their_subtree_only(world):
    g = goals_of(world)
    url = reverse("appraisals:goal_create")
    client = client_for(world.head)
    html = client.get(url).content.decode()
    assert 'value="organisation"' not in html  # priorities: officers and the chief executive
    response = client.post(
        url, goal_post(level="team", service=str(world.other_team.pk), parent=str(g.service_goal.pk))
    )
    assert response.status_code == 302
    created = Goal.objects.get(title="Cut waiting times")
    assert (created.level, created.service, created.parent) == (
        GoalLevel.TEAM,
        world.other_team,
        g.service_goal,
    )
    html = client.post(
        url, goal_post(title="Elsewhere", level="service", service=str(world.corporate.pk))
    ).content.decode()
    assert "Select a valid choice" in html and not Goal.objects.filter(title="Elsewhere").exists()
    html = client.post(
        url, goal_post(title="Wrong kind", level="team", service=str(world.service.pk))
    ).content.decode()
    assert "Choose a team for a team goal." in html
    html = client.post(
        url,
        goal_post(
            title="Upside down", level="service", service=str(world.service.pk), parent=str(g.team_goal.pk)
        ),
    ).content.decode()
    assert "choose a goal at the same or a higher level" in html


def test_officer_and_chief_create_organisation_priorities(world):
    url = reverse("appraisals:goal_create")
    for persona in ("officer", "chief"):
        response = client_for(world.persona(persona)).post(
            url, goal_post(title=f"Priority by {persona}", level="organisation", horizon="long")
        )
        assert response.status_code == 302, persona
        assert Goal.objects.get(title=f"Priority by {persona}").level == GoalLevel.ORGANISATION
    assert client_for(world.staff).post(url, goal_post(level="organisation")).status_code == 403


def test_edit_permissions_and_reparenting(world):
    g = goals_of(world)
    other_team_goal = GoalFactory(
        organisation=world.org, level=GoalLevel.TEAM, service=world.other_team, parent=g.service_goal
    )
    url = reverse("appraisals:goal_edit", args=[g.staff_goal.pk])
    assert client_for(world.staff).get(url).status_code == 403  # agreed: only managers change it
    assert client_for(world.peer).get(url).status_code == 403
    assert client_for(world.officer).get(url).status_code == 403
    response = client_for(world.manager).post(
        url, goal_post(title="Clear my backlog by June", parent=str(other_team_goal.pk))
    )
    assert response.status_code == 302
    goal = Goal.objects.get(pk=g.staff_goal.pk)
    assert goal.title == "Clear my backlog by June" and goal.parent == other_team_goal
    assert goal.history.first().history_user == world.manager.user
    assert Goal.objects.get(pk=other_team_goal.pk).progress == 40  # rolled up on re-parenting
    # The owner may change their own draft.
    draft_url = reverse("appraisals:goal_edit", args=[g.staff_draft.pk])
    response = client_for(world.staff).post(draft_url, goal_post(title="Learn the new case system"))
    assert response.status_code == 302
    assert Goal.objects.get(pk=g.staff_draft.pk).title == "Learn the new case system"


def test_edit_shared_goal(world):
    g = goals_of(world)
    url = reverse("appraisals:goal_edit", args=[g.team_goal.pk])
    assert client_for(world.staff).get(url).status_code == 403
    assert client_for(world.head).get(url).status_code == 200
    html = (
        client_for(world.officer)
        .post(url, goal_post(title="", parent=str(g.service_goal.pk)))
        .content.decode()
    )
    assert "<title>Error: Change a goal" in html and 'href="#id_title"' in html


# --- team goals and bulk assignment ------------------------------------------------------


def test_team_goals_lists_drafts_first_then_each_report(world):
    goals_of(world)
    html = client_for(world.manager).get(reverse("appraisals:team_goals")).content.decode()
    assert html.index("Awaiting your agreement") < html.index("Your direct reports")
    assert html.index("Learn the new system") < html.index("Your direct reports")
    reports = html[html.index("Your direct reports") :]
    assert (
        "Sol Staff" in reports
        and "Clear my backlog" in reports
        and "Peer&#x27;s private objective" in reports
    )
    assert "Learn the new system" not in reports  # drafts only above


def bulk_post(parent, people, **overrides):
    data = {
        "parent": str(parent.pk),
        "people": [str(p.pk) for p in people],
        "title": "Use the new triage form",
        "description": "",
        "success_measure": "",
        "kpi": "",
        "horizon": "short",
        **date_fields("start_date", date(2026, 4, 1)),
        **date_fields("due_date", date(2027, 3, 31)),
    }
    data.update(overrides)
    return data


def test_bulk_assign_to_three_reports(world):
    g = goals_of(world)
    from tests.factories import EmployeeFactory

    third = EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
    url = reverse("appraisals:goal_bulk_assign")
    client = client_for(world.manager)
    html = client.get(url).content.decode()
    assert "Sol Staff" in html and "Pat Peer" in html and "Ira Interim" not in html
    response = client.post(url, bulk_post(g.team_goal, [world.staff, world.peer, third]))
    assert response.status_code == 302 and response["Location"] == reverse("appraisals:team_goals")
    made = Goal.objects.filter(title="Use the new triage form")
    assert sorted(made.values_list("owner_id", flat=True)) == sorted(
        [world.staff.pk, world.peer.pk, third.pk]
    )
    assert set(made.values_list("parent_id", "status")) == {(g.team_goal.pk, GoalStatus.AGREED)}
    html = client.get(response["Location"]).content.decode()
    assert "Goal assigned to 3 people." in html


def test_bulk_assign_rejects_people_not_below_and_keeps_what_was_typed(world):
    g = goals_of(world)
    url = reverse("appraisals:goal_bulk_assign")
    response = client_for(world.manager).post(
        url, bulk_post(g.team_goal, [world.staff, world.interim], title="Keep me", success_measure="Measured")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Assign a goal to several people" in html
    assert 'href="#id_people_1">Choose only people you manage</a>' in html
    assert 'value="Keep me"' in html and "Measured" in html
    assert f'value="{world.staff.pk}"\n          \n            checked="checked"' in html
    assert not Goal.objects.filter(title="Keep me").exists()
    html = client_for(world.manager).post(url, bulk_post(g.team_goal, [], title="Nobody")).content.decode()
    assert "Choose at least one person" in html
    html = (
        client_for(world.manager)
        .post(url, bulk_post(g.team_goal, [world.staff], **date_fields("due_date", date(2026, 1, 1))))
        .content.decode()
    )
    assert "The due date must be after the start date." in html


def test_bulk_assign_is_for_managers(world):
    url = reverse("appraisals:goal_bulk_assign")
    g = goals_of(world)
    assert client_for(world.staff).post(url, bulk_post(g.team_goal, [world.peer])).status_code == 403
    assert client_for(world.officer).get(url).status_code == 403
    # The director chooses among their direct reports, or everyone below them in a service.
    client = client_for(world.head)
    html = client.get(url).content.decode()
    assert "Sam Service" in html and "Sol Staff" not in html
    assert f'<option value="{world.service.pk}">Housing Options (5 people)</option>' in html
    assert f'<option value="{world.team.pk}">Options Team (3 people)</option>' in html
    assert "Resources" not in html  # no one below the director there
    html = client.get(f"{url}?service={world.service.pk}").content.decode()
    assert "Sol Staff" in html and "Ira Interim" in html and "Olu Officer" not in html
    response = client.post(
        f"{url}?service={world.team.pk}", bulk_post(g.team_goal, [world.staff, world.interim])
    )
    assert "Choose only people you manage" in response.content.decode()  # interim is not in the list shown
    response = client.post(
        f"{url}?service={world.service.pk}", bulk_post(g.team_goal, [world.staff, world.interim])
    )
    assert response.status_code == 302
    assert Goal.objects.filter(title="Use the new triage form").count() == 2


# --- alignment ---------------------------------------------------------------------------


def test_alignment_tree_counts_supporters(world):
    goals_of(world)
    html = client_for(world.officer).get(reverse("appraisals:alignment")).content.decode()
    assert "Whole organisation" in html
    assert "<details" in html and "Organisation priority: Every resident has a safe home" in html
    # The team goal: staff's, peer's and staff's draft
    assert "Supported by 3 goals (3 individual objectives)" in html
    assert "Riverside priority" not in html
    assert "<summary" in html and "Team goal: Decide applications within 10 days" in html
    unaligned = GoalFactory(owner=world.peer, title="Personal development")
    html = client_for(world.officer).get(reverse("appraisals:alignment")).content.decode()
    assert "Personal development" in html
    # Peers do not see each other's unaligned objectives; the manager does.
    assert (
        "Personal development"
        not in client_for(world.staff).get(reverse("appraisals:alignment")).content.decode()
    )
    assert (
        "Personal development"
        in client_for(world.manager).get(reverse("appraisals:alignment")).content.decode()
    )
    assert unaligned.pk


def test_alignment_defaults_to_the_heads_directorate_and_filters(world):
    g = goals_of(world)
    GoalFactory(
        organisation=world.org, level=GoalLevel.SERVICE, service=world.corporate, title="Balance the budget"
    )
    url = reverse("appraisals:alignment")
    html = client_for(world.head).get(url).content.decode()
    assert '<span class="govuk-caption-l">Housing</span>' in html
    assert "Prevent more homelessness" in html and "Balance the budget" not in html
    html = client_for(world.head).get(url + "?service=").content.decode()
    assert "Balance the budget" in html  # chose the whole organisation
    html = client_for(world.officer).get(url + f"?service={world.corporate.pk}").content.decode()
    assert "Balance the budget" in html and "Prevent more homelessness" not in html
    # Support nothing: a service goal with no parent is listed.
    assert "Service and team goals not linked to a priority" in html
    html = client_for(world.officer).get(url + f"?service={world.other_service.pk}").content.decode()
    assert "Whole organisation" in html  # another organisation's service is ignored
    assert g.priority.title in html

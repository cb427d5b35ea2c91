"""Skills heatmap, gap list, a person's gaps, and run history: what each viewer sees."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import RatingSource, SkillRating
from core import clock
from insights.models import Run, RunStatus
from insights.services.recompute import run_recompute
from insights.views import skills as skill_views
from organisations.models import Employee
from tests.conftest import client_for
from tests.insights.skills_data import build_skills

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def sw(world):
    data = build_skills(world)
    run_recompute(world.org, today=TODAY)
    return data


def heatmap(world, viewer, service=None):
    return client_for(viewer).get(reverse("insights:skills_heatmap", args=[(service or world.service).pk]))


def gaps(world, viewer, query="", service=None):
    return client_for(viewer).get(
        reverse("insights:skills_gaps", args=[(service or world.service).pk]) + query
    )


# --- the heatmap ----------------------------------------------------------------------


def test_heatmap_cells_give_numbers_and_a_word(world, sw):
    response = heatmap(world, world.service_head)
    html = response.content.decode()
    table = {line["skill"].name: line for line in response.context["table"]}
    locata = table["Locata case management"]
    assert [c["service"].name for c in locata["cells"]] == ["Lettings Team", "Options Team"]
    lettings, options = locata["cells"]
    assert (options["row"].people_meeting, options["row"].people_required, options["label"]) == (1, 2, "Gap")
    assert (lettings["row"].people_meeting, lettings["label"]) == (1, "Met")
    assert locata["total"]["label"] == "Partly met"  # 2 of 3, above the 60% threshold
    assert "1 of 2 (50%)" in html and "2 of 3 (66.7%)" in html
    assert ">Gap</span>" in html and ">Met</span>" in html and ">Partly met</span>" in html
    assert "Not required" in html  # people management is not needed in the Lettings Team
    assert "<caption" in html and "Data as of" in html


def test_heatmap_of_a_large_service_shows_its_parts_with_links(world, sw, monkeypatch):
    monkeypatch.setattr(skill_views, "MAX_TEAM_COLUMNS", 1)
    response = heatmap(world, world.head, world.directorate)
    assert [c.name for c in response.context["columns"]] == ["Housing Options"]
    assert response.context["column_kind"] == "part"
    assert reverse("insights:skills_heatmap", args=[world.service.pk]) in response.content.decode()


def test_heatmap_says_when_nothing_has_run_yet(world):
    html = heatmap(world, world.officer).content.decode()
    assert "No recompute has run yet" in html


def test_heatmap_warns_when_figures_may_be_stale(world, sw):

    type(world.org).objects.filter(pk=world.org.pk).update(recompute_failed_at=clock.now())
    assert "may be out of date" in heatmap(world, world.officer).content.decode()


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("chief", 200),  # chief executive
        ("officer", 200),  # performance officer
        ("head", 200),  # heads the directorate above
        ("service_head", 200),  # heads the service
        ("manager", 200),  # manages a team in it
        ("staff", 403),
        ("interim", 403),
        ("outsider", 404),
    ],
)
def test_who_sees_a_services_skills(world, sw, persona, expected):
    assert heatmap(world, world.persona(persona)).status_code == expected
    assert gaps(world, world.persona(persona)).status_code == expected


def test_a_team_manager_sees_their_team_and_its_service_only(world, sw):
    assert heatmap(world, world.manager, world.team).status_code == 200
    assert heatmap(world, world.manager, world.service).status_code == 200
    assert heatmap(world, world.manager, world.other_team).status_code == 403
    assert heatmap(world, world.manager, world.directorate).status_code == 403
    assert heatmap(world, world.manager, world.root).status_code == 403


def test_a_head_sees_their_subtree_not_above_it(world, sw):
    assert heatmap(world, world.head, world.other_team).status_code == 200
    assert heatmap(world, world.head, world.root).status_code == 403
    assert heatmap(world, world.chief, world.root).status_code == 200
    breadcrumbs = heatmap(world, world.head, world.team).context["ancestors"]
    assert [s.name for s in breadcrumbs] == ["Housing", "Housing Options"]


def _add_people(world, sw, n):
    """n more officers in the two teams, rated, then a fresh run."""
    role = world.staff.job_role
    people = Employee.objects.bulk_create(
        [
            Employee(
                organisation=world.org,
                first_name=f"Extra{i}",
                last_name="Person",
                service=world.team if i % 2 else world.other_team,
                job_role=role,
                line_manager=world.manager,
                start_date=date(2024, 1, 1),
            )
            for i in range(n)
        ]
    )
    SkillRating.objects.bulk_create(
        [
            SkillRating(employee=p, skill=s, level=i % 5, source=RatingSource.SELF, rated_on=TODAY)
            for i, p in enumerate(people)
            for s in (sw.locata, sw.law, sw.calm)
        ]
    )
    run_recompute(world.org, today=TODAY)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_budgets_do_not_grow_with_the_service(world, sw):
    # Heatmap: session, user, viewer, services (once), navigation roles, service rows
    # of the service and its teams (one query), the last run.
    # Gaps: the same, plus the people below level (a count and a page) and the
    # viewer's reports (one recursive query) for the individuals they may see.
    # Person page: the person, their reports, the section's rows and the last run.
    head = client_for(world.head)
    urls = [
        reverse("insights:skills_heatmap", args=[world.service.pk]),
        reverse("insights:skills_gaps", args=[world.service.pk]),
        reverse("insights:skills_gaps", args=[world.service.pk]) + "?recommendation=develop&essential=on",
        reverse("organisations:person_detail", args=[world.peer.pk]),
    ]
    small = [_count(head, u) for u in urls]
    _add_people(world, sw, 120)
    assert [_count(head, u) for u in urls] == small
    manager = client_for(world.manager)
    assert _count(manager, urls[1]) == _count(manager, urls[1])


# --- the gap list -------------------------------------------------------------------


def test_gap_list_by_skill_worst_first_with_recommendations(world, sw):
    response = gaps(world, world.head)
    rows = response.context["service_rows"]
    names = [r.skill.name for r in rows]
    assert names == [
        "Homelessness law",
        "De-escalation",
        "Locata case management",
    ]  # 50%, 50% (desirable), 66.7%
    # Homelessness law: 1 of 2, one person short: develop them, not interim cover.
    assert [r.get_recommendation_display() for r in rows][0] == "Develop (training, coaching)"
    html = response.content.decode()
    assert "Only 1 person is short" in html and "Develop (training, coaching)" in html
    assert "1 of 2 (50%)" in html


def test_gap_list_people_only_those_the_viewer_may_see(world, sw):
    # Staff and peer report to the manager; the interim (Lettings Team) does not.
    Employee.objects.filter(pk=world.interim.pk).update(job_role=world.staff.job_role)
    run_recompute(world.org, today=TODAY)
    seen_by_head = {g.employee_id for g in gaps(world, world.head).context["page_obj"]}
    assert world.interim.pk in seen_by_head and world.peer.pk in seen_by_head
    seen_by_manager = {g.employee_id for g in gaps(world, world.manager).context["page_obj"]}
    assert world.peer.pk in seen_by_manager and world.interim.pk not in seen_by_manager


def test_gap_list_filters(world, sw):
    # peer's law gap is one level: develop; the others are two levels where the service
    # still has cover (Locata 66.7%) or the skill is desirable (de-escalation): develop.
    develop = gaps(world, world.officer, "?recommendation=develop").context["page_obj"]
    assert {(g.employee_id, g.skill_id) for g in develop} == {
        (world.peer.pk, sw.law.pk),
        (world.peer.pk, sw.locata.pk),
        (world.staff.pk, sw.calm.pk),
    }
    assert list(gaps(world, world.officer, "?recommendation=recruit").context["page_obj"]) == []
    by_skill = gaps(world, world.officer, f"?skill={sw.calm.pk}").context
    assert {g.employee_id for g in by_skill["page_obj"]} == {world.staff.pk}
    assert [r.skill_id for r in by_skill["service_rows"]] == [sw.calm.pk]
    essential = gaps(world, world.officer, "?essential=on").context
    assert sw.calm.pk not in {r.skill_id for r in essential["service_rows"]}
    team = gaps(world, world.officer, f"?team={world.other_team.pk}").context
    assert team["chosen"] == world.other_team and list(team["page_obj"]) == []
    html = gaps(world, world.officer, "?category=digital").content.decode()
    assert "Clear filters" in html and "De-escalation" not in html.split("Gaps by skill")[1]
    # nonsense is ignored, not an error
    assert gaps(world, world.officer, "?team=abc&skill=-1&recommendation=zzz").status_code == 200


# --- a person's gaps -----------------------------------------------------------------


def person_page(world, viewer, person):
    return client_for(viewer).get(reverse("organisations:person_detail", args=[person.pk]))


def test_person_page_shows_gaps_to_those_who_may_see_them(world, sw):
    for viewer in (world.peer, world.manager, world.service_head, world.head, world.officer, world.chief):
        html = person_page(world, viewer, world.peer).content.decode()
        assert "Locata case management" in html and "2 levels short" in html, viewer
        assert "Data as of" in html
    html = person_page(world, world.staff, world.peer).content.decode()
    assert "2 levels short" not in html and "Locata" not in html
    assert "Update your self-assessment" in person_page(world, world.peer, world.peer).content.decode()


def test_person_page_for_someone_with_no_role(world, sw):
    html = person_page(world, world.officer, world.head).content.decode()
    assert "No skills gaps computed" in html


# --- runs ---------------------------------------------------------------------------------


def test_run_history_shows_each_run(world, sw):
    Run.objects.create(
        organisation=world.org, trigger="nightly", status=RunStatus.FAILED, error="Boom: it broke"
    )
    response = client_for(world.officer).get(reverse("insights:run_list"))
    html = response.content.decode()
    assert "Boom: it broke" in html and "Failed" in html and "Succeeded" in html
    assert "Nightly" in html and "4 people" in html and " s<" in html.replace("</td>", "<")
    assert reverse("insights:run_now") in html
    chief = client_for(world.chief).get(reverse("insights:run_list")).content.decode()
    assert "Run now" not in chief


def test_run_now_queues_a_run_for_officers_only(world, sw):
    before = Run.objects.filter(organisation=world.org).count()
    for persona in ("staff", "manager", "head", "chief"):
        assert client_for(world.persona(persona)).post(reverse("insights:run_now")).status_code == 403
    assert Run.objects.filter(organisation=world.org).count() == before
    response = client_for(world.officer).post(reverse("insights:run_now"), follow=True)
    assert "A recompute has been queued" in response.content.decode()
    run = Run.objects.filter(organisation=world.org).order_by("-pk").first()
    assert run.trigger == "manual" and run.requested_by == world.officer and run.status == RunStatus.SUCCEEDED
    # The other organisation's officer runs their own organisation only.
    client_for(world.outsider).post(reverse("insights:run_now"))
    assert Run.objects.filter(organisation=world.other_org, requested_by=world.outsider).exists()


def test_run_now_reports_a_failure(world, sw, monkeypatch):
    from insights import tasks

    def down(*a, **kw):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.recompute_organisation, "apply_async", down)
    response = client_for(world.officer).post(reverse("insights:run_now"), follow=True)
    assert "could not be started" in response.content.decode()


def test_run_list_query_budget(world, sw):
    client = client_for(world.officer)
    url = reverse("insights:run_list")
    small = _count(client, url)
    for _ in range(30):
        Run.objects.create(
            organisation=world.org, trigger="nightly", status=RunStatus.SUCCEEDED, requested_by=world.officer
        )
    assert _count(client, url) == small

"""The skills-gap job on a small database: rows, recommendations, flags,
idempotency, first-seen dates, and a query count independent of size."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.models import RatingSource
from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, Run, RunStatus, SkillGap
from insights.models.runs import Recommendation
from insights.services import recompute
from insights.services.recompute import run_recompute
from insights.services.skill_gaps import recompute_skill_gaps
from organisations.models import Employee, EmploymentType, Organisation
from tests.insights.skills_data import build_sized_org, build_skills, rate

TODAY = date(2026, 6, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world, monkeypatch):
    # Runs over the hand-built world exercise the skills step alone: the world's
    # people would raise feedback and workforce flags too. (The query-count test
    # below runs every step.)
    monkeypatch.setattr(recompute, "STEPS", [recompute_skill_gaps])
    return build_skills(world)


def spof_key(world, skill):
    return f"single_point_of_failure:service:{world.service.pk}:skill:{skill.pk}"


def person_row(employee, skill):
    return SkillGap.objects.get(employee=employee, skill=skill)


def service_row(service, skill):
    return SkillGap.objects.get(employee=None, service=service, skill=skill)


def test_person_rows_required_current_gap(world, sw):
    run_recompute(world.org, today=TODAY)
    staff_locata = person_row(world.staff, sw.locata)
    assert (staff_locata.required_level, staff_locata.current_level, staff_locata.gap) == (3, 3, 0)
    assert staff_locata.recommendation == Recommendation.NONE and staff_locata.first_seen_on is None
    peer_locata = person_row(world.peer, sw.locata)  # the manager's 1 beats the newer self 3
    assert (peer_locata.current_level, peer_locata.gap) == (1, 2)
    assert peer_locata.service_id == world.team.pk and peer_locata.first_seen_on == TODAY
    staff_calm = person_row(world.staff, sw.calm)  # never rated
    assert (staff_calm.current_level, staff_calm.gap, staff_calm.essential) == (0, 2, False)
    assert person_row(world.peer, sw.law).recommendation == Recommendation.DEVELOP  # one level short
    # Only people with a role are assessed; only their role's skills.
    assert not SkillGap.objects.filter(employee__in=[world.head, world.officer, world.chief]).exists()
    assert SkillGap.objects.filter(employee=world.staff).count() == 3


def test_service_rows_roll_up_the_subtree(world, sw):
    run_recompute(world.org, today=TODAY)
    team, other_team = service_row(world.team, sw.locata), service_row(world.other_team, sw.locata)
    assert (team.people_required, team.people_meeting, team.coverage) == (2, 1, Decimal("50.0"))
    assert (other_team.people_required, other_team.people_meeting) == (1, 1)
    for s in (world.service, world.directorate, world.root):
        row = service_row(s, sw.locata)
        assert (row.people_required, row.people_meeting, row.coverage) == (3, 2, Decimal("66.7")), s
        assert row.required_level == 3 and row.gap == 1 and row.essential
    assert not SkillGap.objects.filter(service=world.corporate).exists()
    people = service_row(world.service, sw.people)
    assert (people.people_required, people.people_meeting) == (1, 1)
    assert people.recommendation == Recommendation.NONE


def test_flags_single_point_of_failure_and_skills_gap(world, sw):
    # Locata in Housing Options: 2 of 3 (66.7%). Above the default 60%: no skills_gap;
    # but only staff of the two officers required at level 3 holds it.
    # Homelessness law likewise: staff holds it, peer does not.
    run = run_recompute(world.org, today=TODAY)
    flags = {f.key: f for f in Flag.objects.filter(organisation=world.org)}
    assert set(flags) == {spof_key(world, sw.locata), spof_key(world, sw.law)}
    spof = flags[spof_key(world, sw.locata)]
    assert spof.service_id == world.service.pk and spof.subject_id == world.service.pk
    assert spof.severity == FlagSeverity.MEDIUM
    assert spof.owner == world.service_head  # the head of Housing Options acts
    assert spof.evidence["holder"] == world.staff.full_name
    assert spof.evidence["people_required_at_level"] == 2
    assert "Locata case management" in spof.title and "one of 2" in spof.title
    assert any(link["url"] == f"/people/{world.staff.pk}/" for link in spof.evidence["links"])
    assert run.counts["skills"]["single_point_flags"] == 2

    Organisation.objects.filter(pk=world.org.pk).update(skills_coverage_threshold=Decimal("70"))
    world.org.refresh_from_db()
    run_recompute(world.org, today=TODAY)
    gap = Flag.objects.get(organisation=world.org, kind=FlagKind.SKILLS_GAP, resolved_at=None)
    assert gap.service_id == world.service.pk and gap.owner == world.service_head
    assert gap.severity == FlagSeverity.MEDIUM  # essential, between 30% and 70%
    assert gap.evidence["coverage"] == 66.7 and gap.evidence["threshold"] == 70.0
    # One person short (2 of 3): develop them, not interim cover for one person's gap.
    assert gap.evidence["recommendation"] == Recommendation.DEVELOP
    assert "Only 1 person is short" in service_row(world.service, sw.locata).reasons
    assert gap.evidence["below_threshold_since"] == TODAY.isoformat()
    assert "2 of 3" in gap.title and "70%" in gap.rule
    assert {link["url"] for link in gap.evidence["links"]} >= {
        f"/services/{world.service.pk}/skills/",
        f"/services/{world.service.pk}/skills/gaps/?skill={sw.locata.pk}",
    }
    # peer is two short: a person's own gap is always development, never cover.
    assert person_row(world.peer, sw.locata).recommendation == Recommendation.DEVELOP


def test_single_point_of_failure_is_high_when_the_holder_is_interim(world, sw):
    # interim becomes a Housing Options Officer at level 3; staff drops to 2: of the three
    # officers, only the interim holds Locata at level 3.
    Employee.objects.filter(pk=world.interim.pk).update(job_role=world.staff.job_role)
    rate(world.interim, sw.locata, 3, RatingSource.MANAGER, by=world.service_head)
    rate(world.staff, sw.locata, 2, RatingSource.MANAGER, on=date(2026, 5, 20))
    run_recompute(world.org, today=TODAY)
    spof = Flag.objects.get(key=spof_key(world, sw.locata))
    assert world.interim.employment_type == EmploymentType.INTERIM
    assert spof.evidence["holder"] == world.interim.full_name and spof.evidence["holder_contingent"]
    assert spof.severity == FlagSeverity.HIGH
    assert "one of 3" in spof.title


def test_second_run_changes_nothing(world, sw):
    Organisation.objects.filter(pk=world.org.pk).update(skills_coverage_threshold=Decimal("70"))
    world.org.refresh_from_db()
    run_recompute(world.org, today=TODAY)

    def gaps():
        return sorted(
            SkillGap.objects.filter(organisation=world.org).values_list(
                "service_id",
                "employee_id",
                "skill_id",
                "essential",
                "required_level",
                "current_level",
                "gap",
                "people_required",
                "people_meeting",
                "coverage",
                "recommendation",
                "first_seen_on",
            ),
            key=str,
        )

    def flags():
        return sorted(Flag.objects.filter(organisation=world.org).values(), key=lambda f: f["key"])

    before_gaps, before_flags = gaps(), flags()
    assert len(before_flags) == 3  # Locata: skills gap and single point; law: single point
    second = run_recompute(world.org, today=TODAY)
    assert gaps() == before_gaps
    assert flags() == before_flags  # not even last_seen_at moves
    assert second.counts["flags"] == {
        "opened": 0,
        "reopened": 0,
        "refreshed": 0,
        "resolved": 0,
        "undismissed": 0,
        "open": 3,
        "escalated": 0,
    }


def test_first_seen_is_kept_and_a_persisting_gap_recommends_recruiting(world, sw):
    Organisation.objects.filter(pk=world.org.pk).update(skills_coverage_threshold=Decimal("70"))
    world.org.refresh_from_db()
    run_recompute(world.org, today=TODAY)
    later = TODAY + timedelta(days=180)
    run_recompute(world.org, today=later)
    assert person_row(world.peer, sw.locata).first_seen_on == TODAY
    row = service_row(world.service, sw.locata)
    assert row.first_seen_on == TODAY and row.recommendation == Recommendation.RECRUIT
    # Recruiting is the service's decision; peer's own gap stays development.
    assert person_row(world.peer, sw.locata).recommendation == Recommendation.DEVELOP
    assert person_row(world.peer, sw.law).recommendation == Recommendation.DEVELOP
    flag = Flag.objects.get(organisation=world.org, kind=FlagKind.SKILLS_GAP)
    assert flag.evidence["recommendation"] == Recommendation.RECRUIT

    # peer reaches the level: the gaps close and their dates clear.
    rate(world.peer, sw.locata, 3, RatingSource.MANAGER, on=later)
    run_recompute(world.org, today=later)
    assert person_row(world.peer, sw.locata).first_seen_on is None
    assert service_row(world.service, sw.locata).first_seen_on is None
    assert Flag.objects.get(organisation=world.org, kind=FlagKind.SKILLS_GAP).resolved_at is not None
    assert Flag.objects.get(key=spof_key(world, sw.locata)).resolved_at is not None
    assert Flag.objects.get(key=spof_key(world, sw.law)).resolved_at is None


def test_leavers_and_people_without_a_role_drop_out(world, sw):
    run_recompute(world.org, today=TODAY)
    Employee.objects.filter(pk=world.peer.pk).update(active=False)
    run_recompute(world.org, today=TODAY)
    assert not SkillGap.objects.filter(employee=world.peer).exists()
    assert service_row(world.team, sw.locata).people_required == 1


def test_other_organisations_are_untouched(world, sw):
    run_recompute(world.other_org, today=TODAY)
    run_recompute(world.org, today=TODAY)
    n = SkillGap.objects.filter(organisation=world.org).count()
    run_recompute(world.other_org, today=TODAY)
    assert SkillGap.objects.filter(organisation=world.org).count() == n > 0


def test_run_records_counts_and_queries(world, sw):
    run = run_recompute(world.org, trigger="command", today=TODAY)
    assert run.status == RunStatus.SUCCEEDED and run.trigger == "command"
    skills = run.counts["skills"]
    assert skills["people_assessed"] == 4
    assert skills["person_rows"] == 3 + 3 + 1 + 1
    assert skills["person_gaps"] == 3  # staff: de-escalation; peer: Locata and law
    # Each step's reads (the open development items too), the flags' writes, the pending
    # changes taken and the services' figures stored (25); the new flags' owners told, in
    # bulk (notify_many: the recipients, their choices, those already told, one insert; 4,
    # none without new flags).
    assert run.queries and run.queries <= 25 + 4
    assert run.finished_at and run.counts["seconds"] >= 0


def _run_queries(org) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        run_recompute(org, today=TODAY)
    return len(ctx.captured_queries), [q["sql"][:60] for q in ctx.captured_queries]


def test_query_count_is_the_same_for_50_and_2000_people():
    # The whole run, every step in STEPS: run bookkeeping, then per step a fixed set
    # (skills: services, staff, requirements, latest ratings, previous gaps, open
    # development, one DELETE, one INSERT), then sync_flags (load, one INSERT, one UPDATE at most).
    small, large = build_sized_org(50, "small"), build_sized_org(2000, "large")
    n_small, sql_small = _run_queries(small)
    n_large, sql_large = _run_queries(large)
    assert (
        SkillGap.objects.filter(organisation=large).count()
        > 20 * SkillGap.objects.filter(organisation=small).count() / 2
    )
    assert (
        Flag.objects.filter(organisation=small).exists() and Flag.objects.filter(organisation=large).exists()
    )
    assert n_small == n_large, (sql_small, sql_large)
    # And again, with previous rows and flags to keep and compare.
    assert _run_queries(small)[0] == _run_queries(large)[0]


def test_the_skills_step_alone_costs_eight_queries():
    # Services, staff, requirements, latest ratings, previous gaps, open development
    # items (none here: no ratings of their people), one DELETE, one INSERT.
    org = build_sized_org(60, "eight")
    ctx = recompute.RunContext(organisation=org, today=TODAY, now=clock.now())

    with CaptureQueriesContext(connection) as captured:
        recompute_skill_gaps(ctx)
    assert len(captured.captured_queries) == 8, [q["sql"][:80] for q in captured.captured_queries]


def _broken_step(ctx):
    SkillGap.objects.filter(organisation=ctx.organisation).delete()
    raise RuntimeError("rule exploded")


def test_a_failing_step_is_recorded_and_writes_nothing(world, sw, monkeypatch):
    run_recompute(world.org, today=TODAY)
    before = SkillGap.objects.filter(organisation=world.org).count()
    monkeypatch.setattr(recompute, "STEPS", [*recompute.STEPS, _broken_step])
    with pytest.raises(RuntimeError):
        run_recompute(world.org, today=TODAY)
    failed = Run.objects.filter(organisation=world.org).order_by("-started_at", "-pk").first()
    assert failed.status == RunStatus.FAILED and "rule exploded" in failed.error
    assert SkillGap.objects.filter(organisation=world.org).count() == before  # rolled back
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is not None
    monkeypatch.undo()
    run_recompute(world.org, today=TODAY)
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is None

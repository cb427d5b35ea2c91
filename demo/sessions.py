"""Demo feedback sessions: a year per person at a realistic cadence, with gaps.

Most people are seen about every four weeks (newly qualified social workers
more often); some are patchy, some have lapsed, a few badly. Most records are
shared and acknowledged, recent ones are often drafts or waiting. Actions are
agreed, done, left open or carried over; reviews fall in the appraisal
cycle's windows; a few people's last two assessments are below "achieving".
demo-staff has a session from demo-manager shared three days ago, with a
private note, waiting for their acknowledgement.

Bulk inserts only (no simple-history rows for seeded data), a chunk of people
at a time, so 10,000 employees (about 120,000 sessions and as many actions)
seed in seconds. Rows are plain namespaces written by multi-row INSERTs
(``demo.session_rows``):
``bulk_create`` spends most of its time preparing each value through the
field machinery, which for a quarter of a million rows is most of the seed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from appraisals.models import Action, AppraisalCycle, Assessment, FeedbackSession, SessionKind, SessionState
from appraisals.rules import cadence
from appraisals.services.cycles import default_cycle_windows
from core.bulk import update_objects
from demo.session_catalogue import (
    ACHIEVEMENTS,
    ACTIONS,
    ASSESSMENT_MIX,
    DEVELOPMENT,
    DISCUSSIONS,
    PRIVATE_NOTES,
    PROFILES,
    STRUGGLING_SHARE,
    WELLBEING,
)
from demo.session_rows import ACTION_FIELDS, SESSION_FIELDS, insert_returning
from demo.structure import DemoContext
from organisations.models import Employee, JobRole

CHUNK = 1000
HISTORY_DAYS = 365
LONDON = ZoneInfo("Europe/London")

SUPERVISION_ROLE_WORDS = ("Social Work", "Occupational Therapist", "Safeguarding", "Personal Adviser")
NQSW_ROLE = "Newly Qualified Social Worker"


def _pick(rng: random.Random, options: list[tuple]) -> object:
    total = sum(w for _, w in options)
    roll = rng.uniform(0, total)
    for value, weight in options:
        roll -= weight
        if roll <= 0:
            return value
    return options[-1][0]


def _at(d: date, rng: random.Random) -> datetime:
    return datetime.combine(d, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))), tzinfo=LONDON)


def _interval(e: Employee, default: int, on: date, family_days: dict[int, int]) -> int:
    """The product's rule (appraisals.selectors.supervision.interval_for) over the
    seeded people: ASYE rhythm, own interval, job role's family's, default."""
    if e.newly_qualified:
        return cadence.supervision_interval_for_asye(start_date=e.start_date, today=on)
    return cadence.effective_interval(
        own_override=e.feedback_interval_days,
        family_interval=family_days.get(e.job_role_id),
        organisation_default=default,
    )


def _dates(
    e: Employee, profile: str, default: int, today: date, rng: random.Random, family_days: dict[int, int]
) -> list[date]:
    """Session dates from about a year ago (or just after they started) to the
    profile's last session."""
    earliest = today - timedelta(days=HISTORY_DAYS)
    first = max(
        e.start_date + timedelta(days=rng.randint(3, 12)), earliest + timedelta(days=rng.randint(0, 20))
    )
    if profile == "lapsed":
        last_allowed = today - timedelta(days=rng.randint(35, 80))
    elif profile == "badly":
        last_allowed = today - timedelta(days=rng.randint(90, 200))
    else:
        last_allowed = today
    out = []
    d = first
    while d <= last_allowed:
        if d.weekday() >= 5:  # weekends: the Monday after
            d += timedelta(days=7 - d.weekday())
            if d > last_allowed:
                break
        out.append(d)
        gap = _interval(e, default, d, family_days) + rng.randint(-4, 5)
        if profile == "patchy" and rng.random() < 0.3:
            gap *= 2
        d += timedelta(days=max(gap, 5))
    return out


def _state(held: date, today: date, rng: random.Random) -> str:
    age = (today - held).days
    if age <= 10:
        weights = [(SessionState.DRAFT, 35), (SessionState.SHARED, 50), (SessionState.ACKNOWLEDGED, 15)]
    elif age <= 30:
        weights = [(SessionState.DRAFT, 5), (SessionState.SHARED, 35), (SessionState.ACKNOWLEDGED, 60)]
    else:
        weights = [(SessionState.DRAFT, 2), (SessionState.SHARED, 8), (SessionState.ACKNOWLEDGED, 90)]
    return _pick(rng, weights)


def _cycles(ctx: DemoContext) -> dict[int, AppraisalCycle]:
    """The current financial year's cycle for each organisation."""
    from organisations.rules import years as year_rules

    cycles = []
    for org in (ctx.organisation, ctx.other_organisation):
        year = year_rules.financial_year_start(ctx.today, org.financial_year_start_month)
        cycles.append(
            AppraisalCycle(organisation=org, **default_cycle_windows(year, org.financial_year_start_month))
        )
    AppraisalCycle.objects.bulk_create(cycles)
    return {c.organisation_id: c for c in cycles}


def _mark_newly_qualified(ctx: DemoContext) -> None:
    rng = ctx.rng
    changed = []
    for e in ctx.employees:
        if e.job_role is not None and e.job_role.title == NQSW_ROLE:
            e.newly_qualified = True
            e.start_date = ctx.today - timedelta(days=rng.randint(20, 330))
            changed.append(e)
    update_objects(Employee, changed, ["newly_qualified", "start_date"])


def seed(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    _mark_newly_qualified(ctx)
    cycles = _cycles(ctx)
    defaults = {
        ctx.organisation.pk: ctx.organisation.default_feedback_interval_days,
        ctx.other_organisation.pk: ctx.other_organisation.default_feedback_interval_days,
    }
    family_days = dict(
        JobRole.objects.filter(
            organisation__in=[ctx.organisation, ctx.other_organisation],
            job_family__feedback_interval_days__isnull=False,
        ).values_list("pk", "job_family__feedback_interval_days")
    )
    demo_staff, demo_manager = ctx.personas["demo-staff"], ctx.personas["demo-manager"]
    # One of demo-manager's other reports has lapsed badly, so their team shows it.
    lapsed_report = next(
        (e for e in ctx.employees if e.line_manager_id == demo_manager.pk and e.pk != demo_staff.pk), None
    )
    people = [e for e in ctx.employees if e.line_manager_id]
    for start in range(0, len(people), CHUNK):
        _seed_chunk(
            people[start : start + CHUNK],
            rng=rng,
            today=today,
            now=ctx.now,
            cycles=cycles,
            defaults=defaults,
            family_days=family_days,
            demo_staff=demo_staff,
            lapsed_report=lapsed_report,
        )


def _seed_chunk(people, *, rng, today, now, cycles, defaults, family_days, demo_staff, lapsed_report) -> None:
    sessions: list[FeedbackSession] = []
    struggling: set[int] = set()
    for e in people:
        profile = _pick(rng, PROFILES)
        if e.pk == demo_staff.pk:
            profile = "regular"
        elif lapsed_report is not None and e.pk == lapsed_report.pk:
            profile = "badly"
        if rng.random() < STRUGGLING_SHARE and e.pk != demo_staff.pk:
            struggling.add(e.pk)
        dates = _dates(e, profile, defaults[e.organisation_id], today, rng, family_days)
        if e.pk == demo_staff.pk:
            # Their latest session: three days ago, shared, waiting for them.
            dates = [d for d in dates if d < today - timedelta(days=20)] + [today - timedelta(days=3)]
        cycle = cycles[e.organisation_id]
        supervision = e.job_role is not None and any(w in e.job_role.title for w in SUPERVISION_ROLE_WORDS)
        mid_year_done = rng.random() < 0.7
        year_end_done = rng.random() < 0.85
        probation_done = False
        person_sessions = []
        for d in dates:
            kind = SessionKind.SUPERVISION if supervision else SessionKind.ONE_TO_ONE
            if mid_year_done and cycle.mid_year_opens <= d <= cycle.mid_year_closes:
                kind, mid_year_done = SessionKind.MID_YEAR, False
            elif year_end_done and cycle.year_end_opens <= d <= cycle.year_end_closes:
                kind, year_end_done = SessionKind.ANNUAL, False
            elif not probation_done and timedelta(days=60) <= d - e.start_date <= timedelta(days=180):
                kind, probation_done = SessionKind.PROBATION, True
            assessment = ""
            if kind in (SessionKind.MID_YEAR, SessionKind.ANNUAL, SessionKind.PROBATION):
                assessment = _pick(rng, ASSESSMENT_MIX)
            state = _state(d, today, rng)
            shared_at = (
                _at(min(d + timedelta(days=rng.randint(0, 3)), today), rng)
                if state != SessionState.DRAFT
                else None
            )
            acknowledged_at = (
                shared_at + timedelta(days=rng.randint(1, 6)) if state == SessionState.ACKNOWLEDGED else None
            )
            interval = _interval(e, defaults[e.organisation_id], d, family_days)
            person_sessions.append(
                SimpleNamespace(
                    pk=None,
                    organisation_id=e.organisation_id,
                    employee_id=e.pk,
                    manager_id=e.line_manager_id,
                    held_on=d,
                    kind=kind,
                    discussion=rng.choice(DISCUSSIONS),
                    achievements=rng.choice(ACHIEVEMENTS),
                    development_areas=rng.choice(DEVELOPMENT),
                    wellbeing=rng.choice(WELLBEING) if rng.random() < 0.4 else "",
                    overall_assessment=assessment,
                    private_note=rng.choice(PRIVATE_NOTES) if rng.random() < 0.2 else "",
                    next_session_on=d + timedelta(days=interval),
                    state=state,
                    shared_at=shared_at,
                    acknowledged_at=acknowledged_at,
                    employee_comment="Thanks, a useful session."
                    if acknowledged_at and rng.random() < 0.3
                    else "",
                )
            )
        if e.pk in struggling:
            shared = [s for s in person_sessions if s.state != SessionState.DRAFT]
            pattern = rng.choice(
                [
                    (Assessment.DEVELOPING, Assessment.NOT_YET),
                    (Assessment.DEVELOPING, Assessment.DEVELOPING),
                    (Assessment.NOT_YET, Assessment.DEVELOPING),
                ]
            )
            for s, words in zip(shared[-2:], pattern, strict=False):
                s.overall_assessment = words
        if e.pk == demo_staff.pk and person_sessions:
            latest = person_sessions[-1]
            latest.manager_id = e.line_manager_id
            latest.kind = SessionKind.ONE_TO_ONE
            latest.state = SessionState.SHARED
            latest.shared_at = _at(latest.held_on, rng)
            latest.acknowledged_at = None
            latest.employee_comment = ""
            latest.discussion = (
                "Went through your caseload and the homelessness prevention cases due for review. "
                "Talked about the new case-management system and the training available."
            )
            latest.achievements = "Prevention cases closed within the 56 days this month."
            latest.development_areas = "Confidence with the new case-management system."
            latest.private_note = "Seems stretched by the system change: check workload informally next week."
            for s in person_sessions[:-1]:
                if s.state != SessionState.ACKNOWLEDGED:
                    s.state = SessionState.ACKNOWLEDGED
                    s.shared_at = s.shared_at or _at(s.held_on, rng)
                    s.acknowledged_at = s.shared_at + timedelta(days=2)
        sessions.extend(person_sessions)
    for s in sessions:  # a session held today was shared and acknowledged by now, not later today
        s.shared_at = s.shared_at and min(s.shared_at, now)
        s.acknowledged_at = s.acknowledged_at and min(s.acknowledged_at, now)
    insert_returning(FeedbackSession, sessions, SESSION_FIELDS, now=now)
    _seed_actions(sessions, rng=rng, today=today, now=now, demo_staff=demo_staff)


def _seed_actions(sessions: list[FeedbackSession], *, rng, today, now, demo_staff) -> None:
    """Actions agreed at each session; some done, some left open, some carried
    over into the next session (a second bulk insert, as the copy refers to the
    original)."""
    actions: list[Action] = []
    next_session: dict[int, FeedbackSession] = {}
    for previous, current in zip(sessions, sessions[1:], strict=False):
        if previous.employee_id == current.employee_id:
            next_session[previous.pk] = current
    for s in sessions:
        n = _pick(rng, [(0, 35), (1, 45), (2, 20)])
        if s.employee_id == demo_staff.pk and s.held_on >= today - timedelta(days=7):
            n = 2
        for _ in range(n):
            due = s.held_on + timedelta(days=rng.randint(14, 35))
            owner = s.employee_id if rng.random() < 0.8 else s.manager_id
            done_on = None
            follow_up = next_session.get(s.pk)
            if follow_up is not None and rng.random() < 0.85:
                done_on = min(follow_up.held_on, today)
            elif follow_up is None and due < today - timedelta(days=10) and rng.random() < 0.6:
                done_on = min(due + timedelta(days=rng.randint(-5, 5)), today)
            if s.employee_id == demo_staff.pk and s.held_on >= today - timedelta(days=7):
                done_on = None
            actions.append(
                SimpleNamespace(
                    pk=None,
                    carried_over_from_id=None,
                    session_id=s.pk,
                    description=rng.choice(ACTIONS),
                    owner_id=owner,
                    due_on=due,
                    done_on=done_on,
                )
            )
    insert_returning(Action, actions, ACTION_FIELDS, now=now)
    carried = []
    for a in actions:
        follow_up = next_session.get(a.session_id)
        if a.done_on is None and follow_up is not None and rng.random() < 0.5:
            done_on = None
            if follow_up.held_on < today - timedelta(days=40) and rng.random() < 0.8:
                done_on = min(follow_up.held_on + timedelta(days=rng.randint(7, 30)), today)
            carried.append(
                SimpleNamespace(
                    pk=None,
                    session_id=follow_up.pk,
                    description=a.description,
                    owner_id=a.owner_id,
                    due_on=a.due_on,
                    done_on=done_on,
                    carried_over_from_id=a.pk,
                )
            )
    insert_returning(Action, carried, ACTION_FIELDS, now=now)

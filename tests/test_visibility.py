"""Who sees what is written once per model, as a queryset (``visible_to``) and
the object check beside it. These tests prove the two agree for every persona
over a world holding each kind of record: shared and draft sessions, their
actions, check-ins and ratings, individual and shared goals, flags about people
(the viewer included) and services, a person's and a service's skills gaps, and
a leaver."""

from __future__ import annotations

import pytest

from appraisals.models import Action, DevelopmentItem, FeedbackSession, GoalCheckIn, SkillRating
from appraisals.models.sessions import CONTENT
from insights.models import Flag, SkillGap
from organisations.access import Viewer
from organisations.models import Employee
from tests.appraisals.development_factories import DevelopmentItemFactory
from tests.appraisals.factories import GoalCheckInFactory
from tests.appraisals.session_factories import (
    ActionFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillFactory,
)
from tests.appraisals.skill_factories import SkillRatingFactory
from tests.factories import EmployeeFactory
from tests.insights.factories import SkillGapFactory
from tests.insights.flag_factories import FlagFactory, personal_flag

PERSONAS = ("staff", "peer", "manager", "head", "chief", "officer", "outsider")


@pytest.fixture
def records(world):
    w = world
    shared = FeedbackSessionFactory(employee=w.staff, manager=w.manager, state="shared")
    draft = FeedbackSessionFactory(employee=w.staff, manager=w.manager)
    skip_level_draft = FeedbackSessionFactory(employee=w.staff, manager=w.service_head)
    peer_shared = FeedbackSessionFactory(employee=w.peer, manager=w.manager, state="acknowledged")
    for s in (shared, draft, skip_level_draft, peer_shared):
        ActionFactory(session=s)
    goal = GoalFactory(owner=w.staff)
    GoalFactory(owner=w.peer)
    skill = SkillFactory(organisation=w.org, name="Visibility skill")
    for s in (None, shared, draft, skip_level_draft):
        GoalCheckInFactory(goal=goal, session=s, author=w.manager, comment="said")
        SkillRatingFactory(employee=w.staff, skill=skill, session=s, source="manager", rated_by=w.manager)
    personal_flag(w.staff)
    personal_flag(w.head, service=w.directorate)
    FlagFactory(organisation=w.org, service=w.service, title="A service flag")
    SkillGapFactory(service=w.service, employee=w.staff, skill=skill)
    SkillGapFactory(service=w.service, skill=skill)
    EmployeeFactory(organisation=w.org, service=w.team, line_manager=w.manager, active=False)
    DevelopmentItemFactory(employee=w.staff, skill=skill, session=shared)
    DevelopmentItemFactory(employee=w.peer, skill=skill)
    DevelopmentItemFactory(employee=w.head, skill=skill)
    return w


CHECKS = [
    (Employee, lambda o, v: o.is_visible_to(v)),
    (FeedbackSession, lambda o, v: o.view_level_for(v) is not None),
    (Action, lambda o, v: o.session.is_readable_by(v)),
    (GoalCheckIn, lambda o, v: o.is_visible_to(v)),
    (SkillRating, lambda o, v: o.is_visible_to(v)),
    (Flag, lambda o, v: o.is_visible_to(v)),
    (SkillGap, lambda o, v: o.is_visible_to(v)),
    (DevelopmentItem, lambda o, v: o.is_visible_to(v)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("model", "check"), CHECKS, ids=[m.__name__ for m, _ in CHECKS])
def test_queryset_and_object_check_agree(records, persona, model, check):
    viewer = Viewer(records.persona(persona))
    listed = set(model._default_manager.visible_to(viewer).values_list("pk", flat=True))
    checked = {o.pk for o in model._default_manager.all() if check(o, viewer)}
    assert listed == checked


@pytest.mark.parametrize("persona", PERSONAS)
def test_individual_records_queryset_and_check_agree(records, persona):
    viewer = Viewer(records.persona(persona))
    listed = set(Employee.objects.individuals_visible_to(viewer).values_list("pk", flat=True))
    checked = {e.pk for e in Employee.objects.all() if e.individual_records_visible_to(viewer)}
    assert listed == checked


@pytest.mark.parametrize("persona", PERSONAS)
def test_session_content_queryset_and_check_agree(records, persona):
    viewer = Viewer(records.persona(persona))
    listed = set(FeedbackSession.objects.content_visible_to(viewer).values_list("pk", flat=True))
    checked = {s.pk for s in FeedbackSession.objects.all() if s.view_level_for(viewer) == CONTENT}
    assert listed == checked
    readable = set(FeedbackSession.objects.readable_by(viewer).values_list("pk", flat=True))
    assert readable == {s.pk for s in FeedbackSession.objects.all() if s.is_readable_by(viewer)}


def test_drafts_are_their_authors_alone(records):
    w = records
    drafts = FeedbackSession.objects.filter(state="draft")
    for persona in PERSONAS:
        viewer = Viewer(w.persona(persona))
        seen = {d.manager_id for d in drafts if d.view_level_for(viewer) is not None}
        assert seen <= {viewer.employee.pk}, persona
        assert (
            not GoalCheckIn.objects.visible_to(viewer)
            .filter(session__state="draft")
            .exclude(session__manager=viewer.employee)
            .exists()
        )
        assert (
            not SkillRating.objects.visible_to(viewer)
            .filter(session__state="draft")
            .exclude(session__manager=viewer.employee)
            .exists()
        )


def test_no_one_sees_a_flag_about_themselves(records):
    w = records
    for persona in PERSONAS:
        viewer = Viewer(w.persona(persona))
        assert not Flag.objects.visible_to(viewer).filter(employee=viewer.employee).exists(), persona


def test_draft_ratings_do_not_count(records):
    settled = SkillRating.objects.settled()
    assert not settled.filter(session__state="draft").exists()
    assert settled.filter(session__isnull=True).exists() and settled.filter(session__state="shared").exists()

"""factory-boy factories for feedback sessions, their actions, appraisal cycles,
and the goals and skills a session records against."""

from datetime import date, timedelta

import factory

from appraisals.models import (
    Action,
    AppraisalCycle,
    FeedbackSession,
    Goal,
    GoalLevel,
    GoalStatus,
    SessionKind,
    SessionState,
)
from core import clock
from organisations.models import Skill, SkillCategory, SkillRequirement


class FeedbackSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackSession

    employee = None  # always given
    organisation = factory.LazyAttribute(lambda o: o.employee.organisation)
    manager = factory.LazyAttribute(lambda o: o.employee.line_manager)
    held_on = factory.LazyFunction(lambda: clock.today() - timedelta(days=7))
    kind = SessionKind.ONE_TO_ONE
    discussion = "We discussed the caseload."
    achievements = "Cleared the backlog."
    development_areas = "Report writing."
    private_note = "PRIVATE-NOTE-do-not-show"
    state = SessionState.DRAFT

    class Params:
        shared = factory.Trait(state=SessionState.SHARED)
        acknowledged = factory.Trait(state=SessionState.ACKNOWLEDGED)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    session = None  # always given
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.LazyAttribute(lambda o: o.session.employee)
    due_on = factory.LazyAttribute(lambda o: o.session.held_on + timedelta(days=14))


class AppraisalCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalCycle

    organisation = None  # always given
    financial_year = 2026
    mid_year_opens = factory.LazyAttribute(lambda o: date(o.financial_year, 9, 1))
    mid_year_closes = factory.LazyAttribute(lambda o: date(o.financial_year, 10, 31))
    year_end_opens = factory.LazyAttribute(lambda o: date(o.financial_year + 1, 3, 1))
    year_end_closes = factory.LazyAttribute(lambda o: date(o.financial_year + 1, 4, 30))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    owner = None  # always given
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    level = GoalLevel.INDIVIDUAL
    title = factory.Sequence(lambda n: f"Objective {n}")
    start_date = factory.LazyFunction(lambda: clock.today() - timedelta(days=60))
    due_date = factory.LazyFunction(lambda: clock.today() + timedelta(days=120))
    status = GoalStatus.ON_TRACK
    progress = 20


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    organisation = None  # always given
    name = factory.Sequence(lambda n: f"Skill {n}")
    category = SkillCategory.DIGITAL


class SkillRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRequirement

    job_role = None  # always given
    skill = factory.SubFactory(SkillFactory, organisation=factory.SelfAttribute("..job_role.organisation"))
    required_level = 3
    essential = True

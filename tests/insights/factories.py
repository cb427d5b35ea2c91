"""Factories for what the dashboards read: KPIs, goals, sessions, risks, flags,
skills gaps, cycles and runs."""

from datetime import date
from decimal import Decimal

import factory

from appraisals.models import Action, AppraisalCycle, FeedbackSession, Goal, GoalLevel, GoalStatus
from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, Run, RunStatus, SkillGap, SubjectType
from organisations.models import KPI, KPIResult, KPITarget, Risk, Skill


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    organisation = factory.LazyAttribute(lambda o: o.service.organisation)
    code = factory.Sequence(lambda n: f"KPI-{n:03d}")
    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "percent"
    polarity = "higher"
    frequency = "monthly"


class KPITargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPITarget

    financial_year = 2026
    target = Decimal("90")
    green_tolerance = Decimal("0")
    amber_tolerance = Decimal("5")


class KPIResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPIResult

    value = Decimal("90")
    status = "green"
    state = "validated"  # as every result recorded before sign-off began


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    level = GoalLevel.INDIVIDUAL
    title = factory.Sequence(lambda n: f"Objective {n}")
    start_date = date(2026, 4, 1)
    due_date = date(2027, 3, 31)
    status = GoalStatus.ON_TRACK
    progress = 50


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackSession

    organisation = factory.LazyAttribute(lambda o: o.employee.organisation)
    manager = factory.LazyAttribute(lambda o: o.employee.line_manager)
    kind = "one_to_one"
    state = "draft"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    description = factory.Sequence(lambda n: f"Action {n}")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk {n}")
    description = "Cause, event and consequence."
    category = "operational"
    inherent_likelihood = 5
    inherent_impact = 5
    residual_likelihood = 4
    residual_impact = 4
    target_likelihood = 2
    target_impact = 2
    review_due = date(2030, 1, 1)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    organisation = factory.LazyAttribute(lambda o: o.service.organisation)
    kind = FlagKind.KPI_RED
    severity = FlagSeverity.MEDIUM
    key = factory.Sequence(lambda n: f"flag:{n}")
    subject_type = SubjectType.SERVICE
    subject_id = factory.LazyAttribute(lambda o: o.service.pk)
    title = factory.Sequence(lambda n: f"Flag {n}")
    rule = "A rule in words."
    opened_at = factory.LazyFunction(clock.now)
    last_seen_at = factory.LazyFunction(clock.now)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    category = "digital"


class SkillGapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillGap

    organisation = factory.LazyAttribute(lambda o: o.service.organisation)
    skill = factory.LazyAttribute(lambda o: SkillFactory(organisation=o.organisation))
    required_level = 3
    people_required = 4
    people_meeting = 1
    coverage = Decimal("25.0")
    recommendation = "interim_cover"
    computed_at = factory.LazyFunction(clock.now)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalCycle

    financial_year = 2026
    mid_year_opens = date(2026, 9, 1)
    mid_year_closes = date(2026, 10, 31)
    year_end_opens = date(2027, 3, 1)
    year_end_closes = date(2027, 4, 30)


class RunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Run

    status = RunStatus.SUCCEEDED
    finished_at = factory.LazyFunction(clock.now)

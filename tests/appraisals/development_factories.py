"""factory-boy factories for development items."""

from datetime import timedelta
from decimal import Decimal

import factory

from appraisals.models import DevelopmentItem, DevelopmentKind, DevelopmentStatus
from core import clock
from tests.factories import EmployeeFactory
from tests.organisations.skill_factories import SkillFactory


class DevelopmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentItem

    employee = factory.SubFactory(EmployeeFactory)
    skill = factory.LazyAttribute(lambda o: SkillFactory(organisation=o.employee.organisation))
    target_level = 3
    kind = DevelopmentKind.COURSE
    title = factory.Sequence(lambda n: f"Course {n}")
    provider = "Skills for Care"
    starts_on = factory.LazyFunction(clock.today)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=19))
    cost = Decimal("450.00")
    status = DevelopmentStatus.PLANNED
    created_by = factory.LazyAttribute(lambda o: o.employee)

"""factory-boy factories for skill ratings."""

from datetime import date

import factory

from appraisals.models import RatingSource, SkillRating
from tests.factories import EmployeeFactory
from tests.organisations.skill_factories import SkillFactory


class SkillRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRating

    employee = factory.SubFactory(EmployeeFactory)
    skill = factory.LazyAttribute(lambda o: SkillFactory(organisation=o.employee.organisation))
    level = 2
    source = RatingSource.SELF
    rated_by = factory.LazyAttribute(lambda o: o.employee)
    rated_on = date(2026, 1, 5)

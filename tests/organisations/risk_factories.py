"""factory-boy factories for the risk register."""

from datetime import timedelta

import factory

from core import clock
from organisations.models import Risk, RiskAction, RiskCategory
from tests.factories import OrganisationFactory


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    organisation = factory.SubFactory(OrganisationFactory)
    service = None
    title = factory.Sequence(lambda n: f"Risk {n}")
    description = "Because of a cause, there is a risk that an event happens, leading to a consequence."
    category = RiskCategory.OPERATIONAL
    inherent_likelihood = 4
    inherent_impact = 4
    residual_likelihood = 3
    residual_impact = 3
    target_likelihood = 2
    target_impact = 3
    review_due = factory.LazyFunction(lambda: clock.today() + timedelta(days=60))


class RiskActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAction

    risk = factory.SubFactory(RiskFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    due = factory.LazyFunction(lambda: clock.today() + timedelta(days=30))

"""factory-boy factories for the organisations app."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from organisations.models import Employee, EmploymentType, JobRole, Organisation, Service, ServiceKind


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = ServiceKind.SERVICE


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Officer {n}")
    grade = "Grade 7"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.LazyAttribute(lambda o: ServiceFactory(organisation=o.organisation))
    job_role = None
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = "Example"
    employment_type = EmploymentType.PERMANENT
    start_date = date(2024, 4, 1)
    fte = Decimal("1.00")

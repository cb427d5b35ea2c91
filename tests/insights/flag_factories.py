"""factory-boy factories for flags and runs."""

import factory

from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
from tests.factories import OrganisationFactory


class FlagFactory(factory.django.DjangoModelFactory):
    """A service flag by default; pass ``employee=`` and a personal kind for one about a person."""

    class Meta:
        model = Flag

    organisation = factory.SubFactory(OrganisationFactory)
    kind = FlagKind.INTERIM_RELIANCE
    severity = FlagSeverity.MEDIUM
    key = factory.Sequence(lambda n: f"test:{n}")
    subject_type = SubjectType.SERVICE
    subject_id = factory.LazyAttribute(lambda o: o.service.pk if o.service else 1)
    service = None
    employee = None
    title = factory.Sequence(lambda n: f"Flag {n}")
    rule = "A rule in words."
    evidence = factory.LazyFunction(lambda: {"share_percent": "35", "links": []})
    opened_at = factory.LazyFunction(clock.now)
    last_seen_at = factory.LazyFunction(clock.now)


def personal_flag(person, **kw) -> Flag:
    """A flag about ``person`` (an interim contract ending)."""
    values = {
        "organisation": person.organisation,
        "kind": FlagKind.INTERIM_CONTRACT_ENDING,
        "subject_type": SubjectType.EMPLOYEE,
        "subject_id": person.pk,
        "employee": person,
        "service": person.service,
        "title": f"{person.full_name}'s contract ends soon",
        # As the recompute run names them: the person's line manager acts.
        "owner": person.line_manager,
    }
    return FlagFactory(**{**values, **kw})

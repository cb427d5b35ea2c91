"""factory-boy factories for the skills framework."""

import factory

from organisations.models import Skill, SkillCategory, SkillRequirement
from tests.factories import JobRoleFactory, OrganisationFactory


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    category = SkillCategory.DIGITAL
    description = "What the skill covers."


class SkillRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRequirement

    skill = factory.SubFactory(SkillFactory)
    job_role = factory.LazyAttribute(lambda o: JobRoleFactory(organisation=o.skill.organisation))
    required_level = 3
    essential = True

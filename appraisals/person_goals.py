"""The goals section of a person's page, for viewers allowed to see them."""

from __future__ import annotations

from django.http import HttpRequest

from organisations.access import Viewer
from organisations.models import Employee
from organisations.person_sections import PersonSection

from . import goal_selectors
from .goal_access import can_set_goals_for
from .models import Goal, GoalStatus


def goals_section(request: HttpRequest, viewer: Viewer, person: Employee) -> PersonSection | None:
    if not viewer.can_see_individual(person):
        return None
    goals = goal_selectors.sort_goals(
        list(
            Goal.objects.filter(owner=person)
            .exclude(status=GoalStatus.DROPPED)
            .select_related("kpi", "parent")
        )
    )
    return PersonSection(
        title="Goals",
        template="appraisals/goals/_person_section.html",
        context={
            "goals": goals,
            "person": person,
            "is_me": person.pk == viewer.employee.pk,
            "can_set": can_set_goals_for(viewer, person),
        },
        order=10,
    )

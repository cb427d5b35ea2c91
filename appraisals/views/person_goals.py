"""The goals section of a person's page, for viewers allowed to see them."""

from __future__ import annotations

from django.http import HttpRequest

from appraisals.models import Goal, GoalStatus
from appraisals.rules.goal_access import can_set_goals_for
from appraisals.selectors import goals as goal_selectors
from organisations.access import Viewer, visible
from organisations.models import Employee
from organisations.views.person_sections import PersonSection


def goals_section(request: HttpRequest, viewer: Viewer, person: Employee) -> PersonSection | None:
    if not viewer.can_see_individual(person):
        return None
    goals = goal_selectors.sort_goals(
        list(
            visible(Goal, viewer)
            .filter(owner=person)
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

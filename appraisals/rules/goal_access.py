"""Who may see and change goals, on top of ``organisations.access.Viewer``.

Organisation priorities, service and team goals are open to everyone in the
organisation. An individual objective is seen by its owner, their management
chain, the head of their service and performance officers (and the chief
executive, who heads everything); anyone else in the organisation gets a 403,
always (another organisation's goal is a 404, by the scoped querysets).

Changing goals:
- individual: the owner proposes (a draft) and edits their own draft; a manager
  above the owner sets, edits and agrees; the owner, their managers, the head
  of their service and performance officers check in;
- service and team goals: heads of service for their subtree, performance officers;
- organisation priorities: performance officers and the chief executive.
"""

from __future__ import annotations

from django.db.models import QuerySet

from appraisals.models import Goal, GoalLevel, GoalStatus
from organisations.access import Viewer
from organisations.models import Employee, Service


def can_see_goal(viewer: Viewer, goal: Goal) -> bool:
    """The rule lives on the model: :meth:`Goal.is_visible_to`."""
    return goal.is_visible_to(viewer)


def can_set_goals_for(viewer: Viewer, employee: Employee) -> bool:
    """Managers set and agree objectives for people below them."""
    return employee.organisation_id == viewer.organisation.pk and viewer.manages(employee)


def creatable_levels(viewer: Viewer) -> list[str]:
    """Levels of shared goal this viewer may create (individual ones go through a report)."""
    levels = []
    if viewer.is_performance_officer or viewer.is_chief_executive:
        levels.append(GoalLevel.ORGANISATION)
    if viewer.is_performance_officer or viewer.is_head_of_service:
        levels += [GoalLevel.SERVICE, GoalLevel.TEAM]
    return levels


def services_for_goals(viewer: Viewer) -> QuerySet[Service]:
    """Services this viewer may create or edit service and team goals for."""
    if viewer.is_performance_officer:
        return viewer.services()
    return viewer.services().filter(pk__in=viewer.headed_service_ids)


def can_manage_shared_goal(viewer: Viewer, goal: Goal) -> bool:
    """Edit and check in on an organisation, service or team goal."""
    if goal.level == GoalLevel.ORGANISATION:
        return viewer.is_performance_officer or viewer.is_chief_executive
    return viewer.is_performance_officer or goal.service_id in viewer.headed_service_ids


def can_edit_goal(viewer: Viewer, goal: Goal) -> bool:
    if goal.organisation_id != viewer.organisation.pk:
        return False
    if goal.level != GoalLevel.INDIVIDUAL:
        return can_manage_shared_goal(viewer, goal)
    if goal.owner_id == viewer.employee.pk:
        return goal.status == GoalStatus.DRAFT
    return can_set_goals_for(viewer, goal.owner)


def can_agree_goal(viewer: Viewer, goal: Goal) -> bool:
    return (
        goal.level == GoalLevel.INDIVIDUAL
        and goal.status == GoalStatus.DRAFT
        and goal.owner_id != viewer.employee.pk
        and can_set_goals_for(viewer, goal.owner)
    )


def can_check_in(viewer: Viewer, goal: Goal) -> bool:
    if goal.organisation_id != viewer.organisation.pk:
        return False
    if goal.level != GoalLevel.INDIVIDUAL:
        return can_manage_shared_goal(viewer, goal)
    owner = goal.owner
    return (
        owner.pk == viewer.employee.pk
        or viewer.manages(owner)
        or viewer.heads_service_of(owner)
        or viewer.is_performance_officer
    )

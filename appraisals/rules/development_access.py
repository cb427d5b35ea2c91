"""Who may add or change a person's development items.

Who may see them is the person-record rule on the model
(``DevelopmentItem.objects.visible_to`` and ``DevelopmentItem.is_visible_to``):
the person, their management chain, heads of their service, performance officers
and the chief executive. Who may change them is narrower: the person and their
management chain, the two sides of the agreement. Heads of service and officers
read them.
"""

from __future__ import annotations

from organisations.access import Viewer
from organisations.models import Employee


def can_plan_for(viewer: Viewer, employee: Employee) -> bool:
    """The person themselves (while in post) or anyone above them in line management."""
    if employee.organisation_id != viewer.organisation.pk or not employee.active:
        return False
    return employee.pk == viewer.employee.pk or viewer.manages(employee)

"""Who may add to a person's agenda and mark its topics; who may see it is decided
on the model (``appraisals.models.agenda``: ``agenda_q`` and ``may_see_agenda_of``)."""

from __future__ import annotations

from appraisals.models.agenda import may_see_agenda_of
from organisations.models import Employee


def can_add_topic(viewer, employee: Employee) -> bool:
    """The person, their line manager and that manager's manager, while the person works here."""
    return employee.active and may_see_agenda_of(viewer, employee)


def can_remove_topic(viewer, topic) -> bool:
    """Whoever added an open topic may take it off again."""
    return (
        topic.is_open
        and topic.added_by_id == viewer.employee.pk
        and may_see_agenda_of(viewer, topic.employee)
    )

"""The feedback-sessions section of the person page: last session, next due,
overdue; links to the session history and to log a session for those allowed.
Shown to whoever may see the person's individual records (cadence is not content)."""

from __future__ import annotations

from django.urls import reverse

from appraisals.rules.session_access import can_log_session_for, history_view_level
from appraisals.selectors.supervision import cadence_for_employee
from core import clock
from organisations.views.person_sections import PersonSection


def feedback_section(request, viewer, person) -> PersonSection | None:
    if not viewer.can_see_individual(person):
        return None
    cadence = cadence_for_employee(person, viewer.organisation, clock.today())
    is_me = person.pk == viewer.employee.pk
    history_link = None
    if is_me:
        history_link = reverse("appraisals:my_sessions")
    elif history_view_level(viewer, person) is not None:
        history_link = reverse("appraisals:employee_sessions", args=[person.pk])
    log_link = (
        reverse("appraisals:session_create", args=[person.pk])
        if can_log_session_for(viewer, person)
        else None
    )
    return PersonSection(
        title="Feedback sessions",
        template="appraisals/sessions/_person_section.html",
        context={
            "cadence": cadence,
            "person": person,
            "is_me": is_me,
            "history_link": history_link,
            "log_link": log_link,
        },
        order=30,
    )

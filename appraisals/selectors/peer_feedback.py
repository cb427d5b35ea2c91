"""Reads for feedback from colleagues and the shared agenda."""

from __future__ import annotations

from django.db.models import Count, Q

from appraisals.models import AgendaTopic, FeedbackRequest, FeedbackResponse, ResponseState
from organisations.models import Employee, Organisation


def colleagues_by_email(organisation: Organisation, emails: list[str]) -> dict[str, list[Employee]]:
    """{email in lower case: the active people of ``organisation`` with it}: one query."""
    wanted = {e.lower() for e in emails}
    found: dict[str, list[Employee]] = {e: [] for e in wanted}
    query = Q()
    for email in wanted:
        query |= Q(email__iexact=email)
    if not wanted:
        return found
    for person in Employee.objects.filter(organisation=organisation, active=True).filter(query):
        found.setdefault(person.email.lower(), []).append(person)
    return found


def _with_counts(qs):
    return qs.annotate(
        asked=Count("responses"),
        answered=Count("responses", filter=Q(responses__state=ResponseState.ANSWERED)),
        declined=Count("responses", filter=Q(responses__state=ResponseState.DECLINED)),
        released=Count("responses", filter=Q(responses__released_at__isnull=False)),
    ).select_related("subject", "requested_by")


def feedback_overview(viewer) -> dict:
    """The "Feedback from colleagues" page: what the viewer was asked to answer,
    requests about them, and requests about the people they line manage, each
    with its responses counted. Four queries."""
    me = viewer.employee
    asked = list(
        FeedbackResponse.objects.asked_of(viewer)
        .select_related("request__subject", "request__requested_by")
        .order_by("-request__requested_at", "-pk")
    )
    visible = FeedbackRequest.objects.visible_to(viewer)
    about_me = list(_with_counts(visible.filter(subject=me)).order_by("-requested_at", "-pk"))
    about_reports = list(
        _with_counts(visible.filter(subject__line_manager=me)).order_by("-requested_at", "-pk")
    )
    return {
        "awaiting": [r for r in asked if r.state == ResponseState.AWAITING],
        "answered": [r for r in asked if r.state != ResponseState.AWAITING],
        "about_me": about_me,
        "about_reports": about_reports,
        "reports": list(
            Employee.objects.filter(line_manager=me, active=True).order_by("last_name", "first_name")
        ),
    }


def agenda_of(viewer, employee: Employee) -> list[AgendaTopic]:
    """The open topics on ``employee``'s agenda the viewer may see, oldest first: one query."""
    return list(
        AgendaTopic.objects.visible_to(viewer)
        .open()
        .filter(employee=employee)
        .select_related("added_by")
        .order_by("added_at", "pk")
    )

"""Who may see which flags.

Flags about a person (``Flag.employee`` set, or a personal kind) are for that
person's management chain and the head of their service only: not performance
officers, not peers, and not the person themselves (a flag is a prompt for the
people who support them, UK GDPR art. 22). Other flags (services, KPIs, risks,
skills) are for the organisation's managers, heads of service and performance
officers. Everyone else has no flag pages at all.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from organisations.access import Viewer
from organisations.models import Employee

from .models import Flag
from .models.flags import PERSONAL_KINDS


def is_flag_viewer(viewer: Viewer) -> bool:
    return viewer.is_manager or viewer.is_head_of_service or viewer.is_performance_officer


def personal_q() -> Q:
    return Q(employee__isnull=False) | Q(kind__in=PERSONAL_KINDS)


def visible_flags(viewer: Viewer, queryset: QuerySet[Flag] | None = None) -> QuerySet[Flag]:
    """The viewer's organisation's flags that the viewer may see."""
    qs = viewer.scoped(Flag.objects.all() if queryset is None else queryset)
    if not is_flag_viewer(viewer):
        return qs.none()
    # Subqueries, not a join to the people: the flags are filtered without
    # joining every flag of the organisation to its person first.
    in_headed_services = Employee.objects.filter(
        organisation=viewer.organisation, service_id__in=viewer.headed_service_ids
    ).values("pk")
    about_someone_i_support = (
        Q(employee_id__in=viewer.reports_subquery()) | Q(employee_id__in=in_headed_services)
    ) & ~Q(employee_id=viewer.employee.pk)
    return qs.filter(~personal_q() | about_someone_i_support)


def can_see_flag(viewer: Viewer, flag: Flag) -> bool:
    if flag.organisation_id != viewer.organisation.pk or not is_flag_viewer(viewer):
        return False
    if flag.employee_id is None:
        return flag.kind not in PERSONAL_KINDS
    if flag.employee_id == viewer.employee.pk:
        return False
    return viewer.manages(flag.employee) or viewer.heads_service_of(flag.employee)

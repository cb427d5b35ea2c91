"""The one place that decides who may see what.

Every view turns ``request.user`` into a :class:`Viewer` and fetches objects
through the querysets and helpers here, so another organisation's object is
always a 404 and a same-organisation object the viewer may not see is a 403.
Roles are derived from the data, never typed in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from organisations.models import Employee, Organisation, Service, ServiceKind
from organisations.models.notifications import Notification
from organisations.models.structure import ServiceTree
from organisations.rules.collection import BY_HEAD, may_sign_off

STAFF = "staff"
MANAGER = "manager"
HEAD_OF_SERVICE = "head_of_service"
PERFORMANCE_OFFICER = "performance_officer"
CHIEF_EXECUTIVE = "chief_executive"
DATA_PROTECTION_OFFICER = "data_protection_officer"
ORGANISATION_ADMIN = "organisation_admin"
HR_OFFICER = "hr_officer"

ROLE_LABELS = {
    STAFF: "Staff",
    MANAGER: "Manager",
    HEAD_OF_SERVICE: "Head of service",
    PERFORMANCE_OFFICER: "Performance officer",
    CHIEF_EXECUTIVE: "Chief executive",
    DATA_PROTECTION_OFFICER: "Data protection officer",
    ORGANISATION_ADMIN: "Organisation administrator",
    HR_OFFICER: "HR officer",
}


class Viewer:
    """A signed-in person as the access rules see them."""

    def __init__(self, employee: Employee):
        self.employee = employee
        self.organisation: Organisation = employee.organisation

    # --- derived roles -------------------------------------------------
    @cached_property
    def tree(self) -> ServiceTree:
        """The organisation's services, loaded once per request."""
        return ServiceTree(Service.objects.filter(organisation=self.organisation))

    @cached_property
    def headed_service_ids(self) -> set[int]:
        """Services this person heads, with everything below them."""
        return self.tree.subtree_ids(*self.headed_services)

    @cached_property
    def is_manager(self) -> bool:
        return self.employee.direct_reports.filter(active=True).exists()

    @cached_property
    def waiting_count(self) -> int:
        """How many notifications wait unread for the viewer (the header's
        "Waiting for you (3)"): read with the viewer's own record by
        :func:`get_viewer`, so it costs no query of its own on a page."""
        counted = getattr(self.employee, "unread_notifications", None)
        if counted is not None:
            return counted
        return unread_notifications_count(self.employee.pk)

    @property
    def is_head_of_service(self) -> bool:
        return bool(self.headed_service_ids)

    @property
    def is_performance_officer(self) -> bool:
        return self.employee.is_performance_officer

    @cached_property
    def is_chief_executive(self) -> bool:
        return any(s.head_id == self.employee.pk for s in self.tree.roots)

    @cached_property
    def roles(self) -> list[str]:
        roles = [STAFF]
        if self.is_manager:
            roles.append(MANAGER)
        if self.is_head_of_service:
            roles.append(HEAD_OF_SERVICE)
        if self.is_performance_officer:
            roles.append(PERFORMANCE_OFFICER)
        if self.is_chief_executive:
            roles.append(CHIEF_EXECUTIVE)
        if self.employee.is_data_protection_officer:
            roles.append(DATA_PROTECTION_OFFICER)
        if self.employee.is_organisation_admin:
            roles.append(ORGANISATION_ADMIN)
        if self.employee.is_hr_officer:
            roles.append(HR_OFFICER)
        return roles

    @property
    def is_organisation_admin(self) -> bool:
        return self.employee.is_organisation_admin

    @property
    def may_import_people(self) -> bool:
        return self.employee.is_organisation_admin or self.employee.is_hr_officer

    @property
    def sees_whole_organisation(self) -> bool:
        return self.is_performance_officer or self.is_chief_executive

    @cached_property
    def headed_services(self) -> list[Service]:
        """The top services this person heads (not their subtrees)."""
        return [s for s in self.tree if s.head_id == self.employee.pk]

    # --- scoped querysets ------------------------------------------------
    def services(self) -> QuerySet[Service]:
        return Service.objects.filter(organisation=self.organisation)

    def employees(self) -> QuerySet[Employee]:
        return Employee.objects.filter(organisation=self.organisation)

    def scoped(self, queryset: QuerySet, field: str = "organisation") -> QuerySet:
        """Any model's queryset limited to the viewer's organisation."""
        return queryset.filter(**{field: self.organisation})

    def service_subtree_ids(self, service: Service) -> set[int]:
        return self.tree.subtree_ids(service)

    # --- people ----------------------------------------------------------
    @cached_property
    def report_ids(self) -> set[int]:
        """Everyone below this person in line management."""
        return Employee.objects.report_ids(self.employee.pk)

    def reports_subquery(self):
        """Everyone below this person, as a subquery for ``__in`` filters (one
        parameter, however many people)."""
        return Employee.objects.reports_subquery(self.employee.pk)

    @cached_property
    def direct_report_ids(self) -> set[int]:
        return set(self.employee.direct_reports.values_list("pk", flat=True))

    def manages(self, employee: Employee) -> bool:
        """The viewer is above ``employee`` in line management."""
        return employee.pk in self.report_ids

    def heads_service_of(self, employee: Employee) -> bool:
        return employee.service_id in self.headed_service_ids

    def can_see_individual(self, employee: Employee) -> bool:
        """Individual records (goals, gaps, flags, HR details about a person): the
        rule is :meth:`Employee.individual_records_visible_to`."""
        return employee.individual_records_visible_to(self)

    def visible_individuals(self) -> QuerySet[Employee]:
        """People whose individual records this viewer may see."""
        return Employee.objects.individuals_visible_to(self)

    def can_edit_organisation_data(self) -> bool:
        """KPI definitions, skills framework, organisation priorities."""
        return self.is_performance_officer

    def can_edit_service(self, service: Service) -> bool:
        return self.is_performance_officer or service.pk in self.headed_service_ids

    def can_edit_kpi(self, kpi: Any) -> bool:
        """A KPI's definition, targets and results: its owner, the head of its service
        (or of a service above it) and performance officers."""
        if kpi.organisation_id != self.organisation.pk:
            return False
        return (
            self.is_performance_officer
            or kpi.owner_id == self.employee.pk
            or kpi.service_id in self.headed_service_ids
        )

    def can_sign_off_kpi(self, kpi: Any) -> bool:
        """Sign off or return a KPI's results (``rules.collection.may_sign_off``)."""
        if kpi.organisation_id != self.organisation.pk:
            return False
        return may_sign_off(
            validated_by=self.organisation.results_validated_by,
            is_performance_officer=self.is_performance_officer,
            heads_kpi_service=kpi.service_id in self.headed_service_ids,
            owns_kpi=kpi.owner_id == self.employee.pk,
        )

    @property
    def signs_off_results(self) -> bool:
        """May sign off some KPI's results: the collection page's sign-off queue."""
        if self.is_performance_officer:
            return True
        return self.organisation.results_validated_by == BY_HEAD and self.is_head_of_service

    def can_create_kpis(self) -> bool:
        """Performance officers for any service; heads of service for their own."""
        return self.is_performance_officer or self.is_head_of_service

    def can_produce_subject_access_exports(self) -> bool:
        """A complete subject access export (private notes and drafts included) of
        anyone in the organisation: data protection officers, and performance
        officers where the organisation allows it."""
        return self.employee.is_data_protection_officer or (
            self.is_performance_officer and self.organisation.officers_may_export_subject_access
        )


def _depth(viewer: Viewer, service: Service) -> int:
    parents = {s.pk: s.parent_id for s in viewer.tree.services}
    depth, node, seen = 0, service.parent_id, set()
    while node is not None and node not in seen:
        seen.add(node)
        depth += 1
        node = parents.get(node)
    return depth


def top_headed_services(viewer: Viewer) -> list[Service]:
    """The services a person heads that are not below another they head,
    highest in the tree first."""
    headed = viewer.headed_services
    ids = {s.pk for s in headed}
    parents = {s.pk: s.parent_id for s in viewer.tree.services}

    def under_another(s: Service) -> bool:
        node, seen = parents.get(s.pk), set()
        while node is not None and node not in seen:
            if node in ids:
                return True
            seen.add(node)
            node = parents.get(node)
        return False

    tops = [s for s in headed if not under_another(s)]
    return sorted(tops, key=lambda s: (_depth(viewer, s), s.name))


def own_scope(viewer: Viewer) -> Service | None:
    """Where a list opens: the highest service the viewer heads, else the service
    (not the team) they work in; None (the whole organisation) for performance
    officers and the chief executive."""
    if viewer.sees_whole_organisation:
        return None
    if viewer.headed_services:
        return top_headed_services(viewer)[0]
    node = viewer.tree.by_id.get(viewer.employee.service_id)
    while node is not None and node.kind == ServiceKind.TEAM and node.parent_id in viewer.tree.by_id:
        node = viewer.tree.by_id[node.parent_id]
    return node


def unread_notifications_subquery() -> Coalesce:
    """The number of an employee's unread notifications, as a column of their row
    (the index on recipient and read_at answers it)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def unread_notifications_count(employee_id: int) -> int:
    return Notification.objects.filter(recipient_id=employee_id, read_at__isnull=True).count()


def get_viewer(request: HttpRequest) -> Viewer:
    """The viewer for a request; cached on it. 403 when the account is not a
    member of staff (a superuser without an employee record uses the admin)."""
    viewer = getattr(request, "_viewer", None)
    if viewer is not None:
        return viewer
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    try:
        employee = (
            Employee.objects.select_related("organisation", "service", "job_role")
            .annotate(unread_notifications=unread_notifications_subquery())
            .get(user=user, active=True)
        )
    except Employee.DoesNotExist:
        raise PermissionDenied(
            "Your account is not linked to a member of staff. Ask a performance officer to link it."
        ) from None
    viewer = Viewer(employee)
    request._viewer = viewer
    return viewer


def viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the viewer before the view runs; the view gets it as ``viewer``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, get_viewer(request), *args, **kwargs)

    return wrapper


def require(condition: bool, message: str = "You do not have access to this page.") -> None:
    if not condition:
        raise PermissionDenied(message)


def visible(model: type[Model], viewer: Viewer) -> QuerySet:
    """Where a view's read starts: the rows of ``model`` the viewer may see, by the
    model's own ``visible_to`` rule. Views never use ``Model.objects`` directly
    (tests/test_architecture.py walks their source), so no page can skip the rule."""
    return model._default_manager.visible_to(viewer)


def in_organisation(model: type[Model], viewer: Viewer) -> QuerySet:
    """The rows of ``model`` in the viewer's organisation, before the per-person
    rule: for fetching an object whose own check then answers 403, not 404."""
    return model._default_manager.in_organisation(viewer.organisation)


def get_for_viewer(
    source: QuerySet | type[Model], viewer: Viewer, field: str | None = None, **lookup: Any
) -> Model:
    """Fetch one object of the viewer's organisation, else 404. ``source`` is a
    model or a queryset of one (e.g. with ``select_related``)."""
    qs = source if isinstance(source, QuerySet) else source._default_manager.all()
    if field is not None:
        qs = qs.filter(**{field: viewer.organisation})
    else:
        qs = qs.in_organisation(viewer.organisation)
    return get_object_or_404(qs, **lookup)


__all__ = [
    "CHIEF_EXECUTIVE",
    "DATA_PROTECTION_OFFICER",
    "HEAD_OF_SERVICE",
    "MANAGER",
    "PERFORMANCE_OFFICER",
    "ROLE_LABELS",
    "STAFF",
    "Http404",
    "Viewer",
    "get_for_viewer",
    "in_organisation",
    "visible",
    "get_viewer",
    "require",
    "viewer_required",
]

"""The API's resources: read-only, each scoped to the token's organisation, so
another organisation's id is a 404 and its rows are in no list (docs/API.md).

Reads go through ``api.selectors.resources``; each list costs a fixed number of
queries whatever its length (tests/api/test_queries.py)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.rest.authentication import BearerTokenAuthentication
from api.rest.filters import Filters, read_filters
from api.rest.pagination import ApiPagination
from api.rest.permissions import HasTokenScope
from api.rest.renderers import CSVRenderer
from api.rest.serializers import (
    KPISerializer,
    PersonSerializer,
    ResultSerializer,
    ServiceFiguresSerializer,
    ServiceSerializer,
    TargetSerializer,
)
from api.rest.throttling import TokenBurstThrottle, TokenSustainedThrottle
from api.rules import tokens as token_rules
from api.selectors import resources
from core import clock
from organisations.models import KPI, Employee, KPIResult, KPITarget, Service


def _param(name: str, description: str, type_=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description)


SERVICE = _param(
    "service", "A service's id or code: that service and every service below it (an unknown one is a 400)."
)
PERIOD_FROM = _param("period_from", "Periods ending on or after this date (YYYY-MM-DD).", OpenApiTypes.DATE)
PERIOD_TO = _param("period_to", "Periods ending on or before this date (YYYY-MM-DD).", OpenApiTypes.DATE)
FINANCIAL_YEAR = _param(
    "financial_year", "The financial year, as the year it starts (2026) or its label (2026/27)."
)
KPI_PARAM = _param("kpi", "A KPI's id or code.")
FORMAT = _param("format", "json (the default) or csv; or send 'Accept: text/csv'.")


class ReadOnlyResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasTokenScope]
    throttle_classes = [TokenBurstThrottle, TokenSustainedThrottle]
    pagination_class = ApiPagination
    renderer_classes = [JSONRenderer, CSVRenderer]
    required_scope = token_rules.AGGREGATES
    model: type = Service
    filters_read: tuple[str, ...] = ("service",)

    def initial(self, request, *args, **kwargs):
        # Read-only for everyone: a write is a 405 before any token is looked at.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    @property
    def organisation(self):
        return self.request.auth.organisation

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and self.request.auth is not None:
            context.update(organisation=self.organisation, token=self.request.auth)
        return context

    def source(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return self.model._default_manager.none()
        return self.source()

    def read_filters(self) -> Filters:
        params = self.request.query_params
        tree = resources.service_tree(self.organisation) if params.get("service") else None
        return read_filters(params, self.organisation, tree)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return self.apply(queryset, self.read_filters())

    def apply(self, queryset: QuerySet, filters: Filters) -> QuerySet:
        return queryset

    def _kpi_filter(self, queryset: QuerySet, filters: Filters, path: str) -> QuerySet:
        if filters.kpi is None:
            return queryset
        match = Q(**{f"{path}__code__iexact": filters.kpi})
        if filters.kpi.isdigit():
            match |= Q(**{f"{path}_id": int(filters.kpi)})
        return queryset.filter(match)


@extend_schema_view(
    list=extend_schema(summary="Services", parameters=[SERVICE, FORMAT]),
    retrieve=extend_schema(summary="A service", parameters=[FORMAT]),
)
class ServiceViewSet(ReadOnlyResource):
    """The organisation's services: directorates, services and teams, as a tree (``parent``)."""

    serializer_class = ServiceSerializer
    model = Service

    def source(self) -> QuerySet:
        return resources.services(self.organisation)

    def apply(self, queryset, filters):
        return queryset if filters.service_ids is None else queryset.filter(pk__in=filters.service_ids)


@extend_schema_view(
    list=extend_schema(summary="KPIs, each with its latest result", parameters=[SERVICE, FORMAT]),
    retrieve=extend_schema(summary="A KPI with its latest result", parameters=[FORMAT]),
)
class KPIViewSet(ReadOnlyResource):
    """KPIs with their latest result (status, direction of travel, target): the
    latest status of every KPI without paging through the results."""

    serializer_class = KPISerializer
    model = KPI

    def source(self) -> QuerySet:
        return resources.kpis(self.organisation)

    def apply(self, queryset, filters):
        return (
            queryset if filters.service_ids is None else queryset.filter(service_id__in=filters.service_ids)
        )

    def _with_latest(self, kpis: list[KPI]) -> list[KPI]:
        latest = resources.kpi_latest(self.organisation, [k.pk for k in kpis], clock.today())
        for kpi in kpis:
            row = latest.get(kpi.pk)
            kpi.latest_row = row if row is not None and row.latest is not None else None
        return kpis

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = self.get_serializer(self._with_latest(list(page)), many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        kpi = self._with_latest([self.get_object()])[0]
        return Response(self.get_serializer(kpi).data)


@extend_schema_view(
    list=extend_schema(
        summary="KPI targets by financial year, with their tolerances",
        parameters=[SERVICE, KPI_PARAM, FINANCIAL_YEAR, PERIOD_FROM, PERIOD_TO, FORMAT],
    ),
    retrieve=extend_schema(summary="A KPI target", parameters=[FORMAT]),
)
class TargetViewSet(ReadOnlyResource):
    """Targets per KPI and financial year. ``period_from``/``period_to`` keep the
    years that overlap them."""

    serializer_class = TargetSerializer
    model = KPITarget

    def source(self) -> QuerySet:
        return resources.targets(self.organisation)

    def apply(self, queryset, filters):
        from organisations.rules import years as year_rules

        start = self.organisation.financial_year_start_month
        if filters.service_ids is not None:
            queryset = queryset.filter(kpi__service_id__in=filters.service_ids)
        if filters.financial_year is not None:
            queryset = queryset.filter(financial_year=filters.financial_year)
        if filters.period_from is not None:
            queryset = queryset.filter(
                financial_year__gte=year_rules.financial_year_start(filters.period_from, start)
            )
        if filters.period_to is not None:
            queryset = queryset.filter(
                financial_year__lte=year_rules.financial_year_start(filters.period_to, start)
            )
        return self._kpi_filter(queryset, filters, "kpi")


@extend_schema_view(
    list=extend_schema(
        summary="KPI results by period",
        parameters=[SERVICE, KPI_PARAM, PERIOD_FROM, PERIOD_TO, FINANCIAL_YEAR, FORMAT],
    ),
    retrieve=extend_schema(summary="A KPI result", parameters=[FORMAT]),
)
class ResultViewSet(ReadOnlyResource):
    """Each KPI's results: value, status, direction of travel against the period
    before, and the commentary written for the public page."""

    serializer_class = ResultSerializer
    model = KPIResult

    def source(self) -> QuerySet:
        return resources.results(self.organisation)

    def apply(self, queryset, filters):
        if filters.service_ids is not None:
            queryset = queryset.filter(kpi__service_id__in=filters.service_ids)
        low, high = filters.period_bounds(self.organisation.financial_year_start_month)
        if low is not None:
            queryset = queryset.filter(period_end__gte=low)
        if high is not None:
            queryset = queryset.filter(period_end__lte=high)
        return self._kpi_filter(queryset, filters, "kpi")


@extend_schema_view(
    list=extend_schema(
        summary="Workforce and supervision figures by service (aggregates only)",
        parameters=[SERVICE, FORMAT],
    ),
    retrieve=extend_schema(summary="A service's workforce and supervision figures", parameters=[FORMAT]),
)
class ServiceFiguresViewSet(ReadOnlyResource):
    """Per service, as of today: headcount, FTE, the interim share of FTE and
    supervision in date and overdue, for the service alone and with every
    service below it. Counts, never people. The id is the service's id."""

    serializer_class = ServiceFiguresSerializer
    model = Service

    def _rows(self, filters: Filters | None):
        tree = resources.service_tree(self.organisation)
        rows = resources.service_figures(self.organisation, tree, clock.today())
        if filters is not None and filters.service_ids is not None:
            rows = [r for r in rows if r.service.pk in filters.service_ids]
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self._rows(self.read_filters()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = self.kwargs.get(self.lookup_field, "")
        row = next((r for r in self._rows(None) if str(r.service.pk) == str(pk)), None)
        if row is None:
            raise Http404("No service of your organisation has this id.")
        return Response(self.get_serializer(row).data)


@extend_schema_view(
    list=extend_schema(summary="People (the people scope only)", parameters=[SERVICE, FORMAT]),
    retrieve=extend_schema(summary="A person (the people scope only)", parameters=[FORMAT]),
)
class PersonViewSet(ReadOnlyResource):
    """Active staff: employee number, name, service, role, employment type and
    line manager's employee number. Nothing from supervision sessions. Only for a
    token with the ``people`` scope."""

    serializer_class = PersonSerializer
    model = Employee
    required_scope = token_rules.PEOPLE

    def source(self) -> QuerySet:
        return resources.people(self.organisation)

    def apply(self, queryset, filters):
        return (
            queryset if filters.service_ids is None else queryset.filter(service_id__in=filters.service_ids)
        )

"""The OpenAPI schema, and the documentation page made from it (server-rendered:
no JavaScript, nothing from another site). Neither needs a token: they describe
the API and hold no data."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import AllowAny

from api.rest.authentication import BearerTokenAuthentication
from api.rest.throttling import AnonymousThrottle
from api.rules import tokens as token_rules
from api.rules.schema_doc import endpoints


class SchemaView(SpectacularAPIView):
    """``/api/v1/schema/``: JSON by default, YAML with ``?format=yaml``."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]

    def initial(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


@cache
def _schema() -> dict:
    return SchemaGenerator(patterns=None, urlconf=None).get_schema(request=None, public=True)


@require_GET
@login_not_required
def docs(request: HttpRequest) -> HttpResponse:
    schema = _schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema.get("info", {}),
            "endpoints": endpoints(schema),
            "scopes": token_rules.SCOPES,
            "rates": settings.API_THROTTLE_RATES,
            "page_size": 100,
            "max_page_size": 1000,
            "base": request.build_absolute_uri("/api/v1/"),
        },
    )

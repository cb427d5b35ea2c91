from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api.views import docs, resources, tokens

app_name = "api"

router = SimpleRouter()
router.register("services", resources.ServiceViewSet, basename="service")
router.register("kpis", resources.KPIViewSet, basename="kpi")
router.register("targets", resources.TargetViewSet, basename="target")
router.register("results", resources.ResultViewSet, basename="result")
router.register("service-figures", resources.ServiceFiguresViewSet, basename="service_figures")
router.register("people", resources.PersonViewSet, basename="person")

urlpatterns = [
    path("api/v1/schema/", docs.SchemaView.as_view(), name="schema"),
    path("api/v1/docs/", docs.docs, name="docs"),
    path("api/v1/", include(router.urls)),
    path("settings/api-tokens/", tokens.token_list, name="tokens"),
    path("settings/api-tokens/new/", tokens.token_create, name="token_create"),
    path("settings/api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]

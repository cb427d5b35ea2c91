"""Dashboards, the quarterly report and the public performance page."""

from tests.insights.factories import KPIFactory
from tests.url_cases import Case


def published_service(w, service) -> dict:
    """The public page of a service that publishes a measure (one that publishes
    nothing is not found)."""
    if not service.kpis.filter(published=True).exists():
        KPIFactory(service=service, name=f"Published by {service.name}", published=True)
    return {"slug": service.organisation.slug, "service_pk": service.pk}


# The quarterly report and its downloads: performance officers, the chief
# executive and heads of service (the team manager heads the team).
REPORT = {"staff": 403, "peer": 403}

CASES = [
    Case("insights:my_page"),
    Case("insights:org_overview", expect={"staff": 403, "peer": 403, "manager": 403, "head": 403}),
    Case(
        "insights:service_dashboard",
        kwargs=lambda w: {"service_pk": w.service.pk},
        other_kwargs=lambda w: {"service_pk": w.other_service.pk},
        # head heads the directorate above; the manager heads only a team below
        expect={"staff": 403, "peer": 403, "manager": 403},
    ),
    Case("insights:quarterly_report", expect=REPORT),
    Case("insights:quarterly_report_csv", expect=REPORT),
    Case("insights:quarterly_report_xlsx", expect=REPORT),
    Case(
        "insights:public_performance",
        kwargs=lambda w: {"slug": w.org.slug},
        public=True,
        # Public: anyone, from any organisation or none, sees the page.
        expect={"outsider": 200},
    ),
    Case(
        "insights:public_service",
        kwargs=lambda w: published_service(w, w.service),
        # Another organisation's service under this organisation's name: not found.
        other_kwargs=lambda w: {**published_service(w, w.other_service), "slug": w.org.slug},
        public=True,
        expect={"outsider": 200},
    ),
]

"""Interim reliance has one measure (organisations/rules/workforce.py: FTE, not
headcount): the service page, the dashboards, the overview and the
interim_reliance flag give Housing Options the same figure."""

import re
from decimal import Decimal

from django.urls import reverse

from insights.rules import workforce as workforce_flags
from insights.services.recompute import RunContext
from organisations.rules import workforce as workforce_rules
from tests.conftest import client_for

D = Decimal


def test_the_measure_is_fte_and_strictly_above_the_threshold():
    assert workforce_rules.interim_share(contingent_fte=D("1.5"), total_fte=D("6.5")) == D("1.5") * 100 / D(
        "6.5"
    )
    assert workforce_rules.interim_share(contingent_fte=0, total_fte=0) is None
    assert not workforce_rules.above_threshold(D("20"), D("20"))  # at the threshold: within
    assert workforce_rules.above_threshold(D("20.01"), 20)
    assert not workforce_rules.above_threshold(None, 0)
    assert workforce_flags.interim_share is workforce_rules.interim_share


def _figure(html: str, label: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.search(rf"{label} (\d+\.\d)%", text).group(1)


def test_every_page_and_the_flag_give_the_same_figure(world, scenario):
    head, officer = client_for(world.service_head), client_for(world.officer)
    service_page = head.get(reverse("organisations:service_detail", args=[world.service.pk])).content.decode()
    dashboard = head.get(reverse("insights:service_dashboard", args=[world.service.pk])).content.decode()
    overview = officer.get(reverse("insights:org_overview")).content.decode()
    figures = {
        "service page": _figure(service_page, "Interim and agency share of FTE"),
        "dashboard": _figure(dashboard, "Interim and agency share of FTE"),
        "overview": _figure(overview, "Housing Options 1 1 2 0 1 1 43%"),  # 1 high flag the officer may see
    }
    ctx = RunContext(organisation=world.org, today=scenario.today, now=None)
    (flag,) = [
        c
        for c in workforce_flags.candidates(ctx)
        if c.kind == "interim_reliance" and c.subject_id == world.service.pk
    ]
    figures["flag"] = flag.evidence["interim_and_agency_share_percent"]
    assert set(figures.values()) == {"23.1"}, figures

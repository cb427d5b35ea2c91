"""The demo's risk registers and workforce mix, and the flags they raise."""

from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core import clock
from insights.models import Flag, FlagKind
from insights.selectors.workforce import staff_figures, workforce_mix
from organisations.access import Viewer
from organisations.models import KPI, Employee, Organisation, Risk, RiskAction
from organisations.models.structure import ServiceTree


@pytest.fixture
def seeded(db):
    call_command("seed_demo", employees=200, seed=5, force=True, stdout=StringIO())
    return Organisation.objects.get(slug="northshire")


def test_the_council_has_corporate_and_service_registers(seeded):
    risks = Risk.objects.filter(organisation=seeded)
    titles = set(risks.values_list("title", flat=True))
    for expected in (
        "Cyber attack disrupts council services",
        "Funding gap in the medium-term financial strategy",
        "Negative publicity damages trust in the council",
        "Failure to recruit and retain social workers",
        "Reliance on agency staff drives cost and weakens practice",
        "Data breach of residents' personal information",
        "Service failure after the new case-management system goes live",
    ):
        assert expected in titles
    assert risks.filter(service__isnull=True).count() >= 5
    assert risks.get(reference="HO01").service.name == "Housing Options"

    def directorate_of(service):
        while service.parent is not None and service.parent.parent_id is not None:
            service = service.parent
        return service.name

    directorates = {directorate_of(r.service) for r in risks.filter(service__isnull=False)}
    assert directorates == {
        "Housing",
        "Adults' Social Care",
        "Children's Services",
        "Environment",
        "Resources",
    }
    assert all(r.owner_id for r in risks)
    assert RiskAction.objects.filter(risk__organisation=seeded, done__isnull=False).exists()
    assert RiskAction.objects.filter(risk__organisation=seeded, done__isnull=True).exists()
    assert risks.filter(is_open=False).exists()
    for risk in risks:
        risk.full_clean()  # scores consistent: residual <= inherent, target <= residual
        assert risk.residual_score == risk.residual_likelihood * risk.residual_impact
        assert risk.history.exists()
    assert Risk.objects.filter(organisation__slug="riverside-homes").exists()


def test_demo_director_sees_explainable_flags_of_the_risk_and_workforce_kinds(seeded):
    director = Employee.objects.get(user__username="demo-director")
    viewer = Viewer(director)
    housing = viewer.headed_service_ids
    flags = Flag.objects.visible_to(viewer).filter(resolved_at__isnull=True)
    in_directorate = flags.filter(service_id__in=housing)
    kinds = set(in_directorate.values_list("kind", flat=True))
    assert {
        FlagKind.RISK_ABOVE_TARGET,
        FlagKind.RISK_REVIEW_OVERDUE,
        FlagKind.INTERIM_CONTRACT_ENDING,
        FlagKind.INTERIM_RELIANCE,
    } <= kinds
    reliance = in_directorate.get(kind=FlagKind.INTERIM_RELIANCE, service__name="Housing Options")
    assert reliance.severity == "high" and reliance.evidence["links"] and reliance.rule
    for flag in in_directorate:
        assert flag.rule and flag.evidence and flag.evidence.get("links"), flag.title


def test_demo_manager_sees_their_reports_contracts_ending(seeded):
    manager = Employee.objects.get(user__username="demo-manager")
    flags = Flag.objects.visible_to(Viewer(manager)).filter(kind=FlagKind.INTERIM_CONTRACT_ENDING)
    assert flags.filter(employee__line_manager=manager, severity="high").exists()
    staff = Employee.objects.get(user__username="demo-staff")
    assert not Flag.objects.visible_to(Viewer(staff)).exists()
    officer = Employee.objects.get(user__username="demo-officer")
    assert not Flag.objects.visible_to(Viewer(officer)).filter(employee__isnull=False).exists()
    assert Flag.objects.filter(organisation__slug="northshire").count() > 10


def test_staff_mix_kpis_are_the_workforce_figures_the_overview_shows(seeded):
    """One source: each "Interim and agency staff as a percentage of FTE" KPI's latest
    result is the share the organisation overview works out from the staff (FTE,
    not headcount); Human Resources reports the council's."""
    counts, _ = staff_figures(
        Employee.objects.filter(organisation=seeded, active=True), seeded, clock.today()
    )
    tree = ServiceTree(seeded.services.all())
    kpis = KPI.objects.filter(organisation=seeded, name="Interim and agency staff as a percentage of FTE")
    assert kpis.count() > 5 and not KPI.objects.filter(name__startswith="Agency staff").exists()
    for kpi in kpis.select_related("service"):
        ids = None if kpi.service.name == "Human Resources" else tree.subtree_ids(kpi.service)
        share = workforce_mix(counts, ids, seeded.interim_reliance_threshold).interim_share
        latest = kpi.results.order_by("-period_end").first()
        assert latest.value == Decimal(str(share)).quantize(Decimal("0.1"), ROUND_HALF_UP), kpi.code
        assert "FTE" in kpi.definition and "not headcount" in kpi.definition
    options = kpis.get(service__name="Housing Options").results.order_by("-period_end").first()
    assert options.value > seeded.interim_reliance_threshold and options.status == "red"
    assert options.corrective_action


def test_demo_kpis_have_a_materiality_so_wobbles_read_as_no_change(seeded):
    kpis = KPI.objects.filter(organisation=seeded)
    assert not kpis.filter(materiality=0).exists()
    rent = KPI.objects.get(
        organisation__slug="riverside-homes", name="Rent collected as a percentage of rent due"
    )
    assert rent.materiality == Decimal("0.1")  # a fifth of its 0.5-point amber band

"""The demo's risk registers and workforce mix, and the flags they raise."""

from io import StringIO

import pytest
from django.core.management import call_command

from insights.models import Flag, FlagKind
from organisations.access import Viewer
from organisations.models import Employee, Organisation, Risk, RiskAction


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

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from organisations.access import (
    CHIEF_EXECUTIVE,
    HEAD_OF_SERVICE,
    MANAGER,
    PERFORMANCE_OFFICER,
    STAFF,
    Viewer,
    get_viewer,
)
from organisations.models import Employee, EmploymentType, Service
from tests.conftest import client_for
from tests.factories import EmployeeFactory, ServiceFactory, UserFactory


def roles(e):
    return Viewer(e).roles


def test_roles_are_derived(world):
    assert roles(world.staff) == [STAFF]
    assert roles(world.manager) == [STAFF, MANAGER, HEAD_OF_SERVICE]  # heads the team too
    assert roles(world.head) == [STAFF, MANAGER, HEAD_OF_SERVICE]
    assert roles(world.officer) == [STAFF, PERFORMANCE_OFFICER]
    assert CHIEF_EXECUTIVE in roles(world.chief)


def test_head_sees_subtree(world):
    v = Viewer(world.head)
    assert v.headed_service_ids == {
        world.directorate.pk,
        world.service.pk,
        world.team.pk,
        world.other_team.pk,
    }
    assert world.corporate.pk not in v.headed_service_ids


def test_management_chain_and_reports(world):
    assert Employee.objects.chain_ids(world.staff.pk) == [
        world.manager.pk,
        world.service_head.pk,
        world.head.pk,
        world.chief.pk,
    ]
    assert Viewer(world.service_head).report_ids == {
        world.manager.pk,
        world.staff.pk,
        world.peer.pk,
        world.interim.pk,
    }


def test_individual_visibility(world):
    staff = world.staff
    assert Viewer(staff).can_see_individual(staff)
    assert Viewer(world.manager).can_see_individual(staff)
    assert Viewer(world.head).can_see_individual(staff)
    assert Viewer(world.officer).can_see_individual(staff)
    assert not Viewer(world.peer).can_see_individual(staff)
    assert not Viewer(world.outsider).can_see_individual(staff)


def test_session_content_visibility(world):
    from appraisals.models.sessions import CONTENT, EMPLOYEE, RESTRICTED
    from tests.appraisals.session_factories import FeedbackSessionFactory

    shared = FeedbackSessionFactory(employee=world.staff, manager=world.manager, state="shared")
    draft = FeedbackSessionFactory(employee=world.staff, manager=world.manager)
    level = {
        p: shared.view_level_for(Viewer(world.persona(p)))
        for p in ("manager", "staff", "head", "officer", "peer")
    }
    assert level == {
        "manager": CONTENT,
        "staff": EMPLOYEE,
        "head": RESTRICTED,
        "officer": RESTRICTED,
        "peer": None,
    }
    assert shared.view_level_for(Viewer(world.service_head)) == CONTENT  # the manager's manager
    # A draft is its author's alone, not even the manager's manager's.
    assert draft.view_level_for(Viewer(world.manager)) == CONTENT
    assert draft.view_level_for(Viewer(world.service_head)) is None
    assert draft.view_level_for(Viewer(world.staff)) is None


def test_scoped_querysets_exclude_other_org(world):
    v = Viewer(world.officer)
    assert not v.services().filter(pk=world.other_service.pk).exists()
    assert not v.employees().filter(pk=world.outsider.pk).exists()


def test_user_without_employee_is_refused(db):
    request = RequestFactory().get("/")
    request.user = UserFactory()
    with pytest.raises(PermissionDenied):
        get_viewer(request)


def test_line_management_cycle_rejected(world):
    world.manager.line_manager = world.staff
    with pytest.raises(ValidationError) as err:
        world.manager.full_clean()
    assert "loop" in str(err.value)


def test_self_management_rejected(world):
    world.staff.line_manager = world.staff
    with pytest.raises(ValidationError):
        world.staff.full_clean()


def test_service_cycle_rejected(world):
    world.directorate.parent = world.team
    with pytest.raises(ValidationError) as err:
        world.directorate.full_clean()
    assert "below itself" in str(err.value)


def test_cross_organisation_links_rejected(world):
    world.staff.line_manager = world.outsider
    world.staff.service = world.other_service
    with pytest.raises(ValidationError) as err:
        world.staff.full_clean()
    assert set(err.value.message_dict) >= {"line_manager", "service"}
    s = Service(organisation=world.org, name="X", parent=world.other_service, head=world.outsider)
    with pytest.raises(ValidationError) as err:
        s.full_clean()
    assert set(err.value.message_dict) == {"parent", "head"}


def test_interim_needs_end_date_and_end_after_start(world):
    e = EmployeeFactory.build(
        organisation=world.org, service=world.team, employment_type=EmploymentType.AGENCY, end_date=None
    )
    with pytest.raises(ValidationError) as err:
        e.full_clean()
    assert "end date" in str(err.value)
    e.end_date = date(2020, 1, 1)
    with pytest.raises(ValidationError) as err:
        e.full_clean()
    assert "after the start date" in str(err.value)


def test_pages_show_structure(world):
    html = client_for(world.staff).get("/organisation/").content.decode()
    assert "Housing Options" in html and "Hana Head" in html
    assert "Riverside" not in html.split("<main")[1]
    html = client_for(world.staff).get(f"/services/{world.service.pk}/").content.decode()
    # Service head, manager, staff and peer permanent, one interim: 1 of 5 FTE.
    assert "20.0%" in html and "5 people, 5.0 FTE" in html


def test_person_page(world):
    html = client_for(world.peer).get(f"/people/{world.staff.pk}/").content.decode()
    assert "Sol Staff" in html and "Mo Manager" in html


def test_other_org_service_is_404(world):
    other = ServiceFactory(organisation=world.other_org)
    assert client_for(world.officer).get(f"/services/{other.pk}/").status_code == 404


def test_find_a_person_opens_on_the_viewers_service_and_searches_the_organisation(world):
    from django.urls import reverse

    url = reverse("organisations:people")
    client = client_for(world.staff)
    page = client.get(url).context["page_obj"]
    names = {p.pk for p in page.object_list}
    # The staff member's own service (with its teams), not Resources.
    assert world.manager.pk in names and world.officer.pk not in names
    # A name is looked for across the organisation; another organisation's people never.
    found = {p.pk for p in client.get(url, {"q": world.officer.last_name}).context["page_obj"].object_list}
    assert world.officer.pk in found
    found = {p.pk for p in client.get(url, {"q": world.outsider.last_name}).context["page_obj"].object_list}
    assert world.outsider.pk not in found
    everyone = {p.pk for p in client.get(url, {"service": "all"}).context["page_obj"].object_list}
    assert world.officer.pk in everyone

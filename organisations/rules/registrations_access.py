"""Who may change registrations, training and the mandatory courses. Each takes
a loaded ``Viewer`` (organisations.access) and objects; no queries beyond the
viewer's own cached line-management set."""

from __future__ import annotations


def may_edit_person_records(viewer, person) -> bool:
    """A person's registrations and training records: HR officers, performance
    officers and anyone above the person in line management."""
    if person.organisation_id != viewer.organisation.pk:
        return False
    return viewer.is_performance_officer or viewer.employee.is_hr_officer or viewer.manages(person)


def may_manage_courses(viewer) -> bool:
    """The mandatory courses and what each job role requires: HR officers and
    performance officers."""
    return viewer.is_performance_officer or viewer.employee.is_hr_officer


def may_import_training(viewer) -> bool:
    """A learning system's file of completions: HR officers (and organisation
    administrators, who may import people too)."""
    return viewer.employee.is_hr_officer or viewer.employee.is_organisation_admin

"""Writes to committee templates: performance officers only. Each save is kept
in the template's history (simple_history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from insights.models import CommitteeTemplate
from organisations.access import Viewer
from organisations.models import Employee

FIELDS = ("name", "sections", "intro", "distribution")


def committee_template_can_manage(viewer: Viewer) -> bool:
    return viewer.is_performance_officer


def _check(by: Employee) -> None:
    if not by.is_performance_officer:
        raise PermissionDenied("Only performance officers set up committee papers.")


@transaction.atomic
def committee_template_create(*, by: Employee, **values) -> CommitteeTemplate:
    _check(by)
    template = CommitteeTemplate(organisation=by.organisation, **{k: values[k] for k in FIELDS})
    template._history_user = by.user
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def committee_template_update(*, template: CommitteeTemplate, by: Employee, **values) -> CommitteeTemplate:
    _check(by)
    if template.organisation_id != by.organisation_id:
        raise PermissionDenied("Another organisation's committee.")
    for k in FIELDS:
        setattr(template, k, values[k])
    template._history_user = by.user
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def committee_template_delete(*, template: CommitteeTemplate, by: Employee) -> None:
    _check(by)
    if template.organisation_id != by.organisation_id:
        raise PermissionDenied("Another organisation's committee.")
    template._history_user = by.user
    template.delete()

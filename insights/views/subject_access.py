"""``/people/<pk>/subject-access/``: a complete subject access export of one
person, for data protection officers (and performance officers where the
organisation allows it). GET explains what it contains; POST produces it and
records who produced it, about whom and when in the audit trail."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.clock import now
from insights.forms.subject_access import SubjectAccessForm
from insights.selectors.mydata import csv_cell
from insights.selectors.personal_records import SKILL_GAP_METHOD
from insights.selectors.subject_access import SECTIONS, as_dicts, subject_access_items
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required
from organisations.models import AuditEventKind, Employee
from organisations.services.audit import audit_event_record
from organisations.views.person_sections import PersonSection

REFUSED = "Only the data protection officer can produce a subject access export."


def _as_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "source", "model", "record", "field", "value"])
    for r in rows:
        writer.writerow([csv_cell(r[k]) for k in ("section", "source", "model", "record", "field", "value")])
    return buffer.getvalue()


@require_http_methods(["GET", "POST"])
@viewer_required
def subject_access(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    person = get_for_viewer(
        in_organisation(Employee, viewer).select_related("organisation", "service", "user"), viewer, pk=pk
    )
    require(viewer.can_produce_subject_access_exports(), REFUSED)
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fmt, reference = form.cleaned_data["export_format"], form.cleaned_data["reference"].strip()
        audit_event_record(
            kind=AuditEventKind.SUBJECT_ACCESS_EXPORT,
            actor=viewer.employee,
            subject=person,
            detail=f"Format: {fmt.upper()}" + (f"; request reference: {reference}" if reference else ""),
        )
        items = subject_access_items(person)
        if fmt == "html":
            sections = [(s, [i for i in items if i.section == s]) for s in SECTIONS]
            return render(
                request,
                "insights/subject_access_export.html",
                {
                    "person": person,
                    "sections": sections,
                    "produced_at": now(),
                    "reference": reference,
                    "skill_gap_method": SKILL_GAP_METHOD,
                },
            )
        rows = as_dicts(items)
        if fmt == "json":
            body = json.dumps(
                {
                    "subject": {"id": person.pk, "name": person.full_name},
                    "organisation": person.organisation.name,
                    "produced_at": now().isoformat(timespec="seconds"),
                    "produced_by": viewer.employee.full_name,
                    "reference": reference,
                    "skill_gaps_how_computed": SKILL_GAP_METHOD,
                    "items": rows,
                },
                indent=2,
                default=str,
            )
            content_type = "application/json"
        else:
            body, content_type = _as_csv(rows), "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "insights/subject_access.html", {"person": person, "form": form})


def person_subject_access_section(request: HttpRequest, viewer: Viewer, person) -> PersonSection | None:
    """A link to the export on the person page, for those who may produce it."""
    if not viewer.can_produce_subject_access_exports() or person.organisation_id != viewer.organisation.pk:
        return None
    return PersonSection(
        title="Subject access", template="insights/_person_subject_access.html", context={}, order=90
    )

"""Importing people from the HR system: upload and check (the dry run), the
check's page with its Apply button, and the history of imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.access import Viewer, get_for_viewer, require, viewer_required, visible
from organisations.forms.people_import import PeopleImportForm
from organisations.models import Employee, PeopleImport
from organisations.services import hr_systems
from organisations.services.people_import import CheckFailed, people_import_apply, people_import_check

MAY_NOT = "Only organisation administrators and HR officers can import people."
# Each list on the check page shows this many, then says how many more.
SHOWN = 200


def _may(viewer: Viewer) -> None:
    require(viewer.may_import_people, MAY_NOT)


@require_http_methods(["GET", "POST"])
@viewer_required
def people_import(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Upload a file; a good one is stored and its check shown, a bad one comes
    back with its problems (nothing saved)."""
    _may(viewer)
    form = PeopleImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    failed = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = people_import_check(
            organisation=viewer.organisation,
            data=form.data_bytes,
            filename=upload.name or "",
            system=form.cleaned_data["system"],
            complete=form.cleaned_data["complete"],
            by=viewer.employee,
        )
        if not isinstance(result, CheckFailed):
            return redirect("organisations:people_import_detail", pk=result.pk)
        failed = result
        if result.file_error:
            form.add_error("file", result.file_error)
        else:
            problems = f"{result.total} problem{'s' if result.total != 1 else ''}"
            form.add_error(
                "file",
                f"The file has {problems}. Nothing was imported: correct the rows listed and upload it again.",
            )
    return render(
        request,
        "organisations/people_import/upload.html",
        {
            "form": form,
            "failed": failed,
            "fields": [(hr_systems.FIELD_LABELS[f], f in hr_systems.REQUIRED) for f in hr_systems.FIELDS],
        },
    )


def _needing_manager(viewer: Viewer):
    """People working here whose line manager has left (two queries at most)."""
    return (
        visible(Employee, viewer)
        .filter(active=True, line_manager__active=False)
        .select_related("line_manager", "service")
        .order_by("last_name", "first_name")
    )


@require_GET
@viewer_required
def people_import_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    """What the file would change (or changed), list by list."""
    record = get_for_viewer(PeopleImport, viewer, pk=pk)
    _may(viewer)
    summary = record.summary
    lists = {
        name: {"items": summary.get(name, [])[:SHOWN], "more": max(0, len(summary.get(name, [])) - SHOWN)}
        for name in (
            "new_people",
            "changes",
            "moves",
            "leavers",
            "returners",
            "new_services",
            "needing_manager",
        )
    }
    return render(
        request,
        "organisations/people_import/detail.html",
        {"record": record, "summary": summary, "lists": lists, "counts": summary.get("counts", {})},
    )


@require_POST
@viewer_required
def people_import_apply_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    record = get_for_viewer(PeopleImport, viewer, pk=pk)
    _may(viewer)
    try:
        people_import_apply(people_import=record, by=viewer.employee)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("organisations:people_import_detail", pk=record.pk)
    messages.success(request, "The file has been applied. Flags and dashboards follow within a minute.")
    return redirect("organisations:people_import_detail", pk=record.pk)


@require_GET
@viewer_required
def people_import_history(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    _may(viewer)
    imports = visible(PeopleImport, viewer).select_related("checked_by", "applied_by")
    # The counts only: a first load's summary lists thousands of people.
    imports = imports.defer("content", "summary").annotate(counts=F("summary__counts"))
    page = Paginator(imports, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/people_import/history.html",
        {"page_obj": page, "needing": list(_needing_manager(viewer)[:SHOWN])},
    )

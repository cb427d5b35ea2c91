"""Committee papers: the quarterly report as Word and PDF, the committees'
templates (performance officers) and a quarter's sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock
from core.db_router import replica_reads
from insights.forms.papers import CommitteeTemplateForm, QuarterSignOffForm
from insights.models import CommitteeTemplate, QuarterSignOff
from insights.selectors import latest_complete_quarter
from insights.services.papers.content import build_paper
from insights.services.papers.pdf import paper_pdf
from insights.services.papers.sign_off import paper_links, quarter_sign_off
from insights.services.papers.templates import (
    committee_template_can_manage,
    committee_template_create,
    committee_template_delete,
    committee_template_update,
)
from insights.services.papers.word import paper_docx
from insights.views.reports import YEARS_OFFERED, _report, _report_form
from organisations.access import Viewer, get_for_viewer, require, viewer_required, visible
from organisations.rules import years as year_rules

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _paper(request: HttpRequest, viewer: Viewer, kind: str) -> HttpResponse:
    """Queries: as the CSV download (14), and the committee's template 1 when one is chosen."""
    today = clock.today()
    form = _report_form(request, viewer, today)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Choose a financial year, a quarter and a scope.", content_type="text/plain"
        )
    template = None
    chosen = request.GET.get("template", "")
    if chosen:
        if not chosen.isdigit():
            return HttpResponseBadRequest("Choose a committee from the list.", content_type="text/plain")
        template = get_for_viewer(CommitteeTemplate, viewer, pk=int(chosen))
    paper = build_paper(_report(viewer, form, today), template)
    if kind == "pdf":
        response = HttpResponse(paper_pdf(paper), content_type="application/pdf")
    else:
        response = HttpResponse(paper_docx(paper), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{paper.filename}.{kind}"'
    return response


@require_GET
@viewer_required
@replica_reads
def quarterly_report_docx(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return _paper(request, viewer, "docx")


@require_GET
@viewer_required
@replica_reads
def quarterly_report_pdf(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return _paper(request, viewer, "pdf")


def _require_officer(viewer: Viewer) -> None:
    require(committee_template_can_manage(viewer), "Committee papers are set up by performance officers.")


@require_http_methods(["GET", "POST"])
@viewer_required
def committee_templates(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The organisation's committees, and a form to add one."""
    _require_officer(viewer)
    form = CommitteeTemplateForm(request.POST or None, organisation=viewer.organisation)
    if request.method == "POST" and form.is_valid():
        template = committee_template_create(by=viewer.employee, **form.values())
        messages.success(request, f"{template.name} added.")
        return redirect("insights:committee_templates")
    return render(
        request,
        "insights/papers/templates.html",
        {"form": form, "templates": list(visible(CommitteeTemplate, viewer))},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def committee_template_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    template = get_for_viewer(CommitteeTemplate, viewer, pk=pk)
    _require_officer(viewer)
    form = CommitteeTemplateForm(request.POST or None, instance=template, organisation=viewer.organisation)
    if request.method == "POST" and form.is_valid():
        committee_template_update(template=template, by=viewer.employee, **form.values())
        messages.success(request, f"{template.name} saved.")
        return redirect("insights:committee_templates")
    return render(request, "insights/papers/template_edit.html", {"form": form, "template": template})


@require_POST
@viewer_required
def committee_template_delete_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    template = get_for_viewer(CommitteeTemplate, viewer, pk=pk)
    _require_officer(viewer)
    name = template.name
    committee_template_delete(template=template, by=viewer.employee)
    messages.success(request, f"{name} deleted.")
    return redirect("insights:committee_templates")


@require_http_methods(["GET", "POST"])
@viewer_required
def quarter_sign_off_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Sign off a quarter's paper; the quarters signed off so far."""
    _require_officer(viewer)
    today = clock.today()
    start_month = viewer.organisation.financial_year_start_month
    current_fy = year_rules.financial_year_start(today, start_month)
    templates = visible(CommitteeTemplate, viewer)
    fy, quarter = latest_complete_quarter(today, start_month)
    initial = {
        "financial_year": request.GET.get("financial_year", fy),
        "quarter": request.GET.get("quarter", quarter),
    }
    form = QuarterSignOffForm(
        request.POST or None,
        initial=initial,
        years=list(range(current_fy, current_fy - YEARS_OFFERED, -1)),
        start_month=start_month,
        templates=templates,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sign_off = quarter_sign_off(
                financial_year=data["financial_year"],
                quarter=data["quarter"],
                template=data["template"],
                note=data["note"],
                by=viewer.employee,
            )
        except ValidationError as exc:
            form.add_error("quarter", exc.messages[0])
        else:
            messages.success(
                request,
                f"Signed off. The link to the paper is being sent to {len(sign_off.recipients)} "
                f"address{'es' if len(sign_off.recipients) != 1 else ''} on {sign_off.template_name}'s list.",
            )
            return redirect("insights:quarter_sign_off")
    sign_offs = list(visible(QuarterSignOff, viewer)[:20])
    for s in sign_offs:
        s.label = year_rules.fy_label(s.financial_year, start_month)
        s.links = paper_links(financial_year=s.financial_year, quarter=s.quarter, template=s.template)
    return render(
        request,
        "insights/papers/sign_off.html",
        {
            "form": form,
            "sign_offs": sign_offs,
            "has_templates": templates.exists(),
            "templates_url": reverse("insights:committee_templates"),
        },
    )

"""The risk register: list, matrix, a risk's page and its forms."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from organisations.access import (
    Viewer,
    get_for_viewer,
    in_organisation,
    own_scope,
    require,
    viewer_required,
    visible,
)
from organisations.forms.risks import (
    RiskActionForm,
    RiskFilterForm,
    RiskForm,
    prefill_from_request,
    service_options,
)
from organisations.models import Employee, Risk, RiskAction
from organisations.rules import risks as risk_rules
from organisations.selectors.risks import (
    BAND_TAG_CLASSES,
    band_scores,
    describe_score,
    filter_register,
    risk_history,
    risk_matrix,
)
from organisations.services.risks import (
    risk_action_add,
    risk_action_can_complete,
    risk_action_done,
    risk_can_create,
    risk_can_edit,
    risk_close,
    risk_create,
    risk_update,
)

PAGE_SIZE = 50


def _service_filter(viewer: Viewer, value: str) -> tuple[set[int] | None, bool, str]:
    """(subtree ids or None, corporate only, the service's name) for a filter value."""
    if value == "corporate":
        return None, True, "the corporate register"
    if value.isdigit():
        by_id = viewer.tree.by_id
        service = by_id.get(int(value))
        if service is not None:
            return viewer.service_subtree_ids(service), False, service.name
    return None, False, ""


@require_http_methods(["GET"])
@viewer_required
def risk_register(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    # Queries: session, user, viewer's employee, the organisation's services (for
    # filters and headed services), whether the viewer manages anyone (navigation),
    # risk owners for the owner filter, the count, and one page of risks with
    # their service and owner.
    owners = list(
        visible(Employee, viewer)
        .filter(owned_risks__organisation=viewer.organisation)
        .distinct()
        .order_by("last_name", "first_name")
    )
    data = request.GET
    if not data and viewer.headed_services and not viewer.sees_whole_organisation:
        # A head of service opens on their own register; "All registers" is a choice away.
        data = {"service": str(own_scope(viewer).pk)}
    form = RiskFilterForm(data or None, services=service_options(viewer.tree.services), owners=owners)
    filters = form.cleaned_data if form.is_valid() else {}
    service_ids, corporate, service_name = _service_filter(viewer, filters.get("service", ""))
    today = clock.today()
    qs = filter_register(
        visible(Risk, viewer).select_related("service", "owner"),
        today=today,
        service_ids=service_ids,
        corporate=corporate,
        category=filters.get("category", ""),
        band=filters.get("band", ""),
        status=filters.get("status") or "open",
        owner_id=int(filters["owner"]) if filters.get("owner") else None,
        overdue=bool(filters.get("overdue")),
        likelihood=filters.get("likelihood") or None,
        impact=filters.get("impact") or None,
        text=(filters.get("q") or "").strip(),
    ).order_by("-residual_score", "review_due", "title", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "risk": r,
            "residual": describe_score(r.residual_likelihood, r.residual_impact),
            "target": describe_score(r.target_likelihood, r.target_impact),
            "overdue": r.is_open and r.review_due < today,
        }
        for r in page.object_list
    ]
    cell = None
    if filters.get("likelihood") and filters.get("impact"):
        cell = describe_score(filters["likelihood"], filters["impact"])
    return render(
        request,
        "organisations/risks/register.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "service_name": service_name,
            "cell": cell,
            "can_create": risk_can_create(viewer),
            "today": today,
        },
    )


@require_http_methods(["GET"])
@viewer_required
def risk_matrix_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    value = request.GET.get("service", "")
    service_ids, corporate, service_name = _service_filter(viewer, value)
    qs = filter_register(
        visible(Risk, viewer),
        today=clock.today(),
        service_ids=service_ids,
        corporate=corporate,
        status="open",
    )
    rows, by_band = risk_matrix(qs)
    register = reverse("organisations:risk_register")
    scope = f"&service={value}" if service_name else ""
    return render(
        request,
        "organisations/risks/matrix.html",
        {
            "rows": rows,
            "impacts": [(i, risk_rules.IMPACT_LABELS[i]) for i in risk_rules.SCALE],
            "bands": [
                {
                    "band": b,
                    "label": risk_rules.BAND_LABELS[b],
                    "tag_class": BAND_TAG_CLASSES[b],
                    "count": by_band[b],
                    "scores": _band_range(b),
                }
                for b in reversed(risk_rules.BANDS)
            ],
            "total": sum(by_band.values()),
            "register": register,
            "scope": scope,
            "service_value": value if service_name else "",
            "service_name": service_name,
            "services": service_options(viewer.tree.services),
        },
    )


def _band_range(band: str) -> str:
    """The scores a band covers on the matrix (products of two ratings 1..5)."""
    possible = {likelihood * impact for likelihood in risk_rules.SCALE for impact in risk_rules.SCALE}
    scores = [s for s in band_scores(band) if s in possible]
    return f"{scores[0]} to {scores[-1]}"


@require_http_methods(["GET"])
@viewer_required
def risk_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    risk = get_for_viewer(
        in_organisation(Risk, viewer).select_related("service", "owner", "owner__job_role"), viewer, pk=pk
    )
    actions = list(risk.actions.select_related("owner"))
    today = clock.today()
    can_edit = risk_can_edit(viewer, risk)
    return render(
        request,
        "organisations/risks/detail.html",
        {
            "risk": risk,
            "scores": [
                (
                    "Inherent (before controls)",
                    describe_score(risk.inherent_likelihood, risk.inherent_impact),
                ),
                (
                    "Residual (with current controls)",
                    describe_score(risk.residual_likelihood, risk.residual_impact),
                ),
                ("Target", describe_score(risk.target_likelihood, risk.target_impact)),
            ],
            "above_target": risk.residual_score > risk.target_score,
            "review_overdue": risk.is_open and risk.review_due < today,
            "actions": [
                {
                    "action": a,
                    "overdue": a.done is None and a.due < today,
                    "can_complete": can_edit or a.owner_id == viewer.employee.pk,
                }
                for a in actions
            ],
            "history": risk_history(risk, viewer.tree.services),
            "can_edit": can_edit,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def risk_create_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(risk_can_create(viewer), "Only performance officers and heads of service can add risks.")
    blank = Risk(organisation=viewer.organisation)
    if request.method == "POST":
        form = RiskForm(request.POST, viewer=viewer, instance=blank)
        if form.is_valid():
            flag = form.cleaned_data.get("flag")
            risk = risk_create(
                organisation=viewer.organisation,
                by=viewer.employee,
                source=f"from flag {flag}" if flag else "",
                **form.risk_fields(),
            )
            messages.success(request, f"Risk ‘{risk.title}’ added to the register.")
            return redirect("organisations:risk_detail", pk=risk.pk)
    else:
        initial = prefill_from_request(request.GET, viewer)
        initial.setdefault("review_due", clock.today() + timedelta(days=90))
        form = RiskForm(viewer=viewer, instance=blank, initial=initial)
    return render(
        request,
        "organisations/risks/form.html",
        {"form": form, "risk": None, "flag_pk": form["flag"].value()},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def risk_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    risk = get_for_viewer(in_organisation(Risk, viewer).select_related("service", "owner"), viewer, pk=pk)
    require(
        risk_can_edit(viewer, risk),
        "Only the risk's owner, the head of its service or a performance officer can edit it.",
    )
    if request.method == "POST":
        # The form works on a copy so the service sees what changed.
        form = RiskForm(request.POST, viewer=viewer, instance=copy.copy(risk), editing=True)
        if form.is_valid():
            changes = form.risk_fields()
            closing = form.closing and risk.is_open
            if not form.closing and not risk.is_open:
                changes["is_open"] = True
            risk_update(
                risk=risk,
                by=viewer.employee,
                changes=changes,
                reason="Reopened" if changes.get("is_open") else "Updated",
            )
            if closing:
                risk_close(risk=risk, by=viewer.employee, reason=form.cleaned_data.get("closing_note", ""))
            messages.success(request, "Risk updated." if not closing else "Risk closed.")
            return redirect("organisations:risk_detail", pk=risk.pk)
    else:
        form = RiskForm(viewer=viewer, instance=risk, editing=True)
    return render(request, "organisations/risks/form.html", {"form": form, "risk": risk})


@require_http_methods(["GET", "POST"])
@viewer_required
def risk_action_add_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    risk = get_for_viewer(in_organisation(Risk, viewer).select_related("service"), viewer, pk=pk)
    require(
        risk_can_edit(viewer, risk),
        "Only the risk's owner, the head of its service or a performance officer can add actions.",
    )
    if request.method == "POST":
        form = RiskActionForm(request.POST, viewer=viewer, instance=RiskAction(risk=risk))
        if form.is_valid():
            risk_action_add(risk=risk, by=viewer.employee, **form.cleaned_data)
            messages.success(request, "Action added.")
            return redirect("organisations:risk_detail", pk=risk.pk)
    else:
        form = RiskActionForm(viewer=viewer, initial={"owner": risk.owner_id})
    return render(request, "organisations/risks/action_form.html", {"form": form, "risk": risk})


@require_POST
@viewer_required
def risk_action_done_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    action = get_for_viewer(
        in_organisation(RiskAction, viewer).select_related("risk"), viewer, field="risk__organisation", pk=pk
    )
    require(
        risk_action_can_complete(viewer, action),
        "Only the action's owner or someone who can edit the risk can mark it done.",
    )
    try:
        risk_action_done(action=action, by=viewer.employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Action marked as done: {action.description}")
    return redirect("organisations:risk_detail", pk=action.risk_id)

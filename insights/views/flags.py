"""Flag pages: the list, one flag with its evidence, acknowledging and dismissing."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Subquery, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core import glossary
from core.form_errors import add_service_errors
from insights.forms.flags import SCOPE_CHOICES, FlagAcknowledgeForm, FlagDismissForm, FlagFilterForm
from insights.models import Flag, FlagSeverity, SubjectType
from insights.models.flags import PERSONAL_KINDS, is_flag_viewer
from insights.rules import kinds
from insights.selectors.flags import flag_scopes
from insights.services.flags import flag_acknowledge, flag_dismiss
from insights.services.recompute import freshness
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required, visible
from organisations.forms.risks import service_options
from organisations.services.risks import risk_can_create

PAGE_SIZE = 50
# Words and tag colours are the glossary's (core/glossary.py), as on every page.
SEVERITY_TAGS = {code: term.tag for code, term in glossary.FLAG_SEVERITY.items()}
STATE_TAGS = {code: (term.label, term.tag) for code, term in glossary.FLAG_STATE.items()}
SUBJECT_URLS = {
    SubjectType.SERVICE: ("organisations:service_detail", "the service"),
    SubjectType.EMPLOYEE: ("organisations:person_detail", "the person"),
    SubjectType.KPI: ("organisations:kpi_detail", "the KPI"),
    SubjectType.GOAL: ("appraisals:goal_detail", "the goal"),
    SubjectType.RISK: ("organisations:risk_detail", "the risk"),
}
# The register category a flag's risk most likely falls in, for "record as a risk".
RISK_CATEGORY_FOR_KIND = kinds.risk_categories()
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _severity_order():
    return Case(
        When(severity=FlagSeverity.HIGH, then=Value(0)),
        When(severity=FlagSeverity.MEDIUM, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _decorate(flag: Flag) -> Flag:
    flag.severity_tag = SEVERITY_TAGS.get(flag.severity, "govuk-tag--grey")
    flag.state_label, flag.state_tag = STATE_TAGS[flag.state]
    return flag


@require_GET
@viewer_required
def flag_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    # Queries: session, user, viewer's employee, the organisation's services,
    # whether the viewer manages anyone, the last successful run, the count, and
    # one page of flags with their service and person.
    require(is_flag_viewer(viewer), "Flags are for managers, heads of service and performance officers.")
    form = FlagFilterForm(request.GET or None, services=service_options(viewer.tree.services))
    filters = form.cleaned_data if form.is_valid() else {}
    # The tab holds even when another filter is not valid.
    scope = request.GET.get("scope", "")
    scope = scope if scope in dict(SCOPE_CHOICES) else "attention"
    # The same querysets as the dashboards' "needs your attention" and their count
    # of flags for the people below (one selector: the figures agree).
    scopes = flag_scopes(viewer)
    qs = scopes[scope]
    state = filters.get("state") or "attention"
    if state == "attention":
        qs = qs.filter(resolved_at__isnull=True, dismissed_at__isnull=True)
    elif state == "new":
        qs = qs.filter(resolved_at__isnull=True, dismissed_at__isnull=True, acknowledged_at__isnull=True)
    elif state == "acknowledged":
        qs = qs.filter(resolved_at__isnull=True, dismissed_at__isnull=True, acknowledged_at__isnull=False)
    elif state == "dismissed":
        qs = qs.filter(resolved_at__isnull=True, dismissed_at__isnull=False)
    elif state == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("severity"):
        qs = qs.filter(severity=filters["severity"])
    service_name = ""
    if (service_value := filters.get("service", "")).isdigit():
        service = viewer.tree.by_id.get(int(service_value))
        if service is not None:
            qs = qs.filter(service_id__in=viewer.service_subtree_ids(service))
            service_name = service.name
    ordering = ("severity_order", "-opened_at", "-pk")
    qs = qs.annotate(severity_order=_severity_order()).order_by(*ordering)
    tabs = [
        {
            "scope": value,
            "label": label,
            "count": scopes[value].needing_attention().count(),
            "current": value == scope,
            "url": f"{reverse('insights:flag_list')}?{urlencode({'scope': value})}",
        }
        for value, label in SCOPE_CHOICES
    ]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's flags are picked on the flags alone, then read with their service
    # and person: joining first would join every matching flag only to keep 50.
    first = page.start_index() - 1 if page.paginator.count else 0
    picked = qs.values("pk")[first : first + PAGE_SIZE]
    page.object_list = [
        _decorate(flag)
        for flag in visible(Flag, viewer)
        .filter(pk__in=Subquery(picked))
        .select_related("service", "employee", "owner", "escalated_to")
        .annotate(severity_order=_severity_order())
        .order_by(*ordering)
    ]
    return render(
        request,
        "insights/flags/list.html",
        {
            "form": form,
            "page_obj": page,
            "state": state,
            "scope": scope,
            "tabs": tabs,
            "service_name": service_name,
            "freshness": freshness(viewer.organisation),
        },
    )


DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")
# Keys that identify rows for the machine: the links and names say the same for people.
HIDDEN_KEYS = {"id", "links"}


def _format(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        if ISO_DATE.match(value):
            try:
                d = date.fromisoformat(value)
            except ValueError:
                return value
            return glossary.long_date(d)
        if ISO_DATETIME.match(value):
            try:
                dt = datetime.fromisoformat(value)
            except ValueError:
                return value
            return glossary.date_time(dt)
        if DECIMAL_TEXT.match(value):
            return value.rstrip("0").rstrip(".")  # 2.0000 -> 2, 12.5000 -> 12.5
        if value in glossary.KPI_STATUS:  # a KPI status in the glossary's word: grey -> Monitoring only
            return glossary.KPI_STATUS[value].label
        if value.isalpha() and value.islower():
            return value.capitalize()  # red -> Red, monthly -> Monthly
        return value
    if isinstance(value, list):
        # A list of records (periods, people) reads one to a line.
        separator = "\n" if any(isinstance(v, dict) for v in value) else ", "
        return separator.join(_format(v) for v in value)
    if isinstance(value, dict):
        if "code" in value and "name" in value:
            return f"{value['code']} {value['name']}"
        return "; ".join(f"{label}: {text}" for label, text in _readable(value))
    return str(value)


def _readable(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs in key order without identifiers, a figure's shown
    form (``value_display``) standing in for its raw number (``value``)."""
    rows = []
    for key in sorted(evidence):
        if key in HIDDEN_KEYS or key.endswith("_id") or f"{key}_display" in evidence:
            continue
        if key.endswith("_end") and key.removesuffix("_end") in evidence:  # "Sep 2026" says it
            continue
        label = _label(key.removesuffix("_display"))
        rows.append((label, _format(evidence[key])))
    return rows


def _label(key: str) -> str:
    words = re.sub(r"\bkpi(?=s?\b)", "KPI", key.replace("_", " ").strip())  # kpis -> KPIs
    if words.endswith(" percent"):
        words = words.removesuffix(" percent") + " (%)"
    return words[:1].upper() + words[1:]


def _safe_links(links: Any) -> list[dict[str, str]]:
    """Only links within this site: the evidence is data, not markup."""
    safe = []
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict):
            continue
        url, label = str(link.get("url", "")), str(link.get("label", "")).strip()
        if url.startswith("/") and not url.startswith("//") and label:
            safe.append({"url": url, "label": label})
    return safe


def evidence_rows(evidence: dict[str, Any]) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """The evidence as (label, value) rows in key order, and its links."""
    if not isinstance(evidence, dict):
        return [("Evidence", _format(evidence))], []
    return _readable(evidence), _safe_links(evidence.get("links"))


def _subject_link(flag: Flag) -> dict[str, str] | None:
    name, what = SUBJECT_URLS.get(flag.subject_type, (None, ""))
    if name is None:
        return None
    try:
        url = reverse(name, args=[flag.subject_id])
    except NoReverseMatch:
        return None
    label = f"Open {what}"
    if flag.subject_type == SubjectType.EMPLOYEE and flag.employee_id == flag.subject_id and flag.employee:
        label = flag.employee.full_name
    elif flag.subject_type == SubjectType.SERVICE and flag.service_id == flag.subject_id and flag.service:
        label = flag.service.name
    return {"url": url, "label": label}


def _history(flag: Flag) -> list[dict[str, Any]]:
    entries = []
    for record in flag.history.select_related("history_user").order_by("-history_date", "-history_id"):
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else "The automatic check"
        reason = record.history_change_reason or ("Opened" if record.history_type == "+" else "Updated")
        detail = ""
        if reason == "Acknowledged":
            detail = record.acknowledgement_note
        elif reason == "Dismissed":
            detail = record.dismissal_reason
        entries.append(
            {
                "when": record.history_date,
                "who": who,
                "what": reason,
                "severity": record.severity,
                "detail": detail,
            }
        )
    return entries


def _record_as_risk_link(viewer: Viewer, flag: Flag) -> str | None:
    """Flags about a person never go to the register (everyone in the organisation
    can read it); risk flags are about a risk already on it."""
    if flag.employee_id or flag.kind in PERSONAL_KINDS or flag.subject_type == SubjectType.RISK:
        return None
    if not risk_can_create(viewer):
        return None
    params = {
        "title": flag.title[:200],
        "description": f"Raised from the flag ‘{flag.title}’. {flag.rule}",
        "flag": flag.pk,
    }
    if category := RISK_CATEGORY_FOR_KIND.get(flag.kind):
        params["category"] = category
    if flag.service_id:
        params["service"] = flag.service_id
    return f"{reverse('organisations:risk_create')}?{urlencode(params)}"


def _get_flag(viewer: Viewer, pk: int) -> Flag:
    flag = get_for_viewer(
        in_organisation(Flag, viewer).select_related(
            "service", "employee", "acknowledged_by", "dismissed_by", "owner", "escalated_to"
        ),
        viewer,
        pk=pk,
    )
    require(flag.is_visible_to(viewer), "This flag is for the people who manage its subject.")
    return flag


@require_GET
@viewer_required
def flag_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    flag = _decorate(_get_flag(viewer, pk))
    rows, links = evidence_rows(flag.evidence)
    fresh = freshness(viewer.organisation)
    # Unresolved flags were seen by every successful run since they last changed.
    last_seen = flag.last_seen_at
    if flag.resolved_at is None and fresh.last_run and fresh.last_run.started_at > last_seen:
        last_seen = fresh.last_run.started_at
    return render(
        request,
        "insights/flags/detail.html",
        {
            "flag": flag,
            "evidence": rows,
            "links": links,
            "subject": _subject_link(flag),
            "last_seen": last_seen,
            "history": _history(flag),
            "risk_link": _record_as_risk_link(viewer, flag),
            "freshness": fresh,
            "is_open": flag.resolved_at is None,
            "can_act": flag.is_actionable_by(viewer),
            "review_days": kinds.BY_CODE[flag.kind].review_days if flag.kind in kinds.BY_CODE else None,
        },
    )


def _flag_form_view(
    request: HttpRequest, viewer: Viewer, pk: int, *, form_class, service, field: str, template_action: str
) -> HttpResponse:
    flag = _decorate(_get_flag(viewer, pk))
    require(
        flag.is_actionable_by(viewer),
        "Only the person who acts on this flag, the one it was escalated to, or their managers can do this.",
    )
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(flag=flag, by=viewer.employee, **{field: form.cleaned_data[field]})
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Flag {template_action}d: {flag.title}")
                return redirect("insights:flag_detail", pk=flag.pk)
    else:
        form = form_class()
    return render(
        request,
        "insights/flags/action_form.html",
        {"flag": flag, "form": form, "action": template_action},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def flag_acknowledge_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    return _flag_form_view(
        request,
        viewer,
        pk,
        form_class=FlagAcknowledgeForm,
        service=flag_acknowledge,
        field="note",
        template_action="acknowledge",
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def flag_dismiss_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    return _flag_form_view(
        request,
        viewer,
        pk,
        form_class=FlagDismissForm,
        service=flag_dismiss,
        field="reason",
        template_action="dismiss",
    )

"""Feedback session pages: log, read, change, share, acknowledge; my sessions; a
person's session history; marking an action done.

Every session is fetched through the viewer's organisation (another
organisation's session is a 404) and then shown at the level
``session_access.session_view_level`` allows: content, the employee's view
(no private note), or restricted (that it happened). Nobody else: 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appraisals.forms.agenda import AgendaTopicForm
from appraisals.forms.sessions import AcknowledgeForm, long_date
from appraisals.models import Action, FeedbackSession, SessionState
from appraisals.models.agenda import may_see_agenda_of
from appraisals.models.sessions import CONTENT_FIELDS, RECORD_FIELDS
from appraisals.rules import peer_feedback as feedback_rules
from appraisals.rules.agenda_access import can_add_topic, can_remove_topic
from appraisals.rules.session_access import (
    CONTENT,
    EMPLOYEE,
    RESTRICTED,
    can_complete_action,
    can_edit_session,
    can_log_session_for,
    history_view_level,
    session_view_level,
)
from appraisals.selectors.peer_feedback import agenda_of
from appraisals.selectors.supervision import cadence_for_employee
from appraisals.services.sessions import (
    action_complete,
    feedback_session_acknowledge,
    feedback_session_create,
    feedback_session_share,
    feedback_session_update,
)
from appraisals.views.development import session_development
from appraisals.views.session_page import ADD_ACTION, build_session_page
from core import clock
from core.form_errors import add_service_errors
from core.redirects import next_or
from organisations.access import Viewer, in_organisation, require, viewer_required, visible
from organisations.models import Employee

SHARE = "share"
NO_ACCESS = "You do not have access to this session."


def _employee_for(viewer: Viewer, pk: int) -> Employee:
    return get_object_or_404(viewer.employees().select_related("job_role", "line_manager", "service"), pk=pk)


def _session_for(viewer: Viewer, pk: int) -> FeedbackSession:
    return get_object_or_404(
        in_organisation(FeedbackSession, viewer).select_related(
            "employee__line_manager", "employee__job_role", "employee__service", "manager"
        ),
        pk=pk,
    )


def _page_response(request, page, *, template_context: dict) -> HttpResponse:
    return render(request, "appraisals/sessions/form.html", {"page": page, **template_context})


@require_http_methods(["GET", "POST"])
@viewer_required
def session_create(request: HttpRequest, viewer: Viewer, employee_pk: int) -> HttpResponse:
    employee = _employee_for(viewer, employee_pk)
    require(
        can_log_session_for(viewer, employee),
        "You can only log sessions for people below you in line management.",
    )
    today = clock.today()
    data = request.POST if request.method == "POST" else None
    page = build_session_page(viewer=viewer, employee=employee, data=data, today=today)
    if data is not None and ADD_ACTION not in data and page.is_valid():
        share = data.get("save") == SHARE
        try:
            session = feedback_session_create(
                author=viewer.employee,
                employee=employee,
                content=page.content(),
                record=page.record(),
                share=share,
            )
        except ValidationError as exc:
            page.add_service_error(exc)
        else:
            if share:
                messages.success(request, f"Session saved and shared with {employee.full_name}.")
            else:
                messages.success(request, "Session saved as a draft. Only you and their managers can see it.")
            return redirect("appraisals:session_detail", pk=session.pk)
    return _page_response(
        request,
        page,
        template_context={
            "title": f"Log a session with {employee.full_name}",
            "cancel_url": reverse("appraisals:employee_sessions", args=[employee.pk]),
            "can_share": True,
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def session_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session_for(viewer, pk)
    require(
        session_view_level(viewer, session) == CONTENT and can_edit_session(viewer, session),
        "Only the manager who held this session, or the employee's line manager, can change it.",
    )
    if session.is_locked:
        messages.info(
            request, "This session has been acknowledged by the employee, so it can no longer be changed."
        )
        return redirect("appraisals:session_detail", pk=session.pk)
    today = clock.today()
    data = request.POST if request.method == "POST" else None
    page = build_session_page(
        viewer=viewer, employee=session.employee, session=session, data=data, today=today
    )
    if data is not None and ADD_ACTION not in data and page.is_valid():
        share = data.get("save") == SHARE and session.state == SessionState.DRAFT
        try:
            feedback_session_update(
                session=session,
                editor=viewer.employee,
                content=page.content(),
                reason=page.reason,
                record=page.record(),
                share=share,
            )
        except ValidationError as exc:
            page.add_service_error(exc)
        else:
            messages.success(request, "Session shared." if share else "Changes saved.")
            return redirect("appraisals:session_detail", pk=session.pk)
    return _page_response(
        request,
        page,
        template_context={
            "title": f"Change the session with {session.employee.full_name}",
            "cancel_url": reverse("appraisals:session_detail", args=[session.pk]),
            "can_share": session.state == SessionState.DRAFT,
        },
    )


def _history(session: FeedbackSession) -> list[dict]:
    """Each saved version: when, who, why, and which fields changed (names only)."""
    fields = [*RECORD_FIELDS, "state", "employee_comment"]
    labels = {f: FeedbackSession._meta.get_field(f).verbose_name for f in fields}
    labels["employee_comment"] = "employee's comment"
    records = list(
        session.history.select_related("history_user__employee").order_by("history_date", "history_id")
    )
    out = []
    previous = None
    for record in records:
        changed = [
            labels[f] for f in fields if previous is not None and getattr(record, f) != getattr(previous, f)
        ]
        user = record.history_user
        who = getattr(user, "employee", None) if user is not None else None
        out.append(
            {
                "when": record.history_date,
                "who": who.full_name if who else (user.get_username() if user else "System"),
                "reason": record.history_change_reason or ("Logged" if previous is None else "Changed"),
                "changed": changed,
            }
        )
        previous = record
    return list(reversed(out))


def _redact(session: FeedbackSession, level: str) -> None:
    """Blank, in memory only, what this viewer may not read, so no template slip
    can show it: the private note for the employee, all content for a restricted view."""
    if level == EMPLOYEE:
        session.private_note = ""
    elif level == RESTRICTED:
        for name in CONTENT_FIELDS:
            setattr(session, name, "")


@require_GET
@viewer_required
def session_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session_for(viewer, pk)
    level = session_view_level(viewer, session)
    require(level is not None, NO_ACCESS)
    _redact(session, level)
    context = {"session": session, "level": level, "employee": session.employee}
    if level in (CONTENT, EMPLOYEE):
        actions = list(
            session.actions.select_related("owner", "carried_over_from__session").order_by(
                "done_on", "due_on", "pk"
            )
        )
        for action in actions:
            action.can_complete = action.done_on is None and can_complete_action(viewer, action)
        context.update(
            actions=actions,
            check_ins=list(session.check_ins.select_related("goal").order_by("goal__title")),
            ratings=list(session.skill_ratings.select_related("skill").order_by("skill__name")),
            can_edit=level == CONTENT and can_edit_session(viewer, session) and not session.is_locked,
            can_share=level == CONTENT
            and can_edit_session(viewer, session)
            and session.state == SessionState.DRAFT,
            can_acknowledge=level == EMPLOYEE and session.state == SessionState.SHARED,
            development=session_development(viewer, session),
        )
    if level == CONTENT:
        context["history"] = _history(session)
    context["can_see_history"] = history_view_level(viewer, session.employee) is not None
    return render(request, "appraisals/sessions/detail.html", context)


@require_POST
@viewer_required
def session_share(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session_for(viewer, pk)
    require(
        session_view_level(viewer, session) == CONTENT and can_edit_session(viewer, session),
        "Only the manager who held this session, or the employee's line manager, can share it.",
    )
    try:
        feedback_session_share(session=session, by=viewer.employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Session shared with {session.employee.full_name}.")
    return redirect("appraisals:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
@viewer_required
def session_acknowledge(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session_for(viewer, pk)
    require(session.employee_id == viewer.employee.pk, "Only the employee can acknowledge their session.")
    require(session.state != SessionState.DRAFT, NO_ACCESS)
    if session.state == SessionState.ACKNOWLEDGED:
        messages.info(request, "You have already acknowledged this session.")
        return redirect("appraisals:session_detail", pk=session.pk)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_session_acknowledge(
                session=session, by=viewer.employee, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you: you have acknowledged this session.")
            return redirect("appraisals:session_detail", pk=session.pk)
    return render(request, "appraisals/sessions/acknowledge.html", {"session": session, "form": form})


@require_GET
@viewer_required
def my_sessions(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    me = viewer.employee
    today = clock.today()
    shared = visible(FeedbackSession, viewer).filter(employee=me).select_related("manager")
    awaiting = list(shared.filter(state=SessionState.SHARED).order_by("-held_on", "-pk"))
    page = Paginator(shared.filter(state=SessionState.ACKNOWLEDGED).order_by("-held_on", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    actions = list(
        visible(Action, viewer)
        .open()
        .filter(owner=me)
        .select_related("session__employee")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "appraisals/sessions/my_sessions.html",
        {
            "awaiting": awaiting,
            "page_obj": page,
            "actions": actions,
            "cadence": cadence_for_employee(me, viewer.organisation, today),
            "today": today,
            **_agenda_context(viewer, me),
        },
    )


def _agenda_context(viewer: Viewer, employee: Employee) -> dict:
    """The shared agenda on a sessions page, for those who may see it."""
    if not may_see_agenda_of(viewer, employee):
        return {"show_agenda": False}
    topics = agenda_of(viewer, employee)
    for topic in topics:
        topic.can_remove = can_remove_topic(viewer, topic)
    return {
        "show_agenda": True,
        "topics": topics,
        "topic_form": AgendaTopicForm() if can_add_topic(viewer, employee) else None,
        "can_ask_feedback": feedback_rules.may_ask_about(viewer.employee, employee),
    }


@require_GET
@viewer_required
def employee_sessions(request: HttpRequest, viewer: Viewer, employee_pk: int) -> HttpResponse:
    employee = _employee_for(viewer, employee_pk)
    level = history_view_level(viewer, employee)
    require(level is not None, "You do not have access to this person's sessions.")
    today = clock.today()
    sessions = (
        visible(FeedbackSession, viewer)
        .filter(employee=employee)
        .select_related("manager", "employee__line_manager")
    )
    page = Paginator(sessions.order_by("-held_on", "-pk"), 50).get_page(request.GET.get("page"))
    for s in page.object_list:
        s.can_open = s.is_readable_by(viewer)
    return render(
        request,
        "appraisals/sessions/employee_sessions.html",
        {
            "employee": employee,
            "level": level,
            "restricted": level == RESTRICTED,
            "page_obj": page,
            "cadence": cadence_for_employee(employee, viewer.organisation, today),
            "can_log": can_log_session_for(viewer, employee),
            **_agenda_context(viewer, employee),
        },
    )


@require_POST
@viewer_required
def action_done(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    action = get_object_or_404(
        in_organisation(Action, viewer).select_related("session__employee", "session__manager"),
        pk=pk,
    )
    session = action.session
    level = session_view_level(viewer, session)
    if level is None or level == RESTRICTED or not can_complete_action(viewer, action):
        raise PermissionDenied("Only the action's owner or the session's manager can mark it done.")
    try:
        action_complete(action=action, by=viewer.employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Action marked done on {long_date(action.done_on)}: {action.description}")
    return redirect(next_or(request, reverse("appraisals:session_detail", args=[session.pk])))

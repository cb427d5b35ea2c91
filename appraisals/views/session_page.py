"""The log-a-session page: the forms it is made of, built the same way for a new
session and for changing one, and turned into service arguments once valid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.http import QueryDict

from appraisals.forms.agenda import AgendaReviewForm
from appraisals.forms.session_rows import (
    ActionOutcome,
    ActionReviewForm,
    GoalUpdateForm,
    NewActionFormSet,
    SkillRatingsForm,
)
from appraisals.forms.sessions import SessionForm
from appraisals.models import FeedbackSession, SessionState
from appraisals.models.sessions import RECORD_FIELDS, is_line_manager_or_grandmanager
from appraisals.rules.goal_focus import DUE_SOON_DAYS
from appraisals.selectors.goals import goals_to_update
from appraisals.selectors.supervision import interval_for, latest_skill_ratings
from appraisals.services.agenda import AgendaReview, agenda_topics_for_session
from appraisals.services.sessions import (
    ActionReview,
    GoalUpdate,
    NewAction,
    SessionContent,
    SessionRecord,
    open_actions_for,
)
from core.form_errors import add_service_errors
from organisations.access import Viewer, visible
from organisations.models import Employee, SkillRequirement

ADD_ACTION = "add_action"
NEW_PREFIX = "new"


class FormGroup:
    """Several forms shown as one section; quacks like a formset for the shared
    error summary (``forms``, ``total_error_count``, ``non_form_errors``)."""

    def __init__(self, forms: list):
        self.forms = forms

    def __iter__(self):
        return iter(self.forms)

    def __len__(self):
        return len(self.forms)

    def total_error_count(self) -> int:
        return sum(len(f.errors) for f in self.forms)

    def non_form_errors(self) -> list:
        return []

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.forms])


@dataclass
class SessionPage:
    employee: Employee
    session: FeedbackSession | None
    session_form: SessionForm
    agenda: FormGroup
    reviews: FormGroup
    goals: FormGroup
    skills: SkillRatingsForm
    new_actions: object  # NewActionFormSet
    show_errors: bool = True

    due_soon_days = DUE_SOON_DAYS  # goals due within this many days are shown unfolded

    @property
    def formsets(self) -> list:
        return [self.agenda, self.reviews, self.goals, FormGroup([self.skills]), self.new_actions]

    @property
    def has_errors(self) -> bool:
        return self.show_errors and (
            bool(self.session_form.errors) or any(fs.total_error_count() for fs in self.formsets)
        )

    def is_valid(self) -> bool:
        results = [
            self.session_form.is_valid(),
            self.agenda.is_valid(),
            self.reviews.is_valid(),
            self.goals.is_valid(),
            self.skills.is_valid(),
            self.new_actions.is_valid(),
        ]
        if not all(results):
            return False
        held_on = self.session_form.cleaned_data["held_on"]
        ok = True
        for form in self.new_actions.forms:
            due = form.cleaned_data.get("due_on")
            if not form.is_blank and due and due < held_on:
                form.add_error("due_on", "The due date must be on or after the date the session was held")
                ok = False
        return ok

    def content(self) -> SessionContent:
        d = self.session_form.cleaned_data
        return SessionContent(
            held_on=d["held_on"],
            kind=d["kind"],
            discussion=d["discussion"].strip(),
            achievements=d["achievements"].strip(),
            development_areas=d["development_areas"].strip(),
            wellbeing=d["wellbeing"].strip(),
            overall_assessment=d["overall_assessment"],
            private_note=d["private_note"].strip(),
            next_session_on=d["next_session_on"],
        )

    @property
    def reason(self) -> str:
        return self.session_form.cleaned_data.get("change_reason", "")

    def record(self) -> SessionRecord:
        reviews = [
            ActionReview(action=f.action, outcome=f.cleaned_data["outcome"])
            for f in self.reviews
            if f.cleaned_data["outcome"] not in ("", ActionOutcome.LEAVE)
        ]
        goals = [
            GoalUpdate(
                goal=f.goal,
                progress=f.cleaned_data["progress"],
                status=f.cleaned_data["status"],
                comment=f.cleaned_data["comment"].strip(),
            )
            for f in self.goals
            if not f.is_blank
        ]
        new_actions = [
            NewAction(
                description=f.cleaned_data["description"].strip(),
                owner=f.owners[f.cleaned_data["owner"]],
                due_on=f.cleaned_data.get("due_on"),
            )
            for f in self.new_actions.forms
            if f.has_changed() and not f.is_blank
        ]
        agenda = [
            AgendaReview(topic=f.topic, outcome=f.cleaned_data["outcome"])
            for f in self.agenda
            if f.cleaned_data["outcome"]
        ]
        return SessionRecord(
            agenda_reviews=agenda,
            action_reviews=reviews,
            goal_updates=goals,
            skill_levels=self.skills.levels(),
            new_actions=new_actions,
        )

    def add_service_error(self, exc: ValidationError) -> None:
        add_service_errors(self.session_form, exc)


def build_session_page(
    *,
    viewer: Viewer,
    employee: Employee,
    session: FeedbackSession | None = None,
    data: QueryDict | None = None,
    today: date,
) -> SessionPage:
    """All the forms of the page, bound to ``data`` when posted. Pressing "add
    another action" re-renders everything typed, one action row longer, without
    validating (no errors shown)."""
    adding = data is not None and ADD_ACTION in data
    if adding:
        data = data.copy()
        key = f"{NEW_PREFIX}-TOTAL_FORMS"
        try:
            rows = int(data.get(key, 0))
        except ValueError:
            rows = 0
        data[key] = str(min(max(rows, 0) + 1, NewActionFormSet.max_num))

    # Actions are part of what was said: someone further up than the manager's
    # manager who logs a session sees only the actions of sessions they held.
    actions_qs = open_actions_for(employee, exclude_session=session).visible_to(viewer)
    if not is_line_manager_or_grandmanager(viewer, employee):
        actions_qs = actions_qs.filter(session__manager=viewer.employee)
    open_actions = list(actions_qs.select_related("session", "owner").order_by("session__held_on", "pk"))
    goals = goals_to_update(viewer, employee, exclude_session=session, today=today)
    # The shared agenda, as far as the viewer may see it (the line manager and theirs).
    topics = list(
        agenda_topics_for_session(employee, session)
        .visible_to(viewer)
        .select_related("added_by")
        .order_by("added_at", "pk")
    )
    requirements = (
        list(
            visible(SkillRequirement, viewer)
            .filter(job_role_id=employee.job_role_id)
            .select_related("skill")
            .order_by("skill__name")
        )
        if employee.job_role_id
        else []
    )
    latest = latest_skill_ratings(employee) if requirements else {}

    if session is None:
        interval = interval_for(employee, viewer.organisation, today)
        initial = {"held_on": today, "next_session_on": today + timedelta(days=interval)}
    else:
        initial = {name: getattr(session, name) for name in RECORD_FIELDS}
    owners = [employee, viewer.employee]
    if session is not None and session.manager is not None and session.manager not in owners:
        owners.append(session.manager)

    page = SessionPage(
        employee=employee,
        session=session,
        session_form=SessionForm(
            data,
            initial=initial,
            today=today,
            reason_required=session is not None and session.state == SessionState.SHARED,
        ),
        agenda=FormGroup([AgendaReviewForm(data, topic=t, session=session) for t in topics]),
        reviews=FormGroup([ActionReviewForm(data, action=a) for a in open_actions]),
        goals=FormGroup([GoalUpdateForm(data, goal=g, reason=reason) for g, reason in goals]),
        skills=SkillRatingsForm(data, requirements=requirements, latest=latest),
        new_actions=NewActionFormSet(data, prefix=NEW_PREFIX, form_kwargs={"owners": owners}),
        show_errors=not adding,
    )
    if adding:
        for form in [
            page.session_form,
            *page.agenda,
            *page.reviews,
            *page.goals,
            page.skills,
            *page.new_actions.forms,
        ]:
            form.helper.form_show_errors = False
        page.session_form.assessment_helper.form_show_errors = False
    return page

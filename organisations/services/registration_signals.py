"""The daily job's work: tell people when a registration or a mandatory course
is running out, and the head of service when a registration has lapsed.

Each stage of each registration notifies each person once (the notification's
key names the registration, the stage and the expiry date, so a renewed
registration starts again):

- 60 and 30 days or fewer before expiry: the person and their line manager;
- lapsed: the person, their line manager and the head of their service (the
  nearest head above who is not them, a team's manager aside), because a lapsed social worker must not
  practise.

Mandatory training (the latest completion of each course a person's role
requires): the person at 30 days or fewer; the person and their manager once
lapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from core import glossary
from organisations.models import (
    Employee,
    Organisation,
    ProfessionalRegistration,
    RoleCourseRequirement,
    Service,
    ServiceKind,
    TrainingRecord,
)
from organisations.models.structure import ServiceTree
from organisations.rules import registrations as rules
from organisations.services.notifications import notify

KIND = "registration_expiring"


@dataclass
class SignalCounts:
    registrations: int = 0  # notifications about registrations
    training: int = 0  # notifications about training


def head_of_service_id(person: Employee, tree: ServiceTree) -> int | None:
    """The head of the service the person works in (above their team, whose
    manager is told as their line manager), else the nearest head above who is
    not them."""
    node, seen = tree.get(person.service_id), set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        if node.kind != ServiceKind.TEAM and node.head_id and node.head_id != person.pk:
            return node.head_id
        node = tree.get(node.parent_id)
    return None


def _person_url(person: Employee) -> str:
    return reverse("organisations:person_detail", args=[person.pk]) + "#registrations"


def registration_signals_send(*, organisation: Organisation, today: date) -> SignalCounts:
    """Notify everyone due a notification today about registrations and
    training in ``organisation``. Safe to run as often as wanted: each stage is
    notified once. Queries to find them: registrations 1, services 1, heads 1,
    requirements 1, latest completions 1; then ``notify``'s per notification."""
    counts = SignalCounts()
    tree = ServiceTree(Service.objects.filter(organisation=organisation))
    registrations = [
        r
        for r in ProfessionalRegistration.objects.filter(organisation=organisation, employee__active=True)
        .select_related("employee__line_manager", "employee__job_role")
        .order_by("pk")
        if rules.stage(r.expires_on, today) is not None
    ]
    heads = {
        e.pk: e
        for e in Employee.objects.filter(
            pk__in={head_of_service_id(r.employee, tree) for r in registrations}, active=True
        )
    }
    for r in registrations:
        stage = rules.stage(r.expires_on, today)
        person, manager = r.employee, r.employee.line_manager
        body = rules.BODY_LABELS.get(r.body, r.body)
        when = glossary.long_date(r.expires_on)
        key = f"registration:{r.pk}:{stage}:{r.expires_on.isoformat()}"
        url = _person_url(person)
        if stage == rules.LAPSED:
            messages = [
                (
                    person,
                    f"Your {body} registration lapsed after {when}. You must not practise until it is renewed.",
                ),
                (manager, f"{person.full_name}'s {body} registration lapsed after {when}."),
                (
                    heads.get(head_of_service_id(person, tree)),
                    f"{person.full_name}'s {body} registration lapsed after {when}: "
                    "they must not practise until it is renewed.",
                ),
            ]
        else:
            messages = [
                (person, f"Your {body} registration expires on {when}: renew it before then."),
                (manager, f"{person.full_name}'s {body} registration expires on {when}."),
            ]
        sent: set[int] = set()
        for recipient, text in messages:
            if recipient is None or recipient.pk in sent:
                continue
            sent.add(recipient.pk)
            if notify(recipient, KIND, key=key, text=text, url=url) is not None:
                counts.registrations += 1
    counts.training = _training_signals(organisation, today)
    return counts


def _training_signals(organisation: Organisation, today: date) -> int:
    required = set(
        RoleCourseRequirement.objects.filter(job_role__organisation=organisation).values_list(
            "job_role_id", "course_id"
        )
    )
    latest: dict[tuple[int, int], TrainingRecord] = {}
    for record in (
        TrainingRecord.objects.filter(organisation=organisation, employee__active=True)
        .select_related("employee__line_manager", "course")
        .order_by("employee_id", "course_id", "expires_on")
    ):
        latest[(record.employee_id, record.course_id)] = record  # the last one is the latest
    sent = 0
    for record in latest.values():
        person = record.employee
        if (person.job_role_id, record.course_id) not in required:
            continue
        stage = rules.stage(record.expires_on, today)
        if stage not in (rules.STAGE_30, rules.LAPSED):
            continue
        when = glossary.long_date(record.expires_on)
        key = f"training:{record.pk}:{stage}:{record.expires_on.isoformat()}"
        url = _person_url(person)
        name = record.course.name
        if stage == rules.LAPSED:
            messages = [
                (person, f"Your {name} training lapsed after {when}: book it again."),
                (person.line_manager, f"{person.full_name}'s {name} training lapsed after {when}."),
            ]
        else:
            messages = [(person, f"Your {name} training expires on {when}: book it before then.")]
        for recipient, text in messages:
            if recipient is not None and notify(recipient, KIND, key=key, text=text, url=url) is not None:
                sent += 1
    return sent


def registration_signals_send_all(*, today: date) -> dict[str, SignalCounts]:
    """Every organisation's signals, by organisation slug."""
    return {
        org.slug: registration_signals_send(organisation=org, today=today)
        for org in Organisation.objects.order_by("pk")
    }

"""Flag rules about supervision: ``feedback_overdue`` and ``underperformance``.

Pure functions decide over plain values; ``candidates`` loads the whole
organisation in a fixed number of queries and turns what they decide into flag
candidates. Both flags are prompts for the person's manager, never a judgement
(UK GDPR art. 22). Their evidence carries dates, kinds and the worded
assessments the rule read, never what was said in a session.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from appraisals.models import Assessment, FeedbackSession, SessionState
from appraisals.models.sessions import BELOW_ACHIEVING
from appraisals.selectors.supervision import cadence_for
from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules import thresholds as t
from insights.rules.workforce import _pct, service_rows, subtree_totals
from insights.services.figures import own_counts, own_overdue, own_staff
from insights.services.flagging import FlagCandidate
from insights.services.scope import has_people, in_slice, sliced
from organisations.models import Employee

FEEDBACK_OVERDUE_RULE = (
    "A feedback session is due every {interval} days (the person's own interval, else the "
    "organisation's; newly qualified social workers more often). Overdue by {medium} days or more "
    "is medium, by {high} days or more high; a session less overdue than that shows on the team "
    "page, not as a flag."
)
SUPERVISION_RULE = (
    "The share of a directorate's or service's active staff (with everything below it) who are "
    "overdue a feedback session, by any number of days. Above {tolerance}% is medium, above "
    "{high}% high. The people are on the team pages; this flag is for the head of service."
)
UNDERPERFORMANCE_RULE = (
    "The last {n} worded assessments in shared sessions were below “achieving”, or the latest was "
    "“not yet achieving”. This is a prompt to talk and offer support, not a decision about the person."
)


# --- pure rules -------------------------------------------------------------------


def feedback_overdue_severity(days_overdue: int) -> str | None:
    """None when in date or overdue by less than FEEDBACK_OVERDUE_MEDIUM_DAYS;
    medium from there, high from FEEDBACK_OVERDUE_HIGH_DAYS (inclusive)."""
    if days_overdue >= t.FEEDBACK_OVERDUE_HIGH_DAYS:
        return FlagSeverity.HIGH
    if days_overdue >= t.FEEDBACK_OVERDUE_MEDIUM_DAYS:
        return FlagSeverity.MEDIUM
    return None


def supervision_overdue_severity(*, overdue: int, people: int) -> str | None:
    """A service's share of staff overdue a session: None within tolerance."""
    if not people:
        return None
    share = overdue * 100 / people
    if share > t.SUPERVISION_OVERDUE_HIGH:
        return FlagSeverity.HIGH
    if share > t.SUPERVISION_OVERDUE_TOLERANCE:
        return FlagSeverity.MEDIUM
    return None


def underperformance_severity(assessments: list[str]) -> str | None:
    """``assessments``: the latest worded assessments, newest first.

    - the last UNDERPERFORMANCE_CONSECUTIVE all below "achieving": high when any
      of them is "not yet achieving", else medium;
    - otherwise the latest alone "not yet achieving": medium;
    - else None.
    """
    if not assessments:
        return None
    recent = assessments[: t.UNDERPERFORMANCE_CONSECUTIVE]
    if len(recent) == t.UNDERPERFORMANCE_CONSECUTIVE and all(a in BELOW_ACHIEVING for a in recent):
        return FlagSeverity.HIGH if Assessment.NOT_YET in recent else FlagSeverity.MEDIUM
    if assessments[0] == Assessment.NOT_YET:
        return FlagSeverity.MEDIUM
    return None


# --- candidates ---------------------------------------------------------------------


def _people(ctx):
    people = Employee.objects.filter(organisation=ctx.organisation, active=True)
    if ctx.slice is not None:
        people = people.filter(service_id__in=ctx.slice.services)
    return people.select_related("line_manager")


def _links(employee_id: int) -> list[dict[str, str]]:
    return [
        {"label": "Person", "url": reverse("organisations:person_detail", args=[employee_id])},
        {"label": "Session history", "url": reverse("appraisals:employee_sessions", args=[employee_id])},
        {"label": "Log a session", "url": reverse("appraisals:session_create", args=[employee_id])},
    ]


def feedback_overdue_candidates(ctx) -> list[FlagCandidate]:
    """Three queries: the active people, their last session dates, the services."""
    out = []
    cadences = cadence_for(_people(ctx), ctx.organisation, ctx.today)
    out.extend(supervision_candidates(ctx, cadences.values()))
    for c in cadences.values():
        severity = feedback_overdue_severity(c.days_overdue)
        if severity is None:
            continue
        e = c.employee
        out.append(
            FlagCandidate(
                kind=FlagKind.FEEDBACK_OVERDUE,
                severity=severity,
                subject_type=SubjectType.EMPLOYEE,
                subject_id=e.pk,
                service_id=e.service_id,
                employee_id=e.pk,
                title=f"Feedback session overdue for {e.full_name} ({c.days_overdue} days)",
                rule=FEEDBACK_OVERDUE_RULE.format(
                    interval=c.interval_days,
                    medium=t.FEEDBACK_OVERDUE_MEDIUM_DAYS,
                    high=t.FEEDBACK_OVERDUE_HIGH_DAYS,
                ),
                evidence={
                    "employee": e.full_name,
                    "line_manager": e.line_manager.full_name if e.line_manager else None,
                    "last_session": c.last_session.isoformat() if c.last_session else None,
                    "start_date": e.start_date.isoformat() if e.start_date else None,
                    "interval_days": c.interval_days,
                    "next_due": c.next_due.isoformat() if c.next_due else None,
                    "days_overdue": c.days_overdue,
                    "as_of": ctx.today.isoformat(),
                    "links": _links(e.pk),
                },
            )
        )
    return out


def staff_by_service(cadences, today) -> dict[int, dict[str, list]]:
    """Each service's own active staff by employment type: [headcount, FTE,
    contracts ending within 30 days, within 90, overdue a session], the figures
    ``insights.selectors.workforce.staff_figures`` counts in the database."""
    in_30, in_90 = today + timedelta(days=30), today + timedelta(days=90)
    out: dict[int, dict[str, list]] = {}
    for c in cadences:
        e = c.employee
        kind, end = getattr(e, "employment_type", ""), getattr(e, "end_date", None)
        row = out.setdefault(e.service_id, {}).setdefault(kind, [0, Decimal(0), 0, 0, 0])
        row[0] += 1
        row[1] += getattr(e, "fte", None) or 0
        row[2] += end is not None and today <= end <= in_30
        row[3] += end is not None and today <= end <= in_90
        row[4] += c.overdue
    return {
        sid: {kind: [n, str(fte), end30, end90, late] for kind, (n, fte, end30, end90, late) in kinds.items()}
        for sid, kinds in out.items()
    }


def supervision_candidates(ctx, cadences) -> list[FlagCandidate]:
    """Each directorate and service (with everything below it) whose share of staff
    overdue a session is above tolerance: the services, shared with the workforce
    rule (one query a run)."""
    fresh: dict[int, dict[str, int]] = defaultdict(lambda: {"people": 0, "overdue": 0})
    for c in cadences:
        figures = fresh[c.employee.service_id]
        figures["people"] += 1
        figures["overdue"] += int(c.overdue)
    own = own_counts(ctx, "supervision", dict(fresh))
    own_staff(ctx, staff_by_service(cadences, ctx.today))
    own_overdue(ctx, cadences)
    services = service_rows(ctx)
    totals = subtree_totals({s["pk"]: s["parent_id"] for s in services}, own)
    rule = SUPERVISION_RULE.format(tolerance=t.SUPERVISION_OVERDUE_TOLERANCE, high=t.SUPERVISION_OVERDUE_HIGH)
    out = []
    for s in services:
        if s["kind"] not in t.INTERIM_RELIANCE_SERVICE_KINDS or not in_slice(ctx, s["pk"]):
            continue
        people, overdue = totals[s["pk"]].get("people", 0), totals[s["pk"]].get("overdue", 0)
        severity = supervision_overdue_severity(overdue=overdue, people=people)
        if severity is None:
            continue
        share = _pct(Decimal(overdue * 100) / people)
        tolerance = t.SUPERVISION_OVERDUE_TOLERANCE
        out.append(
            FlagCandidate(
                kind=FlagKind.SUPERVISION_OVERDUE,
                severity=severity,
                subject_type=SubjectType.SERVICE,
                subject_id=s["pk"],
                service_id=s["pk"],
                title=(
                    f"Supervision overdue for {overdue} of {people} staff in {s['name']}, "
                    f"{share}%, above the {tolerance}% tolerance"
                ),
                rule=rule,
                evidence={
                    "service": s["name"],
                    "staff": people,
                    "overdue": overdue,
                    "overdue_share_percent": share,
                    "tolerance_percent": tolerance,
                    "as_of": ctx.today.isoformat(),
                    "links": [
                        {
                            "label": f"{s['name']}: supervision, most overdue first",
                            "url": reverse("insights:service_dashboard", args=[s["pk"]])
                            + "#supervision-heading",
                        }
                    ],
                },
            )
        )
    return out


def underperformance_candidates(ctx) -> list[FlagCandidate]:
    """One query: each active person's latest assessed sessions (shared or
    acknowledged), numbered newest first by a window function and cut at the
    number the rule reads."""
    ranked = (
        sliced(
            ctx,
            FeedbackSession.objects.filter(
                organisation=ctx.organisation,
                employee__active=True,
                state__in=[SessionState.SHARED, SessionState.ACKNOWLEDGED],
            ),
            "employee__service_id",
        )
        .exclude(overall_assessment="")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("employee_id")], order_by=[F("held_on").desc(), F("pk").desc()]
            )
        )
        .filter(rank__lte=t.UNDERPERFORMANCE_CONSECUTIVE)
        .values_list(
            "employee_id",
            "pk",
            "held_on",
            "kind",
            "overall_assessment",
            "employee__first_name",
            "employee__last_name",
            "employee__service_id",
        )
        .order_by("employee_id", "rank")
    )
    by_employee: dict[int, list[tuple]] = defaultdict(list)
    for row in ranked:
        by_employee[row[0]].append(row)
    labels = dict(Assessment.choices)
    out = []
    for employee_id, rows in by_employee.items():
        severity = underperformance_severity([r[4] for r in rows])
        if severity is None:
            continue
        name = f"{rows[0][5]} {rows[0][6]}"
        out.append(
            FlagCandidate(
                kind=FlagKind.UNDERPERFORMANCE,
                severity=severity,
                subject_type=SubjectType.EMPLOYEE,
                subject_id=employee_id,
                service_id=rows[0][7],
                employee_id=employee_id,
                title=f"Possible underperformance: {name}",
                rule=UNDERPERFORMANCE_RULE.format(n=t.UNDERPERFORMANCE_CONSECUTIVE),
                evidence={
                    "employee": name,
                    "assessments": [
                        {
                            "held_on": r[2].isoformat(),
                            "kind": r[3],
                            "assessment": labels.get(r[4], r[4]),
                            "url": reverse("appraisals:session_detail", args=[r[1]]),
                        }
                        for r in rows
                    ],
                    "as_of": ctx.today.isoformat(),
                    "links": _links(employee_id),
                },
            )
        )
    return out


def candidates(ctx) -> list[FlagCandidate]:
    if not has_people(ctx):
        return []
    return feedback_overdue_candidates(ctx) + underperformance_candidates(ctx)

"""Writes for goals: creating, proposing, agreeing, editing, assigning in bulk,
dropping, check-ins and the progress roll-up.

Every function runs in one transaction, validates with ``full_clean()``,
records who did it (``created_by`` / ``agreed_by`` / the check-in's author and
the history row's user) and asks for the organisation's flags to be recomputed
on commit. Whoever changes a goal's place in the tree (created under a parent,
re-parented, dropped, re-weighted) rolls up the goals above it.

Permission checks belong to the views (``appraisals.rules.goal_access``); the
services check only what must hold whoever calls them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from appraisals.models import Goal, GoalCheckIn, GoalHorizon, GoalLevel, GoalStatus, SessionState
from core import clock
from core.queueing import request_recompute
from organisations.models import KPI, Employee, Organisation, Service

# Fields a person may change through goal_update; level, owner and status are
# changed by their own workflows (create, agree, check in, drop).
EDITABLE_FIELDS = (
    "title",
    "description",
    "success_measure",
    "parent",
    "kpi",
    "service",
    "start_date",
    "due_date",
    "horizon",
    "weight",
)

# Foreign keys the bulk paths have already loaded (so they exist): skipped by
# full_clean's per-row existence checks, which would cost a query per goal per key.
_LOADED_KEYS = ["organisation", "owner", "parent", "kpi", "service", "created_by", "agreed_by"]


def _as_history_user(goal: Goal, employee: Employee | None) -> None:
    """Name the person in the history row even outside a request."""
    if employee is not None and employee.user_id:
        goal._history_user = employee.user


# --- roll-up ---------------------------------------------------------------


def weighted_progress(children: Iterable[tuple[int, Decimal]]) -> int | None:
    """Weighted mean of (progress, weight) pairs, rounded; None when there are none."""
    pairs = list(children)
    total_weight = sum((w for _, w in pairs), Decimal(0))
    if not pairs or not total_weight:
        return None
    return int(round(sum((Decimal(p) * w for p, w in pairs), Decimal(0)) / total_weight))


def _rolled_up_progress(goal: Goal) -> int | None:
    """Weighted mean of the goal's live children, or None for a leaf goal."""
    return weighted_progress(
        goal.children.exclude(status=GoalStatus.DROPPED).values_list("progress", "weight")
    )


def goal_roll_up(*, goal: Goal | None) -> list[int]:
    """Recompute progress from ``goal`` up through every goal it supports; the ids
    of the goals it went through (for the recompute to look at)."""
    seen: set[int] = set()
    while goal is not None and goal.pk not in seen:
        seen.add(goal.pk)
        progress = _rolled_up_progress(goal)
        if progress is not None and progress != goal.progress:
            goal.progress = progress
            goal._change_reason = "Progress rolled up from the goals that support it"
            goal.save(update_fields=["progress", "updated_at"])
        goal = goal.parent
    return sorted(seen)


def _has_live_children(goal: Goal) -> bool:
    return goal.pk is not None and goal.children.exclude(status=GoalStatus.DROPPED).exists()


# --- creating ----------------------------------------------------------------


def goal_create(
    *,
    organisation: Organisation,
    created_by: Employee,
    level: str,
    title: str,
    start_date: date,
    due_date: date,
    owner: Employee | None = None,
    service: Service | None = None,
    parent: Goal | None = None,
    kpi: KPI | None = None,
    description: str = "",
    success_measure: str = "",
    horizon: str = GoalHorizon.SHORT,
    weight: Decimal = Decimal("1.00"),
) -> Goal:
    """A goal set by someone entitled to set it: agreed from the start, by them.

    An individual objective belongs to its owner's service unless another is given."""
    with transaction.atomic():
        if level == GoalLevel.INDIVIDUAL and owner is not None and service is None:
            service = owner.service
        goal = Goal(
            organisation=organisation,
            level=level,
            owner=owner,
            service=service,
            parent=parent,
            kpi=kpi,
            title=title,
            description=description,
            success_measure=success_measure,
            start_date=start_date,
            due_date=due_date,
            horizon=horizon,
            weight=weight,
            status=GoalStatus.AGREED,
            created_by=created_by,
            agreed_by=created_by,
            agreed_at=clock.now(),
        )
        goal.full_clean()
        _as_history_user(goal, created_by)
        goal.save()
        rolled = goal_roll_up(goal=parent)
        request_recompute(organisation.pk, goals=[goal.pk, *rolled], employees=[goal.owner_id])
    return goal


def goal_propose(
    *,
    owner: Employee,
    title: str,
    start_date: date,
    due_date: date,
    parent: Goal | None = None,
    kpi: KPI | None = None,
    description: str = "",
    success_measure: str = "",
    horizon: str = GoalHorizon.SHORT,
) -> Goal:
    """A member of staff proposes their own objective: a draft their manager agrees."""
    with transaction.atomic():
        goal = Goal(
            organisation_id=owner.organisation_id,
            level=GoalLevel.INDIVIDUAL,
            owner=owner,
            service_id=owner.service_id,
            parent=parent,
            kpi=kpi,
            title=title,
            description=description,
            success_measure=success_measure,
            start_date=start_date,
            due_date=due_date,
            horizon=horizon,
            status=GoalStatus.DRAFT,
            created_by=owner,
        )
        goal.full_clean()
        _as_history_user(goal, owner)
        goal.save()
        rolled = goal_roll_up(goal=parent)
        request_recompute(owner.organisation_id, goals=[goal.pk, *rolled], employees=[owner.pk])
    return goal


def goal_agree(*, goal: Goal, agreed_by: Employee) -> Goal:
    """A manager agrees a proposed objective; it becomes live."""
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        if goal.status != GoalStatus.DRAFT:
            raise ValidationError(
                f"Only a draft can be agreed: this goal is {goal.get_status_display().lower()}."
            )
        if goal.owner_id == agreed_by.pk:
            raise ValidationError("Your own objective is agreed by your manager.")
        goal.status = GoalStatus.AGREED
        goal.agreed_by = agreed_by
        goal.agreed_at = clock.now()
        goal.full_clean()
        _as_history_user(goal, agreed_by)
        goal.save(update_fields=["status", "agreed_by", "agreed_at", "updated_at"])
        request_recompute(goal.organisation_id, goals=[goal.pk], employees=[goal.owner_id])
    return goal


def goal_update(*, goal: Goal, updated_by: Employee, **changes: Any) -> Goal:
    """Change a goal's description, dates, weight or the goal it supports.

    When it moves to another parent, or its weight changes, both the old and the
    new parents are rolled up."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"goal_update cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        old_parent_id = goal.parent_id
        old_weight = goal.weight
        for name, value in changes.items():
            setattr(goal, name, value)
        goal.full_clean()
        _as_history_user(goal, updated_by)
        goal.save()
        rolled: list[int] = []
        if goal.parent_id != old_parent_id:
            if old_parent_id:
                rolled += goal_roll_up(goal=Goal.objects.filter(pk=old_parent_id).first())
            rolled += goal_roll_up(goal=goal.parent)
        elif goal.weight != old_weight:
            rolled += goal_roll_up(goal=goal.parent)
        request_recompute(goal.organisation_id, goals=[goal.pk, *rolled], employees=[goal.owner_id])
    return goal


def goal_bulk_assign(
    *,
    parent: Goal,
    owners: list[Employee],
    assigned_by: Employee,
    title: str,
    start_date: date,
    due_date: date,
    description: str = "",
    success_measure: str = "",
    kpi: KPI | None = None,
    horizon: str = GoalHorizon.SHORT,
    weight: Decimal = Decimal("1.00"),
) -> list[Goal]:
    """Give each of ``owners`` their own objective supporting ``parent``, agreed by
    ``assigned_by``: one bulk insert of goals and one of their history rows, then
    one roll-up of the parent. Everyone must be below ``assigned_by``."""
    if not owners:
        raise ValidationError({"people": "Choose at least one person."})
    below = Employee.objects.report_ids(assigned_by.pk)
    outside = [o.full_name for o in owners if o.pk not in below]
    if outside:
        raise ValidationError(
            {"people": f"You can only set goals for people you manage: {', '.join(sorted(outside))}."}
        )
    if parent.level == GoalLevel.INDIVIDUAL:
        raise ValidationError({"parent": "Choose an organisation, service or team goal to support."})
    now = clock.now()
    goals = [
        Goal(
            organisation_id=parent.organisation_id,
            level=GoalLevel.INDIVIDUAL,
            owner=owner,
            service=owner.service,  # loaded with the owners, so no query per goal
            parent=parent,
            kpi=kpi,
            title=title,
            description=description,
            success_measure=success_measure,
            start_date=start_date,
            due_date=due_date,
            horizon=horizon,
            weight=weight,
            status=GoalStatus.AGREED,
            created_by=assigned_by,
            agreed_by=assigned_by,
            agreed_at=now,
        )
        for owner in owners
    ]
    # One full validation proves the shared foreign keys exist; the rest skip the
    # existence queries but still run every rule in Goal.clean().
    goals[0].organisation = parent.organisation
    goals[0].full_clean()
    for goal in goals[1:]:
        goal.full_clean(exclude=_LOADED_KEYS)
    with transaction.atomic():
        created = bulk_create_with_history(
            goals,
            Goal,
            batch_size=500,
            default_user=assigned_by.user if assigned_by.user_id else None,
            default_change_reason="Assigned to several people at once",
        )
        rolled = goal_roll_up(goal=parent)
        request_recompute(
            parent.organisation_id,
            goals=[*(g.pk for g in created), *rolled],
            employees=[g.owner_id for g in created],
        )
    return created


# --- check-ins and dropping ----------------------------------------------------------


def goal_check_in_record(
    *,
    goal: Goal,
    author: Employee,
    progress: int,
    status: str,
    comment: str = "",
    on: date | None = None,
    session=None,
) -> GoalCheckIn:
    """Record a check-in: its status becomes the goal's, and so does its progress
    for a leaf goal (a goal with live children keeps its rolled-up progress);
    the goals it supports are rolled up.

    A check-in entered in a feedback session that is still a draft is the
    draft's author's alone: it replaces that draft's earlier check-in on the goal
    and changes nothing else until the session is shared
    (:func:`goal_check_ins_apply_session`)."""
    with transaction.atomic():
        if goal.status == GoalStatus.DRAFT and status != GoalStatus.DROPPED:
            # A proposal can be withdrawn, but progress counts only once it is agreed.
            raise ValidationError("This goal is a draft: it is checked in on once it is agreed.")
        pending = session is not None and session.state == SessionState.DRAFT
        if pending:
            GoalCheckIn.objects.filter(goal=goal, session=session).delete()
        if _has_live_children(goal) and status != GoalStatus.DROPPED:
            progress = _rolled_up_progress(goal)
        check_in = GoalCheckIn(
            goal=goal,
            author=author,
            date=on or clock.today(),
            progress=progress,
            status=status,
            comment=comment,
            session=session,
            recorded_by=author.user if author.user_id else None,
        )
        check_in.full_clean()
        if author.user_id:
            check_in._history_user = author.user  # named in the history outside a request too
        check_in.save()
        if not pending:
            _apply_check_in(goal, progress=progress, status=status, by=author)
    return check_in


def _apply_check_in(goal: Goal, *, progress: int, status: str, by: Employee) -> None:
    goal.progress = progress
    goal.status = status
    _as_history_user(goal, by)
    goal.save(update_fields=["progress", "status", "updated_at"])
    rolled = goal_roll_up(goal=goal.parent)
    request_recompute(goal.organisation_id, goals=[goal.pk, *rolled], employees=[goal.owner_id])


def goal_check_ins_apply_session(*, session, by: Employee) -> int:
    """When a session is shared, the goal updates entered in it take effect: each
    goal takes its check-in's status and progress, and what it supports is rolled
    up. Returns how many goals changed."""
    applied = 0
    with transaction.atomic():
        for check_in in GoalCheckIn.objects.filter(session=session).select_related("goal").order_by("pk"):
            goal = check_in.goal
            if not goal.is_open:
                continue  # closed since the draft was written: its update no longer applies
            _apply_check_in(goal, progress=check_in.progress, status=check_in.status, by=by)
            applied += 1
    return applied


def goal_drop(*, goal: Goal, dropped_by: Employee, reason: str) -> GoalCheckIn:
    """Stop pursuing a goal: a check-in records who and why; the goals it supports
    no longer count it."""
    if not reason.strip():
        raise ValidationError({"comment": "Say why the goal is being dropped."})
    return goal_check_in_record(
        goal=goal, author=dropped_by, progress=goal.progress, status=GoalStatus.DROPPED, comment=reason
    )

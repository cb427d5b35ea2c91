"""Demo goal rows: individual objectives as plain attributes, written with their check-ins by multi-row INSERTs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from appraisals.models import Goal, GoalCheckIn, GoalHorizon, GoalLevel


class Objective:
    """An individual objective before it is inserted: plain attributes, because
    35,000 model instances cost more than the inserts themselves."""

    __slots__ = (
        "id",
        "organisation_id",
        "owner_id",
        "service_id",
        "parent",
        "kpi_id",
        "title",
        "description",
        "success_measure",
        "start_date",
        "due_date",
        "status",
        "progress",
        "created_by_id",
        "agreed_by_id",
        "agreed_at",
        "authors",
    )

    weight = Decimal("1.00")
    level = GoalLevel.INDIVIDUAL

    def __init__(self, **kw: Any):
        self.description = self.success_measure = ""
        self.kpi_id = self.agreed_by_id = self.agreed_at = None
        for k, v in kw.items():
            setattr(self, k, v)


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Multi-row INSERTs straight to the driver: no model instances, no per-field
    compilation, no debug logging. Works on SQLite and PostgreSQL; chunks stay
    under SQLite's limit on parameters."""
    if not rows:
        return
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = max(1, 30000 // len(columns))
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's cursor (Django's SQLite one takes %s)
        for i in range(0, len(rows), per):
            chunk = rows[i : i + per]
            cursor.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


class GoalRows:
    """The objectives and check-ins waiting to be written, each date and datetime
    adapted for the database once."""

    def __init__(self, now: datetime):
        self.now = now
        self.objectives: list[Objective] = []
        self.check_ins: list[tuple] = []
        self._db_datetimes: dict[datetime, Any] = {}
        self._db_dates: dict[date, Any] = {}

    def db_date(self, value: date):
        if value not in self._db_dates:
            self._db_dates[value] = connection.ops.adapt_datefield_value(value)
        return self._db_dates[value]

    def db_datetime(self, value: datetime | None):
        if value is None:
            return None
        if value not in self._db_datetimes:
            self._db_datetimes[value] = connection.ops.adapt_datetimefield_value(value)
        return self._db_datetimes[value]

    def write_objectives(self) -> None:
        """The objectives, with ids given here so their check-ins can name them: a
        handful of multi-row INSERTs."""
        next_id = (Goal.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        columns = [
            "id",
            "organisation_id",
            "level",
            "owner_id",
            "service_id",
            "parent_id",
            "kpi_id",
            "title",
            "description",
            "success_measure",
            "start_date",
            "due_date",
            "horizon",
            "status",
            "progress",
            "weight",
            "created_by_id",
            "agreed_by_id",
            "agreed_at",
            "created_at",
            "updated_at",
        ]
        now = self.db_datetime(self.now)
        weight = connection.ops.adapt_decimalfield_value(Decimal("1.00"), 5, 2)
        rows = []
        for o in self.objectives:
            o.id = next_id
            next_id += 1
            rows.append(
                (
                    o.id,
                    o.organisation_id,
                    GoalLevel.INDIVIDUAL.value,
                    o.owner_id,
                    o.service_id,
                    o.parent.pk if o.parent is not None else None,
                    o.kpi_id,
                    o.title,
                    o.description,
                    o.success_measure,
                    self.db_date(o.start_date),
                    self.db_date(o.due_date),
                    GoalHorizon.SHORT.value,
                    str(o.status),
                    o.progress,
                    weight,
                    o.created_by_id,
                    o.agreed_by_id,
                    self.db_datetime(o.agreed_at),
                    now,
                    now,
                )
            )
        insert_rows(Goal, columns, rows)
        with connection.cursor() as cursor:  # PostgreSQL: the id sequence past the ids given here
            for sql in connection.ops.sequence_reset_sql(no_style(), [Goal]):
                cursor.execute(sql)

    def write_check_ins(self) -> None:
        """Every check-in, in the order they were made."""
        insert_rows(
            GoalCheckIn,
            ["goal_id", "author_id", "date", "progress", "status", "comment", "created_at"],
            [(g, a, d, p, str(s), c, t) for g, a, d, p, s, c, t in self.check_ins],
        )

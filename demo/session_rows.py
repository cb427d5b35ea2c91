"""Demo sessions and actions written as plain rows: their columns and a multi-row INSERT ... RETURNING."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from django.db import connection, models

INSERT_ROWS = (
    1000  # rows per INSERT: 21 columns x 1000 stays under SQLite's and PostgreSQL's parameter limits
)

SESSION_FIELDS = [
    "organisation_id",
    "employee_id",
    "manager_id",
    "held_on",
    "kind",
    "discussion",
    "achievements",
    "development_areas",
    "wellbeing",
    "overall_assessment",
    "private_note",
    "next_session_on",
    "state",
    "employee_comment",
    "shared_at",
    "acknowledged_at",
    "change_reason",
    "content_removed_on",
    "created_at",
    "updated_at",
]
ACTION_FIELDS = ["session_id", "description", "owner_id", "due_on", "done_on", "carried_over_from_id"]


def insert_returning(
    model: type[models.Model], rows: list[SimpleNamespace], fields: list[str], *, now: datetime
) -> None:
    """Multi-row INSERT ... RETURNING id; each row gets its ``pk``. Values are
    adapted with the backend's own date and datetime adapters. The DB-API cursor
    is used directly so a DEBUG run does not format every statement for the
    query log."""
    if not rows:
        return
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    adapters = []
    for name in fields:
        f = by_attname[name]
        if isinstance(f, models.DateTimeField):
            adapters.append(_memo(connection.ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            adapters.append(_memo(connection.ops.adapt_datefield_value))
        else:
            adapters.append(None)
    defaults = {"change_reason": "", "content_removed_on": None, "created_at": now, "updated_at": now}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(by_attname[name].column) for name in fields)
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    row_sql = "(" + ", ".join([placeholder] * len(fields)) + ")"
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(rows), INSERT_ROWS):
            batch = rows[start : start + INSERT_ROWS]
            params = []
            for row in batch:
                values = row.__dict__
                for name, adapt in zip(fields, adapters, strict=True):
                    value = values[name] if name in values else defaults[name]
                    params.append(adapt(value) if adapt is not None and value is not None else value)
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                + ", ".join([row_sql] * len(batch))
                + f" RETURNING {quote(meta.pk.column)}",
                params,
            )
            # Ids are assigned in VALUES order; sorting guards against a backend
            # that returns the rows in another order.
            for row, pk in zip(batch, sorted(pk for (pk,) in cursor.fetchall()), strict=True):
                row.pk = pk
    finally:
        cursor.close()


def _memo(adapt):
    """Dates and times repeat across rows: adapt each distinct value once."""
    cache: dict = {}

    def adapted(value):
        try:
            return cache[value]
        except KeyError:
            cache[value] = result = adapt(value)
            return result

    return adapted

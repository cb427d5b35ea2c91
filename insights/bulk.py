"""Set-based writes in one statement, whatever the number of rows.

Django's ``bulk_create`` and ``bulk_update`` split their work into batches
sized by the database's parameter limit (about 66 rows of 15 columns on
SQLite), so the number of queries grows with the data. A recompute must cost
the same number of queries for 50 people as for 10,000, so these helpers pass
every row as one JSON document and let the database unpack it:
``json_each`` on SQLite, ``jsonb_to_recordset`` on PostgreSQL. Another
database falls back to Django's batched methods.

They write plain column values: no signals, no history rows, no ``save()``;
callers validate beforehand (the rows come from code, not from people).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def _fields(model: type[models.Model], names: Iterable[str] | None = None) -> list[models.Field]:
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    if names is None:
        return concrete
    by_name = {f.name: f for f in model._meta.concrete_fields}
    by_name.update({f.attname: f for f in model._meta.concrete_fields})
    return [by_name[n] for n in names]


def _value(obj: models.Model, field: models.Field, *, add: bool) -> Any:
    value = field.pre_save(obj, add) if add else getattr(obj, field.attname)
    if isinstance(field, models.JSONField):
        # SQLite keeps JSON as text: pass the text; PostgreSQL reads the nested document.
        return json.dumps(value, cls=field.encoder) if connection.vendor == "sqlite" else value
    return field.get_db_prep_save(value, connection)


def _document(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=str, separators=(",", ":"))


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _sqlite_select(columns: Sequence[str]) -> str:
    parts = ", ".join(f"json_extract(value, '$.\"{c}\"') AS {_qn(c)}" for c in columns)
    return f"SELECT {parts} FROM json_each(%s)"


def _pg_recordset(fields: Sequence[models.Field], extra: Sequence[tuple[str, str]] = ()) -> str:
    cols = [f"{_qn(c)} {t}" for c, t in extra] + [f"{_qn(f.column)} {f.db_type(connection)}" for f in fields]
    return f"jsonb_to_recordset(%s::jsonb) AS j({', '.join(cols)})"


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    """INSERT every object in one statement. Primary keys are not set on ``objs``."""
    if not objs:
        return 0
    fields = _fields(model)
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_create(objs)
        return len(objs)
    rows = [{f.column: _value(o, f, add=True) for f in fields} for o in objs]
    table = _qn(model._meta.db_table)
    columns = ", ".join(_qn(f.column) for f in fields)
    if connection.vendor == "sqlite":
        select = _sqlite_select([f.column for f in fields])
    else:
        select = f"SELECT {columns} FROM {_pg_recordset(fields)}"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", [_document(rows)])
    return len(objs)


def update_objects(
    model: type[models.Model], objs: Sequence[models.Model], field_names: Sequence[str]
) -> int:
    """UPDATE the given fields of every object, matched by primary key, in one statement."""
    if not objs:
        return 0
    fields = _fields(model, field_names)
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_update(objs, [f.name for f in fields])
        return len(objs)
    pk = model._meta.pk
    rows = [{"_pk": o.pk, **{f.column: _value(o, f, add=False) for f in fields}} for o in objs]
    table = _qn(model._meta.db_table)
    assignments = ", ".join(f"{_qn(f.column)} = j.{_qn(f.column)}" for f in fields)
    if connection.vendor == "sqlite":
        source = f"({_sqlite_select(['_pk', *[f.column for f in fields]])}) AS j"
    else:
        source = _pg_recordset(fields, extra=[("_pk", pk.db_type(connection))])
    sql = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{_qn(pk.column)} = j.{_qn('_pk')}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [_document(rows)])
    return len(objs)

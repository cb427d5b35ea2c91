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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, models, router


def _fields(model: type[models.Model], names: Iterable[str] | None = None) -> list[models.Field]:
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    if names is None:
        return concrete
    by_name = {f.name: f for f in model._meta.concrete_fields}
    by_name.update({f.attname: f for f in model._meta.concrete_fields})
    return [by_name[n] for n in names]


def _identity(value: Any) -> Any:
    return value


def _converter(field: models.Field, conn) -> Callable[[Any], Any]:
    """How a Python value becomes what the column stores, decided once per field
    (calling ``get_db_prep_save`` for each of 500,000 values costs seconds)."""
    ops = conn.ops
    if isinstance(field, models.JSONField):
        # SQLite keeps JSON as text: pass the text; PostgreSQL reads the nested document.
        if conn.vendor == "sqlite":
            return lambda v: None if v is None else json.dumps(v, cls=field.encoder)
        return _identity
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    if isinstance(field, (models.IntegerField, models.BooleanField, models.CharField, models.TextField)):
        return _identity
    if field.is_relation:  # a foreign key's id
        return _identity
    return lambda v: field.get_db_prep_save(v, conn)


def _document(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=str, separators=(",", ":"))


def _sqlite_select(columns: Sequence[str]) -> str:
    parts = ", ".join(f'json_extract(value, \'$."{c}"\') AS "{c}"' for c in columns)
    return f"SELECT {parts} FROM json_each(%s)"


def _pg_recordset(fields: Sequence[models.Field], conn, extra: Sequence[tuple[str, str]] = ()) -> str:
    qn = conn.ops.quote_name
    cols = [f"{qn(c)} {t}" for c, t in extra] + [f"{qn(f.column)} {f.db_type(conn)}" for f in fields]
    return f"jsonb_to_recordset(%s::jsonb) AS j({', '.join(cols)})"


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """INSERT plain rows (``{attname: value}``; a missing column takes the field's
    default) in one statement. Cheaper than building model instances."""
    if not rows:
        return 0
    conn = connections[router.db_for_write(model)]
    fields = _fields(model)
    if conn.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_create([model(**row) for row in rows])
        return len(rows)
    plan = [(f.attname, f.column, _converter(f, conn), f.get_default()) for f in fields]
    document = [
        {column: convert(row.get(attname, default)) for attname, column, convert, default in plan}
        for row in rows
    ]
    _insert(model, fields, conn, document)
    return len(rows)


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    """INSERT every object in one statement. Primary keys are not set on ``objs``."""
    fields = _fields(model)
    return insert_rows(model, [{f.attname: f.pre_save(o, True) for f in fields} for o in objs])


def _insert(model, fields, conn, document) -> None:
    table = conn.ops.quote_name(model._meta.db_table)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    if conn.vendor == "sqlite":
        select = _sqlite_select([f.column for f in fields])
    else:
        select = f"SELECT {columns} FROM {_pg_recordset(fields, conn)}"
    with conn.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", [_document(document)])


def update_objects(
    model: type[models.Model], objs: Sequence[models.Model], field_names: Sequence[str]
) -> int:
    """UPDATE the given fields of every object, matched by primary key, in one statement."""
    if not objs:
        return 0
    conn = connections[router.db_for_write(model)]
    fields = _fields(model, field_names)
    if conn.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_update(objs, [f.name for f in fields])
        return len(objs)
    pk = model._meta.pk
    plan = [(f.attname, f.column, _converter(f, conn)) for f in fields]
    document = [
        {"_pk": o.pk, **{column: convert(getattr(o, attname)) for attname, column, convert in plan}}
        for o in objs
    ]
    qn = conn.ops.quote_name
    table = qn(model._meta.db_table)
    assignments = ", ".join(f"{qn(f.column)} = j.{qn(f.column)}" for f in fields)
    if conn.vendor == "sqlite":
        source = f"({_sqlite_select(['_pk', *[f.column for f in fields]])}) AS j"
    else:
        source = _pg_recordset(fields, conn, extra=[("_pk", pk.db_type(conn))])
    sql = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{qn(pk.column)} = j.{qn('_pk')}"
    with conn.cursor() as cursor:
        cursor.execute(sql, [_document(document)])
    return len(objs)

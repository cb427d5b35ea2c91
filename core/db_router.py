"""Reads of dashboards and reports from a PostgreSQL read replica.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database alias
and name it in ``DATABASE_REPLICA_ALIAS``. Reads go there only:

- inside ``reading_from_replica()`` (or a view decorated ``@replica_reads``,
  which opens it for GET and HEAD requests only): pages whose figures may be a
  few seconds behind (dashboards, the quarterly report, the public page);
- while nothing has been written in that context (a write sends every later
  read of the context back to the primary, so a view never misses its own write);
- outside any transaction on the primary (a transaction's reads, ``select_for_update``
  included, must see its own writes and hold its locks there);
- never for sign-in, sessions and sign-in throttling (apps ``auth``,
  ``sessions``, ``axes``): who is signed in, and whether an account is locked,
  are read from the primary, so a sign-out or a lock takes effect at once.

Writes always go to the primary, even for an object read from the replica.
Migrations run on the primary only; the replica follows it by streaming
replication. Without ``DATABASE_REPLICA_URL`` nothing changes: every read and
write uses ``default``.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

DEFAULT = "default"
REPLICA = "replica"
# Always read from the primary: who is signed in, sessions, sign-in throttling.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "axes"})


@dataclass
class _ReplicaContext:
    wrote: bool = False


_context: contextvars.ContextVar[_ReplicaContext | None] = contextvars.ContextVar(
    "replica_reads", default=None
)


def replica_alias() -> str | None:
    """The replica's alias when one is configured, else None."""
    alias = getattr(settings, "DATABASE_REPLICA_ALIAS", None)
    if alias and alias in connections.settings:
        return alias
    return None


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads in this block may come from the replica (seconds behind the primary)."""
    token = _context.set(_ReplicaContext())
    try:
        yield
    finally:
        _context.reset(token)


def replica_reads(view):
    """A read-only view whose figures may be seconds old: its reads go to the
    replica on GET and HEAD (another method runs as before, on the primary)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reading_from_replica():
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # The primary unless every condition holds: explicitly, so an object read
        # from the replica does not take its related reads there afterwards.
        context = _context.get()
        if context is None or context.wrote or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT
        alias = replica_alias()
        if alias is None or connections[DEFAULT].in_atomic_block:
            return DEFAULT
        return alias

    def db_for_write(self, model, **hints):
        context = _context.get()
        if context is not None:
            context.wrote = True
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows either side: an object read from the replica may be
        # related to one read from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA, replica_alias() or DEFAULT}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT

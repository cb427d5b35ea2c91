"""``python manage.py seed_demo``: the demo council, at any scale, on any date."""

import time
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import clock
from demo import (
    agenda_feedback,
    benchmarks,
    collection,
    committees,
    development,
    goals,
    kpis,
    notifications,
    registrations,
    risks,
    sessions,
    skill_history,
    skill_ratings,
    skills,
    workforce_kpis,
)
from demo.flag_history import backdate_flags, settle_stamps
from demo.structure import DEMO_ORG_SLUG, DEMO_USERNAMES, DemoContext, delete_demo, seed_structure
from insights.services.recompute import run_recompute
from organisations.models import Organisation

# Each capability seeds its own data, in dependency order; each step takes the
# DemoContext that seed_structure built.
STEPS: list[Callable[[DemoContext], None]] = [
    kpis.seed,
    goals.seed,
    sessions.seed,
    skills.seed,
    skill_ratings.seed,
    skill_history.seed,
    development.seed,  # after the ratings: plans are made against the gaps they leave
    risks.seed,
    workforce_kpis.seed,  # after risks: the staff-mix KPIs read the settled workforce
    collection.seed,  # after every result: some await sign-off, one is returned
    benchmarks.seed,  # after the KPIs: links three of them to the sample measures
    committees.seed,
    registrations.seed,
    agenda_feedback.seed,  # last: its draws from the seed's generator move no other step's
]


def _step_name(step: Callable) -> str:
    return f"{step.__module__}.{step.__name__}"


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Seed a realistic demo council and a small second organisation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees", type=int, default=1200, help="Staff in the council (default 1200)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument("--password", default="demo-password", help="Password for the demo sign-ins.")
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="The date the demo is seeded around, YYYY-MM-DD (default: today).",
        )
        parser.add_argument("--replace", action="store_true", help="Delete existing demo data first.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any organisation exists.")
        parser.add_argument("--force", action="store_true", help="Allow seeding with DJANGO_DEBUG off.")

    def handle(self, *args, **opts):
        if not settings.DEBUG and not opts["force"]:
            raise CommandError(
                "Refusing to seed demo data with DJANGO_DEBUG off. Use --force if you mean it."
            )
        if opts["employees"] < 60:
            raise CommandError("--employees must be at least 60 (one leader per service and team).")
        if opts["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Data already present; not seeding.")
            return
        if Organisation.objects.filter(slug=DEMO_ORG_SLUG).exists():
            if not opts["replace"]:
                raise CommandError("Demo data already exists. Use --replace to start again.")
            delete_demo()
        today = opts["today"]
        if isinstance(today, str):  # call_command passes defaults through the parser, values not
            today = _iso_date(today)
        today = today or clock.today()
        started, stamped_from = time.monotonic(), clock.now()
        with transaction.atomic():
            t0 = time.monotonic()
            ctx = seed_structure(
                seed=opts["seed"], employees=opts["employees"], password=opts["password"], today=today
            )
            self.stdout.write(f"  {_step_name(seed_structure)}: {time.monotonic() - t0:.1f}s")
            for step in STEPS:
                t0 = time.monotonic()
                step(ctx)
                self.stdout.write(f"  {_step_name(step)}: {time.monotonic() - t0:.1f}s")
        # Planner statistics for the rows just loaded: without them the recompute
        # below and the first pages plan for empty tables (seconds, not milliseconds).
        self._analyze("analyze")
        for org in (ctx.organisation, ctx.other_organisation):
            t0 = time.monotonic()
            run = run_recompute(org, trigger="seed", today=ctx.today)
            self.stdout.write(
                f"  recompute {org.slug}: {run.counts.get('flags', {}).get('open', 0)} open flags, "
                f"{time.monotonic() - t0:.1f}s"
            )
        t0 = time.monotonic()
        settle_stamps(ctx, since=stamped_from, until=clock.now())
        backdate_flags(ctx)
        self.stdout.write(f"  {_step_name(backdate_flags)}: {time.monotonic() - t0:.1f}s")
        t0 = time.monotonic()
        notifications.seed(ctx)  # after the flags' backdating: each told at its own opening
        self.stdout.write(f"  {_step_name(notifications.seed)}: {time.monotonic() - t0:.1f}s")
        # Again for the flags and gaps the recompute wrote (thousands of rows the
        # first statistics counted as none).
        self._analyze("analyze after recompute")
        elapsed = time.monotonic() - started
        council = [e for e in ctx.employees if e.organisation_id == ctx.organisation.pk]
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {ctx.organisation.name} as of {ctx.today.day} {ctx.today:%B %Y}: "
                f"{len(council)} employees in {elapsed:.1f}s."
            )
        )
        self.stdout.write("Demo sign-ins (password: {}):".format(opts["password"]))
        for username in DEMO_USERNAMES:
            emp = ctx.personas[username]
            self.stdout.write(f"  {username:16} {emp.full_name}, {emp.job_role.title}, {emp.service.name}")

    def _analyze(self, label: str) -> None:
        """ANALYZE on PostgreSQL; VACUUM ANALYZE when not inside a transaction (not
        in tests), which also marks the new rows all-visible so index-only scans
        need no heap visits: the state autovacuum reaches on a live database."""
        if connection.vendor != "postgresql":
            return
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"  {label}: {time.monotonic() - t0:.1f}s")

"""``python manage.py seed_demo``: the demo council, at any scale."""

import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from insights.demo_flag_history import backdate_flags
from insights.recompute import run_recompute
from organisations.demo import DEMO_ORG_SLUG, DEMO_USERNAMES, delete_demo, seed_structure
from organisations.models import Organisation

# Each capability seeds its own data, in dependency order. A step is
# "module:function" taking the DemoContext.
STEPS: list[str] = [
    "organisations.demo_kpis:seed",
    "appraisals.demo_goals:seed",
    "appraisals.demo_sessions:seed",
    "organisations.demo_skills:seed",
    "appraisals.demo_skill_ratings:seed",
    "insights.demo_skill_history:seed",
    "organisations.demo_risks:seed",
]


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
        started = time.monotonic()
        with transaction.atomic():
            t0 = time.monotonic()
            ctx = seed_structure(seed=opts["seed"], employees=opts["employees"], password=opts["password"])
            self.stdout.write(f"  organisations.demo:seed_structure: {time.monotonic() - t0:.1f}s")
            for step in STEPS:
                module, func = step.split(":")
                t0 = time.monotonic()
                getattr(import_module(module), func)(ctx)
                self.stdout.write(f"  {step}: {time.monotonic() - t0:.1f}s")
        # Planner statistics for the rows just loaded: without them the recompute
        # below and the first pages plan for empty tables (seconds, not milliseconds).
        self._analyze("analyze")
        for org in (ctx.organisation, ctx.other_organisation):
            t0 = time.monotonic()
            run = run_recompute(org, trigger="seed")
            self.stdout.write(
                f"  recompute {org.slug}: {run.counts.get('flags', {}).get('open', 0)} open flags, "
                f"{time.monotonic() - t0:.1f}s"
            )
        t0 = time.monotonic()
        backdate_flags(ctx)
        self.stdout.write(f"  insights.demo_flag_history:backdate_flags: {time.monotonic() - t0:.1f}s")
        # Again for the flags and gaps the recompute wrote (thousands of rows the
        # first statistics counted as none).
        self._analyze("analyze after recompute")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {ctx.organisation.name}: {len([e for e in ctx.employees if e.organisation_id == ctx.organisation.pk])} "
                f"employees in {elapsed:.1f}s."
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

"""The committee paper at scale: the whole organisation's paper for the latest
complete quarter, as the demo council's performance officer downloads it, in
each format (Word and PDF), and the report it is built from.

Usage: python -m bench.papers [--staff N] [--seed]
Seeds the demo council at ``--staff`` (default 10,000) into the bench's own
database (a sibling of DATABASE_URL's, else test-artifacts/bench.sqlite3) when
``--seed`` is given or it holds no demo council; ``make bench`` runs it after
the other figures, on the council its large scale seeded.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(fn, *args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        started, cpu = time.perf_counter(), time.process_time()
        result = fn(*args)
        seconds = round(time.perf_counter() - started, 2)
        cpu_seconds = round(time.process_time() - cpu, 2)
    return result, seconds, cpu_seconds, len(q.captured_queries)


def measure_papers() -> dict:
    """Figures in seconds (wall and this process's CPU), queries and bytes; assumes Django is set up on a
    database holding the demo council."""
    from core import clock
    from demo.structure import DEMO_ORG_SLUG
    from insights.selectors import latest_complete_quarter
    from insights.selectors.report import build_report
    from insights.services.papers.content import build_paper
    from insights.services.papers.pdf import paper_pdf
    from insights.services.papers.word import paper_docx
    from organisations.access import Viewer
    from organisations.models import Employee

    officer = (
        Employee.objects.select_related("organisation", "service")
        .filter(organisation__slug=DEMO_ORG_SLUG, is_performance_officer=True, active=True)
        .order_by("pk")
        .first()
    )
    if officer is None:
        raise RuntimeError("No demo council with a performance officer in the bench database")
    today = clock.today()
    fy, quarter = latest_complete_quarter(today, officer.organisation.financial_year_start_month)
    viewer = Viewer(officer)
    staff = viewer.employees().filter(active=True).count()
    report, report_s, report_cpu, report_q = _timed(
        lambda: build_report(viewer, financial_year=fy, quarter=quarter, service=None, today=today)
    )
    paper = build_paper(report, None)
    figures: dict = {
        "staff": staff,
        "kpis": len(report.rows),
        "exceptions": len(report.exceptions),
        "report_s": report_s,
        "report_cpu_s": report_cpu,
        "report_queries": report_q,
    }
    for kind, render in (("docx", paper_docx), ("pdf", paper_pdf)):
        content, seconds, cpu_seconds, queries = _timed(render, paper)
        figures[f"{kind}_s"] = seconds
        # This process's own CPU time: on a shared machine the wall time also counts waiting.
        figures[f"{kind}_cpu_s"] = cpu_seconds
        figures[f"{kind}_queries"] = queries
        figures[f"{kind}_bytes"] = len(content)
    return figures


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--seed", action="store_true", help="seed the demo council afresh first")
    args = parser.parse_args()
    from bench.measure import _fresh_database, bench_database_url, setup_django

    base = os.environ.get("DATABASE_URL")
    database_url = (
        bench_database_url(base, False) if base else f"sqlite:///{ROOT / 'test-artifacts' / 'bench.sqlite3'}"
    )
    setup_django(database_url)
    from django.core.management import call_command

    from demo.structure import DEMO_ORG_SLUG
    from organisations.models import Organisation

    if args.seed or not Organisation.objects.filter(slug=DEMO_ORG_SLUG).exists():
        _fresh_database(database_url)
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", employees=args.staff, seed=2026, force=True, stdout=quiet)
        print(f"seeded {args.staff:,} staff in {time.perf_counter() - started:.1f}s", flush=True)
    for key, value in measure_papers().items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()

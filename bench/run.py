"""``make bench``: seed a large organisation into PostgreSQL, measure, judge.

One benchmark for the whole product. At two scales (``--small``, default
1,000 employees, and ``--large``, default 10,000), each in a fresh database:

- seed time (``seed_demo``, with its per-step timings);
- each page's query count and server time (median and 95th percentile over
  ``--requests`` requests after one warm-up), and their ratio to the floor
  page (a signed-in page that renders the base template and static text),
  measured in the same run;
- the recompute run for the whole organisation: time and query count;

then, at the large scale, the saves and recomputes (bench/saves.py): a KPI
result and a session saved in the embedded mode and with a worker, how long
the request takes and how soon the flags follow, and incremental runs for
one person; then the people import (bench/hr_import.py: the dry run and apply of an
iTrent file of ``--large`` staff, and of a changed feed); then the committee
paper (bench/papers.py: the organisation's paper as Word and as PDF); then a load test at the large scale (bench/load/): wrk (a separate client
process) against gunicorn (gthread, 4 workers x 4 threads) on loopback, 64
connections for ``--load-seconds`` (60), a mix of every persona's main pages and
saves, with two Celery workers on separate queues (recompute; email and default)
over a Redis the bench starts. Every figure is judged against the budgets
below, and the report (printed, and written to docs/PERFORMANCE.md) says in
words which budgets are met.

Usage: DATABASE_URL=postgres://... python -m bench.run [--small N] [--large N]
       [--requests N] [--load-seconds S] [--connections C] [--think-ms MS]
       [--no-load] [--no-saves] [--saves N] [--runs N] [--load-only] [--smoke]
``--load-only`` runs only the load test, against the bench database the last
run left (at its ``--large`` scale), and prints its figures.
``--smoke`` runs at a tiny scale with one request each and writes nothing
(part of ``make test``, so the benchmark cannot rot).

Server time is measured in-process with the Django test client, with DEBUG
off and without ``setup_test_environment`` (whose instrumented template
rendering copies every context), so it is the view, templates, middleware and
database, not the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.hr_import import measure_hr_import  # noqa: E402
from bench.load import load_test  # noqa: E402
from bench.measure import bench_database_url, profile_page, run_scale, setup_django  # noqa: E402
from bench.papers import measure_papers  # noqa: E402
from bench.report import render, with_hand_written  # noqa: E402
from bench.saves import measure_saves  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64, help="wrk connections in the load test")
    parser.add_argument(
        "--think-ms", type=int, default=10_000, help="mean wait between a connection's requests (0: none)"
    )
    parser.add_argument(
        "--load-only", action="store_true", help="only the load test, on the bench database the last run left"
    )
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument(
        "--no-saves", action="store_true", help="skip the saves and recomputes (bench/saves.py)"
    )
    parser.add_argument(
        "--no-hr-import",
        action="store_true",
        help="skip the people import at the large scale (bench/hr_import.py)",
    )
    parser.add_argument("--no-papers", action="store_true", help="skip the committee paper (bench/papers.py)")
    parser.add_argument("--saves", type=int, default=20, help="saves of each kind in each mode")
    parser.add_argument("--runs", type=int, default=10, help="incremental runs, one person each")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, one request each, no load test")
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help="profile one page (its label in the report) against the bench database the last run left; no seeding",
    )
    args = parser.parse_args()
    if args.smoke:
        args.small, args.large, args.requests, args.no_load, args.no_saves = 100, 120, 1, True, True
    base = os.environ.get("DATABASE_URL")
    if not base and not args.smoke:
        sys.exit(
            "make bench needs DATABASE_URL pointing at PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/perfmgmt)"
        )
    database_url = (
        bench_database_url(base, args.smoke)
        if base
        else f"sqlite:///{ROOT / 'test-artifacts' / 'bench.sqlite3'}"
    )
    setup_django(database_url)
    if args.profile:
        profile_page(args.profile, args.requests)
        return
    if args.load_only:
        load_test(database_url, args.load_seconds, args.connections, args.think_ms)
        return
    print(f"Seeding and measuring at {args.small:,} employees...", flush=True)
    small = run_scale(database_url, args.small, args.requests)
    print(f"Seeding and measuring at {args.large:,} employees...", flush=True)
    large = run_scale(database_url, args.large, args.requests)
    saves = None
    if not args.no_saves:
        print(f"Saves and recomputes at {args.large:,} employees...", flush=True)
        saves = measure_saves(database_url, saves=args.saves, runs=args.runs)
        for s in saves:
            print(f"  {s}", flush=True)
    hr = None
    if not args.no_hr_import:
        print(f"People import of {args.large:,} staff...", flush=True)
        hr = measure_hr_import(args.large)
        print(f"  {hr}", flush=True)
    if not args.no_papers:
        # On the demo council the large scale seeded (the people import adds another organisation).
        print(f"Committee paper at {args.large:,} employees...", flush=True)
        print(f"  {measure_papers()}", flush=True)
    load = []
    if not args.no_load:
        print(f"Load test at {args.large:,} employees...", flush=True)
        load = load_test(database_url, args.load_seconds, args.connections, args.think_ms)
    text = render(small, large, load, args, saves, hr)
    print(text)
    if not args.smoke:
        output = Path(args.output)
        output.write_text(with_hand_written(text, output))
        print(f"Wrote {output}")


if __name__ == "__main__":
    main()

"""Judging the figures against the budgets and writing the report."""

import time
from pathlib import Path

from .measure import FLOOR, ScaleResult

# Budgets (issues 11 and 20), for a 2-core machine.
MAX_QUERIES = 20  # per page, and the same at both scales
MAX_MEDIAN_MS = 50.0  # per page
MAX_FLOOR_RATIO = 5.0  # page median / floor page median
MAX_RECOMPUTE_S = 5.0  # a full run at the large scale
MAX_RECOMPUTE_RATIO = 11.0  # large / small: linear
MAX_SAVE_MS = 150.0  # a save's request, median, in both modes
MAX_TO_FLAGS_MS = 2000.0  # from a save to its recompute done, with a worker (95th percentile)
MAX_INCREMENTAL_MS = 200.0  # an incremental run for one person, median
MAX_SEED_S = 120.0  # at the large scale
MAX_LOAD_P99_MS = 250.0  # the load test's mix, client-side
MAX_PEOPLE_IMPORT_S = 60.0  # a people import's dry run, and its apply, at the large scale

HAND_WRITTEN_MARK = "<!-- Everything below this line is hand-written; bench/run.py keeps it. -->"


def _yes(ok: bool) -> str:
    return "met" if ok else "**missed**"


def judge(
    small: ScaleResult,
    large: ScaleResult,
    load: list[dict],
    saves: list[dict] | None = None,
    hr: dict | None = None,
) -> list[tuple[str, bool, str]]:
    """Every budget: (what, met, the figures that decide it)."""
    verdicts: list[tuple[str, bool, str]] = []
    if hr:
        for step, label in (("check", "dry run"), ("apply", "apply")):
            worst = max(hr[f"first_{step}_s"], hr[f"second_{step}_s"])
            verdicts.append(
                (
                    f"People import {label} < {MAX_PEOPLE_IMPORT_S:.0f} s ({hr['staff']:,} staff)",
                    worst < MAX_PEOPLE_IMPORT_S,
                    f"first load {hr[f'first_{step}_s']} s, changed feed {hr[f'second_{step}_s']} s",
                )
            )
    for s in saves or []:
        mode = s["mode"]
        for what, label in (("kpi", "a KPI result"), ("session", "a session")):
            median = s[f"{what}_save_ms"]["median"]
            verdicts.append(
                (
                    f"Saving {label} ({mode}): median under {MAX_SAVE_MS:.0f} ms",
                    median is not None and median < MAX_SAVE_MS,
                    f"median {median} ms",
                )
            )
            if mode == "worker":
                p95 = s[f"{what}_to_flags_ms"]["p95"]
                verdicts.append(
                    (
                        f"Saving {label}, with a worker: flags follow within {MAX_TO_FLAGS_MS / 1000:.0f} s",
                        p95 is not None and p95 < MAX_TO_FLAGS_MS,
                        f"p95 {p95} ms",
                    )
                )
        if "incremental_person_ms" in s:
            median = s["incremental_person_ms"]["median"]
            verdicts.append(
                (
                    f"Incremental run for one person: median under {MAX_INCREMENTAL_MS:.0f} ms",
                    median is not None and median < MAX_INCREMENTAL_MS,
                    f"median {median} ms",
                )
            )
    for p in large.pages:
        if p.label.startswith(FLOOR):
            continue
        s = small.page(p.label)
        q_ok = s is not None and s.queries == p.queries and p.queries <= MAX_QUERIES
        verdicts.append(
            (
                f"{p.label}: queries",
                q_ok,
                f"{s.queries if s else '–'} at {small.employees:,}, {p.queries} at {large.employees:,}",
            )
        )
        t_ok = p.median_ms < MAX_MEDIAN_MS and p.floor_ratio <= MAX_FLOOR_RATIO
        verdicts.append(
            (f"{p.label}: time", t_ok, f"median {p.median_ms:.1f} ms, {p.floor_ratio:.1f}x the floor")
        )
    ratio = large.recompute_seconds / small.recompute_seconds if small.recompute_seconds else float("inf")
    verdicts.append(
        (
            f"Recompute at {large.employees:,} under {MAX_RECOMPUTE_S:.0f} s",
            large.recompute_seconds < MAX_RECOMPUTE_S,
            f"{large.recompute_seconds:.2f} s",
        )
    )
    verdicts.append(
        (
            f"Recompute at most {MAX_RECOMPUTE_RATIO:.0f}x the time at {small.employees:,}",
            ratio <= MAX_RECOMPUTE_RATIO,
            f"{ratio:.1f}x",
        )
    )
    verdicts.append(
        (
            f"Seed of {large.employees:,} employees under {MAX_SEED_S / 60:.0f} minutes",
            large.seed_seconds < MAX_SEED_S,
            f"{large.seed_seconds:.1f} s",
        )
    )
    if load:
        for r in load:
            if "error" in r:
                verdicts.append((f"Load test, {r['page']}: no errors", False, r["error"]))
            else:
                verdicts.append(
                    (
                        f"Load test, {r['page']}: no errors",
                        r["errors"] == 0 and r["requests"] > 0,
                        f"{r['errors']} errors in {r['requests']:,} requests",
                    )
                )
                if r.get("measured") == "client":
                    verdicts.append(
                        (
                            f"Load test, the mix: p99 under {MAX_LOAD_P99_MS:.0f} ms",
                            r["p99_ms"] is not None and r["p99_ms"] < MAX_LOAD_P99_MS,
                            f"p99 {r['p99_ms']} ms",
                        )
                    )
    return verdicts


def render(
    small: ScaleResult,
    large: ScaleResult,
    load: list[dict],
    args,
    saves: list[dict] | None = None,
    hr: dict | None = None,
) -> str:
    verdicts = judge(small, large, load, saves, hr)
    by_name = {name: ok for name, ok, _ in verdicts}
    met = sum(ok for _, ok, _ in verdicts)
    fs, fl = small.floor, large.floor
    S, L = f"{small.employees:,}", f"{large.employees:,}"
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (`python -m bench.run`) from a real run on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}: this project's 2-core machine (shared with other work, "
        "so timings are noisy), PostgreSQL on loopback. Server time is in-process through the Django "
        f"test client (request to response, no network), {args.requests} requests per page after one "
        "warm-up, each scale seeded into a fresh database.",
        "",
        f"**Budgets met: {met} of {len(verdicts)}.**"
        + (
            ""
            if met == len(verdicts)
            else " Missed: " + "; ".join(f"{n} ({why})" for n, ok, why in verdicts if not ok) + "."
        ),
        "",
        "## Seed",
        "",
        "| employees | seed time (s) | budget (under 2 minutes at the large scale) | steps |",
        "|---|---|---|---|",
        f"| {S} | {small.seed_seconds:.1f} | – | {', '.join(f'{k} {v}' for k, v in small.seed_steps)} |",
        f"| {L} | {large.seed_seconds:.1f} | {_yes(large.seed_seconds < MAX_SEED_S)} | "
        f"{', '.join(f'{k} {v}' for k, v in large.seed_steps)} |",
        "",
        "Rows in the council:",
        "",
        f"| | {S} | {L} |",
        "|---|---|---|",
        *(f"| {k} | {small.counts.get(k, 0):,} | {v:,} |" for k, v in large.counts.items()),
        "",
        "## Pages",
        "",
        f"Floor page: {fl.median_ms if fl else 0:.1f} ms median at {L} ({fs.median_ms if fs else 0:.1f} ms "
        f"at {S}), {fl.queries if fl else 0} queries (the session, the user, the viewer's staff record, "
        "the organisation's services, the navigation's question and the session's save). Each page's "
        "ratio is to the floor page's median timed in turn with it (the floor's own requests alternate "
        "with the page's), so both meet the same load on the shared machine. Budgets: the same number "
        f"of queries at both scales and at most {MAX_QUERIES}; at {L}, a median under "
        f"{MAX_MEDIAN_MS:.0f} ms and at most {MAX_FLOOR_RATIO:.0f}x the floor page's.",
        "",
        f"| page | as | queries at {S} | queries at {L} | queries / floor | median ms at {S} | "
        f"median ms at {L} | p95 ms at {L} | floor ms alongside | median / floor at {L} | KiB | "
        "query budget | time budget | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in large.pages:
        s = small.page(p.label)
        is_floor = p.label.startswith(FLOOR)
        lines.append(
            f"| {p.label} | {p.persona} | {s.queries if s else '–'} | {p.queries} | "
            f"{p.queries / fl.queries if fl and fl.queries else 0:.1f}x | {s.median_ms if s else 0:.1f} | "
            f"{p.median_ms:.1f} | {p.p95_ms:.1f} | {p.floor_ms:.1f} | {p.floor_ratio:.1f}x | "
            f"{p.kib:.0f} | {'–' if is_floor else _yes(by_name[f'{p.label}: queries'])} | "
            f"{'–' if is_floor else _yes(by_name[f'{p.label}: time'])} | {p.status} |"
        )
    ratio = large.recompute_seconds / small.recompute_seconds if small.recompute_seconds else 0
    lines += [
        "",
        "## Recompute run (skills gaps and every flag rule, whole organisation)",
        "",
        "| employees | time (s) | queries |",
        "|---|---|---|",
        f"| {S} | {small.recompute_seconds:.2f} | {small.recompute_queries} |",
        f"| {L} | {large.recompute_seconds:.2f} | {large.recompute_queries} |",
        "",
        f"Time ratio {L} / {S}: {ratio:.1f}x (budget: at most {MAX_RECOMPUTE_RATIO:.0f}x, "
        f"{_yes(ratio <= MAX_RECOMPUTE_RATIO)}). Time at {L}: budget under {MAX_RECOMPUTE_S:.0f} s, "
        f"{_yes(large.recompute_seconds < MAX_RECOMPUTE_S)}.",
        "",
        *saves_section(saves, L),
        *hr_import_section(hr),
        f"## Load test (wrk against gunicorn, gthread 4 workers x 4 threads, loopback, "
        f"{getattr(args, 'connections', 64)} connections, {args.load_seconds} s, at {L})",
        "",
        "A mix of every persona's main pages and two saves (bench/load/), each connection "
        f"waiting {getattr(args, 'think_ms', 0)} ms on average between its requests; two Celery "
        "workers (`-Q recompute`, `-Q email,default`) over the bench's own Redis process the saves' "
        "recomputes meanwhile. The first row is wrk's, client-side (queueing included); the others "
        "are per kind of request from gunicorn's access log, server-side.",
        "",
    ]
    if not load:
        lines.append("Not run (`--no-load`).")
    else:
        lines += [
            "| what | measured | requests | requests/s | p50 ms | p99 ms | errors | budget (no errors) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in load:
            if "error" in r:
                lines.append(f"| {r['page']} | | {r['error']} | | | | | **missed** |")
            else:
                p50, p99 = r.get("p50_ms"), r["p99_ms"]
                lines.append(
                    f"| {r['page']} | {r.get('measured', 'client')} | {r['requests']:,} | {r['rps']:.1f} | "
                    f"{f'{p50:.1f}' if p50 is not None else '–'} | "
                    f"{f'{p99:.1f}' if p99 is not None else '–'} | {r['errors']} "
                    f"({r['non2xx']} non-2xx/3xx, {r['socket_errors']} socket) | "
                    f"{_yes(r['errors'] == 0 and r['requests'] > 0)} |"
                )
    return "\n".join(lines) + "\n"


def saves_section(saves: list[dict] | None, large: str) -> list[str]:
    """The saves and recomputes (bench/saves.py), at the large scale."""
    lines = [f"## Saves and recomputes (at {large}, bench/saves.py)", ""]
    if not saves:
        return [*lines, "Not run (`--no-saves`).", ""]
    lines += [
        "A save's request, in-process (request to response), and from the same start until the run that "
        "save asked for has finished. *Embedded*: no task queue (`make run`), the run after the response, "
        "once for a burst (core/after_response.py: it waits for 0.3 s of quiet first). *Worker*: a Redis "
        f"and a Celery worker started by the bench. Budgets: a save's median under {MAX_SAVE_MS:.0f} ms in "
        f"both modes; with a worker, flags follow within {MAX_TO_FLAGS_MS / 1000:.0f} s (95th percentile).",
        "",
        "| mode | save | saves | request median ms | request p95 ms | to flags median ms | to flags p95 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in saves:
        for what, label in (("kpi", "KPI result"), ("session", "session (draft)")):
            req, flags = s[f"{what}_save_ms"], s[f"{what}_to_flags_ms"]
            lines.append(
                f"| {s['mode']} | {label} | {req['n']} | {req['median']} | {req['p95']} | "
                f"{flags['median']} | {flags['p95']} |"
            )
    for s in saves:
        if "incremental_person_ms" in s:
            inc = s["incremental_person_ms"]
            lines += [
                "",
                f"Incremental run for one person (what a session or a skill rating asks for), {inc['n']} people "
                f"across the council: median {inc['median']} ms, p95 {inc['p95']} ms (budget: median under "
                f"{MAX_INCREMENTAL_MS:.0f} ms); it recomputes the person's whole service (median "
                f"{s['incremental_people_recomputed_median']} people), since everyone there is judged against "
                f"the service's coverage. A full run in the same process: {s['full_run_s']} s for "
                f"{s['staff']:,} staff.",
            ]
    return [*lines, ""]


def hr_import_section(hr: dict | None) -> list[str]:
    """The people import (bench/hr_import.py): an iTrent file, first load and a changed feed."""
    lines = ["## People import (bench/hr_import.py)", ""]
    if not hr:
        return [*lines, "Not run (`--no-hr-import`).", ""]
    lines += [
        f"An iTrent file of {hr['staff']:,} staff ({hr['bytes'] / 1e6:.1f} MB) into an organisation with its "
        "directorates set up, then a changed feed (movers, leavers, new line managers, new starters), both "
        "marked as listing everyone. The apply's time includes its commit (and, without a worker, the "
        f"recompute the outbox runs in-process). Budget: each under {MAX_PEOPLE_IMPORT_S:.0f} s.",
        "",
        "| feed | dry run s | dry run queries | apply s | apply queries | what it changed |",
        "|---|---|---|---|---|---|",
    ]
    for label, key in (("first load", "first"), ("changed feed", "second")):
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in hr[f"{key}_counts"].items() if v)
        lines.append(
            f"| {label} | {hr[f'{key}_check_s']} | {hr[f'{key}_check_queries']} | {hr[f'{key}_apply_s']} | "
            f"{hr[f'{key}_apply_queries']} | {counts} |"
        )
    return [*lines, ""]


def with_hand_written(text: str, output: Path) -> str:
    """The generated report, then the hand-written part of the existing file."""
    kept = ""
    if output.exists():
        old = output.read_text()
        if HAND_WRITTEN_MARK in old:
            kept = old[old.index(HAND_WRITTEN_MARK) + len(HAND_WRITTEN_MARK) :]
    return f"{text}\n{HAND_WRITTEN_MARK}{kept or chr(10)}"

"""The benchmark must not rot: run it at a tiny scale, one request per page."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _table(out: str, heading: str) -> list[list[str]]:
    """The rows of the markdown table under ``heading``, as lists of cells."""
    section = out.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in r] for r in rows[1:] if not set(r[0].strip()) <= {"-"}]


def test_bench_smoke():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "## Recompute run" in out and "Budgets met:" in out
    pages = _table(out, "## Pages")
    labels = [r[0] for r in pages]
    assert labels[0].startswith("Floor page")
    for wanted in ("My goals", "Team dashboard", "Team goals", "KPI scorecard", "KPI detail", "Session form"):
        assert wanted in labels, labels
    assert any(label.startswith("Quarterly report") for label in labels)
    assert any(label.startswith("Service dashboard") for label in labels)
    # every measured page answered 200 and was judged in words
    assert all(r[-1] == "200" for r in pages), pages
    assert all(r[-3] in ("met", "**missed**") and r[-2] in ("met", "**missed**") for r in pages[1:]), pages

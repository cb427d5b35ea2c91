"""The benchmark must not rot: run it at a tiny scale, one request per page."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
    assert "## Pages" in out and "Floor page" in out and "## Recompute run" in out
    # every measured page answered 200
    rows = [line for line in out.splitlines() if line.startswith("| ") and line.rstrip().endswith("|")]
    page_rows = [r for r in rows if r.count("|") == 9 and "median" not in r and "---" not in r]
    assert page_rows and all(r.rstrip(" |").endswith("200") for r in page_rows), page_rows

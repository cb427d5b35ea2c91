"""Write the HR sample files in demo/hr_samples/ (committed; the tests read them).

Deterministic: running it again writes the same bytes. Usage:
    .venv/bin/python scripts/hr_samples.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")

import django  # noqa: E402

django.setup()

from demo.hr_feed import feed_people, write_feed  # noqa: E402

OUT = ROOT / "demo" / "hr_samples"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    small = feed_people(30, seed=7, directorates=["Housing"])
    for system in ("itrent", "oracle", "successfactors", "unit4"):
        (OUT / f"{system}.csv").write_text(write_feed(small, system), newline="")
    (OUT / "itrent_1200.csv").write_text(write_feed(feed_people(1200, seed=2026), "itrent"), newline="")
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(ROOT)}: {len(path.read_bytes().splitlines()) - 1} people")


if __name__ == "__main__":
    main()

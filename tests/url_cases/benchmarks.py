"""Benchmarks against other councils: performance officers only (the outsider is
one in their own organisation, so sees their own). The pages take no object:
each shows and changes the viewer's own organisation's benchmarks."""

from tests.url_cases import Case

OFFICERS = {"officer": 200, "outsider": 200}

CASES = [
    Case("organisations:benchmark_list", default=403, expect=OFFICERS),
    Case("organisations:benchmark_import", methods=("GET", "POST"), default=403, expect=OFFICERS),
    Case("organisations:benchmark_area_code", methods=("GET", "POST"), default=403, expect=OFFICERS),
]

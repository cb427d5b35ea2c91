"""The benchmark CSV: other councils' figures for a measure, in the shape LG
Inform and similar sites export (one row per area and period).

Columns, named in the first row (case, spaces and hyphens do not matter; the
names in brackets are read the same): ``area_code`` (code, ons_code, gss_code),
``period`` (time_period), ``value`` (data_value), and optionally ``area_name``
(area, name), ``measure`` (metric, metric_id, measure_code) and ``measure_name``
(metric_name, indicator_name). Without a ``measure`` column the whole file is
the measure chosen on the import form.

Nothing here touches the database; the import service checks the rows.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from organisations.services.kpi_csv import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_LABEL,
    CsvFileError,
    CsvRow,
    csv_rows,
    open_csv,
)

__all__ = ["MAX_UPLOAD_BYTES", "MAX_UPLOAD_LABEL", "CsvFileError", "CsvRow", "iter_benchmark_csv"]

REQUIRED_COLUMNS = ("area_code", "period", "value")
OPTIONAL_COLUMNS = ("area_name", "measure", "measure_name")
ALIASES = {
    "area_code": ("area_code", "code", "ons_code", "gss_code", "area_id"),
    "area_name": ("area_name", "area", "name", "local_authority"),
    "period": ("period", "time_period", "period_label"),
    "value": ("value", "data_value"),
    "measure": ("measure", "metric", "metric_id", "measure_code", "metric_type_id"),
    "measure_name": ("measure_name", "metric_name", "metric_type", "indicator_name"),
}

# What published tables write where no figure is published: suppressed, not
# collected or not applicable. A row with one of these is skipped, not refused.
NOT_PUBLISHED = frozenset(
    {"", "-", "–", ":", "..", ".", "x", "[x]", "c", "[c]", "[z]", "z", "*", "n/a", "na"}
)


def iter_benchmark_csv(
    stream: BinaryIO, *, filename: str = "", measure_given: bool = False
) -> Iterator[CsvRow]:
    """Rows of an uploaded benchmark file, read as they are needed, each with the
    columns above under their own names. A file without a ``measure`` column needs
    ``measure_given`` (the form's measure). File-level problems raise
    :class:`CsvFileError` in words a performance officer can act on."""
    records, header = open_csv(stream, filename=filename)
    positions: dict[str, int] = {}
    for column, names in ALIASES.items():
        for name in names:
            if name in header:
                positions[column] = header.index(name)
                break
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if "measure" not in positions and not measure_given:
        missing.append("measure")
    if missing:
        names = ", ".join(missing)
        raise CsvFileError(
            f"The file is missing the column{'s' if len(missing) > 1 else ''} {names}. The first row "
            f"must name the columns: {', '.join(REQUIRED_COLUMNS)}, and measure unless you enter "
            "the measure's code on this page."
        )
    return csv_rows(records, positions)


def read_benchmark_csv(data: bytes, *, filename: str = "", measure_given: bool = False) -> list[CsvRow]:
    """All the rows of a (small) file held in memory: for tests, the demo and scripts."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise CsvFileError(f"The file must be smaller than {MAX_UPLOAD_LABEL}. Split it into smaller files.")
    if not data.strip():
        raise CsvFileError("The selected file is empty.")
    return list(iter_benchmark_csv(io.BytesIO(data), filename=filename, measure_given=measure_given))

"""The KPI results CSV: reading an upload into rows, parsing its cells, writing it.

The columns are the contract with performance officers' spreadsheets:
``kpi_code, period_end, value, commentary, corrective_action`` (both internal,
never published), and optionally ``public_commentary`` (the text shown on the
public performance page; a file without the column leaves it as it was). An
export has those six first, then columns for reading (name, period, target,
status) that an import ignores, so an exported file imports unchanged.

Nothing here touches the database; the import service validates rows against
the organisation's KPIs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

REQUIRED_COLUMNS = ("kpi_code", "period_end", "value", "commentary", "corrective_action")
OPTIONAL_COLUMNS = ("public_commentary",)
EXPORT_EXTRA_COLUMNS = ("kpi_name", "service", "period", "unit", "target", "status")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_LABEL = "2 MB"

# The value column is stored as DecimalField(max_digits=14, decimal_places=4).
VALUE_DECIMAL_PLACES = 4
VALUE_MAX_DIGITS = 14

# Spreadsheet programs run a cell that starts with one of these as a formula
# (CSV injection). Exports prefix such text with an apostrophe, which
# spreadsheets hide and imports strip again, so a round trip is lossless.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvFileError(Exception):
    """The file as a whole cannot be read: too big, not UTF-8 text, wrong columns."""


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, str]


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def iter_results_csv(stream: BinaryIO, *, filename: str = "") -> Iterator[CsvRow]:
    """Rows of an uploaded results file, read as they are needed (the file is
    never held whole as text or rows). File-level problems are raised as
    :class:`CsvFileError` in words a performance officer can act on: those of the
    header when this is called, later ones (bad bytes part-way) while iterating."""
    return iter_csv(stream, filename=filename, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)


def iter_csv(
    stream: BinaryIO, *, filename: str = "", required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[CsvRow]:
    """Rows of any uploaded CSV file with the ``required`` columns (and any of
    the ``optional`` ones), as :func:`iter_results_csv` reads the results file."""
    records, header = open_csv(stream, filename=filename)
    missing = [c for c in required if c not in header]
    if missing:
        names = ", ".join(missing)
        raise CsvFileError(
            f"The file is missing the column{'s' if len(missing) > 1 else ''} {names}. "
            f"The first row must name the columns: {', '.join(required)}."
        )
    positions = {c: header.index(c) for c in (*required, *optional) if c in header}
    return csv_rows(records, positions)


def open_csv(stream: BinaryIO, *, filename: str = "") -> tuple[Iterator[list[str]], list[str]]:
    """An uploaded file's CSV records after the first, and its first row's column
    names normalised (lower case, spaces and hyphens as underscores). Raises
    :class:`CsvFileError` for a file that is not CSV, not UTF-8, empty or binary."""
    lowered = filename.lower()
    extension = lowered.rsplit(".", 1)[-1] if "." in lowered else ""
    start = stream.read(4)
    if extension not in ("", "csv", "txt") or start == b"PK\x03\x04":
        raise CsvFileError(
            "The file must be a CSV file. In your spreadsheet, choose Save As and then 'CSV UTF-8'."
        )
    stream.seek(0)
    # Excel's "CSV UTF-8" starts with a byte-order mark.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    records = csv.reader(text, strict=True)
    try:
        header_record = next(records, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _file_error(exc) from None
    if header_record is None:
        raise CsvFileError("The selected file is empty.")
    if any("\x00" in cell for cell in header_record):
        raise CsvFileError("The file must be a CSV file (it contains binary data).")
    return records, [_normalise_header(h) for h in header_record]


def _file_error(exc: Exception) -> CsvFileError:
    if isinstance(exc, UnicodeDecodeError):
        return CsvFileError(
            "The file must be saved as UTF-8. In your spreadsheet, choose Save As and then 'CSV UTF-8'."
        )
    if "NUL" in str(exc) or "\x00" in str(exc):
        return CsvFileError("The file must be a CSV file (it contains binary data).")
    return CsvFileError(f"The file could not be read as CSV: {exc}.")


def csv_rows(records, positions: dict[str, int]) -> Iterator[CsvRow]:
    """The records as rows holding the cells at ``positions`` (column name to index),
    numbered as a spreadsheet numbers them, blank lines skipped."""
    try:
        for number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue  # blank lines at the end of a spreadsheet export
            if any("\x00" in cell for cell in record):
                raise CsvFileError("The file must be a CSV file (it contains binary data).")
            cells = {c: (record[i] if i < len(record) else "") for c, i in positions.items()}
            yield CsvRow(number=number, cells=cells)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _file_error(exc) from None


def read_results_csv(data: bytes, *, filename: str = "") -> list[CsvRow]:
    """All the rows of a (small) results file held in memory: for tests and
    scripts. Uploads stream through :func:`iter_results_csv`."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise CsvFileError(f"The file must be smaller than {MAX_UPLOAD_LABEL}. Split it into smaller files.")
    if not data.strip():
        raise CsvFileError("The selected file is empty.")
    rows = list(iter_results_csv(io.BytesIO(data), filename=filename))
    if not rows:
        raise CsvFileError("The file has a header row but no results.")
    return rows


MIN_YEAR = 1900
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def parse_date(text: str) -> date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY (the UK order); None otherwise.
    DD/MM is never read as MM/DD: 03/04/2026 is 3 April."""
    text = (text or "").strip()
    try:
        if _ISO_DATE.match(text):
            parsed = datetime.strptime(text, "%Y-%m-%d").date()
        elif _UK_DATE.match(text):
            parsed = datetime.strptime(text, "%d/%m/%Y").date()
        else:
            return None
    except ValueError:
        return None
    # Years before 1900 are typing slips, and a year near 1 has no financial year
    # before it that Python can hold.
    return parsed if parsed.year >= MIN_YEAR else None


def parse_value(text: str) -> tuple[Decimal | None, str]:
    """A KPI value and an error message (empty when it parsed). Accepts what
    spreadsheets write: thousands separators, a leading £ and a trailing %."""
    raw = (text or "").strip()
    if not raw:
        return None, "Enter a value."
    cleaned = raw.replace(",", "").replace("\u00a3", "").replace("\u2212", "-").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, f"'{raw}' is not a number. Enter a number, like 96.5."
    if not value.is_finite():
        return None, f"'{raw}' is not a number. Enter a number, like 96.5."
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > VALUE_DECIMAL_PLACES:
        return None, f"Use no more than {VALUE_DECIMAL_PLACES} decimal places."
    if abs(value) >= Decimal(10) ** (VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES):
        return None, "The value is too large."
    return value, ""


def unprotect_cell(text: str) -> str:
    """Undo the export's formula guard: "'=x" back to "=x"."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


def protect_cell(text: str) -> str:
    if text and text[0] in _FORMULA_STARTS:
        return "'" + text
    return text


def format_date(d: date) -> str:
    return d.isoformat()


def plain_number(value: Decimal | None) -> str:
    """A value as a plain number a spreadsheet reads back exactly: no %, no
    thousands separator, no trailing zeros beyond the stored places."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def write_results_csv(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    """Lines of an export; text cells are guarded against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *EXPORT_EXTRA_COLUMNS)
    writer.writerow(columns)
    yield buffer.getvalue()
    guarded = {"kpi_code", "commentary", "corrective_action", "public_commentary", "kpi_name", "service"}
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([protect_cell(row.get(c, "")) if c in guarded else row.get(c, "") for c in columns])
        yield buffer.getvalue()

"""Reading a people file from the HR system: CSV or Excel (.xlsx) bytes into rows
of the import's own fields, with the limits every upload is held to.

CSV text is read as UTF-8 (with or without the byte-order mark Excel's "CSV UTF-8"
writes) and, when it is not valid UTF-8, as Windows-1252 (what Excel's plain "CSV"
writes on a UK Windows PC); the check page says which. UTF-16 ("Unicode text") and
anything with binary bytes are refused with a message saying how to save the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

from organisations.services import hr_systems

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000


def max_bytes() -> int:
    return getattr(settings, "PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "PEOPLE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def size_label(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


class HRFileError(Exception):
    """The file as a whole cannot be read: too big, wrong kind, wrong encoding, no columns."""


@dataclass
class HRRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, object]


@dataclass
class HRFile:
    system: str
    encoding: str  # "UTF-8", "Windows-1252" or "Excel"
    columns: dict[str, str]  # field -> the header it was read from
    rows: list[HRRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headers the import does not read


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_xlsx(data: bytes, filename: str) -> bool:
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise HRFileError(
            "The file is saved as UTF-16 or holds binary data. In your spreadsheet, choose "
            "Save As and then 'CSV UTF-8', or upload the Excel file (.xlsx) itself."
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise HRFileError(
            f"The file is not UTF-8 or Windows-1252 text (byte {exc.start + 1} cannot be read). "
            "In your spreadsheet, choose Save As and then 'CSV UTF-8'."
        ) from None


def _records_csv(data: bytes) -> tuple[list[list[str]], str]:
    text, encoding = decode(data)
    if "\x00" in text:
        raise HRFileError("The file holds binary data: upload a CSV or Excel (.xlsx) file.")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise HRFileError(f"The file could not be read as CSV: {exc}.") from None
    return records, encoding


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an employee number a spreadsheet stored as a number
    return str(value)


def _records_xlsx(data: bytes, limit: int) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise HRFileError(
            "The file could not be read as an Excel workbook (.xlsx). Save it again from your "
            "spreadsheet, or as 'CSV UTF-8'."
        ) from None
    try:
        sheet = book.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            records.append([_cell(v) for v in values[:200]])
            if len(records) > limit + 1:
                break
        return records
    finally:
        book.close()


def read_hr_file(data: bytes, *, filename: str = "", system: str = "") -> HRFile:
    """Every row of the file, its cells under the import's field names. ``system``
    chooses the column names; empty: the system whose names match best."""
    if len(data) > max_bytes():
        raise HRFileError(f"The file must be smaller than {size_label(max_bytes())}.")
    if not data.strip():
        raise HRFileError("The selected file is empty.")
    if is_xlsx(data, filename):
        records, encoding = _records_xlsx(data, max_rows()), "Excel"
    else:
        records, encoding = _records_csv(data)
    while records and not any(str(c).strip() for c in records[0]):
        records.pop(0)
    if not records:
        raise HRFileError("The selected file is empty.")
    headers = [str(h).strip() for h in records[0]]
    system = system or hr_systems.detect_system(headers)
    mapping = hr_systems.header_map(system)
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for i, header in enumerate(headers):
        name = mapping.get(hr_systems.normalise_header(header))
        if name and name not in positions:
            positions[name], columns[name] = i, header
        elif header:
            ignored.append(header)
    missing = [f for f in hr_systems.REQUIRED if f not in positions]
    if "service_path" not in positions and "service_code" not in positions:
        missing.append("service_path")
    if missing:
        wanted = "; ".join(
            f"{hr_systems.FIELD_LABELS[f]} ({' or '.join(hr_systems.COLUMNS[system][f][:2])})"
            for f in missing
        )
        raise HRFileError(
            f"The file has no column for: {wanted}. The first row must name the columns; "
            "docs/HR_IMPORT.md lists the names each HR system uses."
        )
    rows: list[HRRow] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(str(c).strip() for c in record):
            continue
        if len(rows) >= max_rows():
            raise HRFileError(
                f"The file has more than {max_rows():,} people: the most one import takes. "
                "Ask for the limit (PEOPLE_IMPORT_MAX_ROWS) to be raised, or split the file."
            )
        cells = {f: (record[i] if i < len(record) else "") for f, i in positions.items()}
        rows.append(HRRow(number, cells))
    if not rows:
        raise HRFileError("The file has a header row but no people.")
    return HRFile(system=system, encoding=encoding, columns=columns, rows=rows, ignored=ignored)

"""CSV for spreadsheet users (``?format=csv`` or ``Accept: text/csv``): one row
per result, nested fields flattened to dotted columns (``latest_result.status``).
A page's links are in the ``Link`` header (see pagination.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer

# A cell starting with one of these is read as a formula by spreadsheets: prefixed
# with an apostrophe so text typed into the product never runs in Excel.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def flatten(row: Any, prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}, "c": [1, 2]} -> {"a.b": 1, "c": "1; 2"}."""
    if not isinstance(row, dict):
        return {prefix or "value": row}
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        elif isinstance(value, list):
            flat[name] = "; ".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        try:
            float(text)  # a negative number is a number, not a formula
        except ValueError:
            return "'" + text
    return text


def columns_of(serializer, prefix: str = "") -> list[str]:
    """The dotted column names of a serializer's fields, nested ones flattened:
    the same columns on every page, and on an empty one."""
    from rest_framework.serializers import BaseSerializer

    names: list[str] = []
    for name, field in serializer.fields.items():
        dotted = f"{prefix}.{name}" if prefix else name
        if (
            isinstance(field, BaseSerializer)
            and hasattr(field, "fields")
            and not getattr(field, "many", False)
        ):
            names += columns_of(field, dotted)
        else:
            names.append(dotted)
    return names


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]  # one object, or an error message
        flat = [flatten(r) for r in rows]
        view = (renderer_context or {}).get("view")
        response = (renderer_context or {}).get("response")
        columns: list[str] = []
        if view is not None and hasattr(view, "get_serializer") and not (response and response.exception):
            columns = columns_of(view.get_serializer())
        for row in flat:
            columns += [c for c in row if c not in columns]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in flat:
            writer.writerow([_cell(row.get(c)) for c in columns])
        # A byte-order mark, so Excel reads the file as UTF-8 (names with accents, "£").
        return ("\ufeff" + out.getvalue()).encode("utf-8")

"""The paper's chart, drawn on the server: KPIs by status as bars, each bar
labelled with its status in words and its count, so the chart reads without
colour. PNG (Pillow) for Word, SVG for the PDF."""

from __future__ import annotations

import io
from html import escape

from PIL import Image, ImageDraw, ImageFont

from core import glossary

# GOV.UK colours of the status tags.
COLOURS = {
    glossary.RED: "#d4351c",
    glossary.AMBER: "#f47738",
    glossary.GREEN: "#00703c",
    glossary.GREY: "#505a5f",
    glossary.NO_RESULT: "#b1b4b6",
}
TEXT = "#0b0c0c"


def _bars(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(label, colour, count) per status, worst first."""
    return [(glossary.kpi_status_label(s), COLOURS[s], n) for s, n in counts.items()]


def chart_title(counts: dict[str, int]) -> str:
    return "KPIs by status at the end of the quarter: " + ", ".join(
        f"{label} {n}" for label, _, n in _bars(counts)
    )


def status_chart_png(counts: dict[str, int], *, scale: int = 2) -> bytes:
    """A horizontal bar per status: the label on the left, the bar, its count."""
    bars = _bars(counts)
    row, label_w, bar_w, pad = 34 * scale, 190 * scale, 360 * scale, 12 * scale
    width = label_w + bar_w + 70 * scale
    height = pad * 2 + row * len(bars)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=16 * scale)
    top = max((n for _, _, n in bars), default=0) or 1
    for i, (label, colour, n) in enumerate(bars):
        y = pad + i * row
        draw.text((pad, y + row // 2), label, fill=TEXT, font=font, anchor="lm")
        length = round(bar_w * n / top)
        if length:
            draw.rectangle([label_w, y + 5 * scale, label_w + length, y + row - 5 * scale], fill=colour)
        draw.text((label_w + length + 8 * scale, y + row // 2), str(n), fill=TEXT, font=font, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def status_chart_svg(counts: dict[str, int]) -> str:
    """The same chart as inline SVG, with a title for assistive technology and
    its words as text (the PDF's text layer holds them)."""
    bars = _bars(counts)
    row, label_w, bar_w = 26, 140, 300
    height = 8 + row * len(bars)
    width = label_w + bar_w + 50
    top = max((n for _, _, n in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="status-chart-title">',
        f'<title id="status-chart-title">{escape(chart_title(counts))}</title>',
    ]
    for i, (label, colour, n) in enumerate(bars):
        y = 4 + i * row
        length = round(bar_w * n / top)
        parts.append(f'<text x="0" y="{y + row / 2 + 5}" font-size="13" fill="{TEXT}">{escape(label)}</text>')
        if length:
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="{row - 8}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{label_w + length + 6}" y="{y + row / 2 + 5}" font-size="13" fill="{TEXT}">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

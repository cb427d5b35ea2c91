"""The committee paper as a Word document (python-docx): headings a screen
reader can move between, real tables with header rows, and each status as a
word in a cell shaded with its colour."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core import glossary
from insights.models import PaperSection
from insights.selectors import QuarterRow
from insights.services.papers import charts
from insights.services.papers.content import Paper, direction_words, status_label

WHITE_TEXT = {glossary.RED, glossary.GREEN, glossary.GREY}
# The default template's heading styles by id: python-docx looks a style up by its
# name on every use (a walk of every style), a quarter of the time of a large paper.
HEADING_STYLE_IDS = {1: "Heading1", 2: "Heading2", 3: "Heading3"}


def _heading(doc, text: str, level: int) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = HEADING_STYLE_IDS[level]


def _shade(cell, status: str) -> None:
    """Fill a status cell with its colour; the word in it carries the meaning."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), charts.COLOURS[status].lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)
    run = cell.paragraphs[0].runs[0]
    run.bold = True
    if status in WHITE_TEXT:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc, headers: list[str], rows: list[list[str]], *, status_col: int | None = None, statuses=()):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    _repeat_header(table.rows[0])
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
        if status_col is not None:
            _shade(cells[status_col], statuses[i])
    return table


def _definition(doc, label: str, text: str) -> None:
    p = doc.add_paragraph()
    p.add_run(f"{label}: ").bold = True
    p.add_run(text or "None given.")


def _kpi_detail(doc, r: QuarterRow) -> None:
    _heading(doc, f"{r.kpi.code} {r.kpi.name}", 3)
    _definition(doc, "Service", r.kpi.service.name)
    _definition(
        doc,
        f"Actual ({r.period_label})",
        f"{r.value_display} against a target of {r.target_display}: {status_label(r.status)}",
    )
    _definition(
        doc,
        "Against the previous quarter",
        direction_words(r.direction_previous, r.previous_display, r.previous_quarter is not None),
    )
    _definition(
        doc,
        "Against the same quarter last year",
        direction_words(r.direction_last_year, r.last_year_display, r.last_year is not None),
    )
    _definition(doc, "Commentary", r.result.commentary if r.result else "")
    _definition(doc, "Corrective action", r.result.corrective_action if r.result else "")


def _summary(doc, paper: Paper) -> None:
    doc.add_paragraph(paper.summary_sentence)
    doc.add_picture(io.BytesIO(charts.status_chart_png(paper.counts)), width=Cm(15))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.LEFT
    caption = doc.add_paragraph(charts.chart_title(paper.counts))
    caption.runs[0].italic = True
    statuses = list(paper.counts)
    _table(
        doc,
        ["Status", "KPIs"],
        [[status_label(s), str(n)] for s, n in paper.counts.items()],
        status_col=0,
        statuses=statuses,
    )


def _exceptions(doc, paper: Paper) -> None:
    doc.add_paragraph(paper.exception_rule)
    if not paper.exceptions:
        doc.add_paragraph("No KPI is an exception this quarter.")
    for r in paper.exceptions:
        _kpi_detail(doc, r)


def _service_tables(doc, paper: Paper) -> None:
    if not paper.services:
        doc.add_paragraph("No KPIs are set for this scope.")
    for table in paper.services:
        _heading(doc, table.name, 3)
        doc.add_paragraph(
            f"{len(table.rows)} KPIs: "
            + ", ".join(f"{n} {status_label(s).lower()}" for s, n in table.counts.items() if n)
            + "."
        )
        _table(
            doc,
            ["KPI", "Period", "Target", "Actual", "Status", "Against the previous quarter"],
            [
                [
                    f"{r.kpi.code} {r.kpi.name}",
                    r.period_label,
                    r.target_display,
                    r.value_display,
                    status_label(r.status),
                    direction_words(r.direction_previous, r.previous_display, r.previous_quarter is not None),
                ]
                for r in table.rows
            ],
            status_col=4,
            statuses=[r.status for r in table.rows],
        )


def _commentary(doc, paper: Paper) -> None:
    if not paper.commented:
        doc.add_paragraph("No other KPI has commentary this quarter.")
    for r in paper.commented:
        _kpi_detail(doc, r)


def _risks(doc, paper: Paper) -> None:
    risks = paper.report.risks
    if not risks:
        doc.add_paragraph("No open risk is above its target score.")
        return
    doc.add_paragraph(
        f"Open risks whose residual score is above their target score, as at "
        f"{glossary.long_date(paper.report.today)}."
    )
    _table(
        doc,
        ["Risk", "Service", "Residual score", "Target score", "Response", "Review due"],
        [
            [
                f"{risk.reference} {risk.title}".strip(),
                risk.service.name if risk.service else "Corporate",
                f"{risk.residual_score} ({risk.residual_band})",
                str(risk.target_score),
                risk.get_response_display(),
                glossary.long_date(risk.review_due),
            ]
            for risk in risks
        ],
    )


def _workforce(doc, paper: Paper) -> None:
    w, s = paper.report.workforce, paper.report.supervision
    doc.add_paragraph(
        f"As at {glossary.long_date(paper.report.today)}: {w.headcount} people, {w.fte:.1f} FTE. "
        f"Interim and agency staff are {w.interim_share:.1f}% of FTE: "
        f"{'above' if w.above_threshold else 'within'} the threshold of {w.threshold}%."
    )
    _table(
        doc,
        ["Employment type", "People", "FTE", "Contracts ending within 30 days", "Within 90 days"],
        [[r.label, str(r.headcount), f"{r.fte:.1f}", str(r.ending_30), str(r.ending_90)] for r in w.rows],
    )
    doc.add_paragraph(
        f"Supervision compliance: {s.percent:.0f}% of staff ({s.in_date} of {s.total}) have had "
        f"feedback within their interval; {s.overdue_count} overdue."
    )


RENDER = {
    PaperSection.SUMMARY: _summary,
    PaperSection.EXCEPTIONS: _exceptions,
    PaperSection.SERVICE_TABLES: _service_tables,
    PaperSection.COMMENTARY: _commentary,
    PaperSection.RISKS: _risks,
    PaperSection.WORKFORCE: _workforce,
}


def paper_docx(paper: Paper) -> bytes:
    doc = Document()
    doc.core_properties.title = paper.title
    doc.core_properties.subject = paper.subtitle
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(paper.title, level=0)
    doc.add_paragraph(paper.subtitle + ".")
    doc.add_paragraph(f"Paper for: {paper.committee}.")
    for para in paper.intro.splitlines():
        if para.strip():
            doc.add_paragraph(para.strip())
    for section, heading in paper.numbered:
        _heading(doc, heading, 1)
        RENDER[section](doc, paper)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

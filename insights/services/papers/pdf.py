"""The committee paper as a PDF: an HTML document (templates/insights/papers/)
laid out for A4 and printed by WeasyPrint, with the chart as SVG so its words
are in the PDF's text layer."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from insights.services.papers import charts
from insights.services.papers.content import Paper


def paper_html(paper: Paper) -> str:
    return render_to_string(
        "insights/papers/paper.html",
        {
            "paper": paper,
            "chart_svg": charts.status_chart_svg(paper.counts),
            "chart_title": charts.chart_title(paper.counts),
        },
    )


def paper_pdf(paper: Paper) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the
    # processes that print a paper need.
    import weasyprint

    return weasyprint.HTML(string=paper_html(paper), base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )

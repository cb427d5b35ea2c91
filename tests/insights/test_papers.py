"""Committee papers: the quarterly report as Word and PDF, read back with the
libraries that read those files (python-docx, pypdf, and pypdfium2 to render
the PDF's first page), shaped by a committee's template."""

import io

import pypdf
import pypdfium2
import pytest
from django.urls import reverse
from docx import Document

from insights.models import CommitteeTemplate
from tests.conftest import client_for
from tests.insights.test_report import Q2, report_world  # noqa: F401 (a fixture)

EXCEPTION_NARRATIVE = ("Staff shortages in the prevention team.", "recruit two officers")


def docx_text(content: bytes) -> str:
    """Every paragraph and every table cell of a Word document, in order."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def words(text: str) -> list[str]:
    return text.split()


def download(client, kind: str, **params):
    return client.get(reverse(f"insights:quarterly_report_{kind}"), {**Q2, **params})


@pytest.fixture
def papers_world(report_world):  # noqa: F811
    w = report_world
    # A KPI that is not an exception but carries commentary: scrutiny reads it, cabinet does not.
    improving = w.service.kpis.get(code="HO-03")
    result = improving.results.get(period_end__month=9, period_end__year=2025)
    result.commentary = "Collection improved after the new payment portal."
    result.save()
    w.cabinet = CommitteeTemplate.objects.create(
        organisation=w.org,
        name="Cabinet",
        sections=["summary", "exceptions"],
        intro="For Cabinet on 12 November.",
        distribution="leader@testshire.gov.uk\ncabinet.clerk@testshire.gov.uk",
    )
    w.scrutiny = CommitteeTemplate.objects.create(
        organisation=w.org,
        name="Overview and scrutiny",
        sections=["summary", "exceptions", "service_tables", "commentary", "risks", "workforce"],
        distribution="scrutiny@testshire.gov.uk",
    )
    return w


def test_word_paper_holds_every_exception_and_its_narrative(papers_world):
    w = papers_world
    response = download(client_for(w.officer), "docx", scope="organisation")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocess")
    assert 'filename="committee-paper-2025-26-q2-testshire.docx"' in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "Quarterly performance report: Q2 2025/26" in text
    # Every exception of the organisation, with its owner's narrative.
    for code in ("HO-01 Homelessness prevented", "RES-01 Invoices paid on time"):
        assert code in text
    for narrative in EXCEPTION_NARRATIVE:
        assert narrative in text
    assert "2 red, 0 amber, 2 green" in text
    # The chart is a picture, with its words next to it; each status is a word in its cell.
    doc = Document(io.BytesIO(response.content))
    assert len(doc.inline_shapes) == 1
    assert "KPIs by status at the end of the quarter: Red 2, Amber 0, Green 2" in text
    assert "HO-03 Rent collected | Sep 2025 | 90.0% | 95.0% | Green" in text
    assert "Temporary accommodation costs" in text and "Payroll system failure" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == [
        "1. Summary",
        "2. Exceptions",
        "3. KPIs by service",
        "4. Commentary on the other KPIs",
        "5. Risks above target",
        "6. Workforce and supervision",
    ]


def test_pdf_paper_holds_every_exception_and_its_narrative(papers_world):
    w = papers_world
    response = download(client_for(w.officer), "pdf", scope="organisation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    joined = " ".join(words(text))
    assert "Quarterly performance report: Q2 2025/26" in joined
    for code in ("HO-01 Homelessness prevented", "RES-01 Invoices paid on time"):
        assert code in joined
    for narrative in EXCEPTION_NARRATIVE:
        assert narrative in joined
    # The chart's words are in the text layer, not only its colours.
    assert "Monitoring only" in joined and "No result" in joined
    assert "Collection improved after the new payment portal." in joined


def test_pdf_first_page_renders_and_its_image_matches_its_text(papers_world):
    """Render page 1 to an image: it is not blank, the words the text layer puts
    on it are drawn where it says (dark pixels inside each word's box), and
    pdfium's text of the page agrees with pypdf's."""
    w = papers_world
    content = download(client_for(w.officer), "pdf", scope=w.service.pk).content
    pdf = pypdfium2.PdfDocument(content)
    page = pdf[0]
    scale = 2
    image = page.render(scale=scale).to_pil().convert("RGB")
    width, height = image.size
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > width * height * 0.005  # not blank
    # The chart's red bar (Housing Options has one red KPI) is drawn in GOV.UK red.
    colours = image.getcolors(width * height)
    assert any(abs(r - 0xD4) < 12 and abs(g - 0x35) < 12 and abs(b - 0x1C) < 12 for _, (r, g, b) in colours)
    textpage = page.get_textpage()
    pdfium_text = textpage.get_text_bounded()
    pypdf_text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert words(pdfium_text) == words(pypdf_text)
    for phrase in ("Quarterly performance report", "Homelessness prevented", "Staff shortages"):
        searcher = textpage.search(phrase)
        found = searcher.get_next()
        assert found is not None, phrase
        start, count = found
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        left = min(b[0] for b in boxes)
        bottom = min(b[1] for b in boxes)
        right = max(b[2] for b in boxes)
        top = max(b[3] for b in boxes)
        page_height = page.get_height()
        crop = grey.crop(
            (
                int(left * scale),
                int((page_height - top) * scale),
                int(right * scale) + 1,
                int((page_height - bottom) * scale) + 1,
            )
        )
        inked = sum(crop.histogram()[:128])
        assert inked > crop.size[0] * crop.size[1] * 0.05, phrase
    pdf.close()


def test_a_committee_template_changes_what_the_paper_holds(papers_world):
    w = papers_world
    client = client_for(w.officer)
    cabinet_pdf = " ".join(
        words(pdf_text(download(client, "pdf", scope="organisation", template=w.cabinet.pk).content))
    )
    cabinet_docx = docx_text(download(client, "docx", scope="organisation", template=w.cabinet.pk).content)
    for paper in (cabinet_pdf, cabinet_docx):
        assert "Paper for: Cabinet." in paper
        assert "For Cabinet on 12 November." in paper
        assert "1. Summary" in paper and "2. Exceptions" in paper
        assert "Staff shortages in the prevention team." in paper
        # No service tables, other commentary, risks or workforce.
        assert "KPIs by service" not in paper
        assert "HO-03 Rent collected" not in paper
        assert "Collection improved after the new payment portal." not in paper
        assert "Temporary accommodation costs" not in paper
        assert "Workforce and supervision" not in paper
    scrutiny = docx_text(download(client, "docx", scope="organisation", template=w.scrutiny.pk).content)
    assert "Paper for: Overview and scrutiny." in scrutiny
    assert "Collection improved after the new payment portal." in scrutiny
    assert "Temporary accommodation costs" in scrutiny


def test_a_service_paper_holds_only_its_service(papers_world):
    w = papers_world
    text = docx_text(download(client_for(w.head), "docx", scope=w.service.pk).content)
    assert "Housing Options" in text and "HO-01 Homelessness prevented" in text
    assert "RES-01" not in text and "Payroll system failure" not in text
    assert "Sol Staff" not in text  # a committee paper names no one


def test_another_organisations_template_is_not_found(papers_world):
    w = papers_world
    theirs = CommitteeTemplate.objects.create(organisation=w.other_org, name="Board", sections=["summary"])
    client = client_for(w.officer)
    assert download(client, "pdf", scope="organisation", template=theirs.pk).status_code == 404
    assert download(client, "docx", scope="organisation", template="cabinet").status_code == 400


def test_a_kpi_without_a_result_still_appears(papers_world):
    w = papers_world
    # HO-04's latest result is from April: none inside the quarter.
    text = docx_text(download(client_for(w.officer), "docx", scope=w.service.pk).content)
    assert "HO-04 Tenancy audits | No result for this quarter" in text

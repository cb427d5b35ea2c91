"""Committee templates (performance officers' settings page) and a quarter's
sign-off: the paper's link, never the file, goes once to the committee's
distribution list through the outbox, and the sign-off is audited."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import OutboxMessage
from core.outbox import outbox_deliver
from insights.models import CommitteeTemplate, QuarterSignOff
from insights.services.papers.sign_off import quarter_sign_off
from organisations.models import AuditEvent, AuditEventKind
from tests.conftest import client_for

FY, QUARTER = 2025, 2  # July to September 2025: ended before today


@pytest.fixture
def cabinet(world):
    return CommitteeTemplate.objects.create(
        organisation=world.org,
        name="Cabinet",
        sections=["summary", "exceptions"],
        distribution="leader@testshire.gov.uk\ncabinet.clerk@testshire.gov.uk",
    )


def emails():
    return [m.payload for m in OutboxMessage.objects.filter(kind="email").order_by("pk")]


def test_sign_off_sends_the_link_once_to_the_distribution_list(world, cabinet):
    response = client_for(world.officer).post(
        reverse("insights:quarter_sign_off"),
        {"financial_year": FY, "quarter": QUARTER, "template": cabinet.pk, "note": "For 12 November."},
    )
    assert response.status_code == 302
    sign_off = QuarterSignOff.objects.get(organisation=world.org)
    assert sign_off.template_name == "Cabinet" and sign_off.signed_off_by == world.officer
    sent = emails()
    assert [p["to"] for p in sent] == [["leader@testshire.gov.uk"], ["cabinet.clerk@testshire.gov.uk"]]
    for payload in sent:
        body = payload["body"]
        assert payload["subject"] == "Cabinet: performance paper for Q2 2025/26 (July to September 2025)"
        assert "/reports/quarterly.pdf?financial_year=2025&quarter=2&scope=organisation" in body
        assert f"template={cabinet.pk}" in body
        assert "For 12 November." in body
        assert "attachments" not in payload  # the link, not the file
    event = AuditEvent.objects.get(kind=AuditEventKind.QUARTER_SIGNED_OFF)
    assert event.actor == world.officer and event.subject_name.startswith("Q2 2025/26")
    assert "link sent to 2 addresses" in event.detail

    # Once: a second sign-off of the quarter is refused and sends nothing more.
    again = client_for(world.officer).post(
        reverse("insights:quarter_sign_off"),
        {"financial_year": FY, "quarter": QUARTER, "template": cabinet.pk},
    )
    assert again.status_code == 200
    assert "This quarter has already been signed off" in again.content.decode()
    assert len(emails()) == 2
    with pytest.raises(ValidationError):
        quarter_sign_off(financial_year=FY, quarter=QUARTER, template=cabinet, by=world.officer)
    assert len(emails()) == 2 and QuarterSignOff.objects.count() == 1

    # The outbox delivers each email once.
    outbox_deliver()
    outbox_deliver()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "cabinet.clerk@testshire.gov.uk",
        "leader@testshire.gov.uk",
    ]


def test_a_quarter_not_yet_ended_cannot_be_signed_off(world, cabinet):
    from core import clock
    from insights.selectors import latest_complete_quarter

    fy, q = latest_complete_quarter(clock.today(), world.org.financial_year_start_month)
    current_q = q % 4 + 1
    current_fy = fy + (1 if q == 4 else 0)
    response = client_for(world.officer).post(
        reverse("insights:quarter_sign_off"),
        {"financial_year": current_fy, "quarter": current_q, "template": cabinet.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "You can sign off a quarter only once it has ended" in page
    assert "govuk-error-summary" in page
    assert not QuarterSignOff.objects.exists() and not emails()


def test_a_committee_without_a_distribution_list_cannot_be_signed_off(world):
    empty = CommitteeTemplate.objects.create(organisation=world.org, name="Audit", sections=["risks"])
    with pytest.raises(ValidationError, match="distribution list"):
        quarter_sign_off(financial_year=FY, quarter=QUARTER, template=empty, by=world.officer)


def test_only_performance_officers_sign_off(world, cabinet):
    for who in (world.chief, world.head):
        response = client_for(who).post(
            reverse("insights:quarter_sign_off"),
            {"financial_year": FY, "quarter": QUARTER, "template": cabinet.pk},
        )
        assert response.status_code == 403
    assert not QuarterSignOff.objects.exists()


def test_the_report_page_offers_the_papers_and_shows_the_sign_off(world, cabinet):
    quarter_sign_off(financial_year=FY, quarter=QUARTER, template=cabinet, by=world.officer)
    page = (
        client_for(world.officer)
        .get(
            reverse("insights:quarterly_report"),
            {"financial_year": FY, "quarter": QUARTER, "scope": "organisation"},
        )
        .content.decode()
    )
    assert "Download the paper as PDF" in page and "Download the paper as Word" in page
    assert f'<option value="{cabinet.pk}">Cabinet</option>' in page
    assert "Signed off</strong> Cabinet's paper for this quarter" in page
    assert "Sign off this quarter" not in page  # already signed off


def test_officer_adds_changes_and_deletes_a_committee(world):
    client = client_for(world.officer)
    url = reverse("insights:committee_templates")
    bad = client.post(
        url,
        {
            "name": "Scrutiny",
            "sections": ["summary", "risks"],
            "intro": "Hello",
            "distribution": "not an email",
        },
    )
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "govuk-error-summary" in page and "is not an email address" in page
    assert "Hello" in page  # nothing typed is lost
    assert client.post(url, {"name": "Scrutiny", "distribution": "a@example.org"}).status_code == 200
    assert not CommitteeTemplate.objects.exists()  # no section chosen

    assert (
        client.post(
            url,
            {
                "name": "Scrutiny",
                "sections": ["risks", "summary"],
                "distribution": "a@example.org; b@example.org",
            },
        ).status_code
        == 302
    )
    template = CommitteeTemplate.objects.get(organisation=world.org)
    assert template.ordered_sections == ["summary", "risks"]
    assert template.emails == ["a@example.org", "b@example.org"]
    # A second committee of the same name is refused.
    dup = client.post(url, {"name": "scrutiny", "sections": ["summary"]})
    assert "There is already a committee with this name" in dup.content.decode()

    edit = reverse("insights:committee_template_edit", args=[template.pk])
    assert client.post(edit, {"name": "Scrutiny panel", "sections": ["exceptions"]}).status_code == 302
    template.refresh_from_db()
    assert template.name == "Scrutiny panel" and template.sections == ["exceptions"]
    assert template.history.count() == 2 and template.history.first().history_user == world.officer.user

    assert client.post(reverse("insights:committee_template_delete", args=[template.pk])).status_code == 302
    assert not CommitteeTemplate.objects.exists()


def test_others_may_not_set_up_committees(world):
    for who in (world.chief, world.head, world.staff):
        response = client_for(who).post(
            reverse("insights:committee_templates"), {"name": "Cabinet", "sections": ["summary"]}
        )
        assert response.status_code == 403
    assert not CommitteeTemplate.objects.exists()

"""Signing off a quarter: a performance officer says the quarter's committee
paper is ready. The paper's link (never the file: readers sign in, so the
paper they open is the one they may see) goes by email to the committee's
distribution list through the outbox, in the same transaction as the sign-off,
so it is sent once, after commit, and a broker outage loses nothing."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import clock
from core.outbox import outbox_email_add
from insights.models import CommitteeTemplate, QuarterSignOff
from insights.selectors.report import quarter_label
from organisations.models import AuditEventKind, Employee
from organisations.rules import years as year_rules
from organisations.services.audit import audit_event_record

ORGANISATION_SCOPE = "organisation"


def paper_links(*, financial_year: int, quarter: int, template: CommitteeTemplate | None) -> dict[str, str]:
    """The paths of the organisation's paper for a quarter, as PDF and as Word."""
    params = {"financial_year": financial_year, "quarter": quarter, "scope": ORGANISATION_SCOPE}
    if template is not None:
        params["template"] = template.pk
    query = urlencode(params)
    return {
        "pdf": f"{reverse('insights:quarterly_report_pdf')}?{query}",
        "docx": f"{reverse('insights:quarterly_report_docx')}?{query}",
    }


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def quarter_sign_off_problem(
    *, organisation, financial_year: int, quarter: int, template: CommitteeTemplate | None, today: date
) -> str:
    """Why this quarter cannot be signed off now, in words ("" when it can)."""
    _, end = year_rules.quarter_bounds(financial_year, quarter, organisation.financial_year_start_month)
    if end >= today:
        return "You can sign off a quarter only once it has ended"
    if template is None or not template.emails:
        return "Choose a committee with a distribution list"
    if QuarterSignOff.objects.filter(
        organisation=organisation, financial_year=financial_year, quarter=quarter
    ).exists():
        return "This quarter has already been signed off"
    return ""


def quarter_sign_off(
    *, financial_year: int, quarter: int, template: CommitteeTemplate, note: str = "", by: Employee
) -> QuarterSignOff:
    if not by.is_performance_officer:
        raise PermissionDenied("Only performance officers sign off a quarter.")
    org = by.organisation
    if template.organisation_id != org.pk:
        raise PermissionDenied("Another organisation's committee.")
    problem = quarter_sign_off_problem(
        organisation=org,
        financial_year=financial_year,
        quarter=quarter,
        template=template,
        today=clock.today(),
    )
    if problem:
        raise ValidationError(problem)
    label = quarter_label(financial_year, quarter, org.financial_year_start_month)
    recipients = template.emails
    try:
        with transaction.atomic():
            sign_off = QuarterSignOff.objects.create(
                organisation=org,
                financial_year=financial_year,
                quarter=quarter,
                template=template,
                template_name=template.name,
                signed_off_by=by,
                signed_off_by_name=by.full_name,
                signed_off_at=clock.now(),
                recipients=recipients,
                note=note,
            )
            links = paper_links(financial_year=financial_year, quarter=quarter, template=template)
            body = (
                f"The {template.name} performance paper for {label} at {org.name} has been "
                f"signed off by {by.full_name}.\n\n"
                + (f"{note}\n\n" if note else "")
                + f"Sign in to read it:\nPDF: {_absolute(links['pdf'])}\n"
                f"Word: {_absolute(links['docx'])}\n"
            )
            for address in recipients:
                outbox_email_add(
                    message=EmailMessage(
                        subject=f"{template.name}: performance paper for {label}"[:150],
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                    )
                )
            audit_event_record(
                kind=AuditEventKind.QUARTER_SIGNED_OFF,
                actor=by,
                subject=None,
                subject_name=label[:200],
                detail=f"{template.name}: link sent to {len(recipients)} address"
                f"{'es' if len(recipients) != 1 else ''}",
            )
    except IntegrityError:  # signed off by a concurrent request
        raise ValidationError("This quarter has already been signed off") from None
    return sign_off

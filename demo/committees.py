"""The demo council's committees and their papers: Cabinet takes the summary
and exceptions, Overview and scrutiny every section. The quarter before the
latest complete one is signed off (as history: seeding sends no email); the
latest is left for the demo's performance officer to sign off."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from demo.structure import DemoContext
from insights.models import ALL_SECTIONS, CommitteeTemplate, QuarterSignOff
from insights.selectors import latest_complete_quarter
from organisations.rules import years as year_rules

COMMITTEES = [
    (
        "Cabinet",
        ["summary", "exceptions"],
        "This report gives Cabinet the council's performance at the end of the quarter: the KPIs by "
        "status and each exception, with the owner's commentary and corrective action.",
        ["leader", "cabinet.support", "democratic.services"],
    ),
    (
        "Overview and scrutiny committee",
        list(ALL_SECTIONS),
        "The full quarterly report for scrutiny: every KPI by service, all commentary, the risks above "
        "target and the workforce.",
        ["scrutiny.chair", "scrutiny.officer", "democratic.services"],
    ),
]


def seed(ctx: DemoContext) -> None:
    org = ctx.organisation
    domain = f"{org.slug}.example.gov.uk"
    templates = [
        CommitteeTemplate.objects.create(
            organisation=org,
            name=name,
            sections=sections,
            intro=intro,
            distribution="\n".join(f"{box}@{domain}" for box in boxes),
        )
        for name, sections, intro, boxes in COMMITTEES
    ]
    start_month = org.financial_year_start_month
    fy, quarter = latest_complete_quarter(ctx.today, start_month)
    earlier_fy, earlier_q = (fy, quarter - 1) if quarter > 1 else (fy - 1, 4)
    _, ended = year_rules.quarter_bounds(earlier_fy, earlier_q, start_month)
    officer = ctx.personas["demo-officer"]
    cabinet = templates[0]
    QuarterSignOff.objects.create(
        organisation=org,
        financial_year=earlier_fy,
        quarter=earlier_q,
        template=cabinet,
        template_name=cabinet.name,
        signed_off_by=officer,
        signed_off_by_name=officer.full_name,
        signed_off_at=timezone.make_aware(datetime.combine(ended + timedelta(days=24), time(11, 0))),
        recipients=cabinet.emails,
    )

"""The quarterly report as CSV (every KPI) and Excel (every section), built
with tablib, so no spreadsheet format is written by hand."""

from __future__ import annotations

from decimal import Decimal

import tablib

from core import glossary
from insights.selectors import QuarterRow
from insights.selectors.report import Report
from organisations.rules import kpis as kpi_rules

# A cell a spreadsheet would read as a formula (CSV/formula injection, OWASP):
# text typed by people (commentary) is prefixed with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

KPI_HEADERS = [
    "Code",
    "KPI",
    "Service",
    "Period",
    "Unit",
    "Polarity",
    "Target",
    "Actual",
    "Status",
    "Previous quarter",
    "Direction against previous quarter",
    "Same quarter last year",
    "Direction against same quarter last year",
    "Exception",
    "Commentary",
    "Corrective action",
]


def safe_text(value: str) -> str:
    value = value or ""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _number(value: Decimal | None) -> float | str:
    return float(value) if value is not None else ""


def kpi_dataset(rows: list[QuarterRow], title: str = "KPIs") -> tablib.Dataset:
    data = tablib.Dataset(headers=KPI_HEADERS, title=title)
    for r in rows:
        kpi = r.kpi
        data.append(
            [
                safe_text(kpi.code),
                safe_text(kpi.name),
                safe_text(kpi.service.name),
                r.period_label,
                kpi.get_unit_display(),
                kpi.get_polarity_display(),
                _number(r.target_value),
                _number(r.result.value if r.result else None),
                glossary.kpi_status_label(r.status),
                _number(r.previous_quarter.value if r.previous_quarter else None),
                kpi_rules.direction_label(r.direction_previous),
                _number(r.last_year.value if r.last_year else None),
                kpi_rules.direction_label(r.direction_last_year),
                "Yes" if r.is_exception else "No",
                safe_text(r.result.commentary if r.result else ""),
                safe_text(r.result.corrective_action if r.result else ""),
            ]
        )
    return data


def report_databook(report: Report) -> tablib.Databook:
    summary = tablib.Dataset(headers=["Item", "Value"], title="Summary")
    summary.append(["Report", "Quarterly performance report"])
    summary.append(["Scope", safe_text(report.scope_label)])
    summary.append(["Quarter", report.period_label])
    summary.append(["KPIs", len(report.rows)])
    for status, n in report.status_counts.items():
        summary.append([f"KPIs: {glossary.kpi_status_label(status)}", n])
    summary.append([f"Exceptions: {report.organisation.exception_rule_words}", len(report.exceptions)])
    summary.append(["Interim and agency share of FTE (%)", round(report.workforce.interim_share, 1)])
    summary.append(["Interim and agency threshold (%)", float(report.workforce.threshold)])
    summary.append(["Supervision compliance (%)", round(report.supervision.percent, 1)])

    exceptions = kpi_dataset(report.exceptions, "Exceptions")

    risks = tablib.Dataset(
        headers=[
            "Reference",
            "Risk",
            "Service",
            "Category",
            "Residual score",
            "Target score",
            "Response",
            "Review due",
        ],
        title="Risks above target",
    )
    for risk in report.risks:
        risks.append(
            [
                safe_text(risk.reference),
                safe_text(risk.title),
                safe_text(risk.service.name) if risk.service else "Corporate",
                risk.get_category_display(),
                risk.residual_score,
                risk.target_score,
                risk.get_response_display(),
                risk.review_due.isoformat(),
            ]
        )

    workforce = tablib.Dataset(
        headers=["Employment type", "People", "FTE", "Contracts ending within 30 days", "Within 90 days"],
        title="Workforce",
    )
    for w in report.workforce.rows:
        workforce.append([w.label, w.headcount, float(w.fte), w.ending_30, w.ending_90])
    workforce.append(
        [
            "Total",
            report.workforce.headcount,
            float(report.workforce.fte),
            report.workforce.ending_30,
            report.workforce.ending_90,
        ]
    )

    supervision = tablib.Dataset(headers=["Measure", "Value"], title="Supervision")
    supervision.append(["Staff", report.supervision.total])
    supervision.append(["Feedback in date", report.supervision.in_date])
    supervision.append(["Overdue", report.supervision.overdue_count])
    supervision.append(["Compliance (%)", round(report.supervision.percent, 1)])
    supervision.append(["As at", report.today.isoformat()])

    return tablib.Databook([summary, exceptions, kpi_dataset(report.rows), risks, workforce, supervision])


def report_csv(report: Report) -> str:
    return kpi_dataset(report.rows).export("csv")


def report_xlsx(report: Report) -> bytes:
    return report_databook(report).export("xlsx")

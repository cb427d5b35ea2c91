"""What a committee paper says: the quarterly report's figures, cut to the
sections a committee's template asks for. Word and PDF both render this, so
the two papers always agree. No query: the report is already built."""

from __future__ import annotations

from dataclasses import dataclass, field

from core import glossary
from insights.models import ALL_SECTIONS, CommitteeTemplate, PaperSection
from insights.selectors import QuarterRow
from insights.selectors.report import Report
from organisations.rules import kpis as kpi_rules

STANDARD_NAME = "Standard paper (every section)"
STATUS_ORDER = kpi_rules.SHOWN_STATUSES


def status_words(counts: dict[str, int]) -> str:
    """ "3 red, 2 amber, 10 green, 1 monitoring only and 4 with no result"."""
    names = {
        glossary.RED: "red",
        glossary.AMBER: "amber",
        glossary.GREEN: "green",
        glossary.GREY: "monitoring only (no target)",
        glossary.NO_RESULT: "with no result for the quarter",
    }
    parts = [f"{counts.get(s, 0)} {names[s]}" for s in STATUS_ORDER]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass
class ServiceTable:
    name: str
    rows: list[QuarterRow]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Paper:
    report: Report
    committee: str
    intro: str
    sections: list[str]

    @property
    def title(self) -> str:
        return f"Quarterly performance report: {self.report.short_period}"

    @property
    def subtitle(self) -> str:
        return f"{self.report.period_label}, {self.report.scope_label}"

    def has(self, section: str) -> bool:
        return section in self.sections

    @property
    def numbered(self) -> list[tuple[str, str]]:
        """(section, heading) of each section the paper holds, numbered in order."""
        headings = {
            PaperSection.SUMMARY: "Summary",
            PaperSection.EXCEPTIONS: "Exceptions",
            PaperSection.SERVICE_TABLES: "KPIs by service",
            PaperSection.COMMENTARY: "Commentary on the other KPIs",
            PaperSection.RISKS: "Risks above target",
            PaperSection.WORKFORCE: "Workforce and supervision",
        }
        return [(s, f"{i}. {headings[s]}") for i, s in enumerate(self.sections, start=1)]

    def heading(self, section: str) -> str:
        return dict(self.numbered)[section]

    @property
    def counts(self) -> dict[str, int]:
        return self.report.status_counts

    @property
    def summary_sentence(self) -> str:
        n = len(self.report.rows)
        exceptions = len(self.report.exceptions)
        return (
            f"{n} KPI{'s' if n != 1 else ''}: {status_words(self.counts)}. "
            f"{exceptions} exception{'s' if exceptions != 1 else ''}."
        )

    @property
    def exception_rule(self) -> str:
        return (
            f"Exceptions: {self.report.organisation.exception_rule_words} "
            "(worsening is against the previous quarter)."
        )

    @property
    def exceptions(self) -> list[QuarterRow]:
        return self.report.exceptions

    @property
    def services(self) -> list[ServiceTable]:
        """The report's KPIs grouped by service, in the report's order."""
        tables: dict[str, ServiceTable] = {}
        for r in self.report.rows:
            table = tables.setdefault(
                r.kpi.service.name,
                ServiceTable(r.kpi.service.name, [], {s: 0 for s in STATUS_ORDER}),
            )
            table.rows.append(r)
            table.counts[r.status] += 1
        return list(tables.values())

    @property
    def commented(self) -> list[QuarterRow]:
        """KPIs that are not exceptions but whose result carries commentary or a corrective action."""
        return [
            r
            for r in self.report.rows
            if r.result and not r.is_exception and (r.result.commentary or r.result.corrective_action)
        ]

    @property
    def filename(self) -> str:
        return self.report.filename.replace("performance-report", "committee-paper")


def build_paper(report: Report, template: CommitteeTemplate | None) -> Paper:
    """The paper for ``template``; without one, the standard paper of every section."""
    if template is None:
        return Paper(report=report, committee=STANDARD_NAME, intro="", sections=list(ALL_SECTIONS))
    return Paper(
        report=report,
        committee=template.name,
        intro=template.intro,
        sections=template.ordered_sections,
    )


def status_label(status: str) -> str:
    return glossary.kpi_status_label(status)


def direction_words(direction: str | None, was: str, has_figure: bool) -> str:
    words = kpi_rules.direction_label(direction, with_arrow=True)
    return f"{words} (was {was})" if has_figure else words

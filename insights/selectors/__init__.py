"""Reads for the role dashboards and the quarterly report.

Every function here is set-based: it loads what it needs for a whole service
tree (or organisation) in a fixed number of queries, whatever the number of
people, KPIs or flags, and leaves the rest to plain Python. The query count of
each is in its docstring, so a page's budget can be added up.
"""

from insights.selectors.flags import (  # noqa: F401
    NEW_FLAG_DAYS,
    SEVERITY_ORDER,
    Attention,
    SeverityCount,
    attention,
    high_flags_by_service,
    risks_in_words,
    risks_needing_attention,
    service_flag_counts,
    severity_words,
    top_risks,
    top_skill_gaps,
)
from insights.selectors.goals import (  # noqa: F401
    GOAL_LEVELS_IN_SERVICE,
    CycleCompletion,
    GoalStatusRow,
    cycle_completion,
    goals_by_status,
    organisation_priorities,
    pick_current_cycle,
)
from insights.selectors.public import (  # noqa: F401
    ALL_MEASURES,
    UNLINKED_MEASURES,
    PriorityMeasures,
    ServiceMeasures,
    measures_by_priority,
)
from insights.selectors.reports import (  # noqa: F401
    TREND_POINTS,
    QuarterRow,
    TrendPoint,
    add_counts,
    kpi_status_by_service,
    kpi_status_counts_by_service,
    kpi_trends,
    latest_complete_quarter,
    public_kpis,
    quarter_rows,
)
from insights.selectors.workforce import (  # noqa: F401
    PERSON_FIELDS,
    Compliance,
    StoredFigures,
    Supervision,
    Workforce,
    WorkforceCounts,
    WorkforceRow,
    compliance_by_service,
    compliance_over,
    people_for_cadence,
    staff_figures,
    stored_figures,
    stored_staff_figures,
    supervision_over,
    supervision_summary,
    workforce_by_service,
    workforce_mix,
)

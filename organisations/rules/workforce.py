"""The workforce mix's one measure: interim reliance.

Interim reliance is measured on FTE (full-time equivalent), never on headcount:
the FTE of active staff on interim or agency contracts as a percentage of the
FTE of all active staff, in a service and every team below it. The service page,
the dashboards, the organisation overview, the quarterly report, the
``interim_reliance`` flag and the demo's staff-mix KPIs all take it from here
(docs/ARCHITECTURE.md, "One vocabulary"), so one service never shows two figures.
"""

from __future__ import annotations

from decimal import Decimal


def interim_share(
    *, contingent_fte: Decimal | int | float, total_fte: Decimal | int | float
) -> Decimal | None:
    """Interim and agency FTE as a percentage of all FTE; None with no FTE."""
    if not total_fte:
        return None
    return Decimal(str(contingent_fte)) * 100 / Decimal(str(total_fte))


def above_threshold(share: Decimal | None, threshold: Decimal | int | float) -> bool:
    """Strictly above the organisation's threshold (a share equal to it is within)."""
    return share is not None and share > Decimal(str(threshold))

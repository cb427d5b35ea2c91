"""The demo's KPIs outside the council's service catalogue: the three workforce
KPIs every directorate reports, and the housing association's own."""

from __future__ import annotations

from demo.kpi_catalogue import ABS, DAYS, PCT, H, K, L, Spec


def workforce(social_care: bool) -> list[Spec]:
    """The three workforce KPIs every directorate reports, by service."""
    return [
        K(
            "Sickness absence, days per FTE (rolling 12 months)",
            DAYS,
            L,
            10.0 if social_care else 8.5,
            1,
            tolerance=ABS,
            places=2,
        ),
        K("Staff turnover (rolling 12 months)", PCT, L, 15 if social_care else 12, 2, tolerance=ABS),
        K(
            "Interim and agency staff as a percentage of FTE",
            PCT,
            L,
            15 if social_care else 12,
            2,
            tolerance=ABS,
            staff_mix=True,
        ),
    ]


OTHER_ORG: dict[str, list[Spec]] = {
    "Neighbourhoods": [
        K("Rent collected as a percentage of rent due", PCT, H, 99, 0.5, tolerance=ABS, places=2),
        K("Tenants more than 7 weeks in arrears", PCT, L, 2.5, 0.5, tolerance=ABS, places=2),
    ],
    "Maintenance": [
        K("Average re-let time of empty homes", DAYS, L, 25, 5, tolerance=ABS),
        K("Repairs completed on the first visit", PCT, H, 90),
    ],
}

"""The demo's KPI catalogue: what each council service reports, with units,
polarity, targets and tolerances as UK councils publish them."""

from __future__ import annotations

from dataclasses import dataclass

from organisations.rules import kpis as kpi_rules
from organisations.rules import profiles
from organisations.rules import years as year_rules

H, L, N = kpi_rules.HIGHER, kpi_rules.LOWER, kpi_rules.NONE
M, Q, A = year_rules.MONTHLY, year_rules.QUARTERLY, year_rules.ANNUAL
PCT, CNT, DAYS, GBP, RATE = (
    kpi_rules.UNIT_PERCENT,
    kpi_rules.UNIT_COUNT,
    kpi_rules.UNIT_DAYS,
    kpi_rules.UNIT_CURRENCY,
    kpi_rules.UNIT_RATE,
)


@dataclass(frozen=True)
class Spec:
    name: str
    unit: str
    polarity: str
    target: float | None  # None: monitoring only
    amber: float = 5.0  # amber tolerance
    tolerance: str = kpi_rules.PERCENT  # or kpi_rules.ABSOLUTE
    frequency: str = M
    green: float = 0.0
    places: int | None = None
    lag: int | None = None
    cumulative: bool = False
    baseline: float | None = None  # for monitoring-only KPIs
    definition: str = ""
    staff_mix: bool = False  # the workforce's interim and agency share of FTE: demo.workforce_kpis
    # A cumulative KPI's targets spread over the year (organisations/rules/profiles.py), and
    # the share of the year's outturn its figures reach by each period end (demo.kpi_profiles).
    profile: str = profiles.FLAT
    shape: tuple[float, ...] | None = None


def K(name, unit, polarity, target, amber=5.0, **kw) -> Spec:
    return Spec(name, unit, polarity, target, amber, **kw)


ABS = kpi_rules.ABSOLUTE

# service name -> (code prefix, specific KPIs). Three workforce KPIs are added to each.
CATALOGUE: dict[str, tuple[str, list[Spec]]] = {
    "Adult Social Work": (
        "ASW",
        [
            K("Adult social care assessments allocated within 7 days", PCT, H, 85),
            K("Long-term clients reviewed in the last 12 months", PCT, H, 80, cumulative=False),
            K("Assessments completed within 28 days of allocation", PCT, H, 75),
            K("Hospital discharges with care in place within 48 hours", PCT, H, 90),
            K(
                "Adults 65+ permanently admitted to care homes, per 100,000",
                RATE,
                L,
                560,
                10,
                frequency=Q,
                places=1,
            ),
        ],
    ),
    "Safeguarding Adults": (
        "SGA",
        [
            K("Safeguarding concerns screened within 24 hours", PCT, H, 95),
            K("Section 42 enquiries completed within 60 days", PCT, H, 70),
            K("Adults whose desired safeguarding outcomes were met", PCT, H, 90, frequency=Q),
            K("Deprivation of Liberty assessments completed within 21 days", PCT, H, 60, 10),
            K("Safeguarding concerns received", CNT, N, None, baseline=310),
        ],
    ),
    "Occupational Therapy": (
        "OT",
        [
            K("OT assessments started within 28 days of referral", PCT, H, 80),
            K("Average wait for an OT assessment", DAYS, L, 35, 7, tolerance=ABS),
            K("Minor adaptations completed within 14 days", PCT, H, 90),
            K("Equipment delivered within 7 days", PCT, H, 95, 3),
            K("People waiting for an OT assessment", CNT, L, 250, 50, tolerance=ABS),
        ],
    ),
    "Commissioning and Contracts": (
        "COM",
        [
            K("Care homes rated good or outstanding by CQC", PCT, H, 80, frequency=Q),
            K("Contract monitoring visits completed on schedule", PCT, H, 90, frequency=Q),
            K("Homecare hours delivered as commissioned", PCT, H, 95, 3),
            K("People waiting for a homecare package", CNT, L, 40, 10, tolerance=ABS),
            K(
                "Average weekly cost of a residential placement",
                GBP,
                N,
                None,
                frequency=Q,
                baseline=1150,
                places=0,
            ),
        ],
    ),
    "Children's Social Care": (
        "CSC",
        [
            K("Child and family assessments completed within 45 working days", PCT, H, 85),
            K("Referrals with a decision within 1 working day", PCT, H, 95, 3),
            K("Re-referrals within 12 months", PCT, L, 22, 3, tolerance=ABS),
            K("Child protection visits within timescale", PCT, H, 90),
            K(
                "Children on a second or later child protection plan",
                PCT,
                L,
                20,
                3,
                tolerance=ABS,
                frequency=Q,
            ),
        ],
    ),
    "Looked After Children": (
        "LAC",
        [
            K(
                "Looked after children with 3 or more placements in the year",
                PCT,
                L,
                10,
                2,
                tolerance=ABS,
                frequency=Q,
            ),
            K("Care leavers in education, employment or training", PCT, H, 55, 10, frequency=Q),
            K("Looked after children with an up-to-date health assessment", PCT, H, 90),
            K("Children in care placed with in-house foster carers", PCT, H, 60, 8, frequency=Q),
            K("Care leavers in suitable accommodation", PCT, H, 90, frequency=Q),
        ],
    ),
    "Education and Inclusion": (
        "EDU",
        [
            K("EHC plans issued within 20 weeks", PCT, H, 60, 10),
            K("Pupils offered a first-preference secondary school", PCT, H, 85, frequency=A, lag=60),
            K("Children missing education found within 20 school days", PCT, H, 90),
            K("Permanent exclusions", CNT, L, 12, 4, tolerance=ABS, frequency=Q),
            K("EHC plan annual reviews completed on time", PCT, H, 80),
        ],
    ),
    "Early Help": (
        "EH",
        [
            K("Families with an early help assessment within 30 days", PCT, H, 85),
            K("Early help cases closed with needs met", PCT, H, 75, frequency=Q),
            K(
                "Families stepped up to social care within 6 months",
                PCT,
                L,
                10,
                2,
                tolerance=ABS,
                frequency=Q,
            ),
            K("Family hub attendances", CNT, N, None, baseline=4200),
        ],
    ),
    "Housing Options": (
        "HO",
        [
            K(
                "Homelessness prevented: accommodation secured at the end of the 56-day prevention duty",
                PCT,
                H,
                60,
                8,
                lag=45,
                definition=(
                    "Households whose prevention duty ended in the month with accommodation secured for "
                    "6 months or more, as a percentage of all prevention duties ended (H-CLIC)."
                ),
            ),
            K("Households in temporary accommodation", CNT, N, None, baseline=410),
            K("Households in bed and breakfast for more than 6 weeks", CNT, L, 0, 3, tolerance=ABS),
            K("Homelessness decisions made within 56 days", PCT, H, 90),
            K("Housing register applications assessed within 28 days", PCT, H, 85),
        ],
    ),
    "Housing Management": (
        "HM",
        [
            K(
                "Rent collected as a percentage of rent due, year to date",
                PCT,
                H,
                98,
                0.5,
                tolerance=ABS,
                places=2,
                cumulative=True,
            ),
            K("Tenants more than 7 weeks in arrears", PCT, L, 3, 0.5, tolerance=ABS, places=2),
            K("Average re-let time of empty homes", DAYS, L, 28, 7, tolerance=ABS),
            K("Tenancy audits completed", PCT, H, 95, frequency=Q),
            K("Anti-social behaviour cases resolved", PCT, H, 85, frequency=Q),
        ],
    ),
    "Property Services": (
        "PS",
        [
            K("Emergency repairs completed within 24 hours", PCT, H, 99, 1, tolerance=ABS),
            K("Routine repairs completed within 28 days", PCT, H, 90),
            K("Homes meeting the Decent Homes Standard", PCT, H, 95, frequency=A, lag=90),
            K("Homes with an in-date gas safety certificate", PCT, H, 100, 0.5, tolerance=ABS, places=2),
            K("Empty homes repaired and ready to let within 20 days", PCT, H, 70, 10),
        ],
    ),
    "Waste and Recycling": (
        "WR",
        [
            K("Missed bin collections per 100,000", RATE, L, 60, 15, places=0),
            K("Household waste recycled, reused or composted", PCT, H, 50, 4, frequency=Q, lag=60),
            K("Residual household waste per household, kg", CNT, L, 130, 5, frequency=Q, lag=60),
            K("Fly-tipping removed within 2 working days", PCT, H, 90),
            K("Assisted collections missed per 100,000", RATE, L, 10, 25, places=0),
        ],
    ),
    "Highways and Transport": (
        "HT",
        [
            K("Dangerous potholes repaired within 24 hours", PCT, H, 95),
            K("Streetlight faults fixed within 5 working days", PCT, H, 90),
            K(
                "Principal roads where maintenance should be considered",
                PCT,
                L,
                4,
                1,
                tolerance=ABS,
                frequency=A,
                lag=90,
            ),
            K("Bus services running on time", PCT, H, 85, frequency=Q),
            K(
                "People killed or seriously injured in road collisions, year to date",
                CNT,
                L,
                60,
                10,
                frequency=Q,
                lag=90,
                cumulative=True,
                profile=profiles.EVEN,
                shape=(0.22, 0.5, 0.76, 1.0),
                definition=(
                    "People killed or seriously injured on the county's roads since 1 April (STATS19). "
                    "The year's target is spread evenly: a quarter of it by the end of June."
                ),
            ),
        ],
    ),
    "Planning and Regulation": (
        "PLR",
        [
            K(
                "Major planning applications decided in 13 weeks or the agreed time",
                PCT,
                H,
                60,
                10,
                frequency=Q,
            ),
            K("Minor planning applications decided in 8 weeks or the agreed time", PCT, H, 70, 8),
            K("Planning appeals allowed", PCT, L, 10, 3, tolerance=ABS, frequency=Q),
            K("Food hygiene inspections completed on time", PCT, H, 95, frequency=Q),
            K("Trading standards complaints answered within 5 working days", PCT, H, 90),
        ],
    ),
    "Revenues and Benefits": (
        "RB",
        [
            K(
                "Council tax collected in year (outturn)",
                PCT,
                H,
                97,
                0.5,
                tolerance=ABS,
                frequency=A,
                places=2,
            ),
            K(
                "Council tax collected, % of the year's amount due, year to date",
                PCT,
                H,
                97,
                2,
                frequency=Q,
                places=1,
                cumulative=True,
                profile=profiles.LAST_YEAR,
                shape=(0.29, 0.57, 0.85, 1.0),
                definition=(
                    "Council tax received since 1 April as a percentage of the whole year's amount due "
                    "(QRC4). The target for each quarter follows last year's collection: the share of "
                    "last year's outturn collected by the same quarter end."
                ),
            ),
            K(
                "Business rates collected in year (outturn)",
                PCT,
                H,
                98,
                0.5,
                tolerance=ABS,
                frequency=A,
                places=2,
            ),
            K("Average days to process a new Housing Benefit claim", DAYS, L, 20, 3, tolerance=ABS),
            K("Average days to process a change of circumstances", DAYS, L, 8, 2, tolerance=ABS),
        ],
    ),
    "Digital and ICT": (
        "ICT",
        [
            K("Service desk calls resolved at first contact", PCT, H, 70, 8),
            K("Core systems availability", PCT, H, 99.5, 0.3, tolerance=ABS, places=2),
            K("Priority 1 incidents resolved within 4 hours", PCT, H, 95),
            K("Transactions completed online", PCT, H, 65, 8, frequency=Q),
            K("Staff completing cyber security training", PCT, H, 95, frequency=Q),
        ],
    ),
    "Human Resources": (
        "HR",
        [
            K(
                "Sickness absence across the council, days per FTE (rolling 12 months)",
                DAYS,
                L,
                8.5,
                0.5,
                tolerance=ABS,
                places=2,
            ),
            K("Staff turnover across the council (rolling 12 months)", PCT, L, 12, 2, tolerance=ABS),
            K(
                "Interim and agency staff as a percentage of FTE",
                PCT,
                L,
                12,
                1.5,
                tolerance=ABS,
                staff_mix=True,
            ),
            K("Vacancies filled within 12 weeks", PCT, H, 75, 10),
            K("Appraisals completed", PCT, H, 95, frequency=Q),
        ],
    ),
    "Finance": (
        "FIN",
        [
            K("Undisputed invoices paid within 30 days", PCT, H, 95, 3),
            K("Forecast revenue budget overspend", GBP, L, 0, 500000, tolerance=ABS, frequency=Q, places=0),
            K("Debt more than 90 days old", GBP, L, 1200000, 10, frequency=Q, places=0),
            K("Contracts awarded through competitive tender", PCT, H, 90, frequency=Q),
            K("Spend with local suppliers", PCT, H, 40, 10, frequency=Q),
        ],
    ),
    "Information Governance and Performance": (
        "IGP",
        [
            K("FOI requests answered within 20 working days", PCT, H, 90, 5),
            K("Subject access requests answered within one month", PCT, H, 90),
            K("Complaints answered within 10 working days", PCT, H, 85),
            K(
                "Data breaches reported to the ICO within 72 hours",
                PCT,
                H,
                100,
                0,
                tolerance=ABS,
                frequency=Q,
                places=0,
            ),
            K("Service KPI results submitted on time", PCT, H, 95, frequency=Q),
        ],
    ),
}

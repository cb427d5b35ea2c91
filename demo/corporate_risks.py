"""The DemoRisk record every demo risk register uses, and the council's corporate register (CR01-CR07)."""

from __future__ import annotations

from dataclasses import dataclass, field

from organisations.models import RiskCategory, RiskResponse

C = RiskCategory
R = RiskResponse


@dataclass
class DemoRisk:
    register: str | None  # a service's name, or None for the corporate register
    reference: str
    title: str
    description: str
    category: str
    inherent: tuple[int, int]
    residual: tuple[int, int]
    target: tuple[int, int]
    owner: str  # "chief", or the name of the service whose head owns it
    review_in_days: int  # negative: overdue for review
    controls: str
    response: str = R.TREAT
    actions: list[tuple[str, int, int | None]] = field(
        default_factory=list
    )  # (what, due in days, done days ago)
    is_open: bool = True


CORPORATE_RISKS = [
    DemoRisk(
        None,
        "CR01",
        "Cyber attack disrupts council services",
        "Because ransomware groups target local government and some of our systems are old, there is a risk "
        "that an attack encrypts our systems and data, leading to weeks without key services and the loss of records.",
        C.CYBER,
        (4, 5),
        (3, 5),
        (2, 4),
        "Digital and ICT",
        -10,
        "Multi-factor authentication for all staff; immutable offline backups tested quarterly; PSN compliance; "
        "annual penetration test; phishing training for all staff.",
        actions=[
            ("Complete the Cyber Assessment Framework self-assessment", 45, None),
            ("Run a ransomware exercise with the corporate leadership team", -20, None),
            ("Replace the end-of-life firewalls", -60, 50),
        ],
    ),
    DemoRisk(
        None,
        "CR02",
        "Funding gap in the medium-term financial strategy",
        "Because demand for social care and temporary accommodation is rising faster than funding, there is a "
        "risk that we cannot set a balanced budget, leading to unplanned cuts to services or a section 114 notice.",
        C.FINANCIAL,
        (5, 5),
        (4, 5),
        (3, 4),
        "Resources",
        30,
        "Medium-term financial strategy refreshed each autumn; savings programme tracked monthly; reserves policy.",
        actions=[("Agree the savings programme for next year with cabinet", 60, None)],
    ),
    DemoRisk(
        None,
        "CR03",
        "Negative publicity damages trust in the council",
        "Because of high-profile service failures elsewhere and social media, there is a risk that a local "
        "incident is widely reported, leading to a loss of public trust and pressure on members.",
        C.REPUTATIONAL,
        (4, 4),
        (3, 3),
        (2, 3),
        "chief",
        -45,
        "Communications protocol; media training for senior officers; complaints monitored weekly.",
        response=R.TOLERATE,
    ),
    DemoRisk(
        None,
        "CR04",
        "Data breach of residents' personal information",
        "Because staff handle large volumes of sensitive personal data, there is a risk that data is sent to "
        "the wrong person or lost, leading to harm to residents, ICO enforcement and fines.",
        C.CYBER,
        (4, 4),
        (3, 4),
        (2, 4),
        "Information Governance and Performance",
        20,
        "Mandatory data protection training; secure email; breach reporting procedure; DPIAs for new systems.",
        actions=[("Roll out data loss prevention on email", 30, None)],
    ),
    DemoRisk(
        None,
        "CR05",
        "Failure to recruit and retain social workers",
        "Because of a national shortage and competition from agencies and neighbouring councils, there is a "
        "risk that we cannot fill social work posts, leading to high caseloads, delays and unsafe practice.",
        C.WORKFORCE,
        (5, 4),
        (4, 4),
        (3, 3),
        "Children's Services",
        -20,
        "Recruitment and retention allowance; ASYE academy; caseload monitoring; regional agency pay memorandum.",
        actions=[
            ("Launch the 'grow our own' social work apprenticeship", 90, None),
            ("Review the retention allowance with HR", -5, None),
        ],
    ),
    DemoRisk(
        None,
        "CR06",
        "Reliance on agency staff drives cost and weakens practice",
        "Because of vacancies in social care and housing, there is a risk that we rely on agency staff for too "
        "long, leading to higher costs, loss of continuity for residents and weaker practice.",
        C.WORKFORCE,
        (4, 4),
        (4, 3),
        (2, 3),
        "Human Resources",
        10,
        "Agency spend reported to the leadership team monthly; approval needed for placements over 12 weeks.",
        actions=[("Convert long-running agency placements to fixed-term contracts", 45, None)],
    ),
    DemoRisk(
        None,
        "CR07",
        "Severe weather and flooding disrupt services",
        "Because of more frequent extreme weather, there is a risk of flooding and disruption, leading to "
        "services being unavailable and residents needing emergency support.",
        C.OPERATIONAL,
        (3, 4),
        (3, 3),
        (3, 3),
        "Environment",
        60,
        "Business continuity plans for every service; emergency planning rota; Local Resilience Forum exercises.",
        response=R.TOLERATE,
    ),
]

"""The demo council's shape: directorates, services, teams, job roles, and areas at scale."""

import re

# directorate -> [(service, [teams], [staff roles])]
COUNCIL: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "Adults' Social Care": [
        (
            "Adult Social Work",
            ["North Locality Team", "South Locality Team", "Hospital Discharge Team"],
            ["Social Worker", "Senior Social Worker", "Social Care Assessor"],
        ),
        (
            "Safeguarding Adults",
            ["Safeguarding Hub", "Deprivation of Liberty Team"],
            ["Social Worker", "Safeguarding Practitioner"],
        ),
        (
            "Occupational Therapy",
            ["Community OT Team", "Equipment and Adaptations Team"],
            ["Occupational Therapist", "OT Assistant"],
        ),
        ("Commissioning and Contracts", ["Care Market Team"], ["Commissioning Officer"]),
    ],
    "Children's Services": [
        (
            "Children's Social Care",
            ["Front Door (MASH)", "Child in Need Team", "Child Protection Team"],
            ["Children's Social Worker", "Newly Qualified Social Worker", "Family Support Worker"],
        ),
        (
            "Looked After Children",
            ["Fostering Team", "Leaving Care Team"],
            ["Children's Social Worker", "Personal Adviser"],
        ),
        (
            "Education and Inclusion",
            ["SEND Team", "School Admissions Team"],
            ["SEND Caseworker", "Admissions Officer"],
        ),
        ("Early Help", ["Family Hubs Team"], ["Family Support Worker"]),
    ],
    "Housing": [
        (
            "Housing Options",
            ["Housing Options Team", "Homelessness Prevention Team", "Temporary Accommodation Team"],
            ["Housing Options Officer", "Homelessness Prevention Officer", "Temporary Accommodation Officer"],
        ),
        (
            "Housing Management",
            ["Tenancy Services Team", "Income Team", "Lettings Team"],
            ["Tenancy Officer", "Income Officer", "Lettings Officer"],
        ),
        ("Property Services", ["Repairs Team", "Voids Team"], ["Surveyor", "Repairs Officer"]),
    ],
    "Environment": [
        (
            "Waste and Recycling",
            ["Collections Team", "Recycling Centres Team"],
            ["Waste Services Officer", "Recycling Officer"],
        ),
        (
            "Highways and Transport",
            ["Highways Maintenance Team", "Road Safety Team"],
            ["Highways Inspector", "Transport Planner"],
        ),
        (
            "Planning and Regulation",
            ["Development Management Team", "Trading Standards Team"],
            ["Planning Officer", "Trading Standards Officer"],
        ),
    ],
    "Resources": [
        (
            "Revenues and Benefits",
            ["Council Tax Team", "Benefits Team"],
            ["Revenues Officer", "Benefits Assessor"],
        ),
        (
            "Digital and ICT",
            ["Service Desk", "Digital Development Team"],
            ["Digital Developer", "ICT Support Analyst"],
        ),
        (
            "Human Resources",
            ["HR Advisory Team", "Workforce Development Team"],
            ["HR Adviser", "Learning and Development Officer"],
        ),
        (
            "Finance",
            ["Corporate Finance Team", "Procurement Team"],
            ["Finance Officer", "Procurement Officer"],
        ),
        (
            "Information Governance and Performance",
            ["Information Governance Team", "Performance and Intelligence Team"],
            ["Information Governance Officer", "Performance Analyst"],
        ),
    ],
}

ROLE_DETAILS: dict[str, tuple[str, str, str]] = {
    # title: (grade, purpose, expectations)
    "Chief Executive": (
        "Chief Officer",
        "Leads the council and its officers.",
        "Delivers the council plan; accountable for performance to members.",
    ),
    "Director": (
        "Director",
        "Leads a directorate.",
        "Delivers the directorate's priorities and budget; reports to cabinet and scrutiny.",
    ),
    "Head of Service": (
        "Grade 13",
        "Leads a service.",
        "Meets the service's KPIs, manages risk, develops managers.",
    ),
    "Team Manager": (
        "Grade 11",
        "Manages a team day to day.",
        "Holds regular supervision, allocates work, keeps the team's KPIs on track.",
    ),
    "Team Leader": (
        "Grade 9",
        "Leads a group of practitioners within a team.",
        "Supervises practitioners, checks quality, covers for the team manager.",
    ),
}
PRACTITIONER = (
    "Grade 7",
    "Delivers the service to residents.",
    "Manages an allocated caseload to the service's standards and timescales; keeps records up to date.",
)

# A large council delivers each service in areas: one area per AREA_EMPLOYEES
# staff, so 10,000 employees run about 60 services (and about 400 KPIs) while
# the default demo (1,200) keeps one of each. The first area keeps the plain
# names the demo's stories refer to; the others carry the area in brackets.
AREA_EMPLOYEES = 3000
AREAS = ["Vale", "Coast", "Moor", "Forest", "Fens", "Downs", "Marsh", "Wolds"]
_AREA_SUFFIX = re.compile(r" \((?:" + "|".join(AREAS) + r")\)$")


def area_count(employees: int) -> int:
    return max(1, min(len(AREAS) + 1, round(employees / AREA_EMPLOYEES)))


def base_name(name: str) -> str:
    """A service's or team's name without its area: what the catalogues are keyed by."""
    return _AREA_SUFFIX.sub("", name)


def _in_areas(structure: dict, areas: int) -> dict:
    """Each service and its teams once per area, the extra areas named in brackets."""
    out = {}
    for directorate, services in structure.items():
        out[directorate] = [
            (
                name if i == 0 else f"{name} ({AREAS[i - 1]})",
                teams if i == 0 else [f"{t} ({AREAS[i - 1]})" for t in teams],
                roles,
            )
            for name, teams, roles in services
            for i in range(areas)
        ]
    return out

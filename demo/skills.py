"""Demo data: the council's skills framework and what each job role requires.

The planted story: Housing Options moved its casework onto a new case-management
system, Locata, this year. Every Housing Options role now requires it at
practitioner level (3), as essential; the ratings step leaves most of the
service below that, so the director of Housing sees a digital skills gap with a
recommendation. Bulk inserts only: the framework is small whatever the scale.
"""

from __future__ import annotations

from demo.structure import DemoContext
from organisations.models import JobRole, Skill, SkillCategory, SkillRequirement

C = SkillCategory
LOCATA = "Locata case management"
COURT_SKILLS = "Court skills in care proceedings"

SKILLS: list[tuple[str, str, str]] = [
    # (name, category, description)
    (
        LOCATA,
        C.DIGITAL,
        "The housing case-management system introduced in 2026: recording approaches, assessments, "
        "duties owed and decisions, and the statutory H-CLIC returns built from them.",
    ),
    (
        "Mosaic case recording",
        C.DIGITAL,
        "Recording assessments, plans and reviews in the social care system.",
    ),
    ("Microsoft 365 and collaboration", C.DIGITAL, "Outlook, Teams, SharePoint and shared working."),
    ("Cyber security awareness", C.DIGITAL, "Recognising phishing and handling devices and accounts safely."),
    (
        "Safeguarding adults",
        C.SAFEGUARDING,
        "Recognising and responding to abuse and neglect (Care Act 2014 s42).",
    ),
    (
        "Safeguarding children",
        C.SAFEGUARDING,
        "Working Together to Safeguard Children: concerns, referrals, strategy.",
    ),
    (
        "Mental Capacity Act and DoLS",
        C.SAFEGUARDING,
        "Assessing capacity, best interests, deprivation of liberty.",
    ),
    (
        "Assessment and care planning",
        C.CASE_MANAGEMENT,
        "Strengths-based assessment and outcome-focused plans.",
    ),
    ("Caseload management", C.CASE_MANAGEMENT, "Prioritising work, meeting timescales, closing cases well."),
    ("Case recording and chronologies", C.CASE_MANAGEMENT, "Clear, timely, defensible records."),
    (COURT_SKILLS, C.CASE_MANAGEMENT, "Statements, evidence and giving evidence in public law proceedings."),
    ("Data analysis", C.DATA, "Excel and Power BI: cleaning, summarising and presenting data."),
    ("Data protection (UK GDPR)", C.DATA, "Lawful processing, sharing, subject access and breaches."),
    ("Performance reporting", C.DATA, "KPIs, targets, commentary and corrective action."),
    ("People management", C.LEADERSHIP, "Recruiting, supervising, attendance and capability."),
    ("Coaching and supervision", C.LEADERSHIP, "Reflective supervision and developing others."),
    ("Budget management", C.LEADERSHIP, "Forecasting, controlling spend, savings plans."),
    ("Leading change", C.LEADERSHIP, "Leading people through new systems, structures and ways of working."),
    (
        "Homelessness legislation",
        C.HOUSING_LAW,
        "Housing Act 1996 Part 7 as amended by the Homelessness Reduction Act 2017.",
    ),
    ("Tenancy law and enforcement", C.HOUSING_LAW, "Tenancy types, breaches, notices and possession."),
    ("Allocations policy", C.HOUSING_LAW, "Housing Act 1996 Part 6 and the council's allocation scheme."),
    (
        "Temporary accommodation standards",
        C.HOUSING_LAW,
        "Suitability, inspections and the six-week B&B limit for families.",
    ),
    (
        "Customer service and complaints",
        C.CUSTOMER_SERVICE,
        "Clear, courteous service and resolving complaints early.",
    ),
    ("De-escalation", C.CUSTOMER_SERVICE, "Calming difficult conversations and keeping people safe."),
    (
        "Trauma-informed practice",
        C.CUSTOMER_SERVICE,
        "Working with people in crisis without re-traumatising them.",
    ),
    ("Project management", C.PROJECT_DELIVERY, "Planning, risks, milestones and benefits."),
    ("Contract management", C.PROJECT_DELIVERY, "Managing suppliers' performance against contract."),
    ("Procurement regulations", C.PROJECT_DELIVERY, "The Procurement Act 2023 and the council's rules."),
    ("Risk management", C.PROJECT_DELIVERY, "Identifying, scoring and treating risks."),
    ("Health and safety", C.PROFESSIONAL, "Risk assessment and safe working, on site and in the community."),
    (
        "Occupational therapy assessment",
        C.PROFESSIONAL,
        "Functional assessment and equipment and adaptations.",
    ),
    ("Income recovery", C.PROFESSIONAL, "Arrears prevention, payment plans and recovery action."),
    ("Planning and regulatory law", C.PROFESSIONAL, "Planning, licensing and trading standards legislation."),
]

# title -> [(skill, required level, essential)]; 3 to 6 each.
GENERIC = [
    ("Customer service and complaints", 2, True),
    ("Data protection (UK GDPR)", 2, True),
    ("Microsoft 365 and collaboration", 2, False),
]
HOUSING_OPTIONS = [
    (LOCATA, 3, True),
    ("Homelessness legislation", 3, True),
    ("Trauma-informed practice", 2, False),
    ("Customer service and complaints", 2, True),
]
SOCIAL_WORK = [
    ("Safeguarding adults", 3, True),
    ("Mental Capacity Act and DoLS", 3, True),
    ("Assessment and care planning", 3, True),
    ("Mosaic case recording", 2, True),
    ("Case recording and chronologies", 3, False),
]
CHILDREN = [
    ("Safeguarding children", 3, True),
    (COURT_SKILLS, 3, True),
    ("Assessment and care planning", 3, True),
    ("Mosaic case recording", 2, True),
    ("Case recording and chronologies", 3, False),
]
ROLE_REQUIREMENTS: dict[str, list[tuple[str, int, bool]]] = {
    "Chief Executive": [
        ("Leading change", 4, True),
        ("Budget management", 4, True),
        ("People management", 4, False),
        ("Risk management", 3, False),
    ],
    "Director": [
        ("Leading change", 3, True),
        ("Budget management", 3, True),
        ("People management", 3, True),
        ("Risk management", 3, False),
        ("Performance reporting", 2, False),
    ],
    "Head of Service": [
        ("People management", 3, True),
        ("Budget management", 3, True),
        ("Performance reporting", 3, False),
        ("Risk management", 2, False),
        ("Leading change", 2, False),
    ],
    "Team Manager": [
        ("People management", 3, True),
        ("Coaching and supervision", 3, True),
        ("Performance reporting", 2, False),
        ("Caseload management", 3, False),
    ],
    "Team Leader": [
        ("Coaching and supervision", 2, True),
        ("Caseload management", 3, True),
        ("People management", 2, False),
    ],
    "Social Worker": SOCIAL_WORK,
    "Senior Social Worker": [(s, min(4, lv + 1) if e else lv, e) for s, lv, e in SOCIAL_WORK[:4]]
    + [("Coaching and supervision", 2, False)],
    "Social Care Assessor": [
        ("Assessment and care planning", 2, True),
        ("Safeguarding adults", 2, True),
        ("Mosaic case recording", 2, True),
    ],
    "Safeguarding Practitioner": [
        ("Safeguarding adults", 4, True),
        ("Mental Capacity Act and DoLS", 3, True),
        ("Case recording and chronologies", 3, True),
        ("Mosaic case recording", 2, False),
    ],
    "Occupational Therapist": [
        ("Occupational therapy assessment", 3, True),
        ("Safeguarding adults", 2, True),
        ("Mosaic case recording", 2, False),
        ("Health and safety", 2, False),
    ],
    "OT Assistant": [
        ("Occupational therapy assessment", 2, True),
        ("Health and safety", 2, True),
        ("Customer service and complaints", 2, False),
    ],
    "Commissioning Officer": [
        ("Contract management", 3, True),
        ("Procurement regulations", 2, True),
        ("Data analysis", 2, False),
        ("Risk management", 2, False),
    ],
    "Children's Social Worker": CHILDREN,
    "Newly Qualified Social Worker": [(s, max(1, lv - 1), e) for s, lv, e in CHILDREN if s != COURT_SKILLS],
    "Family Support Worker": [
        ("Safeguarding children", 2, True),
        ("Trauma-informed practice", 2, True),
        ("Case recording and chronologies", 2, False),
    ],
    "Personal Adviser": [
        ("Safeguarding children", 2, True),
        ("Trauma-informed practice", 3, True),
        ("Homelessness legislation", 1, False),
        ("Case recording and chronologies", 2, False),
    ],
    "SEND Caseworker": [
        ("Assessment and care planning", 2, True),
        ("Caseload management", 3, True),
        ("Customer service and complaints", 2, True),
        ("Data protection (UK GDPR)", 2, False),
    ],
    "Admissions Officer": GENERIC + [("Data analysis", 1, False)],
    "Housing Options Officer": HOUSING_OPTIONS + [("De-escalation", 2, False)],
    "Homelessness Prevention Officer": HOUSING_OPTIONS + [("Caseload management", 2, False)],
    "Temporary Accommodation Officer": HOUSING_OPTIONS[:2] + [("Temporary accommodation standards", 3, True)],
    "Tenancy Officer": [
        ("Tenancy law and enforcement", 3, True),
        ("De-escalation", 2, True),
        ("Safeguarding adults", 2, False),
        ("Customer service and complaints", 2, False),
    ],
    "Income Officer": [
        ("Income recovery", 3, True),
        ("Tenancy law and enforcement", 2, True),
        ("Customer service and complaints", 2, False),
    ],
    "Lettings Officer": [
        ("Allocations policy", 3, True),
        ("Customer service and complaints", 2, True),
        ("Data protection (UK GDPR)", 2, False),
    ],
    "Surveyor": [
        ("Health and safety", 3, True),
        ("Contract management", 2, False),
        ("Risk management", 2, False),
    ],
    "Repairs Officer": [
        ("Health and safety", 2, True),
        ("Customer service and complaints", 2, True),
        ("Contract management", 1, False),
    ],
    "Waste Services Officer": [("Health and safety", 2, True), *GENERIC[:2]],
    "Recycling Officer": [("Health and safety", 2, True), ("Data analysis", 1, False), *GENERIC[:1]],
    "Highways Inspector": [
        ("Health and safety", 3, True),
        ("Risk management", 2, True),
        ("Data analysis", 1, False),
    ],
    "Transport Planner": [
        ("Project management", 3, True),
        ("Data analysis", 3, True),
        ("Planning and regulatory law", 2, False),
    ],
    "Planning Officer": [
        ("Planning and regulatory law", 3, True),
        ("Customer service and complaints", 2, False),
        ("Case recording and chronologies", 2, False),
    ],
    "Trading Standards Officer": [
        ("Planning and regulatory law", 3, True),
        ("De-escalation", 2, True),
        ("Case recording and chronologies", 2, False),
    ],
    "Revenues Officer": [
        ("Income recovery", 2, True),
        ("Customer service and complaints", 2, True),
        ("Data protection (UK GDPR)", 2, False),
    ],
    "Benefits Assessor": [
        ("Customer service and complaints", 2, True),
        ("Data protection (UK GDPR)", 2, True),
        ("Case recording and chronologies", 2, False),
    ],
    "Digital Developer": [
        ("Cyber security awareness", 3, True),
        ("Project management", 2, False),
        ("Data analysis", 2, False),
        ("Microsoft 365 and collaboration", 3, False),
    ],
    "ICT Support Analyst": [
        ("Cyber security awareness", 3, True),
        ("Microsoft 365 and collaboration", 4, True),
        ("Customer service and complaints", 2, False),
    ],
    "HR Adviser": [
        ("People management", 2, True),
        ("Data protection (UK GDPR)", 3, True),
        ("Coaching and supervision", 2, False),
    ],
    "Learning and Development Officer": [
        ("Coaching and supervision", 3, True),
        ("Project management", 2, False),
        ("Microsoft 365 and collaboration", 3, False),
    ],
    "Finance Officer": [
        ("Budget management", 3, True),
        ("Data analysis", 3, True),
        ("Risk management", 2, False),
    ],
    "Procurement Officer": [
        ("Procurement regulations", 3, True),
        ("Contract management", 3, True),
        ("Risk management", 2, False),
    ],
    "Information Governance Officer": [
        ("Data protection (UK GDPR)", 3, True),
        ("Cyber security awareness", 3, True),
        ("Risk management", 2, False),
    ],
    "Performance Analyst": [
        ("Data analysis", 3, True),
        ("Performance reporting", 3, True),
        ("Data protection (UK GDPR)", 2, False),
        ("Microsoft 365 and collaboration", 2, False),
    ],
}

# The housing association's own, smaller framework.
OTHER_SKILLS = [
    ("Tenancy management", C.HOUSING_LAW, "Tenancy agreements, breaches and possession."),
    ("Repairs diagnosis", C.PROFESSIONAL, "Diagnosing repairs at first contact."),
    ("Customer care", C.CUSTOMER_SERVICE, "Putting residents first."),
    ("Health and safety", C.PROFESSIONAL, "Safe working on site."),
    ("Team leadership", C.LEADERSHIP, "Leading a team day to day."),
    ("Housing management system", C.DIGITAL, "The association's housing management system."),
]
OTHER_REQUIREMENTS = {
    "Tenancy Officer": [
        ("Tenancy management", 3, True),
        ("Customer care", 2, True),
        ("Housing management system", 2, False),
    ],
    "Repairs Officer": [
        ("Repairs diagnosis", 3, True),
        ("Health and safety", 2, True),
        ("Customer care", 2, False),
    ],
}
OTHER_LEADERS = [
    ("Team leadership", 3, True),
    ("Customer care", 2, False),
    ("Housing management system", 2, False),
]


def seed(ctx: DemoContext) -> None:
    council, other = ctx.organisation, ctx.other_organisation
    skills = Skill.objects.bulk_create(
        [Skill(organisation=council, name=n, category=c, description=d) for n, c, d in SKILLS]
        + [Skill(organisation=other, name=n, category=c, description=d) for n, c, d in OTHER_SKILLS]
    )
    by_name = {(s.organisation_id, s.name): s for s in skills}
    requirements: list[SkillRequirement] = []
    roles: list[JobRole] = sorted(ctx.job_roles.values(), key=lambda r: (r.organisation_id, r.title))
    for role in roles:
        if role.organisation_id == council.pk:
            wanted = ROLE_REQUIREMENTS.get(role.title, GENERIC)
        else:
            wanted = OTHER_REQUIREMENTS.get(role.title, OTHER_LEADERS)
        for name, level, essential in wanted:
            requirements.append(
                SkillRequirement(
                    job_role=role,
                    skill=by_name[(role.organisation_id, name)],
                    required_level=level,
                    essential=essential,
                )
            )
    SkillRequirement.objects.bulk_create(requirements)
    by_role: dict[int, list[SkillRequirement]] = {}
    for r in requirements:
        by_role.setdefault(r.job_role_id, []).append(r)
    ctx.extra["skills"] = by_name
    ctx.extra["requirements_by_role"] = by_role

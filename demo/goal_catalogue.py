"""The demo's goal texts: council plan priorities, service, team and role goals, check-in comments."""

from appraisals.models import GoalStatus
from organisations.models import ServiceKind

# The council plan: (priority, directorate whose services mainly deliver it)
COUNCIL_PRIORITIES = [
    ("Every resident has a safe, secure home", "Housing"),
    ("Children get the best start in life", "Children's Services"),
    ("Adults live independently for longer", "Adults' Social Care"),
    ("A cleaner, greener county", "Environment"),
    ("A well-run council that lives within its means", "Resources"),
]
WELL_RUN = "A well-run council that lives within its means"
OTHER_PRIORITIES = [
    ("Safe, warm and well-maintained homes", "Maintenance"),
    ("Tenants at the heart of everything we do", "Neighbourhoods"),
]

# service: [(title, success measure)]
SERVICE_GOALS: dict[str, list[tuple[str, str]]] = {
    "Adult Social Work": [
        ("Complete Care Act assessments within 28 days", "90% of assessments completed within 28 days"),
        (
            "Review every long-term client at least once a year",
            "85% of long-term clients reviewed in 12 months",
        ),
    ],
    "Safeguarding Adults": [
        ("Complete safeguarding enquiries within timescale", "80% of section 42 enquiries closed on time"),
        ("Clear the Deprivation of Liberty backlog", "Waiting list under 100 by March"),
    ],
    "Occupational Therapy": [
        ("Deliver minor adaptations within four weeks", "90% of minor adaptations fitted within 28 days"),
        ("Cut the waiting list for OT assessments", "No one waits more than 12 weeks"),
    ],
    "Commissioning and Contracts": [
        ("Secure enough home care hours in every locality", "No unmet home care package over 7 days"),
        ("Pay providers a fair cost of care", "All framework rates reviewed by October"),
    ],
    "Children's Social Care": [
        ("Complete child and family assessments within 45 working days", "90% within 45 working days"),
        ("Reduce re-referrals within 12 months", "Re-referrals below 20%"),
    ],
    "Looked After Children": [
        ("Increase the number of in-house foster carers", "20 new fostering households approved"),
        (
            "Every care leaver has a pathway plan and a suitable home",
            "95% of care leavers in suitable accommodation",
        ),
    ],
    "Education and Inclusion": [
        ("Issue EHC plans within 20 weeks", "60% of new plans issued within 20 weeks"),
        ("Offer every child a school place on national offer day", "All on-time applicants offered a place"),
    ],
    "Early Help": [
        ("Open Family Hubs in every district", "Seven hubs open by March"),
        ("Support families early so fewer need social care", "500 families supported through early help"),
    ],
    "Housing Options": [
        (
            "Prevent homelessness for more households at the 56-day duty",
            "65% of prevention cases end with accommodation secured",
        ),
        ("Reduce the use of bed and breakfast for families", "No family in B&B for more than six weeks"),
    ],
    "Housing Management": [
        ("Collect more of the rent due", "Rent collected at 98.5% of rent due"),
        ("Resolve tenancy issues before they reach court", "Evictions for arrears down by a quarter"),
    ],
    "Property Services": [
        ("Re-let empty homes faster", "Average re-let time under 28 days"),
        ("Complete emergency repairs within 24 hours", "98% of emergency repairs within 24 hours"),
    ],
    "Waste and Recycling": [
        ("Increase household waste recycled", "52% of household waste reused, recycled or composted"),
        ("Reduce missed bin collections", "Fewer than 50 missed collections per 100,000"),
    ],
    "Highways and Transport": [
        ("Repair dangerous potholes within 24 hours", "95% of category 1 defects made safe in 24 hours"),
        ("Cut people killed or seriously injured on our roads", "KSI casualties down 10%"),
    ],
    "Planning and Regulation": [
        ("Decide major planning applications within 13 weeks", "80% of major applications in time"),
        ("Protect residents from rogue traders", "Every doorstep crime report visited in 24 hours"),
    ],
    "Revenues and Benefits": [
        ("Collect council tax in year", "97% of council tax collected in year"),
        ("Process new benefit claims within 20 days", "Average new claim processed in 20 days"),
    ],
    "Digital and ICT": [
        ("Move residents' top 20 transactions online", "20 online forms live; 70% of transactions online"),
        ("Meet the cyber assessment framework baseline", "Baseline profile achieved by March"),
    ],
    "Human Resources": [
        ("Reduce sickness absence", "Below 8.5 days per FTE"),
        ("Cut reliance on agency social workers", "Agency social workers below 15% of posts"),
    ],
    "Finance": [
        ("Deliver the savings programme in full", "£12m of savings delivered"),
        ("Close the accounts on time", "Draft accounts published by 31 May"),
    ],
    "Information Governance and Performance": [
        ("Answer FOI requests within 20 working days", "95% answered in time"),
        (
            "Publish quarterly performance reports on time",
            "Each report to cabinet within six weeks of quarter end",
        ),
    ],
}

# team: (title, index of the service goal it supports)
TEAM_GOALS: dict[str, tuple[str, int]] = {
    "North Locality Team": ("Assess new referrals in the north within 28 days", 0),
    "South Locality Team": ("Review long-term clients in the south on time", 1),
    "Hospital Discharge Team": ("Support discharge home within two days of being medically fit", 0),
    "Safeguarding Hub": ("Start safeguarding enquiries within two working days", 0),
    "Deprivation of Liberty Team": ("Halve the DoLS waiting list", 1),
    "Community OT Team": ("Assess OT referrals within six weeks", 1),
    "Equipment and Adaptations Team": ("Fit minor adaptations within four weeks", 0),
    "Care Market Team": ("Commission home care in every rural area", 0),
    "Front Door (MASH)": ("Decide on every contact within 24 hours", 1),
    "Child in Need Team": ("Complete assessments within 45 working days", 0),
    "Child Protection Team": ("Hold every child protection visit on time", 1),
    "Fostering Team": ("Approve 20 new foster households", 0),
    "Leaving Care Team": ("Keep in touch with every care leaver", 1),
    "SEND Team": ("Issue EHC plans within 20 weeks", 0),
    "School Admissions Team": ("Process on-time applications for national offer day", 1),
    "Family Hubs Team": ("Open two more Family Hubs", 0),
    "Housing Options Team": ("Decide housing applications within 10 working days", 0),
    "Homelessness Prevention Team": ("Secure accommodation at the end of the prevention duty", 0),
    "Temporary Accommodation Team": ("Move families out of B&B within six weeks", 1),
    "Tenancy Services Team": ("Visit every new tenant within six weeks", 1),
    "Income Team": ("Reduce tenants more than seven weeks in arrears", 0),
    "Lettings Team": ("Sign up new tenancies with a full affordability check", 0),
    "Repairs Team": ("Complete emergency repairs within 24 hours", 1),
    "Voids Team": ("Turn empty homes around in 20 days", 0),
    "Collections Team": ("Cut missed collections on every round", 1),
    "Recycling Centres Team": ("Raise the share of waste reused or recycled at centres", 0),
    "Highways Maintenance Team": ("Make dangerous potholes safe within 24 hours", 0),
    "Road Safety Team": ("Deliver road safety schemes at the worst sites", 1),
    "Development Management Team": ("Decide major applications within 13 weeks", 0),
    "Trading Standards Team": ("Respond to doorstep crime reports the same day", 1),
    "Council Tax Team": ("Collect council tax arrears from previous years", 0),
    "Benefits Team": ("Process new claims within 20 days", 1),
    "Service Desk": ("Patch every laptop within 14 days", 1),
    "Digital Development Team": ("Launch online forms for the top 20 transactions", 0),
    "HR Advisory Team": ("Support managers to reduce sickness absence", 0),
    "Workforce Development Team": ("Grow our own social workers through apprenticeships", 1),
    "Corporate Finance Team": ("Close the accounts by 31 May", 1),
    "Procurement Team": ("Deliver £2m of contract savings", 0),
    "Information Governance Team": ("Answer FOI requests within 20 working days", 0),
    "Performance and Intelligence Team": ("Publish the quarterly performance report on time", 1),
}

ROLE_GOALS: dict[str, list[str]] = {
    "Housing Options Officer": [
        "Process housing applications within the 10-working-day target",
        "Agree a personalised housing plan within 10 days of each approach",
        "Keep every case record up to date on the housing system",
    ],
    "Homelessness Prevention Officer": [
        "Secure accommodation for at least 65% of my prevention cases",
        "Build working links with five private landlords",
    ],
    "Temporary Accommodation Officer": [
        "Move each family out of B&B within six weeks",
        "Inspect every temporary home before placement",
    ],
    "Social Worker": [
        "Complete my assessments within 28 days",
        "Review everyone on my caseload on time",
    ],
    "Senior Social Worker": [
        "Quality-assure the team's assessments each month",
        "Complete my complex-case reviews on time",
    ],
    "Children's Social Worker": [
        "Complete my assessments within 45 working days",
        "Visit every child on a plan within timescale",
    ],
    "Newly Qualified Social Worker": [
        "Complete my ASYE portfolio",
        "Complete my assessments within 45 working days",
    ],
    "Income Officer": ["Reduce arrears on my patch by 10%", "Contact every new arrears case within a week"],
    "Tenancy Officer": [
        "Complete new tenancy visits within six weeks",
        "Resolve anti-social behaviour cases",
    ],
    "Surveyor": ["Complete void inspections within two days", "Sign off repairs quality checks weekly"],
    "Revenues Officer": [
        "Clear my recovery caseload each month",
        "Process council tax changes within 10 days",
    ],
    "Benefits Assessor": ["Process new claims within 20 days", "Keep my accuracy above 97%"],
    "Planning Officer": ["Decide my applications within the statutory period", "Clear my older cases"],
    "Waste Services Officer": [
        "Resolve missed collection reports within two days",
        "Audit two rounds a month",
    ],
    "Digital Developer": ["Ship two online forms each quarter", "Pass accessibility checks on every release"],
    "Performance Analyst": [
        "Publish the quarterly KPI report on time",
        "Check KPI data quality with each service",
    ],
}
GENERIC_GOALS = [
    "Keep my caseload within the agreed limit",
    "Meet the team's service standards on my cases",
    "Respond to residents' enquiries within five working days",
    "Improve the quality of my case recording",
    "Share learning from a complaint with the team",
    "Complete my mandatory training",
]
LEADER_GOALS = {
    ServiceKind.TEAM: [
        "Hold supervision with every team member each month",
        "Bring the team's sickness absence below 8 days per FTE",
        "Deliver the team goal with the team",
    ],
    ServiceKind.SERVICE: [
        "Deliver the service plan",
        "Keep the service within budget",
        "Fill vacant posts with permanent staff",
    ],
    ServiceKind.DIRECTORATE: [
        "Lead the directorate's part of the council plan",
        "Deliver the directorate's savings",
        "Improve the directorate's inspection outcome",
    ],
}
DEVELOPMENT_GOALS = [
    "Complete a leadership development course",
    "Shadow a colleague in another team",
    "Work towards a professional qualification",
    "Mentor a new member of staff",
]
COMMENTS = {
    GoalStatus.ON_TRACK: [
        "Going well; on track for the deadline.",
        "Steady progress this month.",
        "Ahead of where I expected.",
        "Discussed at 1:1; no concerns.",
    ],
    GoalStatus.AT_RISK: [
        "Caseload has gone up; this has slipped.",
        "Waiting on another team before I can finish.",
        "Sickness in the team has slowed this down.",
        "Agreed to review again at the next 1:1.",
    ],
    GoalStatus.OFF_TRACK: [
        "Not achievable by the due date without more support.",
        "System problems have stopped progress.",
    ],
    GoalStatus.ACHIEVED: ["Done.", "Completed and signed off by my manager.", "Achieved ahead of time."],
    GoalStatus.DROPPED: ["No longer a priority after the restructure.", "Replaced by a new team goal."],
}

DRAFT_GOALS = [
    "Lead the team's work on the new landlord incentive scheme",
    "Run a drop-in advice session at the Family Hub each month",
    "Train as a duty officer for the homelessness line",
]

"""What demo feedback sessions say and how they are spread: text pools, assessment mix, attendance profiles."""

from appraisals.models import Assessment

DISCUSSIONS = [
    "Caseload review: went through each open case and agreed priorities for the next month.",
    "Talked through the new case-management system and where it is slowing work down.",
    "Reviewed progress on objectives and the team's KPIs for the quarter.",
    "Discussed workload, the rota for cover during leave and a complex case needing a second opinion.",
    "Reflective discussion on a recent difficult visit and what we would do differently.",
    "Went through the service's performance report and how their work contributes to it.",
    "Discussed training needs and options for the coming year.",
    "Checked in on the backlog after the system change and agreed what can wait.",
]
ACHIEVEMENTS = [
    "Cleared the backlog of overdue reviews ahead of the deadline.",
    "Positive feedback from a resident about how their case was handled.",
    "Led the team briefing on the new procedure confidently.",
    "Met all statutory timescales this month.",
    "Supported a new colleague through their induction.",
    "",
]
DEVELOPMENT = [
    "Confidence with the new digital case-management system.",
    "Writing concise case records that stand on their own.",
    "Managing time across competing deadlines.",
    "Presenting at multi-agency meetings.",
    "Knowledge of recent changes to housing law.",
    "",
]
WELLBEING = [
    "Says workload feels manageable at the moment.",
    "Finding the current volume of work tiring; agreed to review in two weeks.",
    "Back from leave and feeling refreshed.",
    "Mentioned caring responsibilities at home; flexible working discussed.",
]
PRIVATE_NOTES = [
    "Keep an eye on sickness absence pattern; informal conversation only so far.",
    "Possible candidate for the senior role next year.",
    "Discussed with HR: no formal action, review at next session.",
    "Quieter than usual: check in informally before the next session.",
    "Recording quality has slipped; raise gently if it continues.",
]
ACTIONS = [
    "Book a place on the case-management system training",
    "Shadow a senior colleague on a complex assessment",
    "Update the case records for the three oldest cases",
    "Read the revised procedure and bring questions",
    "Complete the mandatory safeguarding refresher",
    "Agree a plan for the overdue reviews with the team leader",
    "Draft a proposal for improving the referral form",
    "Arrange a reflective session on the recent complaint",
    "Set up a monthly catch-up with the data team",
    "Complete the online data protection module",
]

ASSESSMENT_MIX = [
    (Assessment.EXCEEDING, 15),
    (Assessment.ACHIEVING, 77),
    (Assessment.DEVELOPING, 7),
    (Assessment.NOT_YET, 1),
]

# Profiles: (name, weight). "lapsed" and "badly" stop before today, so they are overdue.
PROFILES = [("regular", 91), ("patchy", 7), ("lapsed", 1.5), ("badly", 0.5)]
STRUGGLING_SHARE = 0.01

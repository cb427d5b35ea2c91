"""Every flag rule's thresholds, in one place, with why."""

# kpi_red: a red latest result is medium; red for this many periods running is high.
KPI_RED_HIGH_AFTER_PERIODS = 2
# kpi_worsening: worse than the period before, this many periods running.
KPI_WORSENING_PERIODS = 3
# kpi_data_missing: high when this many periods are missing in a row.
KPI_DATA_MISSING_HIGH_PERIODS = 2

# feedback_overdue: days past due -> severity. Supervision lapsing a month is serious.
FEEDBACK_OVERDUE_MEDIUM_DAYS = 14
FEEDBACK_OVERDUE_HIGH_DAYS = 28

# underperformance: the last N assessments below "achieving", or the latest "not yet achieving".
UNDERPERFORMANCE_CONSECUTIVE = 2

# goal_at_risk: due within this many days and progress behind time elapsed by more
# than this many percentage points (or the goal is off track).
GOAL_AT_RISK_DUE_WITHIN_DAYS = 30
GOAL_AT_RISK_BEHIND_POINTS = 25
# goal_overdue: high once this many days past due.
GOAL_OVERDUE_HIGH_DAYS = 30

# interim_contract_ending: an interim or agency contract ending within these days;
# high within the shorter window (no time to extend or recruit).
INTERIM_ENDING_DAYS = 30
INTERIM_ENDING_HIGH_DAYS = 14
# interim_reliance: the organisation's threshold (default 20%) is medium; this many
# points above it is high.
INTERIM_RELIANCE_HIGH_MARGIN = 10
# interim_reliance is computed for these kinds of service, each with everything
# below it (a team is too small for a share to mean much: one agency worker in a
# team of four is 25%).
INTERIM_RELIANCE_SERVICE_KINDS = ("directorate", "service")

# skills_gap: coverage below the organisation's threshold is medium; below this, high.
SKILLS_GAP_HIGH_COVERAGE = 30

# risk_above_target: residual above target; high when the residual band is extreme.
RISK_HIGH_RESIDUAL_SCORE = 15
# risk_review_overdue: low when just past its review date, medium after this many
# days (a fortnight: past the next management team meeting), high after a month.
RISK_REVIEW_OVERDUE_MEDIUM_DAYS = 14
RISK_REVIEW_OVERDUE_HIGH_DAYS = 30

# skills_gap and the skills-gap step (insights/rules/skills.py, insights/services/skill_gaps.py).
# A service's coverage is about the service only when several people need the
# skill; below this, a percentage describes one or two individuals (their gaps
# show on their own pages), so no service flag.
SKILLS_GAP_MIN_PEOPLE = 3
# A non-essential skill's flag is one step lower (high -> medium, medium -> low).
# recruit: a service's coverage of a skill below the organisation's threshold for
# this many days running: training and interim cover have not closed it.
SKILLS_RECRUIT_AFTER_DAYS = 180
# single_point_of_failure: an essential skill that at least this many people's roles
# require, held at the required level by exactly one of them. (A skill only one
# person needs is that person's job, not a single point of failure.)
SINGLE_POINT_MIN_PEOPLE = 2

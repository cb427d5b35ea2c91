"""Every flag rule's thresholds, in one place, with why."""

# kpi_red: a red latest result is medium; red for this many periods running is high.
KPI_RED_HIGH_AFTER_PERIODS = 2
# kpi_worsening: worse than the period before, this many periods running.
KPI_WORSENING_PERIODS = 3
# kpi_data_missing: high when this many periods are missing in a row.
KPI_DATA_MISSING_HIGH_PERIODS = 2

# Every kind: a flag nobody acknowledged or dismissed within this many days is
# escalated once to the owner's manager (a kind may set its own review period).
DEFAULT_REVIEW_DAYS = 28

# Every kind: a finding opens a flag only at this severity or above. A low finding
# (a KPI's earlier period missing, a risk just past its review date, a desirable
# skill's gap) shows on its own page and in the service's figures, not as a flag;
# a flag already open stays open at low while its condition holds.
OPEN_FROM_SEVERITY = "medium"

# feedback_overdue: days past due -> severity. No flag before the medium threshold:
# a session a few days late shows on the team page and is the manager's to book.
# Supervision lapsing a month is serious.
FEEDBACK_OVERDUE_MEDIUM_DAYS = 28
FEEDBACK_OVERDUE_HIGH_DAYS = 56

# supervision_overdue: a directorate's or service's share of staff overdue a session
# (any days) above this tolerance is medium; above SUPERVISION_OVERDUE_HIGH, high.
SUPERVISION_OVERDUE_TOLERANCE = 10
SUPERVISION_OVERDUE_HIGH = 25

# underperformance: the last N assessments below "achieving", or the latest "not yet achieving".
UNDERPERFORMANCE_CONSECUTIVE = 2

# goal_at_risk: due within this many days and progress behind time elapsed by more
# than this many percentage points (or the goal is off track).
GOAL_AT_RISK_DUE_WITHIN_DAYS = 30
GOAL_AT_RISK_BEHIND_POINTS = 25
# goal_overdue: no flag within this many days of the due date (the goal's own page
# says it is overdue, and most are closed at the next check-in); high once GOAL_OVERDUE_HIGH_DAYS past due.
GOAL_OVERDUE_GRACE_DAYS = 14
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
# Below this residual (the low and moderate bands) a risk above target is low: the
# register shows it, and low findings open no flag.
RISK_MEDIUM_RESIDUAL_SCORE = 8
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

# Train, cover or recruit (insights/rules/skill_options.py).
# A gap that planned development closes within this many days (a short course) is
# carried without interim cover.
SKILLS_SHORT_WAIT_DAYS = 42
# With no development planned, what interim cover is costed for: a quarter.
SKILLS_COVER_PERIOD_DAYS = 91
# An essential (not statutory) skill that someone in the service still holds: when
# cover until planned development completes would cost more than this many times
# the development, develop and let those at level carry the work meanwhile.
SKILLS_COVER_COST_MULTIPLE = 3

"""Every kind of flag, in one place: what it is, who acts on it, how severe it
gets, who may see it, its thresholds and the recompute step that raises it.

``FlagKind`` (its choices, in this order), ``PERSONAL_KINDS``, the "record as
a risk" category of the flag page and the recompute run's steps all derive from
:data:`KINDS`. To add a kind: add a :class:`Kind` here, write its rule in a
module under ``insights/rules/`` (a function taking the run's context and
returning flag candidates) and make the migration for the new choice. A new
kind's thresholds can live in its ``thresholds`` here, read by its rule as
``kinds.BY_CODE["<code>"].thresholds["<NAME>"]``; the existing kinds' values are
in :mod:`insights.rules.thresholds`, with why, and are listed here too.

The rule is named by its dotted path, not imported: ``insights.models`` builds
``FlagKind`` from this module, and every rule module imports ``insights.models``.
:func:`rule_steps` resolves the paths once the models are loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from insights.rules import thresholds as t
from organisations.models.risks import RiskCategory


@dataclass(frozen=True)
class Kind:
    code: str  # the database value; never change an existing one
    label: str
    owner: str  # who is expected to act, in words
    severity: str  # how the severity is decided, in words
    rule: str  # dotted path of the recompute step that yields this kind's candidates
    personal: bool = False  # about one person: their management chain and head of service only
    risk_category: str | None = None  # the register category for "record as a risk"
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    # Not acknowledged or dismissed within this many days of opening: escalated,
    # once, to the owner's own manager (insights/services/flag_owners.py).
    review_days: int = t.DEFAULT_REVIEW_DAYS
    # A high flag of this kind is also in the "needs your attention" list of the
    # heads of service above its owner (data-quality prompts are the owner's alone).
    to_heads: bool = True

    @property
    def name(self) -> str:
        """The ``FlagKind`` member name: ``kpi_red`` -> ``KPI_RED``."""
        return self.code.upper()

    @property
    def rule_function(self) -> Callable:
        return import_string(self.rule)


KPIS = "insights.rules.kpis.candidates"
SESSIONS = "insights.rules.sessions.candidates"
GOALS = "insights.rules.goals.candidates"
WORKFORCE = "insights.rules.workforce.candidates"
SKILLS = "insights.services.skill_gaps.recompute_skill_gaps"
RISKS = "insights.rules.risks.candidates"

KINDS: tuple[Kind, ...] = (
    Kind(
        code="kpi_red",
        label="KPI red",
        owner="The KPI's owner, with the head of its service",
        severity=f"Medium when the latest result is red; high when red {t.KPI_RED_HIGH_AFTER_PERIODS} periods running.",
        rule=KPIS,
        risk_category=RiskCategory.OPERATIONAL,
        thresholds={"KPI_RED_HIGH_AFTER_PERIODS": t.KPI_RED_HIGH_AFTER_PERIODS},
    ),
    Kind(
        code="kpi_worsening",
        label="KPI worsening",
        owner="The KPI's owner, with the head of its service",
        severity=(
            f"Medium when worse than the period before, {t.KPI_WORSENING_PERIODS} periods running, and "
            "amber or without a target (green still meets its target; red has its own flag)."
        ),
        rule=KPIS,
        risk_category=RiskCategory.OPERATIONAL,
        thresholds={"KPI_WORSENING_PERIODS": t.KPI_WORSENING_PERIODS},
    ),
    Kind(
        code="kpi_data_missing",
        label="KPI data missing",
        owner="The KPI's owner, who records the missing results",
        severity=f"High when {t.KPI_DATA_MISSING_HIGH_PERIODS} periods are missing in a row.",
        rule=KPIS,
        risk_category=RiskCategory.OPERATIONAL,
        to_heads=False,
        thresholds={"KPI_DATA_MISSING_HIGH_PERIODS": t.KPI_DATA_MISSING_HIGH_PERIODS},
    ),
    Kind(
        code="feedback_overdue",
        label="Feedback session overdue",
        owner="The person's line manager",
        severity=(
            f"By days past due: none before {t.FEEDBACK_OVERDUE_MEDIUM_DAYS} (the team page shows it), "
            f"medium from {t.FEEDBACK_OVERDUE_MEDIUM_DAYS}, high from {t.FEEDBACK_OVERDUE_HIGH_DAYS}."
        ),
        rule=SESSIONS,
        personal=True,
        thresholds={
            "FEEDBACK_OVERDUE_MEDIUM_DAYS": t.FEEDBACK_OVERDUE_MEDIUM_DAYS,
            "FEEDBACK_OVERDUE_HIGH_DAYS": t.FEEDBACK_OVERDUE_HIGH_DAYS,
        },
    ),
    Kind(
        code="supervision_overdue",
        label="Supervision overdue across a service",
        owner="The head of service, with the team managers below",
        severity=(
            f"Medium when more than {t.SUPERVISION_OVERDUE_TOLERANCE}% of a directorate's or service's "
            f"staff are overdue a session; high above {t.SUPERVISION_OVERDUE_HIGH}%."
        ),
        rule=SESSIONS,
        risk_category=RiskCategory.WORKFORCE,
        thresholds={
            "SUPERVISION_OVERDUE_TOLERANCE": t.SUPERVISION_OVERDUE_TOLERANCE,
            "SUPERVISION_OVERDUE_HIGH": t.SUPERVISION_OVERDUE_HIGH,
        },
    ),
    Kind(
        code="underperformance",
        label="Possible underperformance",
        owner="The person's line manager, to talk it through with them",
        severity=(
            f"Raised when the last {t.UNDERPERFORMANCE_CONSECUTIVE} assessments are below "
            "“achieving”, or the latest is “not yet achieving”."
        ),
        rule=SESSIONS,
        personal=True,
        thresholds={"UNDERPERFORMANCE_CONSECUTIVE": t.UNDERPERFORMANCE_CONSECUTIVE},
    ),
    Kind(
        code="goal_at_risk",
        label="Goal at risk",
        owner="The line manager (one flag for all their people's objectives)",
        severity=(
            f"Due within {t.GOAL_AT_RISK_DUE_WITHIN_DAYS} days and more than "
            f"{t.GOAL_AT_RISK_BEHIND_POINTS} points behind time elapsed and marked off track: high."
        ),
        rule=GOALS,
        personal=True,
        thresholds={
            "GOAL_AT_RISK_DUE_WITHIN_DAYS": t.GOAL_AT_RISK_DUE_WITHIN_DAYS,
            "GOAL_AT_RISK_BEHIND_POINTS": t.GOAL_AT_RISK_BEHIND_POINTS,
        },
    ),
    Kind(
        code="goal_overdue",
        label="Goal overdue",
        owner="The line manager (one flag for all their people's objectives)",
        severity=(
            f"None within {t.GOAL_OVERDUE_GRACE_DAYS} days of the due date; medium after, "
            f"high once {t.GOAL_OVERDUE_HIGH_DAYS} days past due."
        ),
        rule=GOALS,
        personal=True,
        thresholds={
            "GOAL_OVERDUE_GRACE_DAYS": t.GOAL_OVERDUE_GRACE_DAYS,
            "GOAL_OVERDUE_HIGH_DAYS": t.GOAL_OVERDUE_HIGH_DAYS,
        },
    ),
    Kind(
        code="interim_contract_ending",
        label="Interim contract ending",
        owner="The person's line manager, to extend, recruit or hand over",
        severity=(f"Ending within {t.INTERIM_ENDING_DAYS} days; high within {t.INTERIM_ENDING_HIGH_DAYS}."),
        rule=WORKFORCE,
        personal=True,
        review_days=7,  # the contract ends within weeks: a week without a plan is too long
        thresholds={
            "INTERIM_ENDING_DAYS": t.INTERIM_ENDING_DAYS,
            "INTERIM_ENDING_HIGH_DAYS": t.INTERIM_ENDING_HIGH_DAYS,
        },
    ),
    Kind(
        code="interim_reliance",
        label="Reliance on interim and agency staff",
        owner="The head of service",
        severity=(
            "Medium above the organisation's threshold; high "
            f"{t.INTERIM_RELIANCE_HIGH_MARGIN} points above it."
        ),
        rule=WORKFORCE,
        risk_category=RiskCategory.WORKFORCE,
        thresholds={
            "INTERIM_RELIANCE_HIGH_MARGIN": t.INTERIM_RELIANCE_HIGH_MARGIN,
            "INTERIM_RELIANCE_SERVICE_KINDS": t.INTERIM_RELIANCE_SERVICE_KINDS,
        },
    ),
    Kind(
        code="skills_gap",
        label="Skills gap",
        owner="The head of service, to train, cover or recruit",
        severity=(
            f"Medium below the organisation's coverage threshold; high below {t.SKILLS_GAP_HIGH_COVERAGE}%; "
            "a non-essential skill one step lower."
        ),
        rule=SKILLS,
        risk_category=RiskCategory.WORKFORCE,
        thresholds={
            "SKILLS_GAP_HIGH_COVERAGE": t.SKILLS_GAP_HIGH_COVERAGE,
            "SKILLS_GAP_MIN_PEOPLE": t.SKILLS_GAP_MIN_PEOPLE,
            "SKILLS_RECRUIT_AFTER_DAYS": t.SKILLS_RECRUIT_AFTER_DAYS,
        },
    ),
    Kind(
        code="single_point_of_failure",
        label="Single point of failure",
        owner="The head of service, to train a second person",
        severity="Medium; high when the one holder is on an interim or agency contract.",
        rule=SKILLS,
        risk_category=RiskCategory.WORKFORCE,
        thresholds={"SINGLE_POINT_MIN_PEOPLE": t.SINGLE_POINT_MIN_PEOPLE},
    ),
    Kind(
        code="risk_above_target",
        label="Risk above target",
        owner="The risk's owner",
        severity=(
            f"Medium from a residual of {t.RISK_MEDIUM_RESIDUAL_SCORE} (high band), high from "
            f"{t.RISK_HIGH_RESIDUAL_SCORE} (extreme); below that, no flag."
        ),
        rule=RISKS,
        thresholds={
            "RISK_MEDIUM_RESIDUAL_SCORE": t.RISK_MEDIUM_RESIDUAL_SCORE,
            "RISK_HIGH_RESIDUAL_SCORE": t.RISK_HIGH_RESIDUAL_SCORE,
        },
    ),
    Kind(
        code="risk_review_overdue",
        label="Risk review overdue",
        owner="The risk's owner",
        severity=(
            f"Low when just past its review date; medium after {t.RISK_REVIEW_OVERDUE_MEDIUM_DAYS} days, "
            f"high after {t.RISK_REVIEW_OVERDUE_HIGH_DAYS}."
        ),
        rule=RISKS,
        thresholds={
            "RISK_REVIEW_OVERDUE_MEDIUM_DAYS": t.RISK_REVIEW_OVERDUE_MEDIUM_DAYS,
            "RISK_REVIEW_OVERDUE_HIGH_DAYS": t.RISK_REVIEW_OVERDUE_HIGH_DAYS,
        },
    ),
)

BY_CODE: dict[str, Kind] = {k.code: k for k in KINDS}


def choices() -> list[tuple[str, tuple[str, str]]]:
    """``FlagKind``'s members, in registry order: (NAME, (value, label))."""
    return [(k.name, (k.code, k.label)) for k in KINDS]


def personal_codes() -> tuple[str, ...]:
    return tuple(k.code for k in KINDS if k.personal)


def head_codes() -> tuple[str, ...]:
    return tuple(k.code for k in KINDS if k.to_heads and not k.personal)


def risk_categories() -> dict[str, str]:
    return {k.code: k.risk_category for k in KINDS if k.risk_category}


def rule_steps() -> list[Callable]:
    """The recompute run's steps: each kind's rule once, in registry order."""
    paths = list(dict.fromkeys(k.rule for k in KINDS))
    return [import_string(path) for path in paths]

"""Flag rules over the risk register: ``risk_above_target`` and ``risk_review_overdue``.

The pure functions decide from plain values; :func:`candidates` loads the
organisation's open risks in one query and turns what they decide into flags.
Risk flags are about the register, not a person: they carry the risk's
service (none for a corporate risk) and no employee.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules import thresholds as t
from insights.services.flagging import FlagCandidate
from organisations.models import Risk
from organisations.rules import risks as risk_rules

ABOVE_TARGET_RULE = (
    "An open risk whose residual score (likelihood × impact with the current controls) is above "
    f"its target score. Low while the residual is below {t.RISK_MEDIUM_RESIDUAL_SCORE} (low or moderate: "
    "the register shows it, no flag opens); medium from "
    f"{t.RISK_MEDIUM_RESIDUAL_SCORE} (high band); high when {t.RISK_HIGH_RESIDUAL_SCORE} or more (extreme)."
)
REVIEW_OVERDUE_RULE = (
    "An open risk past its review date. Low when overdue; medium once "
    f"{t.RISK_REVIEW_OVERDUE_MEDIUM_DAYS} days overdue; high once {t.RISK_REVIEW_OVERDUE_HIGH_DAYS} days overdue."
)


def risk_above_target(*, residual_score: int, target_score: int) -> str | None:
    """Severity of a residual score above target, or None when on or below it."""
    if residual_score <= target_score:
        return None
    if residual_score >= t.RISK_HIGH_RESIDUAL_SCORE:
        return FlagSeverity.HIGH
    if residual_score >= t.RISK_MEDIUM_RESIDUAL_SCORE:
        return FlagSeverity.MEDIUM
    return FlagSeverity.LOW


def days_overdue(review_due: date, today: date) -> int:
    return (today - review_due).days


def risk_review_overdue(*, review_due: date, today: date) -> str | None:
    """Severity of a review past due, or None when not yet due (due today is not overdue)."""
    days = days_overdue(review_due, today)
    if days <= 0:
        return None
    if days >= t.RISK_REVIEW_OVERDUE_HIGH_DAYS:
        return FlagSeverity.HIGH
    if days >= t.RISK_REVIEW_OVERDUE_MEDIUM_DAYS:
        return FlagSeverity.MEDIUM
    return FlagSeverity.LOW


def _label(row: dict) -> str:
    return f"{row['reference']} {row['title']}".strip() if row["reference"] else row["title"]


def candidates(ctx) -> list[FlagCandidate]:
    """One query: the organisation's open risks with their owner and service names."""
    risks = Risk.objects.filter(organisation=ctx.organisation, is_open=True)
    if ctx.slice is not None:
        if not ctx.slice.scope.risks:
            return []
        risks = risks.filter(pk__in=ctx.slice.scope.risks)
    rows = risks.values(
        "pk",
        "reference",
        "title",
        "service_id",
        "service__name",
        "owner__first_name",
        "owner__last_name",
        "residual_likelihood",
        "residual_impact",
        "residual_score",
        "target_likelihood",
        "target_impact",
        "review_due",
    )
    register = reverse("organisations:risk_register")
    found: list[FlagCandidate] = []
    for row in rows:
        label = _label(row)
        residual = row["residual_score"]
        target = row["target_likelihood"] * row["target_impact"]
        owner = (
            f"{row['owner__first_name']} {row['owner__last_name']}"
            if row["owner__first_name"]
            else "No owner"
        )
        where = row["service__name"] or "Corporate (strategic) register"
        links = [{"label": f"Risk: {label}", "url": reverse("organisations:risk_detail", args=[row["pk"]])}]
        if row["service_id"]:
            links.append(
                {
                    "label": f"Risks in {row['service__name']}",
                    "url": f"{register}?service={row['service_id']}",
                }
            )
        common = {"risk": label, "register": where, "owner": owner}

        severity = risk_above_target(residual_score=residual, target_score=target)
        if severity:
            found.append(
                FlagCandidate(
                    kind=FlagKind.RISK_ABOVE_TARGET,
                    severity=severity,
                    subject_type=SubjectType.RISK,
                    subject_id=row["pk"],
                    service_id=row["service_id"],
                    title=(
                        f"{label}: residual score {residual} ({risk_rules.BAND_LABELS[risk_rules.band(residual)].lower()}) "
                        f"above its target of {target}"
                    ),
                    rule=ABOVE_TARGET_RULE,
                    evidence={
                        **common,
                        "residual_score": residual,
                        "residual_band": risk_rules.BAND_LABELS[risk_rules.band(residual)],
                        "residual_likelihood": risk_rules.LIKELIHOOD_LABELS[row["residual_likelihood"]],
                        "residual_impact": risk_rules.IMPACT_LABELS[row["residual_impact"]],
                        "target_score": target,
                        "target_band": risk_rules.BAND_LABELS[risk_rules.band(target)],
                        "links": links,
                    },
                )
            )

        severity = risk_review_overdue(review_due=row["review_due"], today=ctx.today)
        if severity:
            days = days_overdue(row["review_due"], ctx.today)
            found.append(
                FlagCandidate(
                    kind=FlagKind.RISK_REVIEW_OVERDUE,
                    severity=severity,
                    subject_type=SubjectType.RISK,
                    subject_id=row["pk"],
                    service_id=row["service_id"],
                    title=f"{label}: review overdue by {days} day{'s' if days != 1 else ''}",
                    rule=REVIEW_OVERDUE_RULE,
                    evidence={
                        **common,
                        "review_due": row["review_due"].isoformat(),
                        "days_overdue": days,
                        "links": links,
                    },
                )
            )
    return found

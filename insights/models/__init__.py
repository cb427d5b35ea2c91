from insights.models.figures import PendingChange, ServiceFigures
from insights.models.flags import Flag, FlagKind, FlagSeverity, SubjectType
from insights.models.papers import ALL_SECTIONS, CommitteeTemplate, PaperSection, QuarterSignOff
from insights.models.runs import Run, RunStatus, SkillGap

__all__ = [
    "Flag",
    "FlagKind",
    "FlagSeverity",
    "SubjectType",
    "Run",
    "RunStatus",
    "SkillGap",
    "ServiceFigures",
    "PendingChange",
    "ALL_SECTIONS",
    "CommitteeTemplate",
    "PaperSection",
    "QuarterSignOff",
]

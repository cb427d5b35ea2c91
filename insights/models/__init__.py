from .flags import Flag, FlagKind, FlagSeverity, SubjectType
from .runs import Run, RunStatus, SkillGap

__all__ = ["Flag", "FlagKind", "FlagSeverity", "SubjectType", "Run", "RunStatus", "SkillGap"]

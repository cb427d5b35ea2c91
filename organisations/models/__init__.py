from .audit import AuditEvent, AuditEventKind
from .kpis import KPI, Frequency, KPIResult, KPITarget, Polarity, Status, ToleranceKind, Unit
from .risks import Risk, RiskAction, RiskCategory, RiskResponse
from .skills import LEVEL_DESCRIPTORS, Skill, SkillCategory, SkillLevel, SkillRequirement
from .structure import Employee, EmploymentType, JobRole, Organisation, Service, ServiceKind

__all__ = [
    "AuditEvent",
    "AuditEventKind",
    "KPI",
    "Frequency",
    "KPIResult",
    "KPITarget",
    "Polarity",
    "Status",
    "ToleranceKind",
    "Unit",
    "Risk",
    "RiskAction",
    "RiskCategory",
    "RiskResponse",
    "LEVEL_DESCRIPTORS",
    "Skill",
    "SkillCategory",
    "SkillLevel",
    "SkillRequirement",
    "EmploymentType",
    "Employee",
    "JobRole",
    "Organisation",
    "Service",
    "ServiceKind",
]

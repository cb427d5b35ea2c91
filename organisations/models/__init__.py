from organisations.models.audit import ORGANISATION_KINDS, RESULT_KINDS, AuditEvent, AuditEventKind
from organisations.models.benchmarks import BenchmarkFigure, BenchmarkImport, ComparatorGroup
from organisations.models.imports import HRSystem, ImportStatus, PeopleImport
from organisations.models.kpis import (
    COUNTED_STATES,
    KPI,
    PUBLISHED_STATES,
    Frequency,
    KPIResult,
    KPITarget,
    Polarity,
    Profile,
    ResultState,
    Status,
    ToleranceKind,
    Unit,
)
from organisations.models.notifications import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from organisations.models.people import Employee, EmploymentType
from organisations.models.risks import Risk, RiskAction, RiskCategory, RiskResponse
from organisations.models.skills import LEVEL_DESCRIPTORS, Skill, SkillCategory, SkillLevel, SkillRequirement
from organisations.models.structure import JobFamily, JobRole, Organisation, Service, ServiceKind

__all__ = [
    "BenchmarkFigure",
    "BenchmarkImport",
    "ComparatorGroup",
    "AuditEvent",
    "AuditEventKind",
    "HRSystem",
    "ImportStatus",
    "PeopleImport",
    "ORGANISATION_KINDS",
    "RESULT_KINDS",
    "COUNTED_STATES",
    "PUBLISHED_STATES",
    "ResultState",
    "KPI",
    "Frequency",
    "KPIResult",
    "KPITarget",
    "Polarity",
    "Status",
    "Profile",
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
    "JobFamily",
    "JobRole",
    "Organisation",
    "Service",
    "ServiceKind",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "NotificationPreference",
]

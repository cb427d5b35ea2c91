from organisations.models.audit import ORGANISATION_KINDS, AuditEvent, AuditEventKind
from organisations.models.imports import HRSystem, ImportStatus, PeopleImport
from organisations.models.kpis import (
    KPI,
    Frequency,
    KPIResult,
    KPITarget,
    Polarity,
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
from organisations.models.registrations import (
    MandatoryCourse,
    ProfessionalRegistration,
    RegistrationBody,
    RoleCourseRequirement,
    RoleRegistrationRequirement,
    TrainingRecord,
    TrainingSource,
)
from organisations.models.risks import Risk, RiskAction, RiskCategory, RiskResponse
from organisations.models.skills import LEVEL_DESCRIPTORS, Skill, SkillCategory, SkillLevel, SkillRequirement
from organisations.models.structure import JobFamily, JobRole, Organisation, Service, ServiceKind

__all__ = [
    "AuditEvent",
    "AuditEventKind",
    "HRSystem",
    "ImportStatus",
    "PeopleImport",
    "ORGANISATION_KINDS",
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
    "JobFamily",
    "JobRole",
    "Organisation",
    "Service",
    "ServiceKind",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "NotificationPreference",
    "MandatoryCourse",
    "ProfessionalRegistration",
    "RegistrationBody",
    "RoleCourseRequirement",
    "RoleRegistrationRequirement",
    "TrainingRecord",
    "TrainingSource",
]

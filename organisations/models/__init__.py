from .structure import Employee, EmploymentType, JobRole, Organisation, Service, ServiceKind

__all__ = ["EmploymentType", "Employee", "JobRole", "Organisation", "Service", "ServiceKind"]

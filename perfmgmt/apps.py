from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """django.contrib.admin with the superuser-only site of perfmgmt/admin.py."""

    default_site = "perfmgmt.admin.SuperuserAdminSite"

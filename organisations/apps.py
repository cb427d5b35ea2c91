from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from organisations import signals  # noqa: F401
        from organisations.views.person_sections import register
        from organisations.views.registrations import registrations_section

        register(registrations_section)

from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = "Appraisals"

    def ready(self) -> None:
        from organisations.person_sections import register

        from .person_goals import goals_section

        register(goals_section)
        from .person_section import feedback_section

        register(feedback_section)

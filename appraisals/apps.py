from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = "Appraisals"

    def ready(self) -> None:
        from appraisals.views.person_goals import goals_section
        from organisations.views.person_sections import register

        register(goals_section)
        from appraisals.views.person_sessions import feedback_section

        register(feedback_section)
        from appraisals.views.development import development_section

        register(development_section)

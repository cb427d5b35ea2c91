from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from organisations import person_sections
        from organisations.queueing import set_recompute_handler

        from . import tasks
        from .views.skills import person_skills_section
        from .views.subject_access import person_subject_access_section

        def queue(organisation_id: int) -> None:
            # No countdown: a delayed (ETA) message is held by the worker, which is
            # what a broker restart disturbs. A burst of edits is coalesced by the
            # outbox (one pending request per organisation) and ``queue_recompute``.
            tasks.queue_recompute(organisation_id)

        set_recompute_handler(queue)
        person_sections.register(person_skills_section)
        person_sections.register(person_subject_access_section)

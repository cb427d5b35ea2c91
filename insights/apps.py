from django.apps import AppConfig

# A burst of edits becomes one run: the first edit queues a run this many seconds
# ahead; later ones find it already queued (see ``tasks.queue_recompute``).
DEBOUNCE_SECONDS = 10


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
            tasks.queue_recompute(organisation_id, countdown=DEBOUNCE_SECONDS)

        set_recompute_handler(queue)
        person_sections.register(person_skills_section)
        person_sections.register(person_subject_access_section)

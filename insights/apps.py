from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from django.core.cache import cache

        from organisations.queueing import set_recompute_handler

        from . import tasks
        from .recompute import queued_key

        def queue(organisation_id: int) -> None:
            # A burst of edits queues one run: the key is cleared when the run starts.
            if cache.add(queued_key(organisation_id), "1", timeout=600):
                tasks.recompute_organisation.delay(organisation_id)

        set_recompute_handler(queue)

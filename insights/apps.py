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
            key = queued_key(organisation_id)
            if cache.add(key, "1", timeout=600):
                try:
                    tasks.recompute_organisation.delay(organisation_id)
                except Exception:
                    # Not queued after all: let the next edit try again instead of
                    # being skipped for ten minutes (the caller logs the failure).
                    cache.delete(key)
                    raise

        set_recompute_handler(queue)

from django.apps import AppConfig

from core import clock


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from core.queueing import set_recompute_handler
        from insights import tasks
        from insights.views.skills import person_skills_section
        from insights.views.subject_access import person_subject_access_section
        from organisations.models import Organisation
        from organisations.views import person_sections

        def queue(organisation_id: int) -> None:
            # No countdown: a delayed (ETA) message is held by the worker, which is
            # what a broker restart disturbs. A burst of edits is coalesced by the
            # outbox (one pending request per organisation) and ``queue_recompute``.
            tasks.queue_recompute(organisation_id)

        def mark_stale(organisation_id: int) -> None:
            Organisation.objects.filter(pk=organisation_id).update(recompute_failed_at=clock.now())

        def record(organisation_id: int, touched: dict | None) -> None:
            from insights.services.pending import add_pending
            from insights.services.scope import Scope

            add_pending(organisation_id, Scope.of(**touched) if touched else None)

        set_recompute_handler(queue, on_delay=mark_stale, recorder=record)

        from organisations.signals import people_left

        def close_leavers_flags(sender, organisation_id: int, employee_ids: list[int], reason: str, **kw):
            from insights.services.flags import flags_close_for_leavers

            flags_close_for_leavers(organisation_id=organisation_id, employee_ids=employee_ids, reason=reason)

        people_left.connect(close_leavers_flags, dispatch_uid="insights.close_leavers_flags")
        person_sections.register(person_skills_section)
        person_sections.register(person_subject_access_section)

from django.core.management.base import BaseCommand, CommandError

from insights.services.recompute import AlreadyRunning, run_recompute
from organisations.models import Organisation


class Command(BaseCommand):
    help = "Recompute skills gaps and flags in-process (all organisations, or one with --org)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Organisation slug")

    def handle(self, *args, **opts):
        orgs = Organisation.objects.order_by("slug")
        if opts["org"]:
            orgs = orgs.filter(slug=opts["org"])
            if not orgs:
                raise CommandError(f"No organisation with slug {opts['org']!r}.")
        busy = []
        for org in orgs:
            try:
                run = run_recompute(org, trigger="command")
            except AlreadyRunning:
                busy.append(org.slug)
                self.stderr.write(f"{org.slug}: a run is already in progress; not started.")
                continue
            flags = run.counts.get("flags", {})
            skills = run.counts.get("skills", {})
            self.stdout.write(
                f"{org.slug}: {run.status} in {run.counts.get('seconds')}s, {run.queries} queries; "
                f"{flags.get('open', 0)} open flags ({flags.get('opened', 0)} new, "
                f"{flags.get('resolved', 0)} resolved); {skills.get('person_gaps', 0)} personal skill gaps"
            )
        if busy:
            raise CommandError(f"Already running for: {', '.join(busy)}. Try again when it finishes.")

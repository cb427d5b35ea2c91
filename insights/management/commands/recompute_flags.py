from django.core.management.base import BaseCommand, CommandError

from insights.recompute import run_recompute
from organisations.models import Organisation


class Command(BaseCommand):
    help = "Recompute skills gaps and flags in-process (all organisations, or one with --org)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Organisation slug")

    def handle(self, *args, **opts):
        orgs = Organisation.objects.all()
        if opts["org"]:
            orgs = orgs.filter(slug=opts["org"])
            if not orgs:
                raise CommandError(f"No organisation with slug {opts['org']!r}.")
        for org in orgs:
            run = run_recompute(org, trigger="command")
            flags = run.counts.get("flags", {})
            self.stdout.write(
                f"{org.slug}: {run.status} in {run.counts.get('seconds')}s; "
                f"{flags.get('open', 0)} open flags ({flags.get('opened', 0)} new, {flags.get('resolved', 0)} resolved)"
            )

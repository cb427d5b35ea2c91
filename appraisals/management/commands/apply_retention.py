from datetime import date

from django.core.management.base import BaseCommand

from appraisals.retention import apply_retention
from organisations.models import Organisation


class Command(BaseCommand):
    help = "Remove feedback-session content kept longer than each organisation's retention period after a person left."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; change nothing."
        )
        parser.add_argument("--org", help="Only this organisation (slug).")

    def handle(self, *args, **opts):
        orgs = Organisation.objects.all()
        if opts["org"]:
            orgs = orgs.filter(slug=opts["org"])
        verb = "Would remove" if opts["dry_run"] else "Removed"
        for org in orgs:
            r = apply_retention(organisation=org, today=date.today(), dry_run=opts["dry_run"])
            self.stdout.write(
                f"{org.slug}: {verb} the content of {r.sessions} sessions and {r.actions} actions "
                f"of {r.people} people who left before {r.cutoff:%d/%m/%Y} "
                f"(retention {org.session_retention_years} years); dates and kinds kept."
            )

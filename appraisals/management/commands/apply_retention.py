from django.core.management.base import BaseCommand, CommandError

from appraisals.services.retention import session_retention_apply
from core.clock import today as today_
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Remove feedback-session content kept longer than each organisation's retention "
        "period after a person left (dates and kinds are kept). Also runs weekly on beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; change nothing."
        )
        parser.add_argument("--org", help="Only this organisation (slug).")

    def handle(self, *args, **opts):
        orgs = Organisation.objects.order_by("slug")
        if opts["org"]:
            orgs = orgs.filter(slug=opts["org"])
            if not orgs.exists():
                raise CommandError(f"There is no organisation with the slug '{opts['org']}'.")
        today = today_()
        for org in orgs:
            result = session_retention_apply(organisation=org, today=today, dry_run=opts["dry_run"])
            self.stdout.write(result.describe())

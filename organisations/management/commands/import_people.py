"""Check a people file from the HR system, and apply it with --apply (docs/HR_IMPORT.md)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisations.models import HRSystem, Organisation
from organisations.services.people_import import CheckFailed, people_import_apply, people_import_check


class Command(BaseCommand):
    help = "Check a people file from the HR system (a dry run); --apply to apply it."

    def add_arguments(self, parser):
        parser.add_argument("org_slug")
        parser.add_argument("file")
        parser.add_argument("--system", choices=HRSystem.values, default="")
        parser.add_argument(
            "--complete", action="store_true", help="the file lists everyone: others have left"
        )
        parser.add_argument("--apply", action="store_true", help="apply the changes after checking")

    def handle(self, *args, **options):
        try:
            org = Organisation.objects.get(slug=options["org_slug"])
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation has the slug {options['org_slug']}.") from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        result = people_import_check(
            organisation=org,
            data=path.read_bytes(),
            filename=path.name,
            system=options["system"],
            complete=options["complete"],
            by=None,
        )
        if isinstance(result, CheckFailed):
            lines = (
                [result.file_error]
                if result.file_error
                else [f"row {e.row}, {e.column}: {e.message}" for e in result.errors]
            )
            if result.more:
                lines.append(f"and {result.more} more")
            raise CommandError("Nothing was imported:\n" + "\n".join(lines))
        s = result.summary
        c = s["counts"]
        self.stdout.write(
            f"Checked {path.name} ({result.get_system_display()}, {s['rows']} rows, import {result.pk}): "
            f"{c['new_people']} new, {c['changed']} changed, {c['moves']} moved, {c['leavers']} leaving, "
            f"{c['returners']} returning, {c['new_services']} new services, {c['new_roles']} new job roles, "
            f"{c['needing_manager']} needing a new line manager."
        )
        for move in s["moves"][:20]:
            self.stdout.write(f"  moves: {move['name']} ({move['number']}): {move['from']} -> {move['to']}")
        for leaver in s["leavers"][:20]:
            self.stdout.write(f"  leaves: {leaver['name']} ({leaver['number']}) on {leaver['left_on']}")
        if not options["apply"]:
            self.stdout.write("Nothing changed (a dry run). Run again with --apply to apply it.")
            return
        try:
            people_import_apply(people_import=result, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS("Applied."))

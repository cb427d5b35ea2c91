"""Step one of going live: an organisation, its top service and its first
administrator, who then does the rest in the browser (README, "Going live")."""

import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import clock
from organisations.models import Employee, Organisation, Service, ServiceKind


class Command(BaseCommand):
    help = "Create an organisation with its first organisation administrator."

    def add_arguments(self, parser):
        parser.add_argument("name", help='the organisation\'s name, e.g. "Northshire County Council"')
        parser.add_argument("slug", help="short name used in addresses, e.g. northshire")
        parser.add_argument("--admin-email", required=True, help="the administrator's work email")
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument(
            "--admin-employee-number",
            default="",
            help="their number in the HR system, so the first people import finds them",
        )
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="give the administrator no password (they will sign in with single sign-on)",
        )

    def handle(self, *args, **options):
        slug = options["slug"]
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"An organisation already has the slug {slug}.")
        email = options["admin_email"].strip().lower()
        User = get_user_model()
        if User.objects.filter(username=email).exists():
            raise CommandError(f"A user called {email} already exists.")
        password = None
        if not options["no_password"]:
            password = getpass.getpass("Administrator's password: ")
            if not password:
                raise CommandError("No password given (use --no-password for single sign-on only).")
        organisation = Organisation(name=options["name"], slug=slug)
        try:
            organisation.full_clean()
        except ValidationError as e:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())) from None
        with transaction.atomic():
            organisation.save()
            root = Service.objects.create(
                organisation=organisation, name=organisation.name[:200], kind=ServiceKind.DIRECTORATE
            )
            user = User(username=email, email=email)
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
            user.save()
            Employee.objects.create(
                organisation=organisation,
                user=user,
                first_name=options["admin_first_name"],
                last_name=options["admin_last_name"],
                email=email,
                employee_number=options["admin_employee_number"],
                service=root,
                start_date=clock.today(),
                is_organisation_admin=True,
            )
        self.stdout.write(
            f"Created {organisation.name} ({slug}) with {email} as its organisation administrator. "
            "Next: sign in, open Settings, and import your people."
        )

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from embedded.editors import EDITORS


class Command(BaseCommand):
    help = "Creates an editor account: staff, in the Editors group, able to edit content only."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (for scripts) instead of prompting",
        )

    def handle(self, *args, username, email, password_stdin, **options):
        User = get_user_model()  # noqa: N806 - Django's convention for the user model
        username = username or input("Username: ").strip()
        if not username:
            raise CommandError("A username is needed.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        password = self.read_password(password_stdin)
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError(
                "The Editors group is missing: run `manage.py migrate` first."
            ) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Created editor {username!r}. Sign in at /admin/."))

    def read_password(self, from_stdin):
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords did not match.")
        return first

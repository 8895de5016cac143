from django.conf import settings
from django.core.management.base import BaseCommand

from contact.models import ContactMessage


class Command(BaseCommand):
    help = (
        "Deletes contact messages closed more than CONTACT_MESSAGE_RETENTION_DAYS ago. "
        "Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say how many would go, delete nothing"
        )

    def handle(self, *args, dry_run, **options):
        expired = ContactMessage.objects.past_retention()
        days = settings.CONTACT_MESSAGE_RETENTION_DAYS
        if dry_run:
            count = expired.count()
            self.stdout.write(f"{count} message(s) closed more than {days} days ago would go.")
            return
        count, _ = expired.delete()
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {count} message(s) closed more than {days} days ago.")
        )

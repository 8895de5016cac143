from django.conf import settings
from django.core.management.base import BaseCommand

from embedded.content import export


class Command(BaseCommand):
    help = "Writes the database's content back to content/ as Markdown files."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=settings.CONTENT_DIR, help="the content folder")

    def handle(self, *args, dir, **options):
        written = export(dir)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {dir}."))

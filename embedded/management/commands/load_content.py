from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from embedded.content import ContentError, load


class Command(BaseCommand):
    help = "Loads content/ (Markdown with YAML front matter) into the database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=settings.CONTENT_DIR, help="the content folder")

    def handle(self, *args, dir, **options):
        try:
            counts = load(dir)
        except ContentError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        changed = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {changed}." if changed else "Content is up to date.")
        )

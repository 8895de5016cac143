from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from embedded.content import NothingToExport, export


class Command(BaseCommand):
    help = (
        "Writes the database's content back to content/ as Markdown files. Files that match "
        "nothing in the database are kept unless --delete is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=settings.CONTENT_DIR, help="the content folder")
        parser.add_argument(
            "--delete",
            action="store_true",
            help=(
                "also delete content files that match nothing in the database (a changed "
                "slug, a deleted item); refused when the database holds no content"
            ),
        )

    def handle(self, *args, dir, delete, **options):
        try:
            exported = export(dir, delete=delete)
        except NothingToExport as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(exported.written)} files to {dir}."))
        if not exported.written:
            self.stdout.write(self.style.WARNING("The database holds no content."))
        if exported.stale:
            names = "\n".join(f"  {Path(path).relative_to(dir)}" for path in exported.stale)
            if exported.deleted:
                self.stdout.write(
                    f"Deleted {len(exported.stale)} files that match nothing:\n{names}"
                )
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"Kept {len(exported.stale)} files that match nothing in the database "
                        f"(run with --delete to remove them):\n{names}"
                    )
                )

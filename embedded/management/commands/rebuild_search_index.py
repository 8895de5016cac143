from django.core.management.base import BaseCommand

from embedded.search_index import rebuild


class Command(BaseCommand):
    help = (
        "Remakes the search index from the content. Saving content keeps it up to date; "
        "run this after loading fixtures or changing what is indexed."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published items for search."))

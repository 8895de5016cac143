from django.core.management.base import BaseCommand

from embedded import drafts


class Command(BaseCommand):
    help = (
        "Publishes the scheduled changes to live items whose time has come. Run it every "
        "minute (cron, a systemd timer or the platform's scheduler): until it runs, readers "
        "keep the live version."
    )

    def handle(self, *args, **options):
        published, refused = drafts.publish_due()
        for item in published:
            self.stdout.write(f"Published the scheduled changes to “{item}”.")
        for draft, problem in refused:
            self.stderr.write(f"Could not publish the changes to “{draft.item}”: {problem}")
        if refused:
            raise SystemExit(1)

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from embedded.changenotes import label_of
from embedded.content import registry
from embedded.models import ChangeNote


def page_of(item):
    """The page an item is read on: a glossary term's address is an anchor on /glossary/."""
    return item.get_absolute_url().partition("#")[0]


def last_changed(item):
    """The latest change of any kind: a change note (major or minor) that has gone live,
    the item going live, or any other save (a review changes the dates the page shows)."""
    moments = [item.updated_at, item.published_at, item.latest_change]
    return max(moment for moment in moments if moment is not None)


class ContentSitemap(Sitemap):
    """Every page of published content of every registered kind, each listed once.

    Items that share a page (the glossary's terms) give it one entry, last
    modified when the latest of them was. One query per kind.
    """

    def items(self):
        pages = {}
        for kind in registry.kinds:
            if not kind.has_pages:
                continue
            changes = ChangeNote.objects.filter(
                item_type=label_of(kind.model), item_id=OuterRef("pk"), made_at__lte=timezone.now()
            )
            latest = Subquery(changes.order_by("-made_at").values("made_at")[:1])
            items = kind.model.objects.published().annotate(latest_change=latest).order_by("pk")
            for item in items:
                item.lastmod = last_changed(item)
                shown = pages.get(page_of(item))
                if shown is None or item.lastmod > shown.lastmod:
                    pages[page_of(item)] = item
        return list(pages.values())

    def location(self, item):
        return page_of(item)

    def lastmod(self, item):
        return item.lastmod

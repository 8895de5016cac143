from django.contrib.sitemaps import Sitemap

from embedded.content import registry


def page_of(item):
    """The page an item is read on: a glossary term's address is an anchor on /glossary/."""
    return item.get_absolute_url().partition("#")[0]


class ContentSitemap(Sitemap):
    """Every page of published content of every registered kind, each listed once.

    Items that share a page (the glossary's terms) give it one entry, last
    modified when the latest of them was.
    """

    def items(self):
        pages = {}
        for kind in registry.kinds:
            if not kind.has_pages:
                continue
            for item in kind.model.objects.published().order_by("pk"):
                shown = pages.get(page_of(item))
                if shown is None or item.updated_at > shown.updated_at:
                    pages[page_of(item)] = item
        return list(pages.values())

    def location(self, item):
        return page_of(item)

    def lastmod(self, item):
        return item.updated_at

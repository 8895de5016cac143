from django.contrib.sitemaps import Sitemap

from embedded.content import registry


class ContentSitemap(Sitemap):
    """Every published item of every registered kind that has a page of its own."""

    def items(self):
        items = []
        for kind in registry.kinds:
            if kind.has_pages:
                items.extend(kind.model.objects.published().order_by("pk"))
        return items

    def lastmod(self, item):
        return item.updated_at

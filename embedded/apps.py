from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EmbeddedConfig(AppConfig):
    name = "embedded"
    verbose_name = "Site pages and feedback"

    def ready(self):
        import embedded.search_index  # noqa: F401 - keeps the search index in step
        from embedded import caching, signals  # noqa: F401 - connects the receivers
        from embedded.content import Kind, registry
        from embedded.editors import sync_editors_group
        from embedded.models import Page

        class PageKind(Kind):
            model = Page
            folder = "pages"

        registry.register(PageKind())
        post_migrate.connect(sync_editors_group, sender=self, dispatch_uid="sync_editors_group")

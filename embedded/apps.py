from django.apps import AppConfig


class EmbeddedConfig(AppConfig):
    name = "embedded"
    verbose_name = "Site pages and feedback"

    def ready(self):
        import embedded.search_index  # noqa: F401 - keeps the search index in step
        from embedded import caching, signals  # noqa: F401 - connects the receivers
        from embedded.content import Kind, registry
        from embedded.models import Page

        class PageKind(Kind):
            model = Page
            folder = "pages"

        registry.register(PageKind())

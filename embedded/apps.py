from django.apps import AppConfig


class EmbeddedConfig(AppConfig):
    name = "embedded"
    verbose_name = "Site pages and feedback"

    def ready(self):
        import embedded.search_index  # noqa: F401 - keeps the search index in step
        from embedded import caching, glossary, signals  # noqa: F401 - connects the receivers
        from embedded.content import Kind, registry
        from embedded.glossary_content import GlossaryTermKind
        from embedded.models import Page

        class PageKind(Kind):
            model = Page
            folder = "pages"

        # The glossary first: every other body links its terms, so the loader
        # saves the terms before it compares and saves the bodies that use them.
        registry.register(GlossaryTermKind())
        registry.register(PageKind())

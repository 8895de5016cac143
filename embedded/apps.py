from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class EmbeddedConfig(AppConfig):
    default = True
    name = "embedded"
    verbose_name = "Site pages and feedback"

    def ready(self):
        import embedded.search_index  # noqa: F401 - keeps the search index in step
        from embedded import caching, glossary, signals  # noqa: F401 - connects the receivers
        from embedded.content import Kind, Searchable, registry
        from embedded.editors import allow_editors, sync_editors_group
        from embedded.glossary_content import GlossaryTermKind
        from embedded.models import Page
        from embedded.synonyms_content import SynonymGroupKind

        class PageKind(Kind):
            model = Page
            folder = "pages"
            plural = "Site information pages"  # about, accessibility, privacy, contact
            search = Searchable(rank=0.6)  # about, privacy: after the guidance

        # The glossary first: every other body links its terms, so the loader
        # saves the terms before it compares and saves the bodies that use them.
        registry.register(GlossaryTermKind())
        registry.register(PageKind())
        registry.register(SynonymGroupKind())
        allow_editors("embedded", *(f"{a}_bestbet" for a in ("add", "change", "delete", "view")))
        post_migrate.connect(sync_editors_group, sender=self, dispatch_uid="sync_editors_group")


class SiteAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site class (`embedded.admin_site.SiteAdmin`) as `admin.site`."""

    default = False  # named in INSTALLED_APPS; EmbeddedConfig is this app's own

    default_site = "embedded.admin_site.SiteAdmin"

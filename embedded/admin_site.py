"""The editors' admin site: Django's, refusing addresses no one could have typed, and
showing content on the site only to staff who may view it.

Filters and searches in the admin come from the address bar, and any of them
may reach the database as a lookup. PostgreSQL refuses text holding a NUL
(the request would end in a server error), so a query string with any control
character is answered with 400 before a view sees it. Installed as the default
admin site by `embedded.apps.SiteAdminConfig`, so every app's admin pages are covered.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.urls import path

from embedded.permissions import may_view
from embedded.plaintext import UNPRINTABLE


class SiteAdmin(admin.AdminSite):
    site_header = "Embedded Research editors"
    site_title = "Embedded Research admin"
    index_title = "Keep the guidance accurate"

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_control_characters(request, *args, **kwargs):
            for name, values in request.GET.lists():
                if any(UNPRINTABLE.search(text) for text in [name, *values]):
                    raise BadRequest("The address holds a control character.")
            return checked(request, *args, **kwargs)

        return refuse_control_characters

    def get_urls(self):
        """Django's URLs, with "View on site" only for staff who may view that kind."""
        view_on_site = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        urls = super().get_urls()
        return [view_on_site if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404("No such kind of content") from None
        if model is None or not may_view(request.user, model):
            raise PermissionDenied
        return shortcut(request, content_type_id, object_id)

"""The editors' admin site: Django's, refusing addresses no one could have typed.

Filters and searches in the admin come from the address bar, and any of them
may reach the database as a lookup. PostgreSQL refuses text holding a NUL
(the request would end in a server error), so a query string with any control
character is answered with 400 before a view sees it. Installed as the default
admin site by `SiteAdminConfig`, so every app's admin pages are covered.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import BadRequest

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


class SiteAdminConfig(AdminConfig):
    default_site = "embedded.admin_site.SiteAdmin"

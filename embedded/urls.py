from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from embedded import views
from embedded.admin_views import export_content_zip
from embedded.caching import public_page
from embedded.image_library import image_library
from embedded.markdown_views import image_upload_view, markdownify_view
from embedded.sitemaps import ContentSitemap

handler404 = "embedded.views.not_found"
handler500 = "embedded.views.server_error"

urlpatterns = [
    path("", include("guidance.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("framework/", include("toolkit.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        public_page(sitemap, params=("p",)),
        {"sitemaps": {"content": ContentSitemap}},
        name="sitemap",
    ),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    # The Markdown editor's preview and image upload: for signed-in staff only.
    path(
        "admin/markdownx/markdownify/",
        staff_member_required(markdownify_view),
        name="markdownx_markdownify",
    ),
    path(
        "admin/markdownx/upload/",
        staff_member_required(image_upload_view),
        name="markdownx_upload",
    ),
    path(
        "admin/export-content/",
        admin.site.admin_view(export_content_zip),
        name="export_content_zip",
    ),
    path("admin/images/", admin.site.admin_view(image_library), name="image_library"),
    path("admin/", admin.site.urls),
    path("media/<path:path>", views.media, name="media"),
    path("search/", views.search_page, name="search"),
    path("glossary/", views.glossary, name="glossary"),
    path("contact/", include("contact.urls")),
    path("<slug:slug>/", views.page, name="page"),
]

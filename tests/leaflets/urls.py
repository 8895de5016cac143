"""The site's addresses plus a leaflet's page, for the tests that open one."""

from django.urls import path

from embedded.urls import handler404, handler500
from embedded.urls import urlpatterns as site
from tests.leaflets import views

__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [path("leaflets/<slug:slug>/", views.leaflet, name="leaflet"), *site]

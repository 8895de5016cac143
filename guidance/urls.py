from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.home, name="home"),
    path("guidance/", views.guide_list, name="list"),
    path("guidance/<slug:slug>/", views.guide, name="guide"),
    path("guidance/<slug:slug>/print/", views.guide_print, name="print"),
    path("guidance/<slug:guide_slug>/<slug:part_slug>/", views.part, name="part"),
    path("roles/<slug:slug>/", views.role, name="role"),
]

from django.urls import include, path

from toolkit import planner, views

app_name = "toolkit"

# Under /framework/: the planner's steps, and the templates as pages and Word files.
plan_pages = [
    path("", planner.planner, name="plan"),
    path("resume/", planner.resume, name="plan_resume"),
    path("<slug:step>/", planner.start_at, name="plan_step"),
]
template_pages = [
    path("", views.template_list, name="templates"),
    path("<slug:slug>/", views.template, name="template"),
    path("<slug:slug>.docx", views.template_docx, name="template_word"),
]

urlpatterns = [
    path("", views.framework, name="framework"),
    path("plan/", include(plan_pages)),
    path("templates/", include(template_pages)),
    path("<slug:slug>/", views.theme, name="theme"),  # last: a theme's slug is any other
]

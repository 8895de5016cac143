from django.urls import path

from toolkit import planner, views

app_name = "toolkit"

urlpatterns = [
    path("", views.framework, name="framework"),
    path("plan/", planner.planner, name="plan"),
    path("plan/resume/", planner.resume, name="plan_resume"),
    path("plan/<slug:step>/", planner.start_at, name="plan_step"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:slug>/", views.template, name="template"),
    path("templates/<slug:slug>.docx", views.template_docx, name="template_word"),
    path("<slug:slug>/", views.theme, name="theme"),
]

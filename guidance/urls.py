from django.urls import path

from guidance import roles, views

app_name = "guidance"

urlpatterns = [
    path("", views.home, name="home"),
    path("guidance/", views.guide_list, name="list"),
    path("guidance/<slug:slug>/", views.guide, name="guide"),
    path("guidance/<slug:slug>/print/", views.guide_print, name="print"),
    path("guidance/<slug:guide_slug>/<slug:part_slug>/", views.part, name="part"),
    path("roles/<slug:slug>/", roles.role, name="role"),
    path(
        "roles/<slug:slug>/job-description.docx",
        roles.job_description,
        name="role_job_description",
    ),
    path("roles/<slug:slug>/build/", roles.build, name="role_build"),
    path(
        "roles/<slug:slug>/build/job-description.docx",
        roles.build_job_description,
        name="role_build_job_description",
    ),
    path("roles/<slug:slug>/self-assessment/", roles.self_assessment, name="role_self_assessment"),
    path(
        "roles/<slug:slug>/self-assessment/results/",
        roles.self_assessment_results,
        name="role_self_assessment_results",
    ),
    path(
        "roles/<slug:slug>/self-assessment/results/self-assessment.docx",
        roles.self_assessment_word,
        name="role_self_assessment_word",
    ),
    path(
        "roles/<slug:slug>/self-assessment/<slug:step>/",
        roles.self_assessment,
        name="role_self_assessment_step",
    ),
]

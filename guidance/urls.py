from django.urls import include, path

from guidance import feeds, roles, views

app_name = "guidance"

# A role profile's pages, each under the profile's address /roles/<slug>/.
role_pages = [
    path("", roles.role, name="role"),
    path("job-description.docx", roles.job_description, name="role_job_description"),
    path("build/", roles.build, name="role_build"),
    path(
        "build/job-description.docx",
        roles.build_job_description,
        name="role_build_job_description",
    ),
    path("self-assessment/", roles.self_assessment, name="role_self_assessment"),
    path(
        "self-assessment/results/",
        roles.self_assessment_results,
        name="role_self_assessment_results",
    ),
    path(
        "self-assessment/results/self-assessment.docx",
        roles.self_assessment_word,
        name="role_self_assessment_word",
    ),
    path("self-assessment/<slug:step>/", roles.self_assessment, name="role_self_assessment_step"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("guidance/", views.guide_list, name="list"),
    path("guidance/<slug:slug>/", views.guide, name="guide"),
    path("guidance/<slug:slug>/print/", views.guide_print, name="print"),
    path("guidance/<slug:slug>/feed/", feeds.guide_feed, name="feed"),
    path("guidance/<slug:guide_slug>/<slug:part_slug>/", views.part, name="part"),
    path("roles/<slug:slug>/", include(role_pages)),
]

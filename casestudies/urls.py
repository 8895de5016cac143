from django.urls import path

from casestudies import views

app_name = "casestudies"

urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
]

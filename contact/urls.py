from django.urls import path

from contact import views

urlpatterns = [
    path("", views.contact, name="contact"),
    path("sent/", views.sent, name="contact_sent"),
]

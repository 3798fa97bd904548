from django.urls import path

from credentials import views

app_name = "credentials"
urlpatterns = [
    path("", views.credential_list, name="list"),
]

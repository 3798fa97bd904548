from django.urls import path

from credentials.api import views

urlpatterns = [
    path("me/credentials/", views.CredentialListView.as_view(), name="my_credentials"),
    path("me/credentials/<int:pk>/", views.CredentialDetailView.as_view(), name="my_credential"),
]

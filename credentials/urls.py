from django.urls import path

from credentials import views

app_name = "credentials"
urlpatterns = [
    path("", views.credential_list, name="list"),
    path("upload/", views.credential_upload, name="upload"),
    path("link/", views.credential_link, name="link"),
    path("<int:pk>/", views.credential_detail, name="detail"),
    path("<int:pk>/recheck/", views.credential_recheck, name="recheck"),
    path("<int:pk>/delete/", views.credential_delete, name="delete"),
    path("<int:pk>/original/", views.credential_download, name="download"),
    path("<int:pk>/image.png", views.credential_image, name="image"),
]

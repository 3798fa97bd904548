from django.urls import path

from portal.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/<slug:table>.csv", views.export, name="export"),
]

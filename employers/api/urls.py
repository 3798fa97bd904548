from django.urls import path

from employers.api import views

urlpatterns = [
    path("openings/", views.OpeningListView.as_view(), name="openings"),
    path("openings/<int:pk>/", views.OpeningDetailView.as_view(), name="opening"),
    path(
        "openings/<int:pk>/applications/",
        views.OpeningApplicationListView.as_view(),
        name="opening_applications",
    ),
    path("general-shares/", views.GeneralShareListView.as_view(), name="general_shares"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path(
        "applications/<int:pk>/decisions/",
        views.DecisionListView.as_view(),
        name="application_decisions",
    ),
]

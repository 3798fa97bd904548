from django.urls import path

from portal import account_data_views

urlpatterns = [
    path("", account_data_views.account_data, name="account_data"),
    path("export/", account_data_views.account_export, name="account_export"),
    path("delete/", account_data_views.account_delete, name="account_delete"),
]

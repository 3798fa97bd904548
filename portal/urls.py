from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("credentials/", include("credentials.urls")),
    path("account/data/", include("portal.account_data_urls")),
    path("employer/", include("employers.urls")),
    path("statistics/", include("portal.statistics.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

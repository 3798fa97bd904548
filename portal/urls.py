from collections.abc import Callable

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http.response import HttpResponseBase
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from credentials.api.vcapi_views import VerifyCredentialView, VerifyPresentationView
from portal import views
from users import views as user_views


def _moved(url: str) -> Callable[..., HttpResponseBase]:
    return RedirectView.as_view(url=url, permanent=True, query_string=True)


urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    # VC-API verifier routes, exact, with and without a final slash (the second kept out
    # of the schema), so a client is never redirected; before the pages sharing the prefix.
    path("credentials/verify", VerifyCredentialView.as_view(), name="vcapi_verify_credential"),
    path("credentials/verify/", VerifyCredentialView.as_view(schema=None)),
    path(
        "presentations/verify",
        VerifyPresentationView.as_view(),
        name="vcapi_verify_presentation",
    ),
    path("presentations/verify/", VerifyPresentationView.as_view(schema=None)),
    path("credentials/", include("credentials.urls")),
    path("account/data/", include("portal.account_data_urls")),
    path("account/profile/", user_views.profile, name="profile"),
    path("employer/", include("employers.urls")),
    path("statistics/", include("portal.statistics.urls")),
    # Admin bookmarks from before these models moved app (issue 12) keep working.
    re_path(r"^admin/portal/user/(?P<rest>.*)$", _moved("/admin/users/user/%(rest)s")),
    re_path(
        r"^admin/employers/trustedissuer/(?P<rest>.*)$",
        _moved("/admin/credentials/trustedissuer/%(rest)s"),
    ),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

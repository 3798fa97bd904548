"""The REST API: version 1 under /api/v1/, its OpenAPI schema and a docs page, and the
owners' page for API tokens. Mounted at /api/ by portal/urls.py."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from employers.api import token_views


@csrf_exempt  # answers every method with a 404; a CSRF 403 page would hide that
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/ (a negative id, a typo) gets the API's JSON error
    body rather than the site's HTML 404 page."""
    return JsonResponse({"code": "not_found", "detail": gettext("Not found.")}, status=404)


app_name = "api"
urlpatterns = [
    path("v1/", include("employers.api.urls")),
    path("v1/", include("credentials.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the site's CSP allows no inline
    # scripts. Swagger UI's files come from drf-spectacular-sidecar, not a CDN.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("tokens/", token_views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.revoke, name="token_revoke"),
    re_path(r"^(?P<path>.*)$", not_found),
]

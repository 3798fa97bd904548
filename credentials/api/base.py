"""REST API plumbing both API packages share: error bodies, pagination, throttling, the
``updated_since`` parameter and request-size limits.

It lives in the lowest layer (``credentials``) so that ``employers.api`` can build on it
without ``credentials`` importing anything from the employer side.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView, set_rollback

from credentials.exceptions import CredentialError

# --- error bodies --------------------------------------------------------------------------


# Every error response: a stable ``code`` for programs and a sentence for people. (Inline
# because a declared field named "fields" would shadow Serializer.fields.)
ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="For code 'invalid': the messages for each field that was not accepted.",
        ),
    },
)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _("The request body is too large.")


# Codes for DRF's own errors, so a client can tell them apart without reading the sentence.
_DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _field_messages(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (value if isinstance(value, list) else [value])]
            for name, value in detail.items()
        }
    return {
        "non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]
    }


def error_response(
    code: str, detail: str, http_status: int, *, fields: dict[str, list[str]] | None = None
) -> Response:
    body: dict[str, Any] = {"code": code, "detail": detail}
    if fields:
        body["fields"] = fields
    return Response(body, status=http_status)


def base_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF errors, Django's 404/403/too-large and the credentials domain errors as
    ``{"code", "detail"}`` with a 4xx. Anything else is left to Django (a real 500)."""
    if isinstance(exc, CredentialError):
        set_rollback()
        return error_response(exc.code, str(exc), exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = request_too_large()
    if not isinstance(exc, exceptions.APIException):
        return None
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        response = error_response(
            "invalid",
            gettext("Some of the data sent was not accepted. See the messages for each field."),
            exc.status_code,
            fields=_field_messages(exc.detail),
        )
    else:
        # A code given where the error was raised ("invalid_token") wins over the generic one.
        given = getattr(exc.detail, "code", None)
        if given and given != exc.default_code:
            code = str(given)
        else:
            code = _DRF_CODES.get(type(exc)) or str(exc.default_code)
        response = error_response(code, str(exc.detail), exc.status_code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return response


def request_too_large() -> PayloadTooLarge:
    mb = f"{settings.CREDENTIAL_MAX_UPLOAD_BYTES / 1_000_000:g}"
    return PayloadTooLarge(
        gettext("The request body is too large. Send a credential file of at most %(mb)s MB.")
        % {"mb": mb}
    )


# --- views, pagination, throttling ---------------------------------------------------------


class ApiView(APIView):
    """Base of every API view: refuses an oversized body from its Content-Length before any
    parser reads it (a file upload would otherwise be spooled to disk first)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise request_too_large()
        super().initial(request, *args, **kwargs)


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ApiThrottle(SimpleRateThrottle):
    """Requests per signed-in user (per address when anonymous), rate ``api`` in
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; counted in the Django cache."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read the setting on each request rather than at import, so it can be tuned
        # (and overridden in tests) without reloading DRF.
        from rest_framework.settings import api_settings

        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return str(rate) if rate else None

    def get_ident_key(self, request: Request) -> str:
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident_key(request)}


# --- the updated_since parameter -----------------------------------------------------------

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    datetime,
    description=(
        "ISO 8601 date-time (with a time zone, e.g. 2026-11-25T09:00:00+09:00). Only rows "
        "that changed at or after this time: new ones, status changes (revocation, expiry), "
        "shares and withdrawals. Poll with the time of your previous poll."
    ),
)


def updated_since(request: Request) -> datetime | None:
    """The ``updated_since`` query parameter, or None when absent; a 400 when unreadable."""
    raw = request.query_params.get("updated_since")
    if raw is None or raw == "":
        return None
    try:
        # A "+" in an unencoded query string arrives as a space.
        value = parse_datetime(raw.strip().replace(" ", "+"))
        if value is not None:
            if timezone.is_naive(value):
                value = timezone.make_aware(value, timezone.get_default_timezone())
            # Year 1 at +14:00 is still a readable date but no UTC time: the database
            # query would overflow, so it is refused here.
            value = value.astimezone(UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise exceptions.ValidationError(
            {
                "updated_since": [
                    gettext(
                        "Give a date and time in ISO 8601 form, for example "
                        "2026-11-25T09:00:00+09:00."
                    )
                ]
            }
        )
    return value


# --- schema --------------------------------------------------------------------------------


class ApiSchema(AutoSchema):
    """Adds the error responses every operation can give, so the schema (and clients
    generated from it) know the ``{"code", "detail"}`` body."""

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        error = self._get_response_for_code(ErrorSerializer, "400", direction=direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["409", "413", "415"]
        if self.method not in ("GET", "HEAD"):
            codes.append("405")
        for code in codes:
            responses.setdefault(code, error)
        responses.setdefault("406", error)
        return responses

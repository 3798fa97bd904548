"""The API's exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): employer domain errors
on top of the shared handler, every one as ``{"code", "detail"}`` with a 4xx."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from credentials.api.base import base_exception_handler, error_response
from employers.exceptions import (
    AlreadySuperseded,
    EmployerError,
    NotAllowed,
    OpeningClosed,
    ShareNotActive,
)

_STATUS: dict[type[EmployerError], int] = {
    NotAllowed: status.HTTP_403_FORBIDDEN,
    # The request was fine but the record changed under it: reload and try again.
    AlreadySuperseded: status.HTTP_409_CONFLICT,
    ShareNotActive: status.HTTP_409_CONFLICT,
    OpeningClosed: status.HTTP_409_CONFLICT,
}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, EmployerError):
        set_rollback()
        return error_response(
            exc.code, str(exc), _STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
        )
    return base_exception_handler(exc, context)

"""Who is calling the employer API: an ATS with a bearer token, or a member's browser
session. Either way the view gets one ``Membership`` and calls the scoped selectors with it,
exactly as the web pages do."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from employers.api.tokens import active_token_for
from employers.models import ApiToken, Membership, Role
from users.models import User


@dataclass(frozen=True, slots=True)
class TokenAccess:
    """``request.auth`` for a bearer token: the token and the member it acts as."""

    token: ApiToken
    member: Membership


def member_for_token(token: ApiToken) -> Membership:
    """The token acts for its employer as a reviewer (read+write) or a viewer (read), and
    decisions it records are attributed to the member who created it. Never saved."""
    role = Role.REVIEWER if token.can_write else Role.VIEWER
    return Membership(employer=token.employer, user=token.created_by, role=role)


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, TokenAccess] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session (if any) decides
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                gettext("Send the header as “Authorization: Bearer <token>”."),
                code="invalid_token",
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = active_token_for(secret=secret)
        if token is None or token.created_by is None:
            raise exceptions.AuthenticationFailed(
                gettext(
                    "This API token is not valid: it was revoked or mistyped, or the member "
                    "who created it has left the employer. Ask an owner for a new token."
                ),
                code="invalid_token",
            )
        return token.created_by, TokenAccess(token=token, member=member_for_token(token))

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Describes the token to the OpenAPI schema (registered by being defined)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An employer API token."}

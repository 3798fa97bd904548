"""The API's admission rule, the same as ``employers.permissions.member_required``: a member
of the employer (by token, or by session for the employer chosen on the site), with MFA if
the employer asks for it; writes need a read+write token or a reviewer or owner role."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from employers.api.authentication import TokenAccess
from employers.models import Membership
from employers.permissions import membership_from_session, mfa_setup_required


def api_member(request: Request) -> Membership:
    """The member the request acts as (set by ``IsEmployerMember``)."""
    member: Membership = request._api_member  # type: ignore[attr-defined]
    return member


class IsEmployerMember(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if isinstance(request.auth, TokenAccess):
            member = request.auth.member
            if request.method not in SAFE_METHODS and not member.can_write:
                raise exceptions.PermissionDenied(
                    gettext(
                        "This API token can only read. An owner can create a token that may "
                        "also record decisions."
                    ),
                    code="token_read_only",
                )
        else:
            if not (request.user and request.user.is_authenticated):
                raise exceptions.NotAuthenticated()
            session_member = membership_from_session(request)  # type: ignore[arg-type]
            if session_member is None:
                raise exceptions.PermissionDenied(
                    gettext("You are not a member of any employer on the portal."),
                    code="not_a_member",
                )
            if mfa_setup_required(membership=session_member):
                raise exceptions.PermissionDenied(
                    gettext(
                        "%(employer)s asks its members to use two-factor authentication. "
                        "Set it up in your account, then try again."
                    )
                    % {"employer": session_member.employer.name},
                    code="mfa_required",
                )
            member = session_member
            if request.method not in SAFE_METHODS and not member.can_write:
                raise exceptions.PermissionDenied(
                    gettext("Your role at this employer does not allow this. Ask an owner."),
                    code="not_allowed",
                )
        request._api_member = member  # type: ignore[attr-defined]
        return True

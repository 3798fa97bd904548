"""The one place HR requests are admitted: who is the acting member, and may they do this.

Views under ``member_required`` get ``request.membership`` for the employer chosen in the
session; every selector they call is scoped to it, so another employer's object is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Literal

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from employers.models import Membership
from employers.selectors import current_membership
from users.requests import AuthenticatedRequest

SESSION_EMPLOYER_KEY = "employers.current_employer_id"

Need = Literal["read", "write", "owner"]


class MemberRequest(AuthenticatedRequest):
    membership: Membership


def membership_from_session(request: HttpRequest) -> Membership | None:
    return current_membership(
        user=request.user,  # type: ignore[arg-type]  # login_required ran first
        employer_id=request.session.get(SESSION_EMPLOYER_KEY),
    )


def mfa_setup_required(*, membership: Membership) -> bool:
    """True when the member's employer requires two-factor authentication and the member
    has not set it up: every page or API call acting for that employer must refuse until
    they have. Kept apart from ``member_required`` so pages outside it apply the same rule."""
    return membership.employer.require_mfa and not is_mfa_enabled(membership.user)


def member_required(
    need: Need = "read",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Admit members of the current employer. ``need="write"`` refuses viewers (403), for
    the forms as well as the posts; ``need="owner"`` refuses everyone but owners. Anonymous
    users go to the login page; signed-in users with no membership get a 403 page that says
    how to join."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            membership = membership_from_session(request)
            if membership is None:
                return render(request, "employers/not_a_member.html", status=403)
            if mfa_setup_required(membership=membership):
                messages.warning(
                    request,
                    gettext(
                        "%(employer)s asks its members to use two-factor authentication. "
                        "Set it up here, then open the employer pages again."
                    )
                    % {"employer": membership.employer.name},
                )
                return redirect("mfa_index")
            if need == "owner" and not membership.is_owner:
                raise PermissionDenied
            if need == "write" and not membership.can_write:
                raise PermissionDenied
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Site admins and staff use two-factor authentication before the admin and the statistics.

``/admin/`` shows every applicant's data and ``/statistics/`` every employer's, so a stolen
password alone must not open them. This runs for every request under those two prefixes:

- Django's own admin login form checks the password only and would skip allauth's second
  step, so anonymous visitors are sent to allauth's login (which asks for the code of
  anyone who has set one up) and come back afterwards.
- A signed-in staff member or superuser who has not set up an authenticator is sent to set
  one up, with a message saying why; nothing under the prefixes answers until they have.
"""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext


def _guarded_prefixes() -> tuple[str, ...]:
    return (reverse("admin:index"), reverse("statistics:overview"))


def staff_mfa_required(user: object) -> bool:
    """A staff member or superuser without an authenticator: the guarded pages refuse them."""
    is_staff = bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    return is_staff and not is_mfa_enabled(user)  # type: ignore[arg-type]  # a User here


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(_guarded_prefixes()):
            admin_login = reverse("admin:login")
            if not request.user.is_authenticated:
                if path == admin_login:
                    next_url = request.GET.get("next") or reverse("admin:index")
                    login = resolve_url(settings.LOGIN_URL)
                    return HttpResponseRedirect(f"{login}?{urlencode({'next': next_url})}")
            elif staff_mfa_required(request.user):
                messages.warning(
                    request,
                    gettext(
                        "Site administration and the statistics need two-factor "
                        "authentication. Set it up here, then open them again."
                    ),
                )
                return redirect("mfa_index")
        return self.get_response(request)

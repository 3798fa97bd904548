"""Typed requests for views behind ``login_required``: mypy then knows ``request.user`` is
our ``User`` (not ``AbstractBaseUser | AnonymousUser``) and that django-htmx ran."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from users.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind login_required, with django-htmx's details."""

    user: User
    htmx: HtmxDetails

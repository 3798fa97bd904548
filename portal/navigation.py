"""What the site menu shows: HR staff see their employer's pages first, applicants theirs."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, object]:
    """``is_hr`` is looked up only when a page asks and the view gave no ``member`` (the
    employer pages already have it), so most HR pages pay no extra query for it."""

    def is_hr() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return bool(user.memberships.exists())  # type: ignore[union-attr]  # authenticated

    return {"nav_is_hr": SimpleLazyObject(is_hr)}

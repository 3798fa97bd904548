"""Who may see which employers' statistics.

Site admins (``is_staff``) see every employer and may narrow to one. An employer's owner sees
only the employers they own. Everyone else gets 403. Naming an employer one may not see is a
404, so the page never confirms that another employer exists.
"""

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from employers.models import Employer, Role
from users.models import User


def employers_visible_to(*, user: User) -> QuerySet[Employer]:
    if user.is_staff:
        return Employer.objects.all()
    owned = Employer.objects.filter(memberships__user=user, memberships__role=Role.OWNER)
    if not is_mfa_enabled(user):
        # The employer pages' rule (employers.permissions.mfa_setup_required), as a filter:
        # an employer that requires two-factor authentication shows nothing until it is set up.
        owned = owned.filter(require_mfa=False)
    return owned


def employer_choice_for(*, user: User, requested: str | None) -> int | None:
    """The employer whose data ``user`` sees: None means every employer (admins only).

    ``requested`` is the raw ``employer`` query parameter (empty or missing: the default).
    """
    visible = employers_visible_to(user=user)
    if not user.is_staff and not visible.exists():
        raise PermissionDenied
    if requested:
        if not requested.isdigit():
            raise Http404
        employer_id = int(requested)
        if not visible.filter(pk=employer_id).exists():
            raise Http404
        return employer_id
    if user.is_staff:
        return None
    # An owner of several employers starts with the first by name, like the employer home.
    return visible.order_by("name", "pk").values_list("pk", flat=True).first()

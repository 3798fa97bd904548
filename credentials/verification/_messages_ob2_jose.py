"""Check details for Open Badges 2.0, JOSE/JWT and network fetches (see messages.py)."""

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, str] = {}

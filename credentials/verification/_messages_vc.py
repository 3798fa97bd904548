"""Check details for detection, extraction and the VC / OB 3.0 pipeline (see messages.py)."""

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, str] = {}

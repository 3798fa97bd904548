"""Every check detail the engine can report, keyed by a stable code.

A CheckResult stores the code and its params; the sentence is looked up and translated
when it is shown, in the reader's language. Sentences say what happened and, where it
helps, whether the problem is the credential, the issuer's website or this portal.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from credentials.verification._messages_interop import MESSAGES as _INTEROP
from credentials.verification._messages_ob2_jose import MESSAGES as _OB2_JOSE
from credentials.verification._messages_vc import MESSAGES as _VC

MESSAGES: dict[str, "StrOrPromise"] = {
    "unexpected_error": _(
        "This check could not be completed because of an error in the portal, not a problem "
        "with the credential. The portal tries again in a few hours."
    ),
    **_VC,
    **_OB2_JOSE,
    **_INTEROP,
}


def render_message(code: str, params: Mapping[str, str]) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    text = str(template)  # a lazy string translates itself in the active language
    try:
        return text % dict(params) if params else text
    except (KeyError, TypeError, ValueError):
        return text

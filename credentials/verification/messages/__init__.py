"""Every check detail the engine can report, keyed by a stable code: one catalogue, in the
order of the checks (parse · schema · proof · issuer · validity · revocation · recipient ·
registry), kept in three files of one subject each.

A CheckResult stores the code and its params; the sentence is looked up and translated
when it is shown, in the reader's language. Sentences say what happened and, where it
helps, whether the problem is the credential, the issuer's website or this portal.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from credentials.verification.messages import proof, reading, status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {**reading.MESSAGES, **proof.MESSAGES, **status.MESSAGES}


def render_message(code: str, params: Mapping[str, str]) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    text = str(template)  # a lazy string translates itself in the active language
    try:
        return text % dict(params) if params else text
    except (KeyError, TypeError, ValueError):
        return text

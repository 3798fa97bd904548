"""A check's reason as a person reads it: one translated sentence, technical text apart.

The stored detail of a check quotes what the engine saw — URLs, DIDs, key ids, exception
text such as "DNS lookup failed: [Errno -2] …", proof suite names. HR staff need the
sentence, not the identifiers, so ``plain_reason`` renders the check's message with those
values left out (their placeholders and the brackets around them go too) and returns them
separately, each once, for a "technical details" disclosure. Dates are written in the
reader's language's one date format. ``CheckResult.detail`` (API, CLI) is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from credentials.verification.messages import render_message
from credentials.verification.result import CheckResult

# Parameters that hold identifiers or machine text, by name, with the label shown for them.
TECHNICAL_PARAMS = {
    "url": _("Address"),
    "reason": _("Error"),
    "detail": _("Error"),
    "issuer": _("Issuer identifier"),
    "key": _("Key"),
    "method_id": _("Key"),
    "did": _("DID"),
    "controller": _("Key controller"),
    "owner": _("Key owner"),
    "id": _("Identifier"),
    "found": _("Identifier found"),
    "method": _("DID method"),
    "suite": _("Proof type"),
    "algorithm": _("Algorithm"),
    "key_type": _("Key type"),
    "header": _("Token header"),
    "terms": _("Terms"),
    "path": _("File"),
}
# Codes whose "reason" is the issuer's own words (why it revoked a badge): a sentence, kept.
_HUMAN_REASON_CODES = frozenset(
    {"ob2_revoked_gone_reason", "ob2_revoked_flag_reason", "ob2_revoked_listed_reason"}
)
_DATE_PARAMS = ("date", "expires", "issued")
# Sentences that read badly once their identifiers are left out, said without them.
PLAIN_SENTENCES = {
    "key_not_issuers": _(
        "The credential was signed with a key controlled by someone other than its issuer. "
        "Anyone can sign with their own key; this does not prove the issuer issued it."
    ),
    "key_did_document_mismatch": _(
        "The key document the portal fetched belongs to a different identifier than the one "
        "it was fetched for."
    ),
    "ob2_issuer_ok": _("The issuer's website confirms the badge."),
    "ob2_key_owner_mismatch": _(
        "The signing key says it belongs to someone other than the issuer."
    ),
    "ob2_hosted_id_not_web": _(
        "A hosted assertion must have a web address as its id, but it has none. The credential "
        "itself is the problem."
    ),
    "ob2_hosted_id_mismatch": _(
        "The issuer's website publishes a different assertion at this address. The credential "
        "does not come from where it claims."
    ),
    "key_did_method_unsupported": _(
        "The issuer uses a kind of identifier the portal does not support yet. This is a "
        "limit of the portal, not a fault of the credential."
    ),
}
_MARK = "\u2063"  # INVISIBLE SEPARATOR: never in a message, so it marks a left-out value
# A left-out value with the brackets or quotes around it and the space before it.
_LEFT_OUT = re.compile(
    rf"\s*[(（「“]\s*{_MARK}\s*[)）」”]"  # "(value)" as a whole
    rf"|(?<=[(（]){_MARK}(?:が|\s*)"  # "(value answered 404)" keeps the rest
    rf"|\s+(?:at|for)\s+{_MARK}"  # "the list at value", "answered 404 for value"
    rf"|{_MARK}(?:にある|に対して)"  # 「valueにある鍵文書」, 「valueに対して」
    # A particle after a value that opens the sentence: 「valueにファイルがありません」.
    rf"|(?:^|(?<=[、。「]))\s*{_MARK}(?:から|では|で|に|は)"
    rf"|\s*{_MARK}(?=[\s,、。.:;)）])|{_MARK}\s*"
)


@dataclass(frozen=True, slots=True)
class PlainReason:
    sentence: str
    technical: tuple[tuple[str, str], ...]  # (label, value), each value once


def plain_reason(check: CheckResult) -> PlainReason:
    params = dict(check.params)
    plain: dict[str, str] = {}
    technical: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, value in params.items():
        value = str(value)
        if name in _DATE_PARAMS:
            plain[name] = _display_date(value)
        elif name in TECHNICAL_PARAMS and not (
            name == "reason" and check.code in _HUMAN_REASON_CODES
        ):
            plain[name] = _MARK
            if value and value not in seen and value != "?":
                seen.add(value)
                technical.append((str(TECHNICAL_PARAMS[name]), value))
        else:
            plain[name] = value
    override = PLAIN_SENTENCES.get(check.code)
    sentence = str(override) if override is not None else render_message(check.code, plain)
    if _MARK in sentence:
        sentence = _LEFT_OUT.sub("", sentence).replace(_MARK, "")
        sentence = re.sub(r"\s+([,.、。])", r"\1", sentence).strip()
    return PlainReason(sentence=sentence, technical=tuple(technical))


def _display_date(value: str) -> str:
    """``2025-06-30 00:00 UTC`` (the engine's form) or ISO 8601 → the language's date."""
    text = value.replace(" UTC", "+00:00").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return value
    return formats.date_format(moment.date(), "DATE_FORMAT")

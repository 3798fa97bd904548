"""Check details: validity, revocation, recipient and registry."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {
    # --- validity: the dates -----------------------------------------------------------------
    "valid_until": _("Valid until %(date)s."),
    "valid_no_expiry": _("The credential has no expiry date."),
    "expired": _("The credential expired on %(date)s."),
    "not_yet_valid": _("The credential is not valid yet: it becomes valid on %(date)s."),
    "ob2_valid_dates": _("Issued on %(issued)s and valid with no expiry date."),
    "ob2_valid_until": _("Issued on %(issued)s and valid until %(expires)s."),
    "ob2_expired": _("The badge expired on %(expires)s."),
    "ob2_issued_in_future": _(
        "The badge says it was issued on %(issued)s, which is in the future, so it is not "
        "valid yet."
    ),
    # --- revocation --------------------------------------------------------------------------
    "status_none": _("The issuer provides no revocation list for this credential."),
    "status_not_revoked": _(
        "Not revoked: the issuer's signed status list at %(url)s shows entry %(index)s as clear."
    ),
    "status_revoked": _(
        "Revoked: the issuer's signed status list at %(url)s marks this credential as revoked."
    ),
    "status_suspended": _(
        "Suspended: the issuer's signed status list at %(url)s marks this credential as "
        "suspended. The issuer may lift this; the portal will check again."
    ),
    "status_not_listed": _(
        "Not revoked: the issuer's revocation list at %(url)s does not list it."
    ),
    "status_revoked_listed": _(
        "Revoked: the issuer's revocation list at %(url)s lists this credential. Reason given: "
        "%(reason)s"
    ),
    "status_entry_invalid": _(
        "The credential's revocation information is incomplete or broken, so revocation could "
        "not be checked."
    ),
    "status_type_unsupported": _(
        "The credential uses a revocation method the portal does not support yet (%(type)s), "
        "so revocation could not be checked."
    ),
    "status_list_unreachable": _(
        "The issuer's status list at %(url)s could not be fetched (%(reason)s), so it is "
        "unknown whether the credential was revoked. The portal will try again later."
    ),
    "status_list_invalid": _(
        "The issuer's status list at %(url)s is not in the expected form (%(reason)s). The "
        "issuer needs to fix it; retrying will not help."
    ),
    "status_list_unsigned": _(
        "The issuer's status list at %(url)s is not signed, so it cannot be trusted."
    ),
    "status_list_proof_invalid": _(
        "The issuer's status list at %(url)s failed its own signature check (%(reason)s), so it "
        "cannot be trusted."
    ),
    "status_list_wrong_issuer": _(
        "The status list at %(url)s was not issued by the credential's issuer, so it cannot be "
        "trusted."
    ),
    "status_list_not_current": _(
        "The issuer's status list at %(url)s is outside its own validity period."
    ),
    "status_list_purpose_mismatch": _(
        "The issuer's status list at %(url)s is not a %(purpose)s list, although the credential "
        "says so."
    ),
    "status_list_too_short": _(
        "The issuer's status list at %(url)s is shorter than the standard requires."
    ),
    "status_index_out_of_range": _(
        "The credential points at entry %(index)s of the status list at %(url)s, which has no "
        "such entry."
    ),
    "revocation_list_not_issuers": _(
        "The revocation list at %(url)s is not on the issuer's own website, so it cannot be "
        "trusted to speak for the issuer."
    ),
    "ob2_revoked_gone": _("The issuer has withdrawn this badge (its address answers 410 Gone)."),
    "ob2_revoked_gone_reason": _(
        "The issuer has withdrawn this badge (its address answers 410 Gone). The issuer's "
        "reason: %(reason)s"
    ),
    "ob2_revoked_flag": _("The issuer has marked this badge as revoked."),
    "ob2_revoked_flag_reason": _(
        "The issuer has marked this badge as revoked. The issuer's reason: %(reason)s"
    ),
    "ob2_revoked_listed": _("The issuer's revocation list names this badge as revoked."),
    "ob2_revoked_listed_reason": _(
        "The issuer's revocation list names this badge as revoked. The issuer's reason: %(reason)s"
    ),
    "ob2_not_revoked_hosted": _(
        "Not revoked: the issuer still publishes the badge and has not marked it revoked."
    ),
    "ob2_not_revoked_list": _("Not revoked: the issuer's revocation list does not name it."),
    "ob2_no_revocation_list": _(
        "The issuer publishes no revocation list, so there is nothing to check for withdrawal."
    ),
    "ob2_revocation_list_unreadable": _(
        "The issuer's revocation list at %(url)s could not be read, so the portal cannot tell "
        "whether the badge was withdrawn. The issuer needs to fix its list."
    ),
    # --- recipient ---------------------------------------------------------------------------
    "recipient_not_checked": _(
        "The portal has no e-mail address of the applicant to compare with, so the "
        "recipient was not checked."
    ),
    "recipient_no_email_identity": _(
        "The credential does not name its recipient by e-mail address, so it could not be "
        "matched to the applicant's e-mail address."
    ),
    "recipient_matched": _("Issued to %(email)s, the applicant's e-mail address."),
    "recipient_matched_legacy_hash": _(
        "Issued to %(email)s, the applicant's e-mail address. The issuer protects the address "
        "with MD5, an old method it should replace; the match itself is still reliable."
    ),
    "recipient_mismatch": _(
        "The credential was issued to a different e-mail address than the applicant's. It "
        "may belong to someone else."
    ),
    "recipient_hash_unsupported": _(
        "The credential protects its recipient's e-mail address with a method "
        "(%(algorithm)s) the portal does not support, so the recipient could not be checked."
    ),
    # --- registry ----------------------------------------------------------------------------
    "registry_none": _("The portal has no list of trusted issuers to compare with."),
    "registry_listed": _(
        "The issuer is listed in the trusted-issuer registry “%(registry)s”, which vouches for "
        "who it is."
    ),
    "registry_not_listed": _(
        "The issuer %(issuer)s is not on the portal's list of trusted issuers. This is for "
        "information only and does not change the verdict."
    ),
}

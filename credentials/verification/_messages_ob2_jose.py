"""Check details for Open Badges 2.0, JOSE/JWT, recipients and fetches (see messages.py)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {
    # --- recipient ----------------------------------------------------------------------
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
    # --- fetching from the issuer's website -----------------------------------------------
    "issuer_unreachable": _(
        "The issuer's website (%(url)s) did not answer or reported an error. This is a "
        "problem on the issuer's side; the portal will try again later."
    ),
    "fetch_refused": _(
        "The portal refused to contact %(url)s because it is not a safe public web address. "
        "The credential points somewhere it should not; retrying will not help."
    ),
    "issuer_document_unreadable": _(
        "The issuer's website returned something other than the expected document at "
        "%(url)s. The issuer needs to fix its website; retrying now will not help."
    ),
    "issuer_document_http_error": _(
        "The issuer's website answered %(status)s for %(url)s, so the credential could not "
        "be checked. The issuer needs to fix this."
    ),
    # --- Open Badges 2.0: reading ---------------------------------------------------------
    "ob2_parsed": _("The file contains an Open Badges 2.0 assertion."),
    "ob2_unreadable": _(
        "This file does not contain a readable Open Badges 2.0 assertion. The file itself is "
        "the problem; retrying will not help."
    ),
    "ob2_schema_ok": _("The assertion has every field Open Badges 2.0 requires."),
    "ob2_schema_missing": _(
        "The assertion is incomplete: the required field %(field)s is missing. The "
        "credential itself is the problem."
    ),
    "ob2_schema_invalid": _(
        "The assertion has a value that cannot be read in the field %(field)s. The "
        "credential itself is the problem."
    ),
    "ob2_schema_expires_before_issued": _(
        "The badge says it expires before the date it was issued. The credential itself is "
        "the problem."
    ),
    "ob2_legacy_version": _(
        "This badge uses a legacy Open Badges version (%(version)s) that the portal does not "
        "verify. Ask the applicant for an Open Badges 2.0 or 3.0 version of it."
    ),
    "ob2_unsigned": _(
        "The assertion says it is signed but no signature came with it, so it cannot be "
        "checked. Ask the applicant for the signed badge image or file."
    ),
    # --- Open Badges 2.0: hosted ----------------------------------------------------------
    "ob2_hosted_ok": _(
        "The issuer's website still publishes this assertion at %(url)s, and it matches."
    ),
    "ob2_hosted_gone": _(
        "The issuer's website answered for this badge at %(url)s: it no longer publishes "
        "it, so its content could not be compared with the issuer's copy."
    ),
    "ob2_hosted_not_found": _(
        "The issuer's website no longer has this assertion (%(url)s answered 404 Not Found). "
        "The issuer does not vouch for it any more; retrying is unlikely to help."
    ),
    "ob2_hosted_id_mismatch": _(
        "The document at %(url)s names a different assertion (%(found)s). The credential "
        "does not come from where it claims."
    ),
    "ob2_hosted_wrong_verification": _(
        "The document the issuer publishes at %(url)s is not a hosted assertion, so the copy "
        "presented cannot be confirmed by it."
    ),
    "ob2_hosted_copy_differs": _(
        "The copy of the badge presented here differs from the one the issuer publishes "
        "(field %(field)s). The presented copy was altered."
    ),
    "ob2_hosted_id_not_web": _(
        "A hosted assertion must have a web address as its id, but it has %(id)s. The "
        "credential itself is the problem."
    ),
    "ob2_signed_wrong_verification": _(
        "The signed badge does not declare itself as a signed badge, so its signature "
        "cannot be trusted to cover it. The credential itself is the problem."
    ),
    "ob2_out_of_scope": _(
        "The assertion address %(url)s is outside the addresses the issuer %(issuer)s allows "
        "for its badges. Someone else may be hosting it in the issuer's name."
    ),
    "ob2_issuer_ok": _("Issued by %(issuer)s, whose website confirms the badge."),
    "ob2_issuer_not_web": _(
        "The issuer id %(issuer)s is not a web address, so the issuer's badge policy could "
        "not be checked."
    ),
    # --- Open Badges 2.0: signed ----------------------------------------------------------
    "ob2_signature_valid": _(
        "The signature is valid and was made with the key %(key)s that the issuer publishes."
    ),
    "ob2_signature_invalid": _(
        "The signature does not match the badge's content: the badge was altered after the "
        "issuer signed it, or was signed with another key."
    ),
    "ob2_alg_not_allowed": _(
        "The badge uses the signature method %(alg)s, which is not accepted because it lets "
        "anyone forge badges. Open Badges 2.0 badges must be signed with RS256."
    ),
    "ob2_key_not_listed": _(
        "The badge was signed with the key %(key)s, which the issuer %(issuer)s does not list "
        "as its own. Someone other than the issuer may have signed it."
    ),
    "ob2_key_owner_mismatch": _(
        "The signing key %(key)s says it belongs to %(owner)s, not to the issuer %(issuer)s."
    ),
    "ob2_key_unusable": _(
        "The issuer's signing key %(key)s is not a usable RSA public key. The issuer needs to "
        "fix its key."
    ),
    "ob2_key_too_weak": _(
        "The issuer's signing key %(key)s is too weak (%(bits)s bits; at least 2048 are "
        "required), so its signature cannot be trusted."
    ),
    "ob2_no_key": _(
        "The issuer %(issuer)s publishes no signing key, so the signature cannot be checked."
    ),
    # --- Open Badges 2.0: revocation and dates -----------------------------------------------
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
    "ob2_valid_dates": _("Issued on %(issued)s and valid with no expiry date."),
    "ob2_valid_until": _("Issued on %(issued)s and valid until %(expires)s."),
    "ob2_expired": _("The badge expired on %(expires)s."),
    "ob2_issued_in_future": _(
        "The badge says it was issued on %(issued)s, which is in the future, so it is not "
        "valid yet."
    ),
    # --- checks skipped because the signature or source was not confirmed ------------------
    "not_checked_unauthenticated": _(
        "Not checked, because the credential's authenticity could not be confirmed; dates, "
        "recipient and revocation data from it cannot be trusted."
    ),
    # --- registry ----------------------------------------------------------------------------
    "registry_listed": _(
        "The issuer is listed in the trusted-issuer registry “%(registry)s”, which vouches for "
        "who it is."
    ),
    "registry_not_listed": _(
        "The issuer %(issuer)s is not on the portal's list of trusted issuers. This is for "
        "information only and does not change the verdict."
    ),
    # --- JOSE / JWT --------------------------------------------------------------------------
    "jwt_unreadable": _(
        "The signed token is damaged or incomplete and cannot be read. The file itself is "
        "the problem; retrying will not help."
    ),
    "jwt_not_a_credential": _("The signed token does not contain a verifiable credential."),
    "jwt_alg_not_allowed": _(
        "The token uses the signature method %(alg)s, which is refused because it would let "
        "anyone forge credentials."
    ),
    "jwt_alg_unsupported": _(
        "The token uses the signature method %(alg)s, which the portal does not support yet. "
        "It can be checked after a portal update."
    ),
    "jwt_header_refused": _(
        "The token's header uses the parameter %(header)s, a processing rule the portal does "
        "not accept, so the signature cannot be trusted."
    ),
    "jwt_signature_valid": _("The signature (%(alg)s) is valid and the content is unchanged."),
    "jwt_signature_invalid": _(
        "The signature does not match the content: the credential was altered after signing, "
        "or signed with a different key."
    ),
    "jwt_key_alg_mismatch": _(
        "The signing key is of a different type than the signature method %(alg)s says, so "
        "the signature cannot be trusted."
    ),
    "jwt_key_too_weak": _(
        "The signing key is too weak (%(bits)s bits; at least 2048 are required)."
    ),
    "jwt_claim_mismatch": _(
        "The token's %(claim)s claim disagrees with the credential's %(field)s, so the signed "
        "data and the displayed data differ."
    ),
    "jwt_key_bound": _("Signed with the key %(key)s, which belongs to the issuer %(issuer)s."),
    "jwt_key_not_listed": _(
        "The signing key %(key)s is not one the issuer %(issuer)s publishes as its own. "
        "Someone other than the issuer may have signed the credential."
    ),
    "jwt_key_other_identifier": _(
        "The credential was signed with a key that belongs to a different identity than its "
        "issuer %(issuer)s. Someone other than the issuer may have signed it."
    ),
    "jwt_key_self_asserted": _(
        "The signing key is only stated inside the credential and is not published by the "
        "issuer %(issuer)s. The signature shows the credential is intact, not that the "
        "issuer made it."
    ),
    "jwt_key_unresolvable": _(
        "The signing key %(key)s could not be read from the issuer's website. The issuer "
        "needs to publish its key correctly."
    ),
    "jwt_key_unreachable": _(
        "The issuer's key at %(key)s could not be fetched because the issuer's website did "
        "not answer. The portal will try again later."
    ),
    "jwt_no_key": _(
        "The token names no signing key the portal can look up, so the signature cannot be checked."
    ),
    "jwt_issuer_not_checked": _(
        "The issuer could not be confirmed because the signature was not checked."
    ),
}

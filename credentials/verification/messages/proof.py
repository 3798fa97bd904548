"""Check details: the signature or hosted copy (proof) and whose key it is (issuer)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {
    # --- proof: the signature or the hosted copy ---------------------------------------------
    "signature_valid": _(
        "The signature (%(suite)s) is valid: the credential is unchanged since it was signed "
        "with key %(method_id)s."
    ),
    "signature_invalid": _(
        "The signature (%(suite)s) does not match the credential: it was changed after "
        "signing, or signed with another key. Retrying will not help."
    ),
    "proof_malformed": _("The credential's signature block is incomplete or broken."),
    "proof_value_invalid": _("The signature value in the credential is not validly encoded."),
    "proof_expired": _("The credential's signature has expired according to the signature itself."),
    "proof_too_many": _(
        "The credential carries %(count)s signatures, more than the portal checks."
    ),
    "proof_no_assertion_purpose": _(
        "The credential has no signature made for asserting a credential, so it cannot be "
        "confirmed."
    ),
    "proof_chain_unsupported": _(
        "The credential uses chained signatures, which the portal does not check yet. An "
        "update of the portal may help; retrying will not."
    ),
    "proof_unsupported": _(
        "The credential is signed with a method the portal does not support yet (%(suite)s). "
        "This is a limit of the portal, not a fault of the credential."
    ),
    "proof_key_type_mismatch": _(
        "The credential's signature (%(suite)s) names a %(key_type)s key, which cannot make "
        "that kind of signature."
    ),
    "proof_too_complex": _(
        "The credential's data is too complex to check within the portal's limits. Genuine "
        "credentials are far simpler; retrying will not help."
    ),
    "context_unknown": _(
        "The credential uses the vocabulary %(url)s, which the portal does not know, so its "
        "signature could not be checked. This is a limit of the portal: it never loads "
        "vocabularies from the internet. An update of the portal may help."
    ),
    "jsonld_invalid": _(
        "The credential's data is not valid linked data (%(reason)s), so its signature cannot "
        "be checked."
    ),
    "undefined_terms": _(
        "The credential contains data its own vocabulary does not define (%(terms)s). Such "
        "data is not covered by the signature and could have been added by anyone."
    ),
    "edc_seal_not_supported": _(
        "This is a European Digital Credential. It is sealed with an eIDAS electronic seal, "
        "which the portal does not verify; check it in the Europass viewer. This is a limit of "
        "the portal, not a fault of the credential."
    ),
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
    "ob2_signed_wrong_verification": _(
        "The signed badge does not declare itself as a signed badge, so its signature "
        "cannot be trusted to cover it. The credential itself is the problem."
    ),
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
    # European Digital Credentials: JAdES electronic seals
    "seal_intact_qualification_unconfirmed": _(
        "The electronic seal is intact: the credential is exactly what %(holder)s sealed. "
        "Whether the seal is a qualified eIDAS seal was not confirmed, because the portal has "
        "no copy of the EU trusted lists configured."
    ),
    "seal_intact_trust_listed": _(
        "The electronic seal is intact: the credential is exactly what %(holder)s sealed, and "
        "the seal's certificate comes from a trust service on the EU trusted lists the portal "
        "uses."
    ),
    "seal_signature_invalid": _(
        "The electronic seal does not match the credential: its content was changed after "
        "it was sealed, or the seal was not made with the certificate it carries."
    ),
    "seal_certificate_reference_mismatch": _(
        "The seal names a different certificate from the one it carries, so it cannot be trusted."
    ),
    "seal_chain_broken": _(
        "The seal's chain of certificates is broken: one certificate was not issued by the "
        "next one in the chain."
    ),
    "seal_chain_not_a_ca": _(
        "The seal's chain of certificates is not valid: a certificate that issued another "
        "one is not a certification authority."
    ),
    "seal_certificate_expired": _(
        "A certificate of the seal had already expired (on %(date)s) when the seal was made."
    ),
    "seal_certificate_not_yet_valid": _(
        "A certificate of the seal was not valid yet (it starts on %(date)s) when the seal was "
        "made."
    ),
    "seal_signed_in_future": _("The seal says it was made on %(date)s, which is in the future."),
    "seal_key_usage_wrong": _("The seal's certificate is not meant for signing or sealing."),
    "seal_key_too_weak": _(
        "The seal uses an RSA key of %(bits)s bits, too short to be trusted (at least 2048 bits "
        "are needed)."
    ),
    "seal_alg_unsupported": _(
        "The seal uses a signature algorithm (%(alg)s) the portal does not accept, so it could "
        "not be checked."
    ),
    "seal_header_unsupported": _(
        "The seal requires a feature (%(header)s) the portal does not support, so it could not "
        "be checked."
    ),
    "seal_detached_unsupported": _(
        "The seal signs a document kept elsewhere (a detached seal), which the portal does not "
        "fetch, so it could not be checked."
    ),
    "seal_certificate_missing": _(
        "The seal does not include its certificate, so it could not be checked."
    ),
    # --- issuer: the key and who controls it -------------------------------------------------
    "issuer_key_bound": _("The signing key %(method_id)s is published by the issuer."),
    "issuer_key_not_checked": _(
        "The issuer's key was not checked, because the signature could not be."
    ),
    "key_method_missing": _("The signature does not say which key made it."),
    "key_not_issuers": _(
        "The credential was signed with a key controlled by %(controller)s, not by its issuer "
        "%(issuer)s. Anyone can sign with their own key; this does not prove the issuer issued it."
    ),
    "key_not_authorised": _(
        "The issuer publishes the key %(method_id)s but has not authorised it for "
        "%(purpose)s, so it may not sign credentials."
    ),
    "key_not_in_document": _(
        "The issuer's key document at %(url)s does not list the key %(method_id)s. The issuer "
        "may have replaced its keys; then credentials signed with the old key no longer verify."
    ),
    "key_did_key_mismatch": _("The key reference %(method_id)s contradicts itself."),
    "key_did_document_mismatch": _(
        "The key document fetched from %(url)s belongs to %(did)s, not to the identifier it "
        "was fetched for."
    ),
    "key_did_web_invalid": _("The issuer identifier %(did)s is not a valid did:web address."),
    "key_did_method_unsupported": _(
        "The issuer uses the identifier method did:%(method)s, which the portal does not support "
        "yet. This is a limit of the portal, not a fault of the credential."
    ),
    "key_scheme_unsupported": _("The signing key %(method_id)s cannot be looked up by the portal."),
    "key_type_unsupported": _(
        "The signing key is of a type the portal does not support (%(key_type)s)."
    ),
    "key_encoding_invalid": _("The issuer's public key is not validly encoded (%(detail)s)."),
    "key_jwk_private": _(
        "The issuer's key document contains a private key. The issuer has exposed its secret "
        "key, so signatures with it prove nothing."
    ),
    "key_controller_missing": _("The key %(method_id)s does not say who controls it."),
    "key_document_unreachable": _(
        "The issuer's key document at %(url)s could not be fetched (%(reason)s). This is a "
        "problem on the issuer's side; the portal will try again later."
    ),
    "key_document_invalid": _("The issuer's key document at %(url)s is not readable."),
    "ob2_out_of_scope": _(
        "The assertion address %(url)s is outside the addresses the issuer %(issuer)s allows "
        "for its badges. Someone else may be hosting it in the issuer's name."
    ),
    "ob2_issuer_ok": _("Issued by %(issuer)s, whose website confirms the badge."),
    "ob2_issuer_not_web": _(
        "The issuer id %(issuer)s is not a web address, so the issuer's badge policy could "
        "not be checked."
    ),
    "ob2_key_not_listed": _(
        "The badge was signed with the key %(key)s, which the issuer %(issuer)s does not list "
        "as its own. Someone other than the issuer may have signed it."
    ),
    "ob2_key_owner_mismatch": _(
        "The signing key %(key)s says it belongs to %(owner)s, not to the issuer %(issuer)s."
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
    "jwt_issuer_not_checked": _(
        "The issuer could not be confirmed because the signature was not checked."
    ),
    "seal_holder_is_issuer": _(
        "The seal belongs to %(holder)s, the organisation the credential names as its issuer."
    ),
    "seal_holder_not_issuer": _(
        "The seal belongs to %(holder)s, but the credential names %(issuer)s as its issuer."
    ),
    "seal_holder_not_checked": _(
        "Who sealed the credential was not compared with its issuer, because the seal itself "
        "could not be confirmed."
    ),
}

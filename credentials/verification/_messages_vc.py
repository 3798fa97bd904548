"""Check details for detection, extraction and the VC / OB 3.0 pipeline (see messages.py)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {
    # --- reading the file -----------------------------------------------------------------
    "parsed": _("The file was read as a %(format)s."),
    "input_empty": _("The file is empty. Upload the badge image or its JSON file."),
    "input_not_found": _(
        "There is no file at %(path)s. Check the file name; the credential itself was not "
        "looked at."
    ),
    "input_not_readable": _("The file %(path)s could not be opened (%(reason)s)."),
    "input_too_large": _(
        "The file is larger than the portal accepts (%(limit)s bytes). Upload the badge image "
        "or its JSON file rather than a bundle."
    ),
    "input_unknown_format": _(
        "This file is not a badge or credential the portal can read: it is not a PNG or SVG "
        "badge image, a JSON credential or a signed token."
    ),
    "not_a_credential": _(
        "The file is valid JSON but not a credential: it is neither an Open Badge nor a W3C "
        "Verifiable Credential."
    ),
    "not_learning_status_list": _(
        "This is an issuer's status list (the record of which credentials are revoked), not "
        "a credential issued to anyone."
    ),
    "not_learning_empty_presentation": _("This is a presentation that holds no credential."),
    "not_learning_several_in_presentation": _(
        "This is a presentation that holds several credentials. Each must be added on its own."
    ),
    "not_learning_did_document": _(
        "This is a DID document (it publishes an issuer's keys), not a credential."
    ),
    "not_learning_key_document": _("This is an issuer's public key, not a credential."),
    "not_learning_issuer_profile": _(
        "This describes an issuer, not a credential issued to anyone."
    ),
    "not_learning_achievement_definition": _(
        "This describes a badge or achievement, but it is not one awarded to anyone."
    ),
    "presentation_not_single": _(
        "The file is a presentation holding several credentials (or none). Upload each "
        "credential on its own."
    ),
    "json_invalid": _("The file looks like JSON but is broken, so it cannot be read."),
    "json_not_object": _("The JSON file does not contain a credential object."),
    "json_duplicate_key": _(
        "The credential names the property %(key)s twice. Different programs would read "
        "different values, so the portal does not accept it."
    ),
    "json_too_deep": _(
        "The credential is nested more than %(limit)s levels deep, far more than any real "
        "credential; the portal does not read it."
    ),
    "json_too_large": _(
        "The credential has more than %(limit)s parts, far more than any real credential; the "
        "portal does not read it."
    ),
    "jws_payload_invalid": _("The signed token's content is not readable JSON."),
    "png_invalid": _(
        "The PNG image is damaged or not a real PNG file (%(reason)s), so no badge data could "
        "be read from it."
    ),
    "png_no_badge": _(
        "The PNG image carries no badge data. It may be just the badge picture; ask the "
        "applicant for the badge file from the issuer."
    ),
    "svg_invalid": _("The SVG image is damaged or not a real SVG file."),
    "svg_forbidden_xml": _(
        "The SVG image contains XML features that are used in attacks (%(reason)s); the "
        "portal does not read it."
    ),
    "svg_no_badge": _(
        "The SVG image carries no badge data. It may be just the badge picture; ask the "
        "applicant for the badge file from the issuer."
    ),
    "baked_ambiguous": _(
        "The image carries more than one different badge, so it is unclear which one is "
        "meant; the portal does not pick one."
    ),
    "baked_unreadable": _("The badge data inside the image is not in a form the portal reads."),
    "url_unreachable": _(
        "The link %(url)s could not be opened (%(reason)s). If the website is down, the "
        "portal will try again later."
    ),
    "url_http_error": _("The link %(url)s answered with error %(status)s instead of a credential."),
    # --- structure ------------------------------------------------------------------------
    "schema_ok": _("The credential has the structure a verifiable credential needs."),
    "check_skipped_malformed": _("Not checked, because the credential's structure is broken."),
    "schema_type_missing": _("The credential does not declare itself a VerifiableCredential."),
    "schema_ob3_context_missing": _(
        "The credential calls itself an Open Badge 3.0 but does not use the Open Badges 3.0 "
        "vocabulary, so its contents cannot be interpreted."
    ),
    "schema_issuer_invalid": _(
        "The credential does not name its issuer with a web address or DID."
    ),
    "schema_subject_missing": _("The credential does not say whom or what it is about."),
    "schema_achievement_missing": _("The badge does not describe the achievement it awards."),
    "schema_recipient_missing": _("The badge does not name its recipient."),
    "schema_unsigned": _(
        "The credential carries no signature, so nothing about it can be confirmed. Ask the "
        "issuer for the signed version."
    ),
    "schema_date_missing": _("The credential lacks its required %(field)s date."),
    "schema_date_invalid": _("The credential's %(field)s is not a valid date."),
    "schema_dates_reversed": _("The credential's %(end)s date lies before its %(start)s date."),
    # --- signature ------------------------------------------------------------------------
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
    # --- issuer key -----------------------------------------------------------------------
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
    # --- validity -------------------------------------------------------------------------
    "valid_until": _("Valid until %(date)s."),
    "valid_no_expiry": _("The credential has no expiry date."),
    "expired": _("The credential expired on %(date)s."),
    "not_yet_valid": _("The credential is not valid yet: it becomes valid on %(date)s."),
    # --- revocation -----------------------------------------------------------------------
    "status_none": _("The issuer provides no revocation list for this credential."),
    "status_skipped_unauthenticated": _(
        "Revocation was not checked, because the credential's signature could not be "
        "confirmed; its revocation data cannot be trusted."
    ),
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
    # --- registry -------------------------------------------------------------------------
    "registry_none": _("The portal has no list of trusted issuers to compare with."),
    # --- European Digital Credentials -----------------------------------------------------
    "edc_seal_not_supported": _(
        "This is a European Digital Credential. It is sealed with an eIDAS electronic seal, "
        "which the portal does not verify; check it in the Europass viewer. This is a limit of "
        "the portal, not a fault of the credential."
    ),
}

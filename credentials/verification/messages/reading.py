"""Check details: reading the file (parse), its structure (schema), and any check's."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {
    # --- any check ---------------------------------------------------------------------------
    "unexpected_error": _(
        "This check could not be completed because of an error in the portal, not a problem "
        "with the credential. The portal tries again in a few hours."
    ),
    "check_skipped_malformed": _("Not checked, because the credential's structure is broken."),
    "not_checked_unauthenticated": _(
        "Not checked, because the credential's authenticity could not be confirmed; dates, "
        "recipient and revocation data from it cannot be trusted."
    ),
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
    # --- parse: reading the file -------------------------------------------------------------
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
    "ob2_parsed": _("The file contains an Open Badges 2.0 assertion."),
    "ob2_unreadable": _(
        "This file does not contain a readable Open Badges 2.0 assertion. The file itself is "
        "the problem; retrying will not help."
    ),
    "ob2_legacy_version": _(
        "This badge uses a legacy Open Badges version (%(version)s) that the portal does not "
        "verify. Ask the applicant for an Open Badges 2.0 or 3.0 version of it."
    ),
    "ob2_unsigned": _(
        "The assertion says it is signed but no signature came with it, so it cannot be "
        "checked. Ask the applicant for the signed badge image or file."
    ),
    "jwt_unreadable": _(
        "The signed token is damaged or incomplete and cannot be read. The file itself is "
        "the problem; retrying will not help."
    ),
    "jwt_not_a_credential": _("The signed token does not contain a verifiable credential."),
    "jades_unreadable": _(
        "The file looks like a sealed credential, but its seal envelope cannot be read."
    ),
    "jades_payload_not_credential": _("The sealed document inside the file is not a credential."),
    # --- schema: the structure ---------------------------------------------------------------
    "schema_ok": _("The credential has the structure a verifiable credential needs."),
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
    "ob2_hosted_id_not_web": _(
        "A hosted assertion must have a web address as its id, but it has %(id)s. The "
        "credential itself is the problem."
    ),
    "ob2_schema_ok_id_differs": _(
        "The structure is valid. One of the issuer's documents was found at %(url)s but names "
        "itself %(declared)s; the Open Badges 2.0 verification steps accept this with a "
        "warning, and so does the portal."
    ),
}

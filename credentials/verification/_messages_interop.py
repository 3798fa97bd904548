"""Check details for sealed European Digital Credentials and Open Badges 2.0 documents
whose declared id differs from where they were found (see messages.py)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, "StrOrPromise"] = {
    # --- JAdES electronic seals (European Digital Credentials) ---------------------------
    "jades_unreadable": _(
        "The file looks like a sealed credential, but its seal envelope cannot be read."
    ),
    "jades_payload_not_credential": _("The sealed document inside the file is not a credential."),
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
    # --- Open Badges 2.0 documents found at another address than their id ------------------
    "ob2_schema_ok_id_differs": _(
        "The structure is valid. One of the issuer's documents was found at %(url)s but names "
        "itself %(declared)s; the Open Badges 2.0 verification steps accept this with a "
        "warning, and so does the portal."
    ),
}

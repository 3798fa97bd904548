"""Domain errors of the credentials app: a stable ``code`` and a translated message that
says what to do next. Views turn them into form errors with a 4xx status."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CredentialError(Exception):
    code = "credential_error"
    http_status = 400


class UploadEmpty(CredentialError):
    code = "upload_empty"

    def __init__(self, *, filename: str) -> None:
        super().__init__(
            _("The file “%(name)s” is empty. Choose the badge image or its JSON file.")
            % {"name": filename}
        )


class UploadTooLarge(CredentialError):
    code = "upload_too_large"
    http_status = 413

    def __init__(self, *, filename: str, limit: int) -> None:
        super().__init__(
            _(
                "The file “%(name)s” is over %(mb)s MB. Upload the badge image or its JSON "
                "file, not a document that contains it."
            )
            % {"name": filename, "mb": f"{limit / 1_000_000:.3g}"}
        )


class RequestTooLarge(CredentialError):
    code = "request_too_large"
    http_status = 413

    def __init__(self, *, files: int, each: int) -> None:
        super().__init__(
            ngettext(
                "These files are too large together. Add at most %(n)d file at a time, "
                "each under %(mb)s MB.",
                "These files are too large together. Add at most %(n)d files at a time, "
                "each under %(mb)s MB.",
                files,
            )
            % {"n": files, "mb": f"{each / 1_000_000:g}"}
        )


class UnsupportedFileType(CredentialError):
    code = "unsupported_file_type"

    def __init__(self, *, filename: str) -> None:
        super().__init__(
            _(
                "The file “%(name)s” is not a badge the portal can read: a PNG or SVG "
                "image, a JSON file with one badge, a JWT, or a text file with the badge's "
                "link. Download the badge again from the issuer and upload that file."
            )
            % {"name": filename}
        )


class TooManyFiles(CredentialError):
    code = "too_many_files"

    def __init__(self, *, limit: int) -> None:
        super().__init__(
            ngettext(
                "You can add at most %(n)d file at a time.",
                "You can add at most %(n)d files at a time.",
                limit,
            )
            % {"n": limit}
        )


class CredentialLimitReached(CredentialError):
    code = "credential_limit_reached"

    def __init__(self, *, limit: int) -> None:
        super().__init__(
            ngettext(
                "You already have %(n)d credential, the most one account can keep. "
                "Delete one you no longer need first.",
                "You already have %(n)d credentials, the most one account can keep. "
                "Delete one you no longer need first.",
                limit,
            )
            % {"n": limit}
        )


class CredentialStorageFull(CredentialError):
    code = "credential_storage_full"
    http_status = 413

    def __init__(self, *, limit: int) -> None:
        super().__init__(
            _(
                "Your credentials already take up nearly %(mb)s MB, the most one account can "
                "keep. Delete files you no longer need, or add large badges by their link."
            )
            % {"mb": f"{limit / 1_000_000:g}"}
        )


class InvalidLink(CredentialError):
    code = "invalid_link"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This is not a web address the portal can check. Paste the full link to the "
                "badge, starting with https://."
            )
        )


class NotALearningCredential(CredentialError):
    """The file is about credentials (a status list, a DID document…) but is none itself."""

    code = "not_a_learning_credential"

    def __init__(self, *, filename: str, kind: str) -> None:
        messages = {
            "status_list": _(
                "“%(name)s” is an issuer's status list (the record of which credentials are "
                "revoked), not a credential issued to you. Upload the badge or certificate "
                "itself."
            ),
            "empty_presentation": _(
                "“%(name)s” is a presentation that holds no credential. Upload the credential "
                "itself, or a presentation that contains it."
            ),
            "several_in_presentation": _(
                "“%(name)s” is a presentation that holds several credentials. Upload each "
                "credential on its own."
            ),
            "did_document": _(
                "“%(name)s” is a DID document (it publishes an issuer's keys), not a "
                "credential. Upload the badge or certificate itself."
            ),
            "key_document": _(
                "“%(name)s” is an issuer's public key, not a credential. Upload the badge or "
                "certificate itself."
            ),
            "issuer_profile": _(
                "“%(name)s” describes an issuer, not a credential issued to you. Upload the "
                "badge or certificate itself."
            ),
            "achievement_definition": _(
                "“%(name)s” describes a badge or achievement, but it is not one awarded to "
                "anyone. Upload the badge you received, not the badge's description."
            ),
        }
        self.kind = kind
        super().__init__(messages.get(kind, messages["issuer_profile"]) % {"name": filename})

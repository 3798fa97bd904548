"""Errors an admin reads when a registry cannot be imported (command, admin, beat log)."""

from django.utils.translation import gettext as _

from credentials.exceptions import CredentialError


class RegistryImportError(CredentialError):
    code = "registry_import_failed"

    def __init__(self, *, registry: str, reason: str) -> None:
        super().__init__(
            _("The registry “%(name)s” was not imported: %(reason)s. Its entries are unchanged.")
            % {"name": registry, "reason": reason}
        )
        self.reason = reason


class RegistryUnreachable(RegistryImportError):
    code = "registry_unreachable"

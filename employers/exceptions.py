"""Domain errors of the employer side. Views turn them into form errors or a 403/404."""

from django.utils.translation import gettext_lazy as _


class EmployerError(Exception):
    code = "employer_error"
    message = _("This action could not be completed.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(str(message or self.message))


class NotAllowed(EmployerError):
    """The member's role does not allow this (a viewer writing, a reviewer managing members)."""

    code = "not_allowed"
    message = _("Your role at this employer does not allow this. Ask an owner.")


class InvitationInvalid(EmployerError):
    code = "invitation_invalid"
    message = _(
        "This invitation link is not valid any more: it was already used, has expired or was "
        "mistyped. Ask the employer's owner to invite you again."
    )


class InvitationWrongEmail(EmployerError):
    code = "invitation_wrong_email"
    message = _(
        "This invitation was sent to %(email)s. Log in with that address, or add and verify "
        "it in your account settings, then open the link again."
    )

    def __init__(self, *, email: str) -> None:
        super().__init__(str(self.message) % {"email": email})


class LastOwner(EmployerError):
    code = "last_owner"
    message = _("An employer needs at least one owner. Make someone else an owner first.")


class CredentialNotYours(EmployerError):
    code = "credential_not_yours"
    message = _("One of the chosen credentials is not in your account.")


class NothingShared(EmployerError):
    code = "nothing_shared"
    message = _("Choose at least one credential to share.")


class OpeningClosed(EmployerError):
    code = "opening_closed"
    message = _("This opening no longer accepts applications.")


class ShareNotActive(EmployerError):
    code = "share_not_active"
    message = _(
        "The applicant has withdrawn this credential, so no decision can be recorded for it."
    )


class AlreadySuperseded(EmployerError):
    code = "already_superseded"
    message = _(
        "Someone has already corrected this record. Reload the page and correct the newest one."
    )


class CorrectedRecordMissing(EmployerError):
    code = "corrected_record_missing"
    message = _("The record you tried to correct is not on this page any more. Reload the page.")


class AlreadyMember(EmployerError):
    code = "already_member"
    message = _("%(email)s is already a member of this employer. No invitation was sent.")

    def __init__(self, *, email: str) -> None:
        super().__init__(str(self.message) % {"email": email})


class UnverifiedNeedsConfirmation(EmployerError):
    code = "unverified_needs_confirmation"
    message = _(
        "The portal has not verified this credential. To record that it informed your "
        "decision anyway, tick the confirmation; the record will say it was not verified."
    )


class ReasonsWithoutConsideration(EmployerError):
    code = "reasons_without_consideration"
    message = _(
        "A credential that was not considered cannot have reasons. Untick the reasons, or "
        "choose another answer."
    )

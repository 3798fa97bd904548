"""Reactions to account events, connected in CredentialsConfig.ready()."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.dispatch import receiver
from django.http import HttpRequest

from credentials.services import recheck_after_new_address


@receiver(email_confirmed, dispatch_uid="credentials-recheck-after-new-address")
def _recheck_after_email_confirmed(
    sender: object, request: HttpRequest | None, email_address: EmailAddress, **kwargs: object
) -> None:
    # A credential issued to the address just verified was a recipient mismatch until now.
    recheck_after_new_address(applicant=email_address.user)

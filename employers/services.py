"""Every write on the employer side: memberships and invitations, openings, applications
and shares (the applicant's side), decision records and the HR view log."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from credentials.models import Credential
from credentials.vocabulary import Status
from employers.audit import record_event
from employers.exceptions import (
    AlreadyMember,
    AlreadySuperseded,
    CredentialNotYours,
    InvitationInvalid,
    InvitationWrongEmail,
    LastOwner,
    NotAllowed,
    NothingShared,
    OpeningClosed,
    ReasonsWithoutConsideration,
    ShareNotActive,
    UnverifiedNeedsConfirmation,
)
from employers.models import (
    Application,
    AuditKind,
    CandidateView,
    Decision,
    Employer,
    Influence,
    Invitation,
    Membership,
    Opening,
    Role,
    SharedCredential,
    Stage,
    StageOutcome,
)
from users.models import User

INVITATION_VALID_FOR = timedelta(days=14)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_owner(member: Membership) -> None:
    if not member.is_owner:
        raise NotAllowed


def _require_writer(member: Membership) -> None:
    if not member.can_write:
        raise NotAllowed


# --- members ------------------------------------------------------------------------------


def invitation_link(token: str) -> str:
    """The absolute address of an invitation. Built from SITE_URL, never from the request's
    Host header: a forged Host would otherwise put someone else's site in the e-mail, and
    the invitee's token with it."""
    return settings.SITE_URL.rstrip("/") + reverse("employers:invitation", args=[token])


def invite_member(*, member: Membership, email: str, role: Role) -> Invitation:
    """Invite ``email`` to the member's employer. Only the hash of the link's token is kept."""
    _require_owner(member)
    email = email.strip().lower()
    already = Membership.objects.filter(employer_id=member.employer_id).filter(
        Q(user__email__iexact=email)
        | Q(user__emailaddress__email__iexact=email, user__emailaddress__verified=True)
    )
    if already.exists():
        raise AlreadyMember(email=email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            employer_id=member.employer_id,
            email=email,
            role=role,
            token_hash=_hash_token(token),
            invited_by=member.user,
        )
        record_event(
            employer_id=member.employer_id,
            kind=AuditKind.INVITATION_SENT,
            actor=member.user,
            target=invitation.email,
            data={"role": role},
        )
    link = invitation_link(token)
    subject = gettext("Invitation to %(employer)s on the Credential Portal") % {
        "employer": member.employer.name
    }
    body = gettext(
        "%(inviter)s invited you to review candidates for %(employer)s on the Credential "
        "Portal. Log in with this e-mail address and open this link within 14 days to "
        "accept: %(link)s"
    ) % {"inviter": member.user, "employer": member.employer.name, "link": link}
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]), robust=True)
    return invitation


def invitation_by_token(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("employer")
        .filter(token_hash=_hash_token(token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.created_at < timezone.now() - INVITATION_VALID_FOR:
        raise InvitationInvalid
    return invitation


def accept_invitation(*, user: User, token: str) -> Membership:
    """Join the employer as invited, if ``user`` has verified the invited address."""
    with transaction.atomic():
        invitation = invitation_by_token(token=token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationInvalid
        if not EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists():
            raise InvitationWrongEmail(email=invitation.email)
        membership, _created = Membership.objects.get_or_create(
            user=user, employer_id=invitation.employer_id, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record_event(
            employer_id=invitation.employer_id,
            kind=AuditKind.INVITATION_ACCEPTED,
            actor=user,
            target=invitation.email,
            data={"role": membership.role},
        )
    return membership


def _owner_count(employer_id: int) -> int:
    return Membership.objects.filter(employer_id=employer_id, role=Role.OWNER).count()


def change_member_role(*, member: Membership, membership: Membership, role: Role) -> Membership:
    _require_owner(member)
    with transaction.atomic():
        # Lock the owners so two owners demoting each other cannot leave none.
        list(Membership.objects.select_for_update().filter(employer_id=member.employer_id))
        if (
            membership.role == Role.OWNER
            and role != Role.OWNER
            and _owner_count(member.employer_id) <= 1
        ):
            raise LastOwner
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            employer_id=member.employer_id,
            kind=AuditKind.MEMBER_ROLE_CHANGED,
            actor=member.user,
            target=str(membership.user),
            data={"from": previous, "to": role},
        )
    return membership


def remove_member(*, member: Membership, membership: Membership) -> None:
    _require_owner(member)
    with transaction.atomic():
        list(Membership.objects.select_for_update().filter(employer_id=member.employer_id))
        if membership.role == Role.OWNER and _owner_count(member.employer_id) <= 1:
            raise LastOwner
        record_event(
            employer_id=member.employer_id,
            kind=AuditKind.MEMBER_REMOVED,
            actor=member.user,
            target=str(membership.user),
            data={"role": membership.role},
        )
        membership.delete()


def set_require_mfa(*, member: Membership, required: bool) -> Employer:
    _require_owner(member)
    employer = member.employer
    with transaction.atomic():
        employer.require_mfa = required
        employer.save(update_fields=["require_mfa"])
        record_event(
            employer_id=employer.pk,
            kind=AuditKind.MFA_POLICY_CHANGED,
            actor=member.user,
            data={"required": required},
        )
    return employer


# --- openings -----------------------------------------------------------------------------


def save_opening(
    *,
    member: Membership,
    title: str,
    description: str,
    skills_sought: str,
    is_open: bool,
    opening: Opening | None = None,
) -> Opening:
    """Create an opening, or update ``opening`` (which the caller got through a selector)."""
    _require_writer(member)
    if opening is None:
        opening = Opening(employer_id=member.employer_id)
    opening.title = title
    opening.description = description
    opening.skills_sought = skills_sought
    opening.is_open = is_open
    opening.save()
    return opening


# --- applications and shares (applicant side) ---------------------------------------------


def _owned_credentials(applicant: User, credential_ids: Iterable[int]) -> list[Credential]:
    wanted = set(credential_ids)
    credentials = list(Credential.objects.filter(owner=applicant, pk__in=wanted))
    if len(credentials) != len(wanted):
        raise CredentialNotYours
    return credentials


def _share(application: Application, credentials: list[Credential]) -> None:
    """Include ``credentials`` in ``application``; the caller holds the application's row
    lock. Sharing a credential that is already included changes nothing, so a double submit
    is harmless."""
    now = timezone.now()
    # ignore_conflicts: a credential already in the application keeps its row. The callers'
    # lock on the application already orders double submits; this also keeps any other
    # writer's duplicate from reaching `share_unique` as an IntegrityError (a 500).
    SharedCredential.objects.bulk_create(
        [
            SharedCredential(
                application=application,
                credential=credential,
                shared_at=now,
                status_at_share=credential.status,
            )
            for credential in credentials
        ],
        ignore_conflicts=True,
    )
    statuses = {credential.pk: credential.status for credential in credentials}
    withdrawn = SharedCredential.objects.filter(
        application=application, credential__in=credentials, withdrawn_at__isnull=False
    )
    for share in withdrawn:
        share.withdrawn_at = None
        share.shared_at = now
        share.status_at_share = statuses[share.credential_id]
        share.save(update_fields=["withdrawn_at", "shared_at", "status_at_share"])


def apply(
    *,
    applicant: User,
    employer: Employer,
    opening: Opening | None,
    credential_ids: Iterable[int],
    message: str = "",
) -> Application:
    """Apply to ``opening`` (or share with ``employer`` generally when None) with the chosen
    credentials. Applying again after withdrawing reopens the same application."""
    credentials = _owned_credentials(applicant, credential_ids)
    if not credentials:
        raise NothingShared
    if opening is not None and (not opening.is_open or opening.employer_id != employer.pk):
        raise OpeningClosed
    with transaction.atomic():
        lookup = {"applicant": applicant, "employer": employer, "opening": opening}
        application = Application.objects.select_for_update().filter(**lookup).first()
        if application is None:
            try:
                with transaction.atomic():
                    application = Application.objects.create(**lookup, message=message)
            except IntegrityError:  # a double submit created it first
                application = Application.objects.select_for_update().get(**lookup)
        if application.withdrawn_at is not None or message:
            application.withdrawn_at = None
            application.message = message or application.message
            application.save(update_fields=["withdrawn_at", "message"])
        _share(application, credentials)
    return application


def share_more(
    *, applicant: User, application: Application, credential_ids: Iterable[int]
) -> Application:
    """Add credentials to the applicant's application; ones already in it stay as they are."""
    if application.applicant_id != applicant.pk:
        raise NotAllowed
    credentials = _owned_credentials(applicant, credential_ids)
    if not credentials:
        raise NothingShared
    with transaction.atomic():
        # Lock the application, as apply() does: a double submit waits here for the first
        # request to commit its shares, and withdrawing meanwhile is seen.
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.withdrawn_at is not None:
            raise NotAllowed
        _share(application, credentials)
    return application


def withdraw_share(*, applicant: User, share: SharedCredential) -> None:
    """HR loses access to the credential at once; decisions already recorded stay."""
    if share.application.applicant_id != applicant.pk:
        raise NotAllowed
    SharedCredential.objects.filter(pk=share.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def withdraw_application(*, applicant: User, application: Application) -> None:
    """Withdraw the application and every credential in it; decisions already recorded stay."""
    if application.applicant_id != applicant.pk:
        raise NotAllowed
    now = timezone.now()
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(withdrawn_at=now)
        SharedCredential.objects.filter(application=application, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
    application.withdrawn_at = now


# --- HR: decisions and the view log --------------------------------------------------------


def record_decision(
    *,
    member: Membership,
    application: Application,
    credential: Credential,
    influence: Influence,
    stage: Stage,
    reason_skills: bool = False,
    reason_eagerness: bool = False,
    reason_fit: bool = False,
    reason_other: str = "",
    outcome: StageOutcome = StageOutcome.UNKNOWN,
    note: str = "",
    supersedes: Decision | None = None,
    used_unverified: bool = False,
) -> Decision:
    """Append a decision record, copying the credential's facts into it so the evidence
    outlives the share. A correction passes the record it ``supersedes``; records are never
    edited. Saying a credential the portal has not verified informed the decision needs
    ``used_unverified=True`` (HR confirmed it), and the record keeps that."""
    _require_writer(member)
    has_reasons = reason_skills or reason_eagerness or reason_fit or bool(reason_other.strip())
    if influence == Influence.NOT_CONSIDERED and has_reasons:
        raise ReasonsWithoutConsideration
    if influence == Influence.USED and credential.status != Status.VERIFIED:
        if not used_unverified:
            raise UnverifiedNeedsConfirmation
    else:
        used_unverified = False
    if application.employer_id != member.employer_id:
        raise NotAllowed
    if supersedes is not None and (
        supersedes.application_id != application.pk or supersedes.credential_id != credential.pk
    ):
        raise NotAllowed
    with transaction.atomic():
        if not SharedCredential.objects.filter(
            application=application,
            credential=credential,
            withdrawn_at__isnull=True,
            application__withdrawn_at__isnull=True,
        ).exists():
            raise ShareNotActive
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    employer_id=member.employer_id,
                    application=application,
                    credential=credential,
                    recorded_by=member.user,
                    influence=influence,
                    stage=stage,
                    reason_skills=reason_skills,
                    reason_eagerness=reason_eagerness,
                    reason_fit=reason_fit,
                    reason_other=reason_other.strip(),
                    outcome=outcome,
                    note=note.strip(),
                    supersedes=supersedes,
                    used_unverified=used_unverified,
                    credential_title=credential.display_name,
                    credential_status=credential.status,
                    credential_format=credential.format,
                    credential_level=credential.level,
                    credential_issuer=credential.issuer_name,
                    credential_field=credential.field_of_study,
                )
        except IntegrityError as error:  # `supersedes` is one-to-one: corrected already
            raise AlreadySuperseded from error
        record_event(
            employer_id=member.employer_id,
            kind=AuditKind.DECISION_CORRECTED if supersedes else AuditKind.DECISION_RECORDED,
            actor=member.user,
            application=application,
            decision=decision,
        )
    return decision


def log_candidate_view(*, member: Membership, application: Application) -> CandidateView:
    # No savepoint: inside a request's transaction the two inserts simply join it.
    with transaction.atomic(savepoint=False):
        record_event(
            employer_id=member.employer_id,
            kind=AuditKind.CANDIDATE_VIEWED,
            actor=member.user,
            application=application,
        )
        return CandidateView.objects.create(
            application=application, viewer=member.user, employer_id=member.employer_id
        )

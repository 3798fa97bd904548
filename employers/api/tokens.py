"""API tokens: created and revoked by an employer's owners, looked up by their hash.

The token itself is shown once, when it is created; only its SHA-256 is stored, so a leaked
database does not leak working tokens. SHA-256 rather than a slow password hash: the token
has 256 random bits, so there is nothing to guess, and it is checked on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from employers.audit import record_event
from employers.exceptions import NotAllowed
from employers.models import ApiScope, ApiToken, AuditKind, Membership

# "credential portal token": lets secret scanners recognise a leaked token.
TOKEN_PREFIX = "cpt_"  # noqa: S105 — a public marker, not a secret
PREFIX_SHOWN = 12  # characters kept in clear, so an owner can tell tokens apart
# last_used_at is written at most this often per token: a write on every request of a
# polling ATS would serialise its requests on SQLite for a date nobody needs to the second.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the bearer token, shown to the owner once and never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_tokens_of(*, member: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(employer_id=member.employer_id).select_related("created_by")


def create_api_token(*, member: Membership, name: str, scope: ApiScope) -> IssuedToken:
    if not member.is_owner:
        raise NotAllowed
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            employer_id=member.employer_id,
            name=name.strip()[:100],
            scope=scope,
            prefix=secret[:PREFIX_SHOWN],
            token_hash=hash_secret(secret),
            created_by=member.user,
        )
        record_event(
            employer_id=member.employer_id,
            kind=AuditKind.TOKEN_CREATED,
            actor=member.user,
            target=str(token),
            data={"scope": scope},
        )
    return IssuedToken(token=token, secret=secret)


def revoke_api_token(*, member: Membership, pk: int) -> ApiToken:
    """Revoke one of the employer's tokens (404 for another employer's); revoking twice
    keeps the first time."""
    if not member.is_owner:
        raise NotAllowed
    token = get_object_or_404(ApiToken, pk=pk, employer_id=member.employer_id)
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            record_event(
                employer_id=member.employer_id,
                kind=AuditKind.TOKEN_REVOKED,
                actor=member.user,
                target=str(token),
            )
    token.refresh_from_db(fields=["revoked_at"])
    return token


def active_token_for(*, secret: str) -> ApiToken | None:
    """The live token with this secret, with its employer and creator, or None. A token
    stops working when revoked, and when the member who created it has left the employer
    (or deleted their account), as their own web session would."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    creator_is_member = Membership.objects.filter(
        user_id=OuterRef("created_by_id"), employer_id=OuterRef("employer_id")
    )
    token = (
        ApiToken.objects.select_related("employer", "created_by")
        .filter(token_hash=hash_secret(secret), revoked_at__isnull=True)
        .filter(Exists(creator_is_member))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

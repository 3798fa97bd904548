"""An applicant's own data: export everything as a zip, or delete the account.

Reads the employer side (applications, shares, who viewed) only to hand the applicant their
own records; decisions HR recorded are the employer's records and keep their snapshot."""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from functools import partial
from typing import IO, Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from credentials.models import Credential
from employers.models import Application, CandidateView
from users.models import User

EXPORT_FORMAT_VERSION = 1


def export_account_data(*, user: User) -> IO[bytes]:
    """A zip with ``data.json`` (everything the portal holds about the user) and every
    original credential file, byte for byte, under ``originals/``.

    Returned as an anonymous temporary file, rewound, that disappears when closed: an
    account may hold 100 MB of files (CREDENTIAL_MAX_BYTES_PER_APPLICANT), which must not
    sit in a web process's memory; each original is copied in chunks."""
    credentials = list(
        Credential.objects.filter(owner=user).prefetch_related("runs").order_by("pk")
    )
    output = tempfile.TemporaryFile()  # noqa: SIM115 — the caller streams and closes it
    try:
        _write_zip(output, user, credentials)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def _write_zip(output: IO[bytes], user: User, credentials: list[Credential]) -> None:
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files: dict[int, str] = {}
        for credential in credentials:
            if credential.original:
                name = f"originals/{credential.pk}-{_safe_name(credential)}"
                with credential.original.open("rb") as source, archive.open(name, "w") as target:
                    shutil.copyfileobj(source, target)
                files[credential.pk] = name
        data = {
            "format_version": EXPORT_FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "account": {
                "email": user.email,
                "name": user.display_name,
                "family_name": user.family_name,
                "given_name": user.given_name,
                "family_name_reading": user.family_name_reading,
                "given_name_reading": user.given_name_reading,
                "joined_at": user.date_joined.isoformat(),
                "last_login_at": user.last_login.isoformat() if user.last_login else None,
                "email_addresses": [
                    {"email": a.email, "verified": a.verified, "primary": a.primary}
                    for a in EmailAddress.objects.filter(user=user).order_by("pk")
                ],
            },
            "credentials": [_credential(c, files.get(c.pk)) for c in credentials],
            "applications": _applications(user),
        }
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))


def delete_account(*, user: User) -> None:
    """Delete the user and everything they own: credentials (files too), runs, e-mail
    addresses, applications and shares. Decisions recorded by employers stay, with their
    own snapshot of the credential, no longer linked to it."""
    names = [
        name
        for name in Credential.objects.filter(owner=user).values_list("original", flat=True)
        if name
    ]
    storage = Credential._meta.get_field("original").storage
    with transaction.atomic():
        user.delete()
        for name in names:
            transaction.on_commit(partial(storage.delete, name), robust=True)


def _safe_name(credential: Credential) -> str:
    # The applicant's file name must not reach outside originals/ inside the zip.
    return get_valid_filename(credential.original_name.rsplit("/", 1)[-1]) or "credential"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _credential(credential: Credential, file: str | None) -> dict[str, Any]:
    return {
        "id": credential.pk,
        "file": file,
        "original_name": credential.original_name,
        "link": credential.source_url,
        "sha256": credential.sha256,
        "content_type": credential.content_type,
        "size": credential.size,
        "status": credential.status,
        "format": credential.format,
        "title": credential.title,
        "issuer_name": credential.issuer_name,
        "issuer_id": credential.issuer_id,
        "level": credential.level,
        "field_of_study": credential.field_of_study,
        "issued_at": _iso(credential.issued_at),
        "valid_until": _iso(credential.valid_until),
        "added_at": _iso(credential.created_at),
        "last_checked_at": _iso(credential.last_checked_at),
        "record": credential.record,
        "verification_runs": [
            {
                "trigger": run.trigger,
                "attempt": run.attempt,
                "started_at": _iso(run.started_at),
                "finished_at": _iso(run.finished_at),
                "status": run.status,
                "format": run.format,
                "engine_version": run.engine_version,
                "checks": run.checks,
            }
            for run in credential.runs.all()
        ],
    }


def _applications(user: User) -> list[dict[str, Any]]:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("employer", "opening")
        .prefetch_related("shares")
        .order_by("pk")
    )
    viewed: dict[int, list[dict[str, Any]]] = {}
    for view in CandidateView.objects.filter(application__applicant=user).select_related(
        "employer"
    ):
        viewed.setdefault(view.application_id, []).append(
            {"employer": view.employer.name, "viewed_at": _iso(view.viewed_at)}
        )
    return [
        {
            "employer": application.employer.name,
            "opening": application.opening.title if application.opening else None,
            "message": application.message,
            "applied_at": _iso(application.created_at),
            "withdrawn_at": _iso(application.withdrawn_at),
            "shared_credentials": [
                {
                    "credential_id": share.credential_id,
                    "shared_at": _iso(share.shared_at),
                    "withdrawn_at": _iso(share.withdrawn_at),
                }
                for share in application.shares.all()
            ],
            "viewed_by_employer": viewed.get(application.pk, []),
        }
        for application in applications
    ]

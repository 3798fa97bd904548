"""The applicant's pages: list, add (files or link), detail with live status, delete."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from credentials import selectors, services
from credentials.exceptions import CredentialError, TooManyFiles
from credentials.explanation import explain
from credentials.formats.record import CredentialRecord
from credentials.forms import LinkForm, UploadForm
from credentials.models import Credential
from credentials.sniff import PNG
from credentials.verification.result import CheckResult
from portal.models import User


@dataclass(frozen=True, slots=True)
class CredentialRow:
    credential: Credential
    headline: str


class ApplicantRequest(HttpRequest):
    """A request behind login_required, with django-htmx's details."""

    user: User
    htmx: HtmxDetails


@login_required
@require_GET
def credential_list(request: ApplicantRequest) -> HttpResponse:
    return _render_list(request, UploadForm(), LinkForm())


@login_required
@require_POST
def credential_upload(request: ApplicantRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, form, LinkForm(), status=400)
    files = form.cleaned_data["badges"]
    if len(files) > settings.CREDENTIAL_MAX_FILES_PER_UPLOAD:
        form.add_error("badges", str(TooManyFiles(limit=settings.CREDENTIAL_MAX_FILES_PER_UPLOAD)))
        return _render_list(request, form, LinkForm(), status=400)
    status = 200
    added = 0
    for upload in files:
        # Read one byte past the cap: enough for the service to refuse a 50 MB file
        # without holding all of it in memory.
        data = upload.read(settings.CREDENTIAL_MAX_UPLOAD_BYTES + 1)
        try:
            submission = services.submit_upload(
                applicant=request.user, data=data, filename=upload.name or ""
            )
        except CredentialError as error:
            form.add_error("badges", str(error))
            status = max(status, error.http_status)
            continue
        if submission.created:
            added += 1
        else:
            messages.info(
                request,
                _("You had already added “%(name)s”; it is the same file as before.")
                % {"name": submission.credential.display_name},
            )
    if added:
        messages.success(
            request,
            ngettext(
                "%(n)d credential added. The portal is checking it now.",
                "%(n)d credentials added. The portal is checking them now.",
                added,
            )
            % {"n": added},
        )
    if status != 200:
        return _render_list(request, form, LinkForm(), status=status)
    return redirect("credentials:list")


@login_required
@require_POST
def credential_link(request: ApplicantRequest) -> HttpResponse:
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            submission = services.submit_link(applicant=request.user, url=form.cleaned_data["url"])
        except CredentialError as error:
            form.add_error("url", str(error))
            return _render_list(request, UploadForm(), form, status=error.http_status)
        if submission.created:
            messages.success(request, _("Link added. The portal is checking it now."))
        else:
            messages.info(request, _("You had already added this link."))
        return redirect("credentials:detail", pk=submission.credential.pk)
    return _render_list(request, UploadForm(), form, status=400)


@login_required
@require_GET
def credential_status(request: ApplicantRequest, pk: int) -> HttpResponse:
    """The status cell of one list row; polled by htmx while a check is under way."""
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    return render(
        request,
        "credentials/credential_list.html#status",
        {"credential": credential, "headline": _headline(credential)},
    )


@login_required
@require_GET
def credential_detail(request: ApplicantRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    template = "credentials/credential_detail.html"
    if request.htmx:
        template += "#verdict"
    context = {
        "credential": credential,
        "checks": [CheckResult.from_json(check) for check in _latest_checks(credential)],
        "explanation": explain(CredentialRecord.from_json(credential.record))
        if credential.record
        else None,
        "runs": selectors.runs_of(credential=credential),
        "shows_image": credential.content_type == PNG,
    }
    return render(request, template, context)


@login_required
@require_POST
def credential_recheck(request: ApplicantRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    services.request_recheck(applicant=request.user, credential=credential)
    messages.info(request, _("The portal is checking this credential again."))
    return redirect("credentials:detail", pk=credential.pk)


@login_required
@require_http_methods(["GET", "POST"])
def credential_delete(request: ApplicantRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    if request.method == "POST":
        services.delete_credential(applicant=request.user, credential=credential)
        messages.success(
            request,
            _("“%(name)s” was deleted.") % {"name": credential.display_name},
        )
        return redirect("credentials:list")
    return render(
        request,
        "credentials/credential_confirm_delete.html",
        {"credential": credential},
    )


@login_required
@require_GET
def credential_download(request: ApplicantRequest, pk: int) -> FileResponse:
    """The original file, byte for byte, always as a download: an uploaded SVG may hold
    scripts, and opened inline it would run on our origin."""
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    if not credential.original:
        raise Http404
    response = FileResponse(
        credential.original.open("rb"),
        as_attachment=True,
        filename=credential.original_name or f"credential-{credential.pk}",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def credential_image(request: ApplicantRequest, pk: int) -> FileResponse:
    """The badge picture, for PNG uploads only; SVG is never shown from our origin."""
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    if credential.content_type != PNG or not credential.original:
        raise Http404
    response = FileResponse(credential.original.open("rb"), content_type=PNG)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _render_list(
    request: ApplicantRequest, upload_form: UploadForm, link_form: LinkForm, *, status: int = 200
) -> HttpResponse:
    credentials = selectors.credentials_owned_by(applicant=request.user)
    context = {
        "rows": [CredentialRow(credential, _headline(credential)) for credential in credentials],
        "upload_form": upload_form,
        "link_form": link_form,
        "has_recipient_mismatch": selectors.has_recipient_mismatch(applicant=request.user),
        "max_files": settings.CREDENTIAL_MAX_FILES_PER_UPLOAD,
        "max_mb": f"{settings.CREDENTIAL_MAX_UPLOAD_BYTES / 1_000_000:g}",
    }
    return render(request, "credentials/credential_list.html", context, status=status)


def _headline(credential: Credential) -> str:
    """The explanation's one-line summary, once a check has read the credential."""
    if not credential.record:
        return ""
    return explain(CredentialRecord.from_json(credential.record)).headline


def _latest_checks(credential: Credential) -> list[dict[str, object]]:
    latest = selectors.runs_of(credential=credential).only("checks").first()
    return latest.checks if latest else []

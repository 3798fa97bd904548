"""The applicant's pages: list, add (files or link), detail with live status, delete."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credentials import selectors, services
from credentials.artwork import artwork_response, thumbnail_for
from credentials.exceptions import CredentialError, RequestTooLarge, TooManyFiles, UploadTooLarge
from credentials.explanation import explain
from credentials.explanation.stored import stored_explanation
from credentials.formats.record import CredentialRecord
from credentials.forms import LinkForm, UploadForm
from credentials.models import Credential
from credentials.uploads import CappedFileUploadHandler, declared_length, max_request_bytes
from credentials.verification.result import CheckResult
from users.requests import AuthenticatedRequest

CREDENTIALS_PER_PAGE = 50
RUNS_SHOWN = 20
# While a check is under way a page asks for news after 2 s, then 4, 6, 8 and every 10 s,
# for about five minutes; then it stops and says to reload. One request per page at a time,
# so 500 open pages are at most 250 requests a second and soon 50, not 500 for ever.
POLL_INTERVALS = (2, 4, 6, 8, *(10,) * 28)


@dataclass(frozen=True, slots=True)
class CredentialRow:
    credential: Credential
    headline: str


@dataclass(frozen=True, slots=True)
class Polling:
    """Whether a live part asks the server again, and when (htmx ``every Ns``)."""

    url: str  # the next request, with its poll number
    seconds: int | None  # None: stop asking
    given_up: bool  # stopped while a check was still under way


@login_required
@require_GET
def credential_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.htmx:
        rows, page, polling = _page_of_rows(request)
        context = {"rows": rows, "page": page, "polling": polling}
        return render(request, "credentials/credential_list.html#rows", context)
    return _render_list(request, UploadForm(), LinkForm())


@login_required
@csrf_exempt  # checked by _upload, once the upload handlers are in place
@require_POST
def credential_upload(request: AuthenticatedRequest) -> HttpResponse:
    # Refused from the header, before the body is read: Django would otherwise spool
    # every file part to disk whatever its size.
    if declared_length(request) > max_request_bytes():
        error = RequestTooLarge(
            files=settings.CREDENTIAL_MAX_FILES_PER_UPLOAD,
            each=settings.CREDENTIAL_MAX_UPLOAD_BYTES,
        )
        return _render_list(request, UploadForm.refused([str(error)]), LinkForm(), status=413)
    capped = CappedFileUploadHandler(request, max_file_bytes=settings.CREDENTIAL_MAX_UPLOAD_BYTES)
    request.upload_handlers.insert(0, capped)
    return _upload(request, capped)


@csrf_protect
def _upload(request: AuthenticatedRequest, capped: CappedFileUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    too_large = [
        UploadTooLarge(filename=name, limit=settings.CREDENTIAL_MAX_UPLOAD_BYTES)
        for name in capped.too_large
    ]
    if too_large and not request.FILES.getlist("badges"):
        # Only the files over the cap were sent: not "this field is required".
        refused = UploadForm.refused([str(error) for error in too_large])
        return _render_list(request, refused, LinkForm(), status=413)
    if not form.is_valid():
        return _render_list(request, form, LinkForm(), status=400)
    files = form.cleaned_data["badges"]
    if len(files) + len(too_large) > settings.CREDENTIAL_MAX_FILES_PER_UPLOAD:
        form.add_error("badges", str(TooManyFiles(limit=settings.CREDENTIAL_MAX_FILES_PER_UPLOAD)))
        return _render_list(request, form, LinkForm(), status=400)
    status = 200
    for error in too_large:
        form.add_error("badges", str(error))
        status = max(status, error.http_status)
    added: list[int] = []
    for upload in files:
        # Files past the cap were dropped by the handler; reading one byte past it still
        # lets the service, not this view, be the one that refuses a file too large.
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
            added.append(submission.credential.pk)
        else:
            messages.info(
                request,
                _("You had already added “%(name)s”; it is the same file as before.")
                % {"name": submission.credential.display_name},
            )
    if added:
        _say_added(request, added)
    if status != 200:
        return _render_list(request, form, LinkForm(), status=status)
    return redirect("credentials:list")


@login_required
@require_POST
def credential_link(request: AuthenticatedRequest) -> HttpResponse:
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            submission = services.submit_link(applicant=request.user, url=form.cleaned_data["url"])
        except CredentialError as error:
            form.add_error("url", str(error))
            return _render_list(request, UploadForm(), form, status=error.http_status)
        if submission.created:
            _say_added(request, [submission.credential.pk], link=True)
        else:
            messages.info(request, _("You had already added this link."))
        return redirect("credentials:detail", pk=submission.credential.pk)
    return _render_list(request, UploadForm(), form, status=400)


def _say_added(request: AuthenticatedRequest, added: list[int], *, link: bool = False) -> None:
    """Say what happened to new credentials: being checked, or (when the checking service
    could not take them) kept and checked once it is back — never "checking" when not."""
    waiting = selectors.waiting_for_the_broker(applicant=request.user, credential_ids=added)
    if waiting:
        messages.warning(
            request,
            ngettext(
                "%(n)d credential saved. Checking will start automatically in a few minutes: "
                "the checking service is not reachable right now. Nothing you added is lost.",
                "%(n)d credentials saved. Checking will start automatically in a few minutes: "
                "the checking service is not reachable right now. Nothing you added is lost.",
                len(added),
            )
            % {"n": len(added)},
        )
    elif link:
        messages.success(request, _("Link added. The portal is checking it now."))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d credential added. The portal is checking it now.",
                "%(n)d credentials added. The portal is checking them now.",
                len(added),
            )
            % {"n": len(added)},
        )


@login_required
@require_GET
def credential_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    template = "credentials/credential_detail.html"
    if request.htmx:
        template += "#verdict"
    runs = list(selectors.runs_of(credential=credential)[: RUNS_SHOWN + 1])
    context = {
        "credential": credential,
        "checks": [CheckResult.from_json(check) for check in _latest_checks(credential)],
        "explanation": explain(CredentialRecord.from_json(credential.record))
        if credential.record
        else None,
        "runs": runs[:RUNS_SHOWN],
        "has_older_runs": len(runs) > RUNS_SHOWN,
        "runs_shown": RUNS_SHOWN,
        "polling": _polling(request, [credential], request.path),
        # Drawn (or refused) once and cached, so a refused picture is not a broken <img>.
        "shows_image": thumbnail_for(credential) is not None,
    }
    return render(request, template, context)


@login_required
@require_POST
def credential_recheck(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    if services.request_recheck(applicant=request.user, credential=credential):
        messages.info(request, _("The portal is checking this credential again."))
    else:
        messages.info(
            request,
            _(
                "The portal checked this credential less than a minute ago, or is checking "
                "it now, so it was not checked again. Its latest result is below."
            ),
        )
    return redirect("credentials:detail", pk=credential.pk)


@login_required
@require_http_methods(["GET", "POST"])
def credential_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
def credential_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
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
def credential_image(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The badge picture as the portal redrew it (credentials.artwork), never the upload."""
    credential = selectors.credential_owned_by(applicant=request.user, pk=pk)
    return artwork_response(thumbnail_for(credential))


def _render_list(
    request: AuthenticatedRequest,
    upload_form: UploadForm,
    link_form: LinkForm,
    *,
    status: int = 200,
) -> HttpResponse:
    rows, page, polling = _page_of_rows(request)
    context = {
        "rows": rows,
        "page": page,
        "polling": polling,
        "upload_form": upload_form,
        "link_form": link_form,
        "has_recipient_mismatch": selectors.has_recipient_mismatch(applicant=request.user),
        "max_files": settings.CREDENTIAL_MAX_FILES_PER_UPLOAD,
        "max_mb": f"{settings.CREDENTIAL_MAX_UPLOAD_BYTES / 1_000_000:g}",
    }
    return render(request, "credentials/credential_list.html", context, status=status)


def _page_of_rows(
    request: AuthenticatedRequest,
) -> tuple[list[CredentialRow], Page[Credential], Polling]:
    credentials = selectors.credentials_owned_by(applicant=request.user)
    page = Paginator(credentials, CREDENTIALS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [CredentialRow(credential, _headline(credential)) for credential in page]
    list_url = f"{request.path}?page={page.number}"
    return rows, page, _polling(request, [row.credential for row in rows], list_url)


def _polling(request: HttpRequest, credentials: Iterable[Credential], url: str) -> Polling:
    """Ask again only while a credential shown is queued or being checked, backing off."""
    try:
        poll = max(0, int(request.GET.get("poll", "0")))
    except ValueError:
        poll = 0
    separator = "&" if "?" in url else "?"
    next_url = f"{url}{separator}poll={poll + 1}"
    if not any(credential.is_being_checked for credential in credentials):
        return Polling(next_url, None, given_up=False)
    if poll >= len(POLL_INTERVALS):
        return Polling(next_url, None, given_up=True)
    return Polling(next_url, POLL_INTERVALS[poll], given_up=False)


def _headline(credential: Credential) -> str:
    """The explanation's one-line summary, once a check has read the credential: the text
    stored with it, or (stored text out of date) explain() for this row only."""
    if not credential.record:
        return ""
    stored = stored_explanation(credential.explanations, get_language())
    if stored is not None:
        return stored.headline
    return explain(CredentialRecord.from_json(credential.record)).headline


def _latest_checks(credential: Credential) -> list[dict[str, object]]:
    latest = selectors.runs_of(credential=credential).only("checks").first()
    return latest.checks if latest else []

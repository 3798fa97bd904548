"""HR pages (under ``member_required``) and the applicant's application pages.

Views parse input, call one service or selector and render; scoping and roles are decided
in ``employers.permissions`` and ``employers.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credentials.artwork import artwork_response, thumbnail_for
from credentials.selectors import credentials_owned_by
from employers import selectors, services
from employers.card_cache import CardCache
from employers.exceptions import EmployerError
from employers.forms import (
    ApplyForm,
    CandidateFilterForm,
    CredentialChoiceForm,
    DecisionForm,
    InvitationForm,
    MfaPolicyForm,
    OpeningForm,
    RoleForm,
    SwitchEmployerForm,
)
from employers.models import Influence, Opening, Role, Stage, StageOutcome
from employers.permissions import SESSION_EMPLOYER_KEY, MemberRequest, member_required

# --- HR: employer home, switching, members ------------------------------------------------


@require_GET
@member_required()
def employer_home(request: MemberRequest) -> HttpResponse:
    member = request.membership
    return render(
        request,
        "employers/home.html",
        {
            "member": member,
            "memberships": selectors.memberships_of(user=member.user),
            "openings": selectors.openings_of(member=member),
            "general_count": selectors.general_share_count(member=member),
        },
    )


@require_POST
@login_required
def switch_employer(request: HttpRequest) -> HttpResponse:
    form = SwitchEmployerForm(request.POST)
    if form.is_valid():
        user = request.user  # signed in: login_required ran first
        memberships = selectors.memberships_of(user=user)  # type: ignore[arg-type]
        member = memberships.filter(employer_id=form.cleaned_data["employer"]).first()
        if member is not None:
            request.session[SESSION_EMPLOYER_KEY] = member.employer_id
    return redirect("employers:home")


@require_GET
@member_required("owner")
def members(request: MemberRequest) -> HttpResponse:
    return _members_page(request, InvitationForm())


def _members_page(request: MemberRequest, invite_form: InvitationForm) -> HttpResponse:
    member = request.membership
    return render(
        request,
        "employers/members.html",
        {
            "member": member,
            "members": selectors.members_of(member=member),
            "invitations": selectors.pending_invitations(member=member),
            "invite_form": invite_form,
            "mfa_form": MfaPolicyForm(initial={"require_mfa": member.employer.require_mfa}),
            "roles": Role.choices,
        },
        status=400 if invite_form.errors else 200,
    )


@require_POST
@member_required("owner")
def invite(request: MemberRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, form)
    try:
        invitation = services.invite_member(
            member=request.membership,
            email=form.cleaned_data["email"],
            role=Role(form.cleaned_data["role"]),
        )
    except EmployerError as error:  # already a member: say so, send nothing
        form.add_error("email", str(error))
        return _members_page(request, form)
    messages.success(
        request, gettext("An invitation was sent to %(email)s.") % {"email": invitation.email}
    )
    return redirect("employers:members")


@require_POST
@member_required("owner")
def member_role(request: MemberRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_for(member=request.membership, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_member_role(
                member=request.membership,
                membership=membership,
                role=Role(form.cleaned_data["role"]),
            )
        except EmployerError as error:
            messages.error(request, str(error))
    return redirect("employers:members")


@require_POST
@member_required("owner")
def member_remove(request: MemberRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_for(member=request.membership, pk=pk)
    try:
        services.remove_member(member=request.membership, membership=membership)
    except EmployerError as error:
        messages.error(request, str(error))
    return redirect("employers:members")


@require_POST
@member_required("owner")
def mfa_policy(request: MemberRequest) -> HttpResponse:
    form = MfaPolicyForm(request.POST)
    if form.is_valid():
        services.set_require_mfa(
            member=request.membership, required=form.cleaned_data["require_mfa"]
        )
        messages.success(request, gettext("The two-factor authentication rule was saved."))
    return redirect("employers:members")


@require_http_methods(["GET", "POST"])
@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pending = services.invitation_by_token(token=token)
    except EmployerError as error:
        return render(request, "employers/invitation.html", {"error": str(error)}, status=404)
    if request.method == "POST":
        try:
            membership = services.accept_invitation(user=request.user, token=token)  # type: ignore[arg-type]
        except EmployerError as error:
            return render(
                request,
                "employers/invitation.html",
                {"invitation": pending, "error": str(error)},
                status=400,
            )
        request.session[SESSION_EMPLOYER_KEY] = membership.employer_id
        messages.success(
            request,
            gettext("You are now a member of %(employer)s.") % {"employer": pending.employer.name},
        )
        return redirect("employers:home")
    return render(request, "employers/invitation.html", {"invitation": pending})


# --- HR: openings and candidates ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required("write")
def opening_edit(request: MemberRequest, pk: int | None = None) -> HttpResponse:
    opening = selectors.opening_for(member=request.membership, pk=pk) if pk else None
    form = OpeningForm(request.POST or None, instance=opening)
    if request.method == "POST" and form.is_valid():
        saved = services.save_opening(
            member=request.membership, opening=opening, **form.cleaned_data
        )
        messages.success(request, gettext("The opening was saved."))
        return redirect("employers:candidates", pk=saved.pk)
    return render(
        request,
        "employers/opening_form.html",
        {"form": form, "opening": opening},
        status=400 if form.errors else 200,
    )


def _candidate_list(request: MemberRequest, opening: Opening | None) -> HttpResponse:
    member = request.membership
    levels, issuers = selectors.candidate_filter_choices(member=member, opening=opening)
    form = CandidateFilterForm(request.GET or None, levels=levels, issuers=issuers)
    candidates = selectors.candidates_for(member=member, opening=opening, filters=form.filters())
    return render(
        request,
        "employers/candidates.html",
        {"member": member, "opening": opening, "form": form, "candidates": candidates},
    )


@require_GET
@member_required()
def candidates(request: MemberRequest, pk: int) -> HttpResponse:
    return _candidate_list(request, selectors.opening_for(member=request.membership, pk=pk))


@require_GET
@member_required()
def general_candidates(request: MemberRequest) -> HttpResponse:
    return _candidate_list(request, None)


@require_GET
@member_required()
def candidate(request: MemberRequest, pk: int) -> HttpResponse:
    page = selectors.candidate_page(member=request.membership, application_pk=pk)
    services.log_candidate_view(member=request.membership, application=page.application)
    return render(request, "employers/candidate.html", _candidate_context(request, page))


def _decision_choices() -> dict[str, object]:
    """Choices and labels translated once per page rather than once per credential: with 50
    credentials the lazy translations alone cost tens of milliseconds."""
    return {
        "influence_choices": [(value, str(label)) for value, label in Influence.choices],
        "stage_choices": [(value, str(label)) for value, label in Stage.choices],
        "outcome_choices": [(value, str(label)) for value, label in StageOutcome.choices],
        "decision_labels": {
            name: str(field.label) for name, field in DecisionForm.base_fields.items()
        },
    }


EMPTY_DECISION: dict[str, object] = {"stage": Stage.SCREENING, "outcome": StageOutcome.UNKNOWN}
CONFIRMED_AGAIN = frozenset(
    {"reason_skills", "reason_eagerness", "reason_fit", "reason_other", "used_unverified"}
)


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """A credential card and its decision form. The form is shown only when asked for
    (``?record=<credential>``, ``?correct=<record>``, or fetched into the card by htmx) or
    after a POST that failed: fifty forms made the page several times slower to render and
    long to scroll."""

    item: selectors.CandidateCredential
    values: dict[str, object] | None = None  # what the form shows; None: form not shown
    invalid: DecisionForm | None = None

    @property
    def checks_html(self) -> SafeString:
        """The credential's checks as list items. Built here rather than with a template
        loop: fifty cards of eight checks each took 9 ms in the loop, 1 ms here."""
        summary = escape(gettext("Technical details"))
        items = "".join(
            f'<li><span class="outcome outcome--{escape(line.outcome)}">'
            f"{escape(line.outcome_label)}</span> <strong>{escape(line.check_label)}</strong>: "
            f"{escape(line.detail)}"
            + (
                f'<details class="technical"><summary>{summary}</summary><dl>'
                + "".join(
                    f"<dt>{escape(label)}</dt><dd><code>{escape(value)}</code></dd>"
                    for label, value in line.technical
                )
                + "</dl></details>"
                if line.technical
                else ""
            )
            + "</li>"
            for line in self.item.check_lines
        )
        # Safe: each value is escaped above (a check's detail quotes the credential, which
        # is hostile input); the rest is literal markup.
        return mark_safe(f"<ul>{items}</ul>")  # noqa: S308


def _row(
    item: selectors.CandidateCredential, *, record: str | None, correct: str | None
) -> CandidateRow:
    corrected = next((d for d in item.current_decisions if str(d.pk) == correct), None)
    if corrected is not None:
        # A correction starts from the earlier answers except the reasons and the
        # not-verified confirmation: those are asked again, so changing "informed the
        # decision" to "not used" cannot silently keep the old reasons.
        values = {
            name: getattr(corrected, name)
            for name in DecisionForm.Meta.fields
            if name not in CONFIRMED_AGAIN
        }
        values["supersedes"] = corrected.pk
        return CandidateRow(item=item, values=values)
    if record == str(item.credential.pk):
        return CandidateRow(item=item, values=EMPTY_DECISION)
    return CandidateRow(item=item)


def _invalid_row(item: selectors.CandidateCredential, form: DecisionForm) -> CandidateRow:
    values = {name: form[name].value() for name in form.fields}
    return CandidateRow(item=item, values=values, invalid=form)


def _candidate_context(
    request: MemberRequest,
    page: selectors.CandidatePage,
    *,
    invalid: tuple[int, DecisionForm] | None = None,
) -> dict[str, object]:
    record, correct = request.GET.get("record"), request.GET.get("correct")
    rows = [
        _invalid_row(item, invalid[1])
        if invalid is not None and invalid[0] == item.credential.pk
        else _row(item, record=record, correct=correct)
        for item in page.credentials
    ]
    cards = CardCache((item.card_version for item in page.credentials), language=get_language())
    return {
        "member": request.membership,
        "page": page,
        "rows": rows,
        "cards": cards,
        **_decision_choices(),
    }


def _decisions_fragment(
    request: MemberRequest, page: selectors.CandidatePage, row: CandidateRow, *, focus: str
) -> HttpResponse:
    """The credential's decision section for htmx to swap in. ``focus`` says where the
    keyboard focus goes after the swap (static/js/portal.js): into the form when it opens,
    to the errors when it failed, to the saved record (announced) after saving."""
    context = {
        "member": request.membership,
        "page": page,
        "row": row,
        "swap_focus": focus,
        **_decision_choices(),
    }
    return render(request, "employers/candidate.html#decisions", context)


@require_http_methods(["GET", "POST"])
@member_required("write")
def record_decision(request: MemberRequest, pk: int, credential_pk: int) -> HttpResponse:
    """GET: the credential's decision section with its form (htmx fetches it into the card;
    without JavaScript the candidate page shows it). POST: append a decision record; htmx
    gets the updated section back, a plain form post is redirected to the candidate page."""
    page = selectors.candidate_page(member=request.membership, application_pk=pk)
    item = page.item_for(credential_pk)
    if item is None:  # not shared with this employer, or withdrawn since
        raise Http404
    if request.method == "GET":
        correct = request.GET.get("correct")
        if not request.htmx:  # type: ignore[attr-defined]
            query = f"correct={correct}" if correct else f"record={credential_pk}"
            return HttpResponseRedirect(
                reverse("employers:candidate", args=[pk]) + f"?{query}#decisions-{credential_pk}"
            )
        return _decisions_fragment(
            request, page, _row(item, record=str(credential_pk), correct=correct), focus="form"
        )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_decision(
                member=request.membership,
                application=page.application,
                credential=item.credential,
                supersedes=form.superseded_in(item.decisions),
                **form.decision_fields(),
            )
        except EmployerError as error:
            form.add_error(None, str(error))
    if not request.htmx:  # type: ignore[attr-defined]
        if form.errors:
            context = _candidate_context(request, page, invalid=(credential_pk, form))
            return render(request, "employers/candidate.html", context, status=400)
        messages.success(request, gettext("The decision record was saved."))
        return HttpResponseRedirect(
            reverse("employers:candidate", args=[pk]) + f"#credential-{credential_pk}"
        )
    if form.errors:
        # htmx swaps only 2xx responses, so a form with errors comes back as a 200 too.
        return _decisions_fragment(request, page, _invalid_row(item, form), focus="errors")
    page = selectors.candidate_page(member=request.membership, application_pk=pk)
    row = _row(page.item_for(credential_pk), record=None, correct=None)  # type: ignore[arg-type]
    return _decisions_fragment(request, page, row, focus="saved")


@require_GET
@member_required()
def credential_artwork(request: MemberRequest, pk: int, credential_pk: int) -> HttpResponse:
    """A shared credential's badge picture, redrawn by the portal (credentials.artwork);
    404 outside the member's employer or once the share is withdrawn."""
    credential = selectors.shared_credential_for(
        member=request.membership, application_pk=pk, credential_pk=credential_pk
    )
    return artwork_response(thumbnail_for(credential))


# --- applicants ---------------------------------------------------------------------------


@require_GET
@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employers/jobs.html",
        {
            "openings": selectors.open_openings_for(applicant=request.user),  # type: ignore[arg-type]
            "employers": selectors.employers_for_sharing(),
        },
    )


def _apply_page(
    request: HttpRequest, *, employer_pk: int | None, opening_pk: int | None
) -> HttpResponse:
    if opening_pk is not None:
        opening: Opening | None = selectors.opening_open_for_applicants(pk=opening_pk)
        employer = opening.employer  # type: ignore[union-attr]
    else:
        opening = None
        employer = selectors.employer_for_sharing(pk=employer_pk)  # type: ignore[arg-type]
    existing = selectors.live_application_to(
        applicant=request.user,  # type: ignore[arg-type]
        opening=opening,
        employer=employer,
    )
    if existing is not None:
        # Applying twice would only hit the one-application rule: say so and show the
        # application, where more credentials can be added.
        messages.info(
            request,
            gettext(
                "You already applied on %(date)s. Your application is below; you can add "
                "more credentials to it here."
            )
            % {"date": date_format(timezone.localtime(existing.created_at), "SHORT_DATE_FORMAT")},
        )
        return redirect("employers:my_application", pk=existing.pk)
    owned = credentials_owned_by(applicant=request.user)  # type: ignore[arg-type]
    form = ApplyForm(request.POST or None, credentials=owned)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(
                applicant=request.user,  # type: ignore[arg-type]
                employer=employer,
                opening=opening,
                credential_ids=[c.pk for c in form.cleaned_data["credentials"]],
                message=form.cleaned_data["message"],
            )
        except EmployerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Your credentials were shared."))
            return redirect("employers:my_application", pk=application.pk)
    return render(
        request,
        "employers/apply.html",
        {"form": form, "opening": opening, "employer": employer, "has_credentials": owned.exists()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply_page(request, employer_pk=None, opening_pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def share_with_employer(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply_page(request, employer_pk=pk, opening_pk=None)


@require_GET
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_of(applicant=request.user)  # type: ignore[arg-type]
    return render(request, "employers/my_applications.html", {"applications": applications})


def _my_application_page(
    request: HttpRequest, pk: int, form: CredentialChoiceForm | None = None
) -> HttpResponse:
    application = selectors.application_of(applicant=request.user, pk=pk)  # type: ignore[arg-type]
    shares = list(selectors.active_shares_of(application=application))
    shared_ids = {s.credential_id for s in shares}
    addable = credentials_owned_by(applicant=request.user).exclude(pk__in=shared_ids)  # type: ignore[arg-type]
    return render(
        request,
        "employers/my_application.html",
        {
            "application": application,
            "shares": shares,
            "form": form or CredentialChoiceForm(credentials=addable),
            "can_add": application.withdrawn_at is None and addable.exists(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
@login_required
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    return _my_application_page(request, pk)


@require_POST
@login_required
def my_application_share(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(applicant=request.user, pk=pk)  # type: ignore[arg-type]
    form = CredentialChoiceForm(
        request.POST,
        credentials=credentials_owned_by(applicant=request.user),  # type: ignore[arg-type]
    )
    if not form.is_valid():
        return _my_application_page(request, pk, form)
    try:
        services.share_more(
            applicant=request.user,  # type: ignore[arg-type]
            application=application,
            credential_ids=[c.pk for c in form.cleaned_data["credentials"]],
        )
    except EmployerError as error:
        form.add_error(None, str(error))
        return _my_application_page(request, pk, form)
    messages.success(request, gettext("Your credentials were shared."))
    return redirect("employers:my_application", pk=pk)


@require_POST
@login_required
def my_share_withdraw(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    application = selectors.application_of(applicant=request.user, pk=pk)  # type: ignore[arg-type]
    share = get_object_or_404(application.shares.select_related("application"), pk=share_pk)
    services.withdraw_share(applicant=request.user, share=share)  # type: ignore[arg-type]
    messages.success(request, gettext("The employer can no longer see that credential."))
    return redirect("employers:my_application", pk=pk)


@require_POST
@login_required
def my_application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(applicant=request.user, pk=pk)  # type: ignore[arg-type]
    services.withdraw_application(applicant=request.user, application=application)  # type: ignore[arg-type]
    messages.success(
        request, gettext("You withdrew. The employer can no longer see these credentials.")
    )
    return redirect("employers:my_applications")


@require_GET
@login_required
def who_viewed(request: HttpRequest) -> HttpResponse:
    views = selectors.views_of(applicant=request.user)[:500]  # type: ignore[arg-type]
    return render(request, "employers/who_viewed.html", {"views": views})

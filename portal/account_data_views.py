"""Pages for the applicant's own data: download everything, delete the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.account_data import delete_account, export_account_data
from users.models import User
from users.requests import AuthenticatedRequest


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(gettext("This is not the e-mail address you log in with."))
        return email


@login_required
@require_GET
def account_data(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "portal/account_data.html", {"form": DeleteAccountForm(user=request.user)}
    )


@login_required
@require_GET
def account_export(request: AuthenticatedRequest) -> FileResponse:
    stamp = timezone.now().strftime("%Y%m%d")
    # FileResponse streams the temporary file in blocks and closes (so deletes) it after.
    response = FileResponse(
        export_account_data(user=request.user),
        as_attachment=True,
        filename=f"credential-portal-{stamp}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["POST"])
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "portal/account_data.html", {"form": form}, status=400)
    user = request.user
    logout(request)
    delete_account(user=user)
    messages.success(request, gettext("Your account and all your credentials were deleted."))
    return redirect("home")

"""The owners' page for API tokens: create one (its secret is shown on that one response,
never again) and revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from employers.api.tokens import IssuedToken, api_tokens_of, create_api_token, revoke_api_token
from employers.models import ApiScope
from employers.permissions import MemberRequest, member_required


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses it, for example “Our ATS (production)”."),
    )
    scope = forms.ChoiceField(label=_("Access"), choices=ApiScope.choices, initial=ApiScope.READ)


@never_cache  # the response that shows a new token must not stay in any cache
@require_http_methods(["GET", "POST"])
@member_required("owner")
def api_tokens(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = ApiTokenForm(request.POST or None)
    issued: IssuedToken | None = None
    if request.method == "POST" and form.is_valid():
        issued = create_api_token(
            member=member,
            name=form.cleaned_data["name"],
            scope=ApiScope(form.cleaned_data["scope"]),
        )
        form = ApiTokenForm()
    return render(
        request,
        "employers/api_tokens.html",
        {
            "member": member,
            "form": form,
            "issued": issued,
            "tokens": api_tokens_of(member=member),
            "api_base": request.build_absolute_uri("/api/v1/"),
            "docs_url": reverse("api:docs"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required("owner")
def revoke(request: MemberRequest, pk: int) -> HttpResponse:
    token = revoke_api_token(member=request.membership, pk=pk)
    messages.success(request, gettext("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")

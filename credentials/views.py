from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from credentials.selectors import credentials_owned_by


@login_required
@require_GET
def credential_list(request: HttpRequest) -> HttpResponse:
    credentials = credentials_owned_by(applicant=request.user)  # type: ignore[arg-type]
    return render(request, "credentials/credential_list.html", {"credentials": credentials})

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from employers.selectors import memberships_of


@login_required
@require_GET
def employer_home(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(user=request.user)  # type: ignore[arg-type]
    return render(request, "employers/home.html", {"memberships": memberships})

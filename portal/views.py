from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_GET
@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: HR staff to their employer's openings, site admins to the
    statistics, applicants to their credentials."""
    user = request.user
    if user.memberships.exists():  # type: ignore[union-attr]  # login_required ran first
        return redirect("employers:home")
    if user.is_staff:
        return redirect("statistics:overview")
    return redirect("credentials:list")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.statistics.export import csv_response
from portal.statistics.forms import StatisticsFilterForm
from portal.statistics.permissions import employer_choice_for, employers_visible_to
from portal.statistics.selectors import (
    TABLES,
    Scope,
    source_for,
    statistics_for,
    table_for_export,
)
from users.requests import AuthenticatedRequest


def _scope_and_form(request: AuthenticatedRequest) -> tuple[Scope, StatisticsFilterForm]:
    """Read the filters; an employer the user may not see is a 404 before anything runs."""
    user = request.user
    employer_id = employer_choice_for(user=user, requested=request.GET.get("employer"))
    form = StatisticsFilterForm(
        request.GET or None,
        initial={"employer": employer_id},
        employers=employers_visible_to(user=user).order_by("name", "pk"),
        allow_all=user.is_staff,
    )
    # Dates that do not validate are shown as form errors and left out of the query.
    dates = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return Scope(employer_id, dates.get("start"), dates.get("end")), form


@login_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    scope, form = _scope_and_form(request)
    source = source_for(scope)
    sections = [
        {"table": table, "chart_id": f"chart-data-{table.slug}", "chart": table.chart_data()}
        for table in statistics_for(source)
    ]
    context = {
        "form": form,
        "sections": sections,
        "query": request.GET.urlencode(),
        "scope": scope,
        "built_at": source.built_at,
    }
    return render(request, "statistics/overview.html", context)


@login_required
@require_GET
def export(request: AuthenticatedRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    scope, _form = _scope_and_form(request)
    return csv_response(table_for_export(source_for(scope), table), scope)

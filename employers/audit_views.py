"""The employer's audit log page and its CSV (owners only, their own employer only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from employers import audit
from employers.forms import AuditFilterForm
from employers.permissions import MemberRequest, member_required

EVENTS_PER_PAGE = 100


def _filters(request: MemberRequest) -> tuple[AuditFilterForm, audit.AuditFilter]:
    form = AuditFilterForm(
        request.GET or None, actors=audit.actor_choices(member=request.membership)
    )
    if not form.is_bound or not form.is_valid():
        return form, audit.AuditFilter()
    data = form.cleaned_data
    return form, audit.AuditFilter(
        kind=data["kind"] or "", actor_id=data["actor"], start=data["start"], end=data["end"]
    )


@require_GET
@member_required("owner")
def audit_log(request: MemberRequest) -> HttpResponse:
    form, filters = _filters(request)
    events = audit.events_for(member=request.membership, filters=filters)
    if request.GET.get("format") == "csv":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 (Japanese) correctly only with a BOM
        audit.write_csv(response, events.iterator(chunk_size=1000))
        return response
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "employers/audit_log.html",
        {
            "member": request.membership,
            "form": form,
            "page": page,
            "rows": list(audit.rows_of(page.object_list)),
            "query": query.urlencode(),
        },
    )

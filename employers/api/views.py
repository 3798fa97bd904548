"""The employer API for applicant-tracking systems. Each view reads through the scoped
selectors in ``employers.selectors`` and writes through ``employers.services`` with the
member the request acts as, so another employer's object is a 404 here as on the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import DateTimeField, Max, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from credentials.api.base import UPDATED_SINCE, ApiPagination, ApiThrottle, updated_since
from credentials.api.views import LANG, LocalizedApiView
from credentials.vocabulary import Status
from employers import selectors, services
from employers.api.authentication import BearerTokenAuthentication, TokenAccess
from employers.api.permissions import IsEmployerMember, api_member
from employers.api.serializers import (
    ApplicationDetailSerializer,
    ApplicationSerializer,
    DecisionInput,
    DecisionSerializer,
    OpeningSerializer,
)
from employers.exceptions import CorrectedRecordMissing
from employers.models import Application, Decision
from employers.selectors import CANDIDATE_SORTS, CandidateFilters

VIEW_LOG_SECONDS = 3600


class EmployerThrottle(ApiThrottle):
    """Counts per token, so two ATS integrations of one employer do not share a budget."""

    def get_ident_key(self, request: Request) -> str:
        if isinstance(request.auth, TokenAccess):
            return f"token:{request.auth.token.pk}"
        return super().get_ident_key(request)


class EmployerApiView(LocalizedApiView):
    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsEmployerMember]
    throttle_classes = [EmployerThrottle]


class _LangParams(serializers.Serializer):  # type: ignore[type-arg]
    lang = serializers.ChoiceField(choices=[("ja", "ja"), ("en", "en")], required=False)


class OpeningFilters(_LangParams):
    is_open = serializers.BooleanField(required=False, allow_null=True, default=None)


class ApplicationFilters(_LangParams):
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="Only applications with a shared credential in this status.",
    )
    level = serializers.CharField(required=False, max_length=100, help_text="e.g. 'EQF 5'.")
    issuer = serializers.CharField(required=False, max_length=500, help_text="Issuer name.")
    sort = serializers.ChoiceField(choices=list(CANDIDATE_SORTS), default="newest")


def _params(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


def _paginated(
    view: EmployerApiView, rows: QuerySet[Any] | list[Any], serializer: Any, **context: Any
) -> Response:
    paginator = ApiPagination()
    page = paginator.paginate_queryset(rows, view.request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context=context).data)


# --- openings ------------------------------------------------------------------------------


class OpeningListView(EmployerApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="openings_list",
        tags=["employer"],
        parameters=[OpeningFilters],
        responses=OpeningSerializer(many=True),
        description="The employer's openings, newest first.",
    )
    def get(self, request: Request) -> Response:
        filters = _params(OpeningFilters, request)
        openings = selectors.openings_of(member=api_member(request)).order_by("-created_at", "-pk")
        if filters["is_open"] is not None:
            openings = openings.filter(is_open=filters["is_open"])
        return _paginated(self, openings, OpeningSerializer)


class OpeningDetailView(EmployerApiView):
    @extend_schema(operation_id="openings_retrieve", tags=["employer"], responses=OpeningSerializer)
    def get(self, request: Request, pk: int) -> Response:
        opening = get_object_or_404(selectors.openings_of(member=api_member(request)), pk=pk)
        return Response(OpeningSerializer(opening).data)


# --- applications ---------------------------------------------------------------------------


def _with_updated_at(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate when anything an ATS should re-read changed: the application itself, a
    share or withdrawal, or a shared credential's status (a revocation found by a
    re-check). Rides on the joins ``candidates_for`` already makes for its counts."""
    created = "created_at"
    return applications.annotate(
        updated_at=Greatest(
            created,
            Coalesce(Max("shares__shared_at"), created),
            Coalesce(Max("shares__withdrawn_at"), created),
            Coalesce(Max("shares__credential__status_changed_at"), created),
            output_field=DateTimeField(),
        )
    )


def _application_list(view: EmployerApiView, request: Request, opening_pk: int | None) -> Response:
    member = api_member(request)
    filters = _params(ApplicationFilters, request)
    since: datetime | None = updated_since(request)
    opening = selectors.opening_for(member=member, pk=opening_pk) if opening_pk else None
    applications = _with_updated_at(
        selectors.candidates_for(
            member=member,
            opening=opening,
            filters=CandidateFilters(
                status=filters.get("status", ""),
                level=filters.get("level", ""),
                issuer=filters.get("issuer", ""),
                sort=filters["sort"],
            ),
        )
    )
    if since is not None:
        # The annotation above is invisible to the django-stubs plugin.
        applications = applications.filter(updated_at__gte=since)  # type: ignore[misc]
    return _paginated(view, applications, ApplicationSerializer)


_LIST_HELP = (
    "Live applications with counts of their shared credentials. With 'updated_since', only "
    "those that changed since then: poll it to learn of revocations and withdrawn credentials."
)


class OpeningApplicationListView(EmployerApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="opening_applications_list",
        tags=["employer"],
        parameters=[ApplicationFilters, UPDATED_SINCE],
        responses=ApplicationSerializer(many=True),
        description=_LIST_HELP,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _application_list(self, request, opening_pk=pk)


class GeneralShareListView(EmployerApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="general_shares_list",
        tags=["employer"],
        parameters=[ApplicationFilters, UPDATED_SINCE],
        responses=ApplicationSerializer(many=True),
        description="Applicants who shared credentials with the employer without applying "
        "to an opening. " + _LIST_HELP,
    )
    def get(self, request: Request) -> Response:
        return _application_list(self, request, opening_pk=None)


class ApplicationDetailView(EmployerApiView):
    @extend_schema(
        operation_id="applications_retrieve",
        tags=["employer"],
        parameters=[LANG],
        responses=ApplicationDetailSerializer,
        description="An application with each credential still shared: status and its "
        "meaning, every check with a plain-language detail, and the explanation (headline, "
        "level, learning hours, completeness) in the requested language. Logged as a view "
        "of the candidate, which the applicant can see (at most once an hour per token).",
    )
    def get(self, request: Request, pk: int) -> Response:
        _params(_LangParams, request)
        member = api_member(request)
        page = selectors.candidate_page(member=member, application_pk=pk)
        # The applicant sees who opened their application. An ATS re-reads it on every
        # sync, so one view per reader and application an hour is logged, not every poll.
        if cache.add(f"api-view:{member.user.pk}:{page.application.pk}", 1, VIEW_LOG_SECONDS):
            services.log_candidate_view(member=member, application=page.application)
        return Response(
            ApplicationDetailSerializer(
                page.application, context={"credentials": page.credentials}
            ).data
        )


# --- decisions ------------------------------------------------------------------------------


class DecisionListView(EmployerApiView):
    pagination_class = ApiPagination
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="decisions_list",
        tags=["employer"],
        responses=DecisionSerializer(many=True),
        description="Decision records for the credentials still shared in the application, "
        "newest first, corrected ones included (is_current false).",
    )
    def get(self, request: Request, pk: int) -> Response:
        page = selectors.candidate_page(member=api_member(request), application_pk=pk)
        decisions: list[Decision] = sorted(
            (d for item in page.credentials for d in item.decisions),
            key=lambda d: (d.recorded_at, d.pk),
            reverse=True,
        )
        superseded = frozenset(d.supersedes_id for d in decisions if d.supersedes_id)
        return _paginated(self, decisions, DecisionSerializer, superseded=superseded)

    @extend_schema(
        operation_id="decisions_create",
        tags=["employer"],
        request=DecisionInput,
        responses={201: DecisionSerializer},
        description="Record whether a shared credential informed a decision. Records are "
        "never edited: to correct one, post a new record with 'supersedes' set to its id. "
        "Needs a read+write token.",
    )
    def post(self, request: Request, pk: int) -> Response:
        member = api_member(request)
        page = selectors.candidate_page(member=member, application_pk=pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = page.item_for(values["credential"])
        if item is None:
            raise serializers.ValidationError(
                {
                    "credential": [
                        gettext(
                            "This credential is not shared in this application, or was withdrawn."
                        )
                    ]
                }
            )
        supersedes = None
        if values.get("supersedes"):
            supersedes = next((d for d in item.decisions if d.pk == values["supersedes"]), None)
            if supersedes is None:
                raise CorrectedRecordMissing
        decision = services.record_decision(
            member=member,
            application=page.application,
            credential=item.credential,
            influence=values["influence"],
            stage=values["stage"],
            reason_skills=values["reason_skills"],
            reason_eagerness=values["reason_eagerness"],
            reason_fit=values["reason_fit"],
            reason_other=values["reason_other"],
            outcome=values["outcome"],
            note=values["note"],
            supersedes=supersedes,
            used_unverified=values["used_unverified"],
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

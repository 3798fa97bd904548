"""The applicant's own credentials over the API (session auth: the site's own pages and
scripts run in the applicant's browser). Same services and selectors as the HTML views."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credentials import selectors, services
from credentials.api.base import UPDATED_SINCE, ApiPagination, ApiThrottle, ApiView, updated_since
from credentials.api.serializers import (
    CredentialSubmitSerializer,
    OwnCredentialDetailSerializer,
    OwnCredentialSerializer,
)
from credentials.explanation import explain
from credentials.formats.record import CredentialRecord
from credentials.models import Credential
from credentials.verification.result import CheckResult
from credentials.vocabulary import Status

LANG = OpenApiParameter(
    "lang",
    str,
    enum=["ja", "en"],
    description="Language of sentences (labels, meanings, check details, explanation). "
    "Defaults to the Accept-Language header.",
)


class LocalizedApiView(ApiView):
    """Sentences come out in ``?lang=`` when given, else as LocaleMiddleware chose from the
    Accept-Language header (or the site's language cookie)."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        lang = request.GET.get("lang")
        if lang in ("ja", "en"):
            with translation.override(lang):
                response = super().dispatch(request, *args, **kwargs)
                # Render now: a lazy string left in the data would otherwise be translated
                # after the override ends, in the middleware's language.
                if isinstance(response, SimpleTemplateResponse):
                    response.render()
                response["Content-Language"] = lang
                return response
        return super().dispatch(request, *args, **kwargs)


class CredentialFilters(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    lang = serializers.ChoiceField(choices=[("ja", "ja"), ("en", "en")], required=False)


class DetailParams(serializers.Serializer):  # type: ignore[type-arg]
    lang = serializers.ChoiceField(choices=[("ja", "ja"), ("en", "en")], required=False)


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


class ApplicantApiView(LocalizedApiView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiThrottle]


class CredentialListView(ApplicantApiView):
    pagination_class = ApiPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="my_credentials_list",
        tags=["applicant"],
        parameters=[CredentialFilters, UPDATED_SINCE],
        responses=OwnCredentialSerializer(many=True),
        description="The signed-in applicant's credentials, newest first.",
    )
    def get(self, request: Request) -> Response:
        filters = _validated(CredentialFilters, request)
        since = updated_since(request)
        credentials = selectors.credentials_owned_by(applicant=request.user)  # type: ignore[arg-type]
        if filters.get("status"):
            credentials = credentials.filter(status=filters["status"])
        if since is not None:
            credentials = credentials.filter(
                Q(created_at__gte=since) | Q(status_changed_at__gte=since)
            )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(credentials, request, view=self)
        data = OwnCredentialSerializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="my_credentials_create",
        tags=["applicant"],
        request={
            "multipart/form-data": CredentialSubmitSerializer,
            "application/json": CredentialSubmitSerializer,
        },
        responses={201: OwnCredentialSerializer, 200: OwnCredentialSerializer},
        description="Add a credential: a file (multipart field 'file') or a link ('url'). "
        "201 when it is new, 200 when the same file or link was added before. Verification "
        "runs in the background; poll the credential until 'is_being_checked' is false.",
    )
    def post(self, request: Request) -> Response:
        submit = CredentialSubmitSerializer(data=request.data)
        submit.is_valid(raise_exception=True)
        applicant = request.user
        upload = submit.validated_data.get("file")
        if upload is not None:
            submission = services.submit_upload(
                applicant=applicant,  # type: ignore[arg-type]
                data=upload.read(),
                filename=upload.name or "",
            )
        else:
            submission = services.submit_link(
                applicant=applicant,  # type: ignore[arg-type]
                url=submit.validated_data["url"],
            )
        return Response(
            OwnCredentialSerializer(submission.credential).data,
            status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK,
        )


class CredentialDetailView(ApplicantApiView):
    @extend_schema(
        operation_id="my_credentials_retrieve",
        tags=["applicant"],
        parameters=[LANG],
        responses=OwnCredentialDetailSerializer,
        description="One of the applicant's credentials with its latest checks and its "
        "plain-language explanation.",
    )
    def get(self, request: Request, pk: int) -> Response:
        _validated(DetailParams, request)
        credential = selectors.credential_owned_by(applicant=request.user, pk=pk)  # type: ignore[arg-type]
        return Response(OwnCredentialDetailSerializer(credential, context=_facts(credential)).data)

    @extend_schema(
        operation_id="my_credentials_destroy",
        tags=["applicant"],
        responses={204: None},
        description="Delete the credential. Employers it was shared with lose it at once; "
        "decision records they made keep their own copy of its facts.",
    )
    def delete(self, request: Request, pk: int) -> Response:
        applicant = request.user
        credential = selectors.credential_owned_by(applicant=applicant, pk=pk)  # type: ignore[arg-type]
        services.delete_credential(applicant=applicant, credential=credential)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


def _facts(credential: Credential) -> dict[str, Any]:
    latest = selectors.runs_of(credential=credential).first()
    return {
        "checks": tuple(CheckResult.from_json(c) for c in (latest.checks if latest else [])),
        "explanation": explain(CredentialRecord.from_json(credential.record or {})),
    }

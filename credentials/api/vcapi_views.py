"""VC-API (W3C VCALM) verifier endpoints: ``POST /credentials/verify`` and
``POST /presentations/verify``.

Open to any client, as verifiers are: no login, no CSRF (no cookies are read), rate-limited
per client address, the body capped before it is read. Every answer is JSON in VC-API's
shape, errors included (413, 405, 429 too), and never a redirect: the routes are exact.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from credentials import services, vcapi


class VerifierThrottle(SimpleRateThrottle):
    """Verifications per client address, rate ``verifier`` in DEFAULT_THROTTLE_RATES."""

    scope = "verifier"

    def get_rate(self) -> str | None:
        from rest_framework.settings import api_settings

        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return str(rate) if rate else None

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ProblemDetailsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.CharField(help_text="A URI naming the kind of problem.")
    title = serializers.CharField()
    detail = serializers.CharField(help_text="In the request's language (ja or en).")
    code = serializers.CharField(help_text="The portal's stable code for the reason.")
    check = serializers.CharField(required=False, help_text="The check it concerns.")


class VerificationResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    verified = serializers.BooleanField()
    checks = serializers.ListField(
        child=serializers.CharField(),
        help_text="The checks that passed: parse, schema, proof, issuer, validity, revocation…",
    )
    warnings = ProblemDetailsSerializer(many=True)
    # DRF moves declared fields out of the class, so this does not shadow .errors.
    errors = ProblemDetailsSerializer(many=True)  # type: ignore[assignment]
    answers = serializers.DictField(
        required=False,
        help_text="The four answers (intact, issuer_identity and its basis and source, "
        "recipient, current and its date) for a credential the engine could read.",
    )


class PresentationResultSerializer(VerificationResultSerializer):
    credentialResults = VerificationResultSerializer(many=True, required=False)


VerifyResult = VerificationResultSerializer
PresentationResult = PresentationResultSerializer
_OPTIONS = serializers.DictField(
    required=False,
    help_text="Unknown keys (such as checks) are accepted and ignored.",
)
VerifyCredentialBody = inline_serializer(
    name="VerifyCredentialRequest",
    fields={
        "verifiableCredential": serializers.JSONField(
            help_text="A credential object, an EnvelopedVerifiableCredential, or a VC-JWT."
        ),
        "options": _OPTIONS,
    },
)
VerifyPresentationBody = inline_serializer(
    name="VerifyPresentationRequest",
    fields={
        "verifiablePresentation": serializers.JSONField(),
        "options": serializers.DictField(
            required=False,
            help_text="domain (string or list) and challenge (string) the presentation's "
            "proof must carry; other keys are ignored.",
        ),
    },
)


class _VerifierView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (VerifierThrottle,)
    # The schema's media type; the body itself is read in read_body (request.data never
    # is), bounded, whatever content type the client sends.
    parser_classes = (JSONParser,)
    renderer_classes = (JSONRenderer,)
    # Only the responses declared below: errors here are VC-API results, not {code, detail}.
    schema = AutoSchema()

    def read_body(self, request: Request) -> Any:
        limit = settings.VERIFIER_API_MAX_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise _TooLarge(limit)
        stream = request.stream
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise _TooLarge(limit)
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(gettext("The request body is not valid JSON.")) from exc

    def handle_exception(self, exc: Exception) -> Response:
        """Errors in VC-API's shape too, so clients read one format."""
        response = super().handle_exception(exc)
        detail = getattr(exc, "detail", None) or str(exc)
        code = getattr(exc, "default_code", "error")
        result = vcapi.request_error(str(code), str(detail))
        response.data = result.as_json()
        return response

    def answer(self, result: vcapi.VcApiResult) -> Response:
        code = status.HTTP_200_OK if result.verified else status.HTTP_400_BAD_REQUEST
        return Response(result.as_json(), status=code)


class _TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            gettext("The request body is larger than %(limit)s bytes.") % {"limit": limit}
        )


_CREDENTIAL_SCHEMA = extend_schema(
    tags=["verifier"],
    operation_id="verify_credential",
    summary="Verify a credential (VC-API)",
    description=(
        "Checks a W3C Verifiable Credential (Data Integrity proofs: eddsa-rdfc-2022, "
        "eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019, ecdsa-sd-2023 derived, "
        "Ed25519Signature2020; VC-JWT), an Open Badge 3.0 or 2.0, with the portal's engine: "
        "proof, issuer key binding, validity period, revocation. 200 when verified; 400 with "
        "the same body and the reasons in errors otherwise. No login needed."
    ),
    request=VerifyCredentialBody,
    responses=dict.fromkeys((200, 400, 405, 406, 413, 429), VerifyResult),
    examples=[
        OpenApiExample(
            "Not verified",
            response_only=True,
            status_codes=["400"],
            value={
                "verified": False,
                "checks": ["parse", "schema"],
                "warnings": [],
                "errors": [
                    {
                        "type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR",
                        "title": "Signature: Failed",
                        "detail": "The signature does not match the credential…",
                        "code": "signature_invalid",
                        "check": "proof",
                    }
                ],
            },
        )
    ],
)


class VerifyCredentialView(_VerifierView):
    @_CREDENTIAL_SCHEMA
    def post(self, request: Request) -> Response:
        body = self.read_body(request)
        ctx = services.verification_context()
        return self.answer(vcapi.verify_credential_request(body, ctx=ctx))


_PRESENTATION_SCHEMA = extend_schema(
    tags=["verifier"],
    operation_id="verify_presentation",
    summary="Verify a presentation (VC-API)",
    description=(
        "Checks a Verifiable Presentation's own proof (authentication purpose, the domain and "
        "challenge given in options, a key the holder controls) and every credential in it. "
        "200 when all of them verify; 400 otherwise, with credentialResults per credential."
    ),
    request=VerifyPresentationBody,
    responses={
        200: PresentationResult,
        400: PresentationResult,
        **dict.fromkeys((405, 406, 413, 429), VerifyResult),
    },
)


class VerifyPresentationView(_VerifierView):
    @_PRESENTATION_SCHEMA
    def post(self, request: Request) -> Response:
        body = self.read_body(request)
        ctx = services.verification_context()
        return self.answer(vcapi.verify_presentation_request(body, ctx=ctx))

"""How a credential reads in the API: its verdict, its checks with translated details and
its plain-language explanation, in the language active for the request. Output only; the
applicant's input is parsed by the small input serializers at the end."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credentials.explanation import Explanation
from credentials.explanation.result import ExplanationText
from credentials.models import Credential
from credentials.verification.answers import (
    Answers,
    Currency,
    IdentityBasis,
    Intact,
    IssuerIdentity,
    Recipient,
)
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status


class CheckSerializer(serializers.Serializer):  # type: ignore[type-arg]
    check = serializers.ChoiceField(choices=CheckId.choices)
    check_label = serializers.SerializerMethodField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_label = serializers.SerializerMethodField()
    code = serializers.CharField(help_text="Stable message code; 'detail' is its sentence.")
    detail = serializers.CharField(help_text="What the check found, in plain words.")

    def get_check_label(self, check: CheckResult) -> str:
        return str(CheckId(check.check).label)

    def get_outcome_label(self, check: CheckResult) -> str:
        return str(Outcome(check.outcome).label)


class CompletenessSerializer(serializers.Serializer):  # type: ignore[type-arg]
    score = serializers.CharField(help_text="For example '8 of 11'.")
    summary = serializers.CharField()
    present = serializers.IntegerField(help_text="EU mandatory elements the credential states.")
    text_only = serializers.IntegerField(help_text="Of those, how many only in free text.")
    applicable = serializers.IntegerField(help_text="EU mandatory elements that apply.")


class DetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="Stable slug: level, hours, field, outcomes, …")
    # Declared fields leave the class body, so this does not replace Field.label at runtime.
    label = serializers.CharField()  # type: ignore[assignment]
    text = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    inferred = serializers.BooleanField(help_text="Read from free text, not a structured field.")
    stated = serializers.BooleanField(help_text="False when the credential does not state it.")


class ExplanationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    language = serializers.CharField()
    headline = serializers.CharField()
    level = serializers.SerializerMethodField()
    hours = serializers.SerializerMethodField()
    completeness = CompletenessSerializer()
    details = DetailSerializer(many=True)

    def _text(self, explanation: Explanation | ExplanationText, key: str) -> str | None:
        # Explanation or the text stored with the credential (ExplanationText): both have
        # the details.
        return next((d.text for d in explanation.details if d.key == key), None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_level(self, explanation: Explanation | ExplanationText) -> str | None:
        """The level sentence (framework and level), or null when nothing is said."""
        return self._text(explanation, "level")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_hours(self, explanation: Explanation | ExplanationText) -> str | None:
        """The learning-hours sentence, or null when nothing is said."""
        return self._text(explanation, "hours")


class AnswersSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The four answers besides the status (DESIGN.md "four questions")."""

    intact = serializers.ChoiceField(choices=Intact.choices)
    issuer_identity = serializers.ChoiceField(choices=IssuerIdentity.choices)
    issuer_identity_basis = serializers.ChoiceField(choices=IdentityBasis.choices, allow_null=True)
    issuer_identity_source = serializers.CharField(
        allow_null=True, help_text="The registry's name (basis registry) or the domain."
    )
    recipient = serializers.ChoiceField(choices=Recipient.choices)
    current = serializers.ChoiceField(choices=Currency.choices)
    current_date = serializers.CharField(
        allow_null=True, help_text="YYYY-MM-DD: the expiry, the start of validity, or valid-until."
    )


class CredentialSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The verdict fields every credential listing shows."""

    name = serializers.CharField(source="display_name")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    status_meaning = serializers.CharField()
    answers = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()
    format = serializers.ChoiceField(choices=CredentialFormat.choices)

    @extend_schema_field(AnswersSerializer)
    def get_answers(self, credential: Credential) -> dict[str, Any]:
        return Answers.from_json(credential.answers).as_json()

    @extend_schema_field(serializers.CharField())
    def get_headline(self, credential: Credential) -> str:
        """Every answer that failed or is unconfirmed, in one or two plain sentences."""
        return credential.answers_view.headline

    class Meta:
        model = Credential
        fields = [
            "id",
            "name",
            "title",
            "issuer_name",
            "issuer_id",
            "format",
            "level",
            "field_of_study",
            "status",
            "status_label",
            "status_meaning",
            "answers",
            "headline",
            "issued_at",
            "valid_until",
            "last_checked_at",
            "status_changed_at",
        ]
        read_only_fields = fields


class OwnCredentialSerializer(CredentialSummarySerializer):
    """The applicant's own credential: the summary plus where it came from."""

    is_being_checked = serializers.BooleanField()
    source_url = serializers.CharField(help_text="The link it was added by; '' for a file.")

    class Meta(CredentialSummarySerializer.Meta):
        fields = [
            *CredentialSummarySerializer.Meta.fields,
            "original_name",
            "source_url",
            "size",
            "created_at",
            "is_being_checked",
        ]
        read_only_fields = fields


class OwnCredentialDetailSerializer(OwnCredentialSerializer):
    checks = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta(OwnCredentialSerializer.Meta):
        fields = [*OwnCredentialSerializer.Meta.fields, "checks", "explanation"]
        read_only_fields = fields

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, credential: Credential) -> list[dict[str, Any]]:
        checks: tuple[CheckResult, ...] = self.context["checks"]
        return list(CheckSerializer(checks, many=True).data)

    @extend_schema_field(ExplanationSerializer)
    def get_explanation(self, credential: Credential) -> dict[str, Any]:
        return dict(ExplanationSerializer(self.context["explanation"]).data)


class CredentialSubmitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Either a file (multipart) or a link; not both."""

    file = serializers.FileField(required=False, help_text="The badge: PNG, SVG, JSON or JWT.")
    url = serializers.CharField(
        required=False, max_length=2000, help_text="Link to a hosted badge (https://…)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError(
                _("Send either a file or a url, not both and not neither.")
            )
        return attrs

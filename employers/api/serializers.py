"""What an applicant-tracking system reads and writes. Output serializers read the
selectors' objects (``Opening``, ``Application``, ``CandidateCredential``, ``Decision``);
``DecisionInput`` parses a decision record and refuses fields it does not know."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credentials.api.serializers import (
    CheckSerializer,
    CredentialSummarySerializer,
    ExplanationSerializer,
)
from credentials.vocabulary import Status
from employers.card_cache import CARD_SECONDS
from employers.models import (
    NOTE_MAX_LENGTH,
    Application,
    Decision,
    Influence,
    Opening,
    Stage,
    StageOutcome,
)
from employers.selectors import CandidateCredential


class OpeningSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    candidate_count = serializers.IntegerField(help_text="Live applications to this opening.")

    class Meta:
        model = Opening
        fields = [
            "id",
            "title",
            "description",
            "skills_sought",
            "is_open",
            "created_at",
            "candidate_count",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One row of a candidate list (an application to an opening, or a general share)."""

    opening: serializers.PrimaryKeyRelatedField[Opening] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    applicant_name = serializers.CharField(source="applicant.__str__")
    credential_count = serializers.IntegerField(help_text="Credentials shared and not withdrawn.")
    verified_count = serializers.IntegerField()
    alert_count = serializers.IntegerField(
        help_text="Shared credentials that are revoked, expired, failed or issued to someone else."
    )
    updated_at = serializers.DateTimeField(
        help_text="Latest of: applied, a credential shared or withdrawn, a shared "
        "credential's status changed. The time 'updated_since' compares with."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "opening",
            "applicant_name",
            "message",
            "created_at",
            "updated_at",
            "credential_count",
            "verified_count",
            "alert_count",
        ]
        read_only_fields = fields


class SharedCredentialSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A credential in an application as HR sees it: verdict, checks and explanation."""

    # Nested, not built per item: fifty CredentialSummarySerializer instances each built
    # their fields again (a third of the response's time).
    credential = CredentialSummarySerializer()
    shared_at = serializers.DateTimeField(source="share.shared_at")
    status_at_share = serializers.SerializerMethodField()
    is_alert = serializers.BooleanField()
    checks = CheckSerializer(many=True)
    # The sentences stored at verification, as the HTML page shows them, not explain() again.
    explanation = ExplanationSerializer(source="explanation_text")

    @extend_schema_field(
        serializers.ChoiceField(choices=Status.choices, allow_blank=True),
    )
    def get_status_at_share(self, item: CandidateCredential) -> str:
        """The status when the applicant shared it ("" for shares older than this field)."""
        return item.share.status_at_share


class ApplicationDetailSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    opening: serializers.PrimaryKeyRelatedField[Opening] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    applicant_name = serializers.CharField(source="applicant.__str__")
    credentials = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "opening", "applicant_name", "message", "created_at", "credentials"]
        read_only_fields = fields

    @extend_schema_field(SharedCredentialSerializer(many=True))
    def get_credentials(self, application: Application) -> list[dict[str, Any]]:
        items: tuple[CandidateCredential, ...] = self.context["credentials"]
        return shared_credentials_json(items)


def shared_credentials_json(items: Sequence[CandidateCredential]) -> list[dict[str, Any]]:
    """Each credential's part of an application, cached per card version and language like
    the HTML page's cards (employers/card_cache.py), and read in one round trip: an
    applicant-tracking system polls the same application again and again, and serialising
    fifty credentials was most of the answer's time (bench/load.py)."""
    language = get_language() or ""
    keys = [
        "api-shared-credential:"
        + hashlib.sha256(f"{language}:{item.card_version}".encode()).hexdigest()[:32]
        for item in items
    ]
    found = cache.get_many(keys) if keys else {}
    missing = [(key, item) for key, item in zip(keys, items, strict=True) if key not in found]
    if missing:
        fresh = SharedCredentialSerializer([item for _key, item in missing], many=True).data
        serialised = {key: dict(data) for (key, _item), data in zip(missing, fresh, strict=True)}
        cache.set_many(serialised, CARD_SECONDS)
        found.update(serialised)
    return [found[key] for key in keys]


class DecisionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    recorded_by = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "credential",
            "influence",
            "stage",
            "reason_skills",
            "reason_eagerness",
            "reason_fit",
            "reason_other",
            "outcome",
            "note",
            "supersedes",
            "is_current",
            "recorded_at",
            "recorded_by",
            "used_unverified",
            "credential_title",
            "credential_status",
            "credential_format",
            "credential_level",
            "credential_issuer",
            "credential_field",
        ]
        read_only_fields = fields

    def get_recorded_by(self, decision: Decision) -> str:
        return str(decision.recorded_by) if decision.recorded_by else gettext("a former member")

    def get_is_current(self, decision: Decision) -> bool:
        """False once a later record supersedes (corrects) this one."""
        superseded: frozenset[int] = self.context.get("superseded", frozenset())
        return decision.pk not in superseded


class DecisionInput(serializers.Serializer):  # type: ignore[type-arg]
    credential = serializers.IntegerField(
        min_value=1, help_text="Id of a credential shared in this application."
    )
    influence = serializers.ChoiceField(choices=Influence.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    reason_skills = serializers.BooleanField(default=False)
    reason_eagerness = serializers.BooleanField(default=False)
    reason_fit = serializers.BooleanField(default=False)
    reason_other = serializers.CharField(max_length=500, default="", allow_blank=True)
    outcome = serializers.ChoiceField(choices=StageOutcome.choices, default=StageOutcome.UNKNOWN)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, default="", allow_blank=True)
    supersedes = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="To correct a record, the id of the record this one replaces.",
    )
    used_unverified = serializers.BooleanField(
        default=False,
        help_text="Needed (true) to record that a credential the portal has not verified "
        "informed the decision; the record then says so.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A misspelt field ("infuence") would otherwise be dropped without a word.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [gettext("Unknown field.")] for name in unknown}
            )
        return attrs

from django.contrib import admin

from credentials.models import Credential, TrustedIssuer, VerificationRun


class VerificationRunInline(admin.TabularInline):
    model = VerificationRun
    extra = 0
    can_delete = False
    # Runs are append-only history: shown, never edited.
    fields = ("finished_at", "trigger", "attempt", "status", "format", "engine_version")
    readonly_fields = fields
    ordering = ("-finished_at",)

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "status", "format", "level", "created_at", "next_check_at")
    list_filter = ("status", "format")
    search_fields = ("title", "issuer_name", "original_name", "owner__email", "sha256")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    # The verdict comes from the engine and the file from the applicant; an admin edits neither.
    readonly_fields = [field.name for field in Credential._meta.fields]
    inlines = [VerificationRunInline]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer_id", "country", "added_at"]
    list_filter = ["country", "added_at"]
    search_fields = ["name", "issuer_id", "note"]

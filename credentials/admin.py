from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from credentials.models import Credential, TrustedIssuer, TrustedIssuerRegistry, VerificationRun
from credentials.registries.exceptions import RegistryImportError
from credentials.registries.formats import (
    MAX_REGISTRY_BYTES,
    RegistryFormatError,
    detect_format,
    load_registry_json,
)
from credentials.registries.services import import_registry, refresh_registry
from credentials.verification.safe_fetcher import SafeFetcher


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


class TrustedIssuerRegistryForm(forms.ModelForm):
    """A registry, with an optional file to import now (a registry kept from a file)."""

    registry_file = forms.FileField(
        label=gettext_lazy("registry file"),
        required=False,
        help_text=gettext_lazy(
            "A DCC registry.json or an EBSI Trusted Issuers Registry issuers page. Importing "
            "replaces this registry's entries."
        ),
    )

    class Meta:
        model = TrustedIssuerRegistry
        fields = ["name", "format", "url", "governance_url", "enabled"]

    def clean_registry_file(self) -> bytes | None:
        upload = self.cleaned_data.get("registry_file")
        if upload is None:
            return None
        if upload.size > MAX_REGISTRY_BYTES:
            raise forms.ValidationError(_("The file is larger than the portal accepts."))
        data = upload.read()
        try:
            found = detect_format(load_registry_json(data))
        except RegistryFormatError as exc:
            raise forms.ValidationError(
                _("This is not a registry file the portal reads: %(why)s.") % {"why": exc.reason}
            ) from exc
        chosen = self.cleaned_data.get("format")
        if chosen and chosen != found:
            raise forms.ValidationError(
                _("The file is in another format than the one chosen for this registry.")
            )
        return data


class TrustedIssuerInline(admin.TabularInline):
    model = TrustedIssuer
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("issuer_id", "name", "location", "url", "fetched_at")
    readonly_fields = fields
    # A registry's entries are what it publishes: imported, never edited here.
    max_num = 0


@admin.register(TrustedIssuerRegistry)
class TrustedIssuerRegistryAdmin(admin.ModelAdmin):
    form = TrustedIssuerRegistryForm
    list_display = ["name", "format", "enabled", "entry_count", "fetched_at", "last_error"]
    list_filter = ["format", "enabled"]
    search_fields = ["name", "url"]
    readonly_fields = ["fetched_at", "published_at", "entry_count", "last_error", "created_at"]
    actions = ["refresh_from_address"]
    inlines = [TrustedIssuerInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        data = form.cleaned_data.get("registry_file")
        if data:
            try:
                count = import_registry(registry=obj, pages=[data])
            except RegistryImportError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)
            else:
                self.message_user(request, _imported(count, obj.name))

    @admin.action(
        description=gettext_lazy("Fetch the selected registries again from their address")
    )
    def refresh_from_address(self, request, queryset):  # type: ignore[no-untyped-def]
        fetcher = SafeFetcher.from_settings()
        for registry in queryset:
            try:
                count = refresh_registry(registry=registry, fetcher=fetcher)
            except RegistryImportError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)
            else:
                self.message_user(request, _imported(count, registry.name))


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer_id", "registry", "country", "fetched_at"]
    list_filter = ["registry", "country"]
    search_fields = ["name", "legal_name", "issuer_id", "note"]
    list_select_related = ["registry"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.registry_id is not None:
            # Imported from a registry: its record is the registry's, not ours to edit.
            return [f.name for f in TrustedIssuer._meta.fields]
        return ["registry", "fetched_at", "record", "added_at"]


def _imported(count: int, name: str) -> str:
    return ngettext(
        "%(count)d issuer imported into “%(name)s”.",
        "%(count)d issuers imported into “%(name)s”.",
        count,
    ) % {"count": count, "name": name}

"""Site-admin screens for employers, memberships, openings and (read-only) the evidence
records HR staff create."""

from django.contrib import admin

from employers.models import (
    Application,
    Decision,
    Employer,
    Invitation,
    Membership,
    Opening,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "require_mfa", "created_at"]
    list_filter = ["require_mfa", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "role", "created_at"]
    list_filter = ["role", "employer"]
    search_fields = ["user__email", "user__display_name", "employer__name"]
    autocomplete_fields = ["user", "employer"]
    list_select_related = ["user", "employer"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "employer", "role", "created_at", "accepted_at"]
    list_filter = ["role", "accepted_at", "employer"]
    search_fields = ["email", "employer__name"]
    # The token itself is never stored; its hash is useless to show or edit.
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "created_at", "accepted_at"]
    list_select_related = ["employer"]

    def has_add_permission(self, request: object) -> bool:
        return False  # invitations are sent by owners from the employer pages (with the link)


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "is_open", "created_at"]
    list_filter = ["is_open", "employer", "created_at"]
    search_fields = ["title", "description", "skills_sought", "employer__name"]
    autocomplete_fields = ["employer"]
    list_select_related = ["employer"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "employer", "opening", "created_at", "withdrawn_at"]
    list_filter = ["employer", "created_at", "withdrawn_at"]
    search_fields = ["applicant__email", "employer__name", "opening__title"]
    readonly_fields = ["applicant", "employer", "opening", "message", "created_at", "withdrawn_at"]
    list_select_related = ["applicant", "employer", "opening"]

    def has_add_permission(self, request: object) -> bool:
        return False  # applicants apply themselves; admins only look


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decision records are append-only evidence."""

    list_display = ["recorded_at", "employer", "influence", "stage", "outcome", "credential_status"]
    list_filter = ["influence", "stage", "outcome", "credential_status", "employer", "recorded_at"]
    search_fields = ["employer__name", "credential_issuer", "note"]
    list_select_related = ["employer"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

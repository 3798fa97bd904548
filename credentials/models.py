from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.registries.formats import RegistryFormat
from credentials.verification.answers import Answers
from credentials.verification.headline import AnswersView, answers_view
from credentials.vocabulary import STATUS_MEANINGS, CredentialFormat, Status


class Trigger(models.TextChoices):
    UPLOAD = "upload", _("First check after upload")
    RETRY = "retry", _("Retry after the issuer could not be reached")
    RECHECK = "recheck", _("Scheduled re-check")
    MANUAL = "manual", _("Re-check asked for")


class Credential(models.Model):
    """One badge or credential an applicant has added, kept byte for byte.

    The verdict fields (status, format, title, issuer, level…) mirror the latest
    VerificationRun so lists and statistics need no join; the runs are the history.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials"
    )
    sha256 = models.CharField(max_length=64)
    original = models.FileField(upload_to="credentials/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    source_url = models.URLField(_("link"), max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)  # sniffed from the bytes
    size = models.PositiveIntegerField(default=0)

    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    format = models.CharField(
        max_length=20, choices=CredentialFormat, default=CredentialFormat.UNKNOWN
    )
    title = models.CharField(max_length=500, blank=True)
    issuer_name = models.CharField(max_length=500, blank=True)
    issuer_id = models.CharField(max_length=2000, blank=True)
    level = models.CharField(max_length=100, blank=True)  # e.g. "EQF 5"; "" when not stated
    field_of_study = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    record = models.JSONField(default=dict, blank=True)  # CredentialRecord.as_json()
    # The record explained in every language, written with it (credentials.explanation.stored),
    # so pages that list many credentials need not run explain() for each.
    explanations = models.JSONField(default=dict, blank=True)
    # The latest run's four answers (credentials.verification.answers.Answers.as_json()).
    answers = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    first_verified_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # A worker holds the credential until this time while it verifies it, so a task
    # delivered twice runs once; a killed worker's claim simply runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Who holds the claim: "<worker> <task id>". The worker part lets the sweep release the
    # claims of a worker whose heartbeat stopped (killed) within seconds, instead of when
    # claimed_until runs out; the task id lets a retry of the same task take its claim back.
    claimed_by = models.CharField(max_length=255, blank=True)
    # A verification task for this credential was sent and may still wait in the queue until
    # this time, so the sweeps do not send it again every few minutes (credentials.services).
    queued_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            # Uploading the same file twice gives the same credential back.
            models.UniqueConstraint(fields=["owner", "sha256"], name="credential_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="credential_status_known"
            ),
            models.CheckConstraint(
                condition=Q(format__in=CredentialFormat.values), name="credential_format_known"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),  # "My credentials"
            # The re-check sweep (credentials.tasks.recheck_due_credentials_task).
            models.Index(fields=["next_check_at"], name="credential_recheck_due"),
            # Statistics: time from upload to first verification, by upload date.
            models.Index(
                fields=["created_at"],
                condition=Q(first_verified_at__isnull=False),
                name="credential_verified_by_upload",
            ),
            # The stuck-pending sweep re-queues only these rows.
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="credential_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.source_url or f"#{self.pk}"

    @property
    def status_meaning(self) -> str:
        return str(STATUS_MEANINGS[Status(self.status)])

    @property
    def answers_view(self) -> AnswersView:
        """The four answers as chips and a headline, in the active language."""
        return answers_view(
            Answers.from_json(self.answers) if self.answers else None,
            status=self.status,
            meaning=self.status_meaning,
        )

    @property
    def is_being_checked(self) -> bool:
        """A check is queued or running, so the page should keep polling for its result.

        Being due is not enough: a due row waits for the next sweep, minutes away, and a
        page polling it every second would poll for nothing."""
        if self.status == Status.PENDING:
            return True
        now = timezone.now()
        return any(
            until is not None and until > now for until in (self.queued_until, self.claimed_until)
        )

    @property
    def display_name(self) -> str:
        return self.title or self.original_name or self.source_url or str(_("Untitled credential"))


class VerificationRun(models.Model):
    """One run of the engine over a credential. Append-only: never updated in place."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=20, choices=Trigger, default=Trigger.UPLOAD)
    attempt = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status)
    format = models.CharField(max_length=20, choices=CredentialFormat)
    engine_version = models.CharField(max_length=40)
    retryable = models.BooleanField(default=False)
    checks = models.JSONField(default=list)  # [CheckResult.as_json(), …]
    record = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)  # Answers.as_json(), derived from checks + record

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="run_status_known"),
        ]
        indexes = [models.Index(fields=["credential", "-finished_at"])]  # detail page history

    def __str__(self) -> str:
        return f"{self.credential_id} {self.status} @ {self.finished_at:%Y-%m-%d %H:%M}"


class TrustedIssuerRegistry(models.Model):
    """A published registry of trusted issuers the portal imports (DCC registry.json, EBSI
    Trusted Issuers Registry). Its entries are the ``TrustedIssuer`` rows pointing here, in
    the registry's own words; removing the registry removes them. With no ``url`` it was
    imported from a file and changes only when a file is imported again."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    format = models.CharField(_("format"), max_length=20, choices=RegistryFormat)
    url = models.URLField(
        _("address"),
        max_length=2000,
        blank=True,
        help_text=_("The registry's HTTPS address; empty when it is imported from a file."),
    )
    governance_url = models.URLField(
        _("governance page"),
        max_length=2000,
        blank=True,
        help_text=_("Where the registry says what being listed in it means."),
    )
    enabled = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_(
            "Its entries confirm issuers, and it is fetched again every day from its address."
        ),
    )
    fetched_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    published_at = models.DateTimeField(_("published by the registry"), null=True, blank=True)
    entry_count = models.PositiveIntegerField(_("issuers"), default=0)
    last_error = models.TextField(_("last problem"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trusted-issuer registry")
        verbose_name_plural = _("trusted-issuer registries")
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=RegistryFormat.values),
                name="trusted_issuer_registry_format_known",
            ),
            # Fetched through the SSRF-safe fetcher, which speaks HTTPS only.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="https://"),
                name="trusted_issuer_registry_url_https",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrustedIssuer(models.Model):
    """An issuer the portal trusts: kept by hand (no registry) or imported from a registry,
    with that registry's own record of it. Being listed is reported as the `registry`
    check and confirms the issuer's identity; it never changes a credential's status."""

    registry = models.ForeignKey(
        TrustedIssuerRegistry,
        verbose_name=_("registry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entries",
        help_text=_("Empty for issuers the portal's admins keep by hand."),
    )
    issuer_id = models.CharField(_("issuer identifier"), max_length=2000)
    name = models.CharField(_("name"), max_length=500)
    legal_name = models.CharField(_("legal name"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    url = models.URLField(_("web address"), max_length=2000, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)  # ISO 3166-1 alpha-2
    # EBSI: RootTAO / TAO / TI, the accreditation the registry records.
    issuer_type = models.CharField(_("accreditation"), max_length=20, blank=True)
    # The registry's record as published, for the admin and the technical details.
    record = models.JSONField(_("registry record"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trusted issuer")
        verbose_name_plural = _("trusted issuers")
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "issuer_id"], name="trusted_issuer_once_per_registry"
            ),
            models.UniqueConstraint(
                fields=["issuer_id"],
                condition=Q(registry__isnull=True),
                name="trusted_issuer_once_by_hand",
            ),
        ]
        # The registry check looks an issuer up by id on every verification.
        indexes = [models.Index(fields=["issuer_id"], name="trusted_issuer_lookup")]

    def __str__(self) -> str:
        return self.name

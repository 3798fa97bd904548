from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Caps on free text, so no one can store megabytes in a field another person reads. A
# TextField's max_length is not a database limit: the forms and the admin built from these
# fields enforce it, and the API's serializers are to use the same numbers. Each leaves
# room for a full page of text.
MESSAGE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 4000
DESCRIPTION_MAX_LENGTH = 4000
SKILLS_MAX_LENGTH = 2000


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    REVIEWER = "reviewer", _("HR reviewer")
    VIEWER = "viewer", _("Viewer")


class Influence(models.TextChoices):
    USED = "used", _("Informed the decision")
    CONSIDERED_NOT_USED = "considered_not_used", _("Considered, not used")
    NOT_CONSIDERED = "not_considered", _("Not considered")


class Stage(models.TextChoices):
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    PLACEMENT = "placement", _("Placement")
    PROMOTION = "promotion", _("Promotion or internal move")


class StageOutcome(models.TextChoices):
    UNKNOWN = "unknown", _("Not known yet")
    ADVANCED = "advanced", _("Advanced to the next stage")
    NOT_ADVANCED = "not_advanced", _("Did not advance")
    HIRED = "hired", _("Hired or promoted")
    WITHDRAWN = "withdrawn", _("Candidate withdrew")


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    require_mfa = models.BooleanField(
        _("require two-factor authentication for members"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.REVIEWER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "employer"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in (Role.OWNER, Role.REVIEWER)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class Invitation(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.REVIEWER)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 of the token in the link
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.employer_id} ({self.role})"


class Opening(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="openings")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    skills_sought = models.TextField(
        _("skills and levels sought"), max_length=SKILLS_MAX_LENGTH, blank=True
    )
    is_open = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        indexes = [models.Index(fields=["employer", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """An applicant's application to an opening, or a general share with an employer
    (``opening`` empty). The credentials it includes are its SharedCredential rows."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="applications")
    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, null=True, blank=True, related_name="applications"
    )
    message = models.TextField(
        _("message to the employer"), max_length=MESSAGE_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "opening"],
                condition=Q(opening__isnull=False),
                name="application_once_per_opening",
            ),
            models.UniqueConstraint(
                fields=["applicant", "employer"],
                condition=Q(opening__isnull=True),
                name="general_share_once_per_employer",
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "opening", "-created_at"]),  # candidate list
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.opening or self.employer}"


class SharedCredential(models.Model):
    """A credential included in an application. Withdrawing sets ``withdrawn_at``; HR then
    loses access, while decisions already recorded keep their own snapshot."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="shares")
    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.CASCADE, related_name="shares"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    status_at_share = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["shared_at", "pk"]
        verbose_name = _("shared credential")
        verbose_name_plural = _("shared credentials")
        constraints = [
            models.UniqueConstraint(fields=["application", "credential"], name="share_unique"),
        ]
        indexes = [
            models.Index(
                fields=["application"], condition=Q(withdrawn_at__isnull=True), name="share_active"
            ),  # candidate page
            models.Index(fields=["shared_at"]),  # statistics: presented, by date
        ]

    def __str__(self) -> str:
        return f"credential {self.credential_id} in application {self.application_id}"


class Decision(models.Model):
    """Whether a credential informed an HR decision. Append-only: a correction is a new row
    that supersedes the old one. The credential facts are copied in so the evidence (and the
    statistics) survive the applicant withdrawing the share or deleting their account."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="decisions")
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, related_name="decisions"
    )
    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.SET_NULL, null=True, related_name="decisions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    influence = models.CharField(_("did it inform the decision?"), max_length=20, choices=Influence)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage)
    reason_skills = models.BooleanField(_("evidence of skills or ability"), default=False)
    reason_eagerness = models.BooleanField(_("evidence of eagerness to learn"), default=False)
    reason_fit = models.BooleanField(_("fit for this specific posting"), default=False)
    reason_other = models.CharField(_("other reason"), max_length=500, blank=True)
    outcome = models.CharField(
        _("outcome of this stage"),
        max_length=20,
        choices=StageOutcome,
        default=StageOutcome.UNKNOWN,
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    # HR said "informed the decision" about a credential the portal had not verified, and
    # confirmed it when asked: the record says so wherever it is shown.
    used_unverified = models.BooleanField(
        _("used although not verified"), default=False, db_default=False
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Snapshot of the credential when the decision was recorded: what HR keep seeing after
    # the share is withdrawn or the credential or account deleted.
    credential_title = models.CharField(max_length=500, blank=True, db_default="")
    credential_status = models.CharField(max_length=20, blank=True)
    credential_format = models.CharField(max_length=20, blank=True)
    credential_level = models.CharField(max_length=100, blank=True)
    credential_issuer = models.CharField(max_length=500, blank=True)
    credential_field = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__in=Influence.values), name="decision_influence_known"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="decision_stage_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=StageOutcome.values), name="decision_outcome_known"
            ),
        ]
        indexes = [
            models.Index(fields=["application", "-recorded_at"]),  # candidate page history
            models.Index(fields=["employer", "recorded_at"]),  # statistics by month
            models.Index(fields=["recorded_at"]),  # statistics over all employers by date
        ]

    def __str__(self) -> str:
        return f"{self.influence} at {self.stage} ({self.recorded_at:%Y-%m-%d})"

    @property
    def recorded_line(self) -> str:
        """ "Recorded by … on …". Built here rather than with {% blocktranslate %}: the candidate
        page shows one per credential, and the template tag was a fifth of its render time."""
        who = str(self.recorded_by) if self.recorded_by else gettext("a former member")
        when = date_format(timezone.localtime(self.recorded_at), "Y-m-d H:i")
        return gettext("Recorded by %(who)s on %(when)s") % {"who": who, "when": when}


class CandidateView(models.Model):
    """Every time HR opens a candidate page; the applicant can see who looked."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["application", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} viewed {self.application_id} at {self.viewed_at:%Y-%m-%d %H:%M}"

    @property
    def viewer_label(self) -> str:
        """Who looked, as the applicant sees it: the HR person's name if they gave one, never
        their e-mail address (``str(user)`` falls back to it)."""
        name = self.viewer.display_name if self.viewer else ""
        if name:
            return gettext("%(name)s (HR staff at %(employer)s)") % {
                "name": name,
                "employer": self.employer.name,
            }
        return gettext("HR staff at %(employer)s") % {"employer": self.employer.name}


class ApiScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and record decisions")


class ApiToken(models.Model):
    """A bearer token an employer's applicant-tracking system uses for the REST API. Only
    the SHA-256 of the token is kept; the owner sees the token once, when it is created."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("access"), max_length=20, choices=ApiScope, default=ApiScope.READ)
    prefix = models.CharField(max_length=16)  # the token's first characters, to recognise it
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=ApiScope.values), name="api_token_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == ApiScope.READ_WRITE


class AuditKind(models.TextChoices):
    DECISION_RECORDED = "decision_recorded", _("Decision recorded")
    DECISION_CORRECTED = "decision_corrected", _("Decision corrected")
    CANDIDATE_VIEWED = "candidate_viewed", _("Candidate page opened")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Member's role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    MFA_POLICY_CHANGED = "mfa_policy_changed", _("Two-factor rule changed")


class AuditEvent(models.Model):
    """One entry of an employer's audit log, written in the same transaction as what it
    records. Append-only. It names the acting member and, for a candidate, the application
    (never a copy of the applicant's name, so deleting the account leaves no personal data
    here); ``target`` names a member, invitee or token, all the employer's own people."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="audit_events")
    kind = models.CharField(max_length=30, choices=AuditKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)  # e.g. {"from": "viewer", "to": "owner"}
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AuditKind.values), name="audit_event_kind_known"
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "-created_at"]),  # the audit log page
            models.Index(fields=["employer", "kind", "-created_at"]),  # filtered by kind
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.employer_id} ({self.created_at:%Y-%m-%d %H:%M})"

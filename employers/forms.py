from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from credentials.models import Credential
from credentials.vocabulary import Status
from employers.exceptions import CorrectedRecordMissing
from employers.models import (
    MESSAGE_MAX_LENGTH,
    AuditKind,
    Decision,
    Influence,
    Opening,
    Role,
    Stage,
    StageOutcome,
)
from employers.selectors import CANDIDATE_SORTS, CandidateFilters

# Ids posted back by our own pages. Bounded to the database's 64-bit integers: SQLite
# raises OverflowError (a 500) for a larger number in a lookup.
ID_MAX = 2**63 - 1


class SwitchEmployerForm(forms.Form):
    employer = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REVIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MfaPolicyForm(forms.Form):
    require_mfa = forms.BooleanField(
        label=_("Members must use two-factor authentication"), required=False
    )


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = ["title", "description", "skills_sought", "is_open"]


class CandidateFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    issuer = forms.ChoiceField(label=_("Issuer"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("alerts", _("Problems first")),
            ("verified", _("Most verified credentials")),
            ("credentials", _("Most credentials")),
        ],
    )

    def __init__(
        self, *args: object, levels: Iterable[str], issuers: Iterable[str], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        anything = [("", _("Any"))]
        self.fields["status"].choices = anything + list(Status.choices)  # type: ignore[attr-defined]
        self.fields["level"].choices = anything + [(v, v) for v in levels]  # type: ignore[attr-defined]
        self.fields["issuer"].choices = anything + [(v, v) for v in issuers]  # type: ignore[attr-defined]

    def filters(self) -> CandidateFilters:
        if not self.is_valid():
            return CandidateFilters()
        data = self.cleaned_data
        sort = data["sort"] if data["sort"] in CANDIDATE_SORTS else "newest"
        return CandidateFilters(
            status=data["status"], level=data["level"], issuer=data["issuer"], sort=sort
        )


class DecisionForm(forms.ModelForm):
    supersedes = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=ID_MAX
    )

    class Meta:
        model = Decision
        fields = [
            "influence",
            "stage",
            "reason_skills",
            "reason_eagerness",
            "reason_fit",
            "reason_other",
            "outcome",
            "note",
            "used_unverified",
        ]
        widgets = {
            "influence": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def decision_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "supersedes"}
        data["influence"] = Influence(data["influence"])
        data["stage"] = Stage(data["stage"])
        data["outcome"] = StageOutcome(data["outcome"])
        return data

    def superseded_in(self, history: Iterable[Decision]) -> Decision | None:
        """The record this one corrects, looked up in the history the page already loaded."""
        wanted = self.cleaned_data.get("supersedes")
        if not wanted:
            return None
        found = next((d for d in history if d.pk == wanted), None)
        if found is None:
            raise CorrectedRecordMissing
        return found


class CredentialChoiceForm(forms.Form):
    """The applicant picks which of their credentials to include."""

    credentials = forms.ModelMultipleChoiceField(
        label=_("Credentials to include"),
        queryset=Credential.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one credential to share.")},
    )

    def __init__(self, *args: object, credentials: Iterable[Credential], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["credentials"]
        field.queryset = credentials  # type: ignore[attr-defined]
        field.label_from_instance = share_choice_label  # type: ignore[attr-defined]


def share_choice_label(credential: Credential) -> str:
    """One line per credential that tells apart eight uploads of the same course: title,
    issuer and status, then the file name (or link) and the day it was added."""
    added = date_format(timezone.localtime(credential.created_at), "SHORT_DATE_FORMAT")
    source = credential.original_name or credential.source_url
    return _("%(title)s — %(issuer)s (%(status)s) · %(source)s, added %(date)s") % {
        "title": credential.display_name,
        "issuer": credential.issuer_name or _("issuer not stated"),
        "status": credential.get_status_display(),
        "source": source,
        "date": added,
    }


class ApplyForm(CredentialChoiceForm):
    message = forms.CharField(
        label=_("Message to the employer (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters. Invalid values are form errors shown above the log, which
    then lists everything rather than failing."""

    kind = forms.ChoiceField(label=_("What happened"), required=False)
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, actors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *AuditKind.choices]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["actor"].choices = [("", _("Everyone")), *actors]  # type: ignore[attr-defined]  # a ChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

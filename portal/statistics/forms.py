from datetime import date, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Employer

EARLIEST = date(2000, 1, 1)


class StatisticsFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"), queryset=Employer.objects.none(), required=False
    )

    def __init__(
        self, *args: object, employers: QuerySet[Employer], allow_all: bool, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # plain Form arguments
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 — narrows the type
        field.queryset = employers
        field.empty_label = _("All employers") if allow_all else None

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        # Bounded so month arithmetic on the dates can never overflow (year 1 or 9999).
        earliest, latest = EARLIEST, timezone.localdate() + timedelta(days=366)
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, date) and not earliest <= value <= latest:
                self.add_error(
                    name,
                    _("Choose a date between %(earliest)s and %(latest)s.")
                    % {"earliest": earliest.isoformat(), "latest": latest.isoformat()},
                )
                cleaned.pop(name, None)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

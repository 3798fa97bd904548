from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

# What the file picker offers first; the server decides from the bytes, not from this.
ACCEPT = ".png,.svg,.json,.jws,.jwt,.txt,image/png,image/svg+xml,application/json"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT}))
        super().__init__(**kwargs)  # type: ignore[arg-type]  # FileField takes **kwargs

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        if not items:
            # FileField.clean only sees the items, so with none it never says "required".
            items = [None]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(forms.Form):
    # Empty files pass here so the service can name the file in its message.
    badges = MultipleFileField(label=_("Badge files"), allow_empty_file=True)

    @classmethod
    def refused(cls, messages: list[str]) -> UploadForm:
        """The form showing why an upload was refused before its files could be read."""
        form = cls(data={}, files=MultiValueDict())
        form.errors["badges"] = form.error_class(messages)
        return form


class LinkForm(forms.Form):
    url = forms.CharField(
        label=_("Link to a badge"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )

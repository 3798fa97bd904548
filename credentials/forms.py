from django import forms
from django.core.files.uploadedfile import UploadedFile
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
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(forms.Form):
    # Empty files pass here so the service can name the file in its message.
    badges = MultipleFileField(label=_("Badge files"), allow_empty_file=True)


class LinkForm(forms.Form):
    url = forms.CharField(
        label=_("Link to a badge"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )

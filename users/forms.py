from django import forms

from users.models import User


class ProfileForm(forms.ModelForm):
    """The applicant's name as employers see it. All optional: an applicant who gives none
    is shown to HR as a numbered applicant, never by their e-mail address."""

    class Meta:
        model = User
        fields = ["family_name", "given_name", "family_name_reading", "given_name_reading"]
        widgets = {
            "family_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "given_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
        }

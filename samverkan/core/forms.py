"""Form bases: every choice of a related record is limited to what the user may see in the
municipality being worked on, so a form can never link across the tenant boundary."""
from django import forms

from .models import ScopedModel
from .personal_data import FREE_TEXT_HELP, no_personal_identity_number
from .uploads import upload_validator


class ScopedModelForm(forms.ModelForm):
    def __init__(self, *args, user=None, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.municipality = municipality
        if municipality is not None and isinstance(self.instance, ScopedModel) \
                and not self.instance.municipality_id:
            self.instance.municipality = municipality
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not issubclass(queryset.model, ScopedModel):
                continue
            queryset = queryset.visible_to(user) if user is not None else queryset.none()
            if municipality is not None:
                queryset = queryset.filter(municipality=municipality)
            field.queryset = queryset
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.help_text = f"{field.help_text} {FREE_TEXT_HELP}".strip()
        for name in ("restricted_to",):
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple()
                self.fields[name].queryset = self.fields[name].queryset.order_by("name")

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(value, str) and isinstance(field, forms.CharField):
                try:
                    no_personal_identity_number(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def service_data(self) -> dict:
        """The cleaned values to hand to a service."""
        return dict(self.cleaned_data)


class UploadForm(forms.Form):
    file = forms.FileField(validators=[upload_validator()])

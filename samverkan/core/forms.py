"""Form bases: every choice of a related record is limited to what the user may see in the
municipality being worked on, so a form can never link across the tenant boundary."""
import functools

from django import forms

from .models import ScopedModel
from .personal_data import FREE_TEXT_HELP, no_personal_identity_number
from .uploads import upload_validator


def limit_choices(form, user, municipality=None) -> None:
    """The one rule for related choices in forms: every choice of a scoped record (single or
    multiple) is limited to what `user` may read (`visible_to`, with its parents), in
    `municipality` when given. Forms call it at the end of `__init__`, after setting their own
    querysets (which it narrows, never widens)."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            field.queryset = scoped_choices(queryset, user, municipality)


def scoped_choices(queryset, user, municipality=None):
    """The related records `user` may choose (forms and filters alike): a queryset of scoped
    records narrowed to what they may read (`visible_to`, with its parents), in `municipality`
    when given; other querysets as they are."""
    if not issubclass(queryset.model, ScopedModel):
        return queryset
    if user is not None and getattr(queryset, "_reader", None) is user:
        return queryset  # already limited for this reader
    queryset = queryset.visible_to(user) if user is not None else queryset.none()
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return queryset


class _LimitChoicesAfterInit:
    """Runs `limit_choices` once, after the outermost `__init__` of the form has set its own
    querysets, so no subclass can offer a record its user may not read."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def wrapped(self, *args, **kw):
            self._init_depth = getattr(self, "_init_depth", 0) + 1
            try:
                init(self, *args, **kw)
            finally:
                self._init_depth -= 1
            if self._init_depth == 0:
                limit_choices(self, getattr(self, "user", None),
                              getattr(self, "municipality", None))

        cls.__init__ = wrapped


class ScopedForm(_LimitChoicesAfterInit, forms.Form):
    """A plain form whose related choices follow the access rule (`limit_choices`)."""

    def __init__(self, *args, user=None, municipality=None, **kwargs):
        self.user = user
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        limit_choices(self, user, municipality)


class ScopedModelForm(_LimitChoicesAfterInit, forms.ModelForm):
    def __init__(self, *args, user=None, municipality=None, **kwargs):
        self.user = user
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        # Limited now for subclasses that build on the choices, and again after their own
        # `__init__` (_LimitChoicesAfterInit) for choices they set themselves.
        limit_choices(self, user, municipality)
        if municipality is not None and isinstance(self.instance, ScopedModel) \
                and not self.instance.municipality_id:
            self.instance.municipality = municipality
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

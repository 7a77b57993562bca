"""Form bases: every choice of a related record is limited to what the user may see in the
municipality being worked on, so a form can never link across the tenant boundary."""
import contextlib
import functools

from django import forms
from django.db import transaction

from . import access, versioning
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
                self.limit_choices()

        cls.__init__ = wrapped

    def limit_choices(self) -> None:
        limit_choices(self, getattr(self, "user", None), getattr(self, "municipality", None))


class ScopedForm(_LimitChoicesAfterInit, forms.Form):
    """A plain form whose related choices follow the access rule (`limit_choices`)."""

    def __init__(self, *args, user=None, municipality=None, **kwargs):
        self.user = user
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        limit_choices(self, user, municipality)


class PublicForm(_LimitChoicesAfterInit, forms.Form):
    """A form for anyone, without logging in (a resident's fault report): its choices of
    scoped records offer only public records under public records (`access.filter_public`),
    in `municipality` when given."""

    def __init__(self, *args, municipality=None, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)

    def limit_choices(self) -> None:
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, ScopedModel):
                queryset = access.filter_public(queryset)
                if self.municipality is not None:
                    queryset = queryset.filter(municipality=self.municipality)
                field.queryset = queryset


class VersionedFormMixin:
    """Optimistic locking for a form that edits a stored record (`samverkan.core.versioning`):
    a hidden field `_version` carries the version the record had when the form was opened.
    When the record changed since, `clean` refuses the save with a message that says, field
    by field, what changed and who changed it; the user's input stays in the form, and the
    form now carries the new version, so a second save keeps the user's values on purpose.
    Model forms get it for their instance; a plain form that edits a record passes it as
    `versioned=record`. `submitted_version` is what the form was opened at (for the view's
    locked check in the write's transaction, `ScopedUpdateView`)."""

    def setup_version(self, record, related=None) -> None:
        """`related`: for a form that also edits records related to `record` (an activity's
        contributions), a function of the record giving them as a queryset narrowed to what
        the form's user may read; their versions become part of the form's version, so a
        change made meanwhile to one of them refuses the save too, and one the user may not
        read neither shows in the version nor makes a save stale."""
        self.versioned_record = record
        self.versioned_related = related
        self.submitted_version = ""
        if record is None or record.pk is None:
            return
        self.current_version = versioning.record_version(record)
        if related is not None:
            self.current_version = versioning.compose(self.current_version,
                                                      list(related(record)))
        self.fields[versioning.FIELD_NAME] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=self.current_version,
            max_length=8000)

    def _clean_form(self):
        super()._clean_form()
        self.check_version()

    def check_version(self) -> None:
        if versioning.FIELD_NAME not in self.fields or self.cleaned_data is None:
            return
        posted = (self.cleaned_data.pop(versioning.FIELD_NAME, "") or "").strip()
        self.submitted_version = posted
        if not posted or posted == self.current_version:
            return
        record = self.versioned_record
        related = None
        if self.versioned_related is not None:
            related = {versioning.related_key(o): o for o in self.versioned_related(record)}
        error = versioning.stale_error(record, posted, versioning.state_of(record),
                                       self.current_version, related=related)
        self.add_error(None, error)
        self.take_version(self.current_version)

    def check_version_locked(self, record=None) -> None:
        """The check again, with the row (and the related rows) locked: call it inside the
        write's transaction. A StaleVersion is a ValidationError (`add_validation_error`
        shows it)."""
        record = record if record is not None else getattr(self, "versioned_record", None)
        if self.submitted_version and record is not None and record.pk is not None:
            versioning.check(record, self.submitted_version,
                             related=getattr(self, "versioned_related", None))

    @contextlib.contextmanager
    def locked_version(self):
        """For views that call their service themselves: `with form.locked_version():
        service(...)` checks the version again with the row locked, in the write's
        transaction (a StaleVersion is a ValidationError: `add_validation_error` shows it)."""
        with transaction.atomic():
            self.check_version_locked()
            yield

    def take_version(self, version: str) -> None:
        """Carry `version` from now on (after a refusal: the next save is deliberate)."""
        self.submitted_version = version
        if self.is_bound:
            data = self.data.copy()
            data[self.add_prefix(versioning.FIELD_NAME)] = version
            self.data = data


class ScopedModelForm(VersionedFormMixin, _LimitChoicesAfterInit, forms.ModelForm):
    def __init__(self, *args, user=None, municipality=None, **kwargs):
        self.user = user
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        self.setup_version(self.instance if self.instance.pk is not None else None)
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

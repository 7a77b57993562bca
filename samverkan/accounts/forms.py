from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import VersionedFormMixin

from .choices import TokenScope


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your "
                    "recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}))

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. 'Power BI report'."))
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices,
                              initial=TokenScope.READ)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365,
                              initial=90)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"))
    title = forms.CharField(label=_("Title"), max_length=150, required=False,
                            help_text=_("E.g. kommunpolis, brottsförebyggande samordnare."))

    def __init__(self, *args, organizations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["role"].choices = roles


class MembershipForm(VersionedFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    active = forms.BooleanField(label=_("Active"), required=False,
                                help_text=_("Untick to take away the access this membership "
                                            "gives; the history stays."))

    def __init__(self, *args, roles, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.setup_version(versioned)  # the stored membership: a stale form is refused


class SignupForm(forms.Form):
    """A new account from an invitation; the password follows Django's validators."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                                strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput,
                                strip=False)

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("That username is taken; choose another."))
        return name

    def clean(self):
        from django.contrib.auth import get_user_model, password_validation

        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = get_user_model()(username=cleaned.get("username", ""), email=self.email,
                                    first_name=cleaned.get("first_name", ""),
                                    last_name=cleaned.get("last_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

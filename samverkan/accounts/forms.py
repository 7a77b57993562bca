from django import forms
from django.utils.translation import gettext_lazy as _

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

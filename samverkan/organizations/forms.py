from samverkan.core.forms import ScopedModelForm

from .models import Organization


class OrganizationForm(ScopedModelForm):
    class Meta:
        model = Organization
        fields = ["name", "abbreviation", "kind", "parent", "police_area", "aliases", "email",
                  "confidentiality", "restricted_to"]

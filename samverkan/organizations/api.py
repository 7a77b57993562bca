from rest_framework import serializers, viewsets

from samverkan.core.api import MunicipalityField, ScopedSerializer, ScopedViewSet

from . import services
from .filters import OrganizationFilterSet
from .models import Municipality, Organization


class MunicipalitySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "county", "population", "population_year"]


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """All 290 municipalities (reference data)."""

    queryset = Municipality.objects.select_related("county")
    serializer_class = MunicipalitySerializer
    lookup_field = "code"


class OrganizationSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Organization
        fields = ["id", "municipality", "name", "abbreviation", "kind", "parent", "police_area",
                  "aliases", "email", "confidentiality", "restricted_to"]


class OrganizationViewSet(ScopedViewSet):
    model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet

    def create_object(self, data, municipality):
        return services.create_organization(actor=self.request.user, municipality=municipality,
                                            **data)

    def update_object(self, instance, data):
        return services.update_organization(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_organization(instance, actor=self.request.user)

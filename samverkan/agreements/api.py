"""REST API of agreements and what they hold: the same access rules and services as the pages.

Agreements take a writable municipality code on create. Their parties are listed read-only on
the agreement (`parties`) and written through their own endpoint, `/api/v1/parties/`. Records
inside an agreement name their parent (`agreement`, `forum` or `focus_area`) on create; the
parent cannot change afterwards (it is ignored on update)."""
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from samverkan.core.api import MunicipalityField, ScopedSerializer, ScopedViewSet

from . import filters, services
from .models import (
    Agreement,
    Commitment,
    DataSource,
    Definition,
    FocusArea,
    FollowUpEntry,
    Forum,
    ForumMember,
    Party,
    Practice,
    PriorityArea,
    Signatory,
    SubGoal,
)

SCOPE_FIELDS = ["municipality", "confidentiality", "restricted_to"]


class PartySummarySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "organization", "organization_name", "role"]
        read_only_fields = fields


class AgreementSerializer(ScopedSerializer):
    municipality = MunicipalityField()
    parties = serializers.SerializerMethodField(
        help_text="The parties, read-only here; write them through /api/v1/parties/.")

    class Meta:
        model = Agreement
        fields = ["id", "municipality", "title", "start_date", "end_date", "status",
                  "council_decision_date", "signed_date", "executive_board_decision_date",
                  "police_decision_date", "communications_lead",
                  "situation_picture_interval_months", "situation_picture_interval_source",
                  "background", "purpose",
                  "overall_goal", "communication_strategy", "commitments_intro",
                  "followup_text",
                  "evaluation_year", "confidentiality", "restricted_to", "parties"]

    @extend_schema_field(PartySummarySerializer(many=True))
    def get_parties(self, obj):
        request = self.context.get("request")
        parties = Party.objects.visible_to(getattr(request, "user", None)).filter(
            agreement=obj).select_related("organization")
        return PartySummarySerializer(parties, many=True).data


def child_serializer(model, parent: str, fields: list[str]):
    meta = type("Meta", (), {"model": model, "fields": ["id", parent, *fields, *SCOPE_FIELDS]})
    return type(f"{model.__name__}Serializer", (ScopedSerializer,), {"Meta": meta})


PartySerializer = child_serializer(Party, "agreement", ["organization", "role"])
SignatorySerializer = child_serializer(Signatory, "agreement",
                                       ["name", "title", "organization", "signed_on"])
PriorityAreaSerializer = child_serializer(PriorityArea, "agreement", ["name", "description"])
DataSourceSerializer = child_serializer(DataSource, "agreement",
                                       ["name", "used", "organization", "note"])
FollowUpEntrySerializer = child_serializer(
    FollowUpEntry, "agreement", ["text", "kind", "times_per_year", "forum", "year"])
FocusAreaSerializer = child_serializer(
    FocusArea, "agreement", ["number", "title", "track", "strategy", "problem_description",
                             "goal", "priority_criteria", "cause_analysis"])
SubGoalSerializer = child_serializer(SubGoal, "focus_area", ["number", "text"])
ForumSerializer = child_serializer(
    Forum, "agreement", ["name", "abbreviation", "kind", "cadence_text", "meetings_per_year",
                         "mandate"])
ForumMemberSerializer = child_serializer(ForumMember, "forum",
                                         ["name", "function", "organization", "role"])
CommitmentSerializer = child_serializer(Commitment, "agreement",
                                        ["number", "text", "explanation"])
DefinitionSerializer = child_serializer(Definition, "agreement",
                                        ["number", "term", "text", "focus_area", "source"])
PracticeSerializer = child_serializer(
    Practice, "agreement", ["number", "title", "responsible_text", "text", "focus_area",
                            "source"])


class AgreementViewSet(ScopedViewSet):
    """Cooperation agreements of the user's municipalities."""

    model = Agreement
    serializer_class = AgreementSerializer
    filterset_class = filters.AgreementFilterSet

    def create_object(self, data, municipality):
        return services.create_agreement(actor=self.request.user, municipality=municipality,
                                         **data)

    def update_object(self, instance, data):
        return services.update_agreement(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_agreement(instance, actor=self.request.user)


class ChildViewSet(ScopedViewSet):
    """A record inside an agreement, written through its domain services."""

    create_service = None
    update_service = None
    delete_service = None

    def create_object(self, data, municipality):
        return type(self).create_service(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return type(self).update_service(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        type(self).delete_service(instance, actor=self.request.user)


def child_viewset(model, serializer, filterset, parent, create, update, delete, doc):
    viewset = type(f"{model.__name__}ViewSet", (ChildViewSet,), {
        "__doc__": doc, "model": model, "serializer_class": serializer,
        "filterset_class": filterset, "parent_field": parent,
        "create_service": staticmethod(create), "update_service": staticmethod(update),
        "delete_service": staticmethod(delete)})
    return extend_schema_view(create=extend_schema(
        description=f"{doc} The municipality is the parent's ({parent}).",))(viewset)


PartyViewSet = child_viewset(
    Party, PartySerializer, filters.PartyFilterSet, "agreement", services.add_party,
    services.update_party, services.remove_party,
    "Parties of agreements: organisations of the agreement's municipality with their role.")
SignatoryViewSet = child_viewset(
    Signatory, SignatorySerializer, filters.SignatoryFilterSet, "agreement",
    services.add_signatory, services.update_signatory, services.remove_signatory,
    "The people who signed an agreement, with title, organisation and date.")
PriorityAreaViewSet = child_viewset(
    PriorityArea, PriorityAreaSerializer, filters.PriorityAreaFilterSet, "agreement",
    services.add_priority_area, services.update_priority_area, services.remove_priority_area,
    "Geographic areas an agreement gives priority to.")
DataSourceViewSet = child_viewset(
    DataSource, DataSourceSerializer, filters.DataSourceFilterSet, "agreement",
    services.add_data_source, services.update_data_source, services.remove_data_source,
    "Data sources (underlag) of an agreement's situation picture, used or left out.")
FollowUpEntryViewSet = child_viewset(
    FollowUpEntry, FollowUpEntrySerializer, filters.FollowUpEntryFilterSet, "agreement",
    services.add_followup_entry, services.update_followup_entry,
    services.remove_followup_entry, "Entries of an agreement's follow-up plan.")
FocusAreaViewSet = child_viewset(
    FocusArea, FocusAreaSerializer, filters.FocusAreaFilterSet, "agreement",
    services.create_focus_area, services.update_focus_area, services.delete_focus_area,
    "Focus areas of agreements; without a number a new one gets the next free number.")
SubGoalViewSet = child_viewset(
    SubGoal, SubGoalSerializer, filters.SubGoalFilterSet, "focus_area",
    services.add_sub_goal, services.update_sub_goal, services.remove_sub_goal,
    "Sub-goals of focus areas.")
ForumViewSet = child_viewset(
    Forum, ForumSerializer, filters.ForumFilterSet, "agreement", services.create_forum,
    services.update_forum, services.delete_forum,
    "Forums of the collaboration's organisation: councils, steering and working groups.")
ForumMemberViewSet = child_viewset(
    ForumMember, ForumMemberSerializer, filters.ForumMemberFilterSet, "forum",
    services.add_forum_member, services.update_forum_member, services.remove_forum_member,
    "Members of forums: a function and/or a name, with organisation and role.")
CommitmentViewSet = child_viewset(
    Commitment, CommitmentSerializer, filters.CommitmentFilterSet, "agreement",
    services.add_commitment, services.update_commitment, services.remove_commitment,
    "The parties' joint commitments in an agreement (gemensamma åtaganden), with their "
    "explanation; without a number a new one gets the next free number.")
DefinitionViewSet = child_viewset(
    Definition, DefinitionSerializer, filters.DefinitionFilterSet, "agreement",
    services.add_definition, services.update_definition, services.remove_definition,
    "Terms an agreement's work defines (begrepp), word for word with their source; "
    "optionally tied to a focus area of the same agreement.")
PracticeViewSet = child_viewset(
    Practice, PracticeSerializer, filters.PracticeFilterSet, "agreement",
    services.add_practice, services.update_practice, services.remove_practice,
    "Working methods and routines the parties follow (arbetssätt och rutiner), described "
    "word for word with who carries them out and the source; optionally tied to a focus "
    "area of the same agreement.")

"""The SSPF/SIG API: the same rules and services as the pages.

Programmes and their figures follow the common rules. Every case endpoint requires a login
confirmed with two-step verification (a session, or a token made after such a login:
samverkan.accounts), shows only the cases of which the caller is a named participant, and
records every case it returns in the audit log with the purpose given in the `purpose` query
parameter (required for a single case)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from samverkan.accounts.otp import HasVerifiedSecondFactor
from samverkan.core.api import (
    MunicipalityField,
    ScopedSerializer,
    ScopedViewSet,
    VersionedUpdateMixin,
    VisiblePrimaryKeyRelatedField,
)
from samverkan.organizations.models import Organization
from samverkan.plans.models import Activity
from samverkan.situation.models import Area

from . import figures as figures_module
from . import services
from .choices import Agency, ReadPurpose
from .models import AgreedAction, Case, CaseMember, Consent, Programme, TeamMeeting


class ProgrammeSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Programme
        fields = ["id", "municipality", "name", "description", "areas",
                  "target_broken_loose", "period_start", "period_end", "retention_months",
                  "suppression_threshold", "indicator", "confidentiality", "restricted_to"]


class ProgrammeViewSet(ScopedViewSet):
    """SSPF/SIG programmes: no personal data; the collaboration reads them and their figures."""

    model = Programme
    serializer_class = ProgrammeSerializer

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[OpenApiParameter(
        "period", str, enum=["year", "tertial"], required=False)])
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        """Inflow, outflow, outcomes and the number broken loose: counts only, small groups
        suppressed (`count` null, `suppressed` true)."""
        granularity = "tertial" if request.query_params.get("period") == "tertial" else "year"
        return Response(figures_module.as_dict(
            figures_module.build(self.get_object(), granularity=granularity)))


def _service_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        raise ValidationError(detail) from exc


class CaseSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = VisiblePrimaryKeyRelatedField(queryset=Programme.objects.all())
    owning_unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False,
                                              allow_null=True)
    person_name = serializers.CharField(max_length=200)
    personal_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "municipality", "programme", "owning_unit", "person_name",
                  "personal_number", "birth_year", "sex", "age_group", "area",
                  "guardian_count", "status", "started_on", "closed_on",
                  "left_criminal_environment", "in_education_or_work",
                  "new_suspicion_12_months", "is_example"]
        read_only_fields = ["status", "closed_on", "age_group", "is_example"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in ("programme", "owning_unit"):
                fields[name].read_only = True
        return fields


PURPOSE = OpenApiParameter("purpose", str, enum=[c for c, _l in ReadPurpose.choices],
                           required=False, description="Why the case is read (audited).")


class CaseViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Cases of which the caller is a named participant. Every case returned is a read in the
    audit log; a single case needs `?purpose=`."""

    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated, HasVerifiedSecondFactor]
    http_method_names = ["get", "post", "patch", "head", "options"]
    model = Case

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related("programme")

    def _purpose(self, default=None):
        purpose = self.request.query_params.get("purpose") or default
        if purpose not in ReadPurpose.values:
            raise ValidationError({"purpose": [_("Say why you read the case (purpose).")]})
        return purpose

    @extend_schema(parameters=[PURPOSE])
    def list(self, request, *args, **kwargs):
        purpose = self._purpose("overview")
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data)
        cases = Case.objects.filter(pk__in=[row["id"] for row in rows])
        services.record_reads(cases, actor=request.user, purpose=purpose, channel="api")
        return response

    @extend_schema(parameters=[PURPOSE])
    def retrieve(self, request, *args, **kwargs):
        purpose = self._purpose()
        case = self.get_object()
        services.record_read(case, actor=request.user, purpose=purpose, channel="api")
        return Response(self.get_serializer(case).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _service_call(services.create_case, actor=self.request.user,
                                            **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        case = serializer.instance
        changes = {k: v for k, v in data.items() if getattr(case, k, None) != v}
        serializer.instance = _service_call(services.update_case, case,
                                            actor=self.request.user, **changes)

    @extend_schema(request=serializers.Serializer, responses={200: CaseSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Find a person's cases by personal identity number (in the body, never the URL)."""
        value = str(request.data.get("personal_number", ""))
        cases = list(_service_call(services.find_by_personal_number, request.user, value))
        services.record_reads(cases, actor=request.user, purpose="search", channel="api")
        return Response(self.get_serializer(cases, many=True).data)

    @extend_schema(request=serializers.Serializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the case with its outcome (`closed_on`, `left_criminal_environment`,
        `in_education_or_work`)."""
        case = self.get_object()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _service_call(services.close_case, case, actor=request.user, **body.validated_data)
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False)
    left_criminal_environment = serializers.BooleanField(allow_null=True, required=False,
                                                         default=None)
    in_education_or_work = serializers.BooleanField(allow_null=True, required=False,
                                                    default=None)


class _CaseChildViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, HasVerifiedSecondFactor]
    model = None
    case_lookup = "case"

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        case = self.request.query_params.get("case")
        if case:
            if not case.isdigit():
                raise ValidationError({"case": [_("Give the case's id.")]})
            qs = qs.filter(**{self.case_lookup: case})
        return qs

    def _audit(self, rows, purpose="handling"):
        case_ids = {getattr(obj, f"{self.case_lookup.replace('__', '_')}_id", None)
                    for obj in rows} if self.case_lookup == "case" else {
            obj.meeting.case_id for obj in rows}
        for case in Case.objects.filter(pk__in=case_ids - {None}):
            services.record_read(case, actor=self.request.user, purpose=purpose,
                                 channel="api", detail=self.model._meta.model_name)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self._audit(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self._audit([obj])
        return Response(self.get_serializer(obj).data)


class CaseMemberSerializer(serializers.ModelSerializer):
    case = VisiblePrimaryKeyRelatedField(queryset=Case.objects.all())

    class Meta:
        model = CaseMember
        fields = ["id", "case", "user", "organization", "agency", "role", "note",
                  "joined_on", "left_on", "access_until"]
        read_only_fields = ["joined_on", "left_on", "access_until"]


class CaseMemberViewSet(_CaseChildViewSet):
    """A case's named participants; `access_until` is the last day a member of another agency
    may read the case under the consents."""

    model = CaseMember
    serializer_class = CaseMemberSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = data.pop("case")
        serializer.instance = _service_call(services.add_member, case,
                                            actor=self.request.user, **data)

    @extend_schema(request=None, responses={200: CaseMemberSerializer})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        member = self.get_object()
        _service_call(services.remove_member, member, actor=request.user)
        member.refresh_from_db()
        return Response(self.get_serializer(member).data)


class ConsentSerializer(serializers.ModelSerializer):
    case = VisiblePrimaryKeyRelatedField(queryset=Case.objects.all())
    agencies = serializers.ListField(child=serializers.ChoiceField(choices=Agency.choices))
    giver_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    document = serializers.FileField(write_only=True, required=False)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = ["id", "case", "given_by", "giver_name", "given_on", "method", "agencies",
                  "ends_on", "note", "document", "has_document", "withdrawn_at"]
        read_only_fields = ["withdrawn_at"]

    def get_has_document(self, obj) -> bool:
        return bool(obj.document_path)


class ConsentViewSet(_CaseChildViewSet):
    """Consents: one person's each. A signed form is sent as multipart (`document`); consent
    given in a meeting names the meeting in `note`. Withdraw with POST .../withdraw/."""

    model = Consent
    serializer_class = ConsentSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = data.pop("case")
        serializer.instance = _service_call(services.record_consent, case,
                                            actor=self.request.user, **data)

    @extend_schema(request=None, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        _service_call(services.withdraw_consent, consent, actor=request.user)
        consent.refresh_from_db()
        return Response(self.get_serializer(consent).data)


class TeamMeetingSerializer(serializers.ModelSerializer):
    case = VisiblePrimaryKeyRelatedField(queryset=Case.objects.all())
    notes = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = TeamMeeting
        fields = ["id", "case", "held_on", "notes"]


class TeamMeetingViewSet(_CaseChildViewSet):
    model = TeamMeeting
    serializer_class = TeamMeetingSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = data.pop("case")
        serializer.instance = _service_call(services.add_meeting, case,
                                            actor=self.request.user, **data)


class AgreedActionSerializer(serializers.ModelSerializer):
    meeting = VisiblePrimaryKeyRelatedField(queryset=TeamMeeting.objects.all())
    activity = VisiblePrimaryKeyRelatedField(queryset=Activity.objects.all(), required=False,
                                             allow_null=True)
    description = serializers.CharField()

    class Meta:
        model = AgreedAction
        fields = ["id", "meeting", "agency", "description", "deadline", "done_on", "activity"]
        read_only_fields = ["done_on"]


class AgreedActionViewSet(_CaseChildViewSet):
    model = AgreedAction
    serializer_class = AgreedActionSerializer
    case_lookup = "meeting__case"

    def get_queryset(self):
        return super().get_queryset().select_related("meeting")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        serializer.instance = _service_call(services.add_action, meeting,
                                            actor=self.request.user, **data)

    @extend_schema(request=None, responses={200: AgreedActionSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        obj = self.get_object()
        _service_call(services.mark_action_done, obj, actor=request.user)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)

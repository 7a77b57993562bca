"""Pages of the agreement: list, overview, focus area, forum, and small forms for everything
an agreement holds. Reads go through `visible_to`, writes through `services`."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.audit.models import AuditEntry
from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    safe_next,
)

from . import hooks, services
from .choices import ForumMemberRole, PriorityCriterion
from .filters import AgreementFilterSet
from .forms import (
    AgreementForm,
    CommitmentForm,
    DataSourceForm,
    DefinitionForm,
    FocusAreaForm,
    FollowUpEntryForm,
    ForumForm,
    ForumMemberForm,
    PartyForm,
    PracticeForm,
    PriorityAreaForm,
    SignatoryForm,
    SubGoalForm,
)
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

CHILD_MODELS = (Party, Signatory, PriorityArea, DataSource, FollowUpEntry, FocusArea, Forum,
                Commitment, Definition, Practice)


@login_required
def home(request):
    """The start page: the current municipality's agreements (this app owns the start page;
    core's navigation names it "home")."""
    municipality = current_municipality(request)
    if municipality is None:
        return render(request, "core/no_municipality.html", status=200)
    agreements = Agreement.objects.visible_to(request.user).filter(municipality=municipality)
    return render(request, "agreements/home.html", {
        "municipality": municipality,
        "agreements": agreements,
        "role": access.role_in(request.user, municipality),
    })


def _safe_next(request) -> str | None:
    return safe_next(request) or None


def agreement_history(agreement: Agreement, user, limit: int = 50):
    """Audit entries of the agreement and of everything it holds, newest first (also of
    records deleted since), without those of restricted records the user may not read."""
    from django.contrib.contenttypes.models import ContentType

    cts = ContentType.objects.get_for_models(Agreement, *CHILD_MODELS, ForumMember, SubGoal)
    child_cts = [cts[m].pk for m in CHILD_MODELS]
    forum_ids = list(Forum.objects.filter(agreement=agreement).values_list("pk", flat=True))
    focus_ids = list(FocusArea.objects.filter(agreement=agreement).values_list("pk", flat=True))
    condition = Q(content_type=cts[Agreement], object_id=str(agreement.pk))
    for side in ("before", "after"):
        condition |= Q(content_type__in=child_cts, **{f"changes__{side}__agreement_id":
                                                       agreement.pk})
        if forum_ids:
            condition |= Q(content_type=cts[ForumMember],
                           **{f"changes__{side}__forum_id__in": forum_ids})
        if focus_ids:
            condition |= Q(content_type=cts[SubGoal],
                           **{f"changes__{side}__focus_area_id__in": focus_ids})
    entries = list(access.filter_audit(AuditEntry.objects.filter(condition), user)
                   .select_related("content_type")[:limit])
    for entry in entries:
        model = entry.content_type.model_class()
        entry.kind = model._meta.verbose_name if model else entry.content_type.model
    return entries


# -- agreement ----------------------------------------------------------------------------------

class AgreementListView(ScopedListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    template_name = "agreements/agreement_list.html"

    def get_queryset(self):
        return super().get_queryset().annotate(
            focus_area_count=Count("focus_areas", distinct=True)).order_by("-start_date", "title")


class AgreementDetailView(ScopedDetailView):
    """The overview of an agreement: the heart of the product."""

    model = Agreement
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        agreement = self.object

        def visible(model):
            return model.objects.visible_to(user).filter(agreement=agreement)

        focus_areas = list(visible(FocusArea).prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.visible_to(user))))
        forums = list(visible(Forum).prefetch_related(Prefetch(
            "members", queryset=ForumMember.objects.visible_to(user).select_related(
                "organization"))))
        for forum in forums:
            members = list(forum.members.all())
            forum.chairs = [m for m in members if m.role == ForumMemberRole.CHAIR]
            forum.conveners = [m for m in members if m.role == ForumMemberRole.CONVENER]
            forum.member_count = len(members)
        data_sources = list(visible(DataSource))
        ctx.update({
            "agreement": agreement,
            "parties": visible(Party).select_related("organization"),
            "signatories": visible(Signatory).select_related("organization"),
            "priority_areas": visible(PriorityArea),
            "sources_used": [s for s in data_sources if s.used],
            "sources_left_out": [s for s in data_sources if not s.used],
            "followup_entries": visible(FollowUpEntry).select_related("forum"),
            "commitments": visible(Commitment),
            "definitions": visible(Definition).select_related("focus_area"),
            "practices": visible(Practice).select_related("focus_area"),
            "forums": forums,
            "focus_areas": focus_areas,
            "sub_goal_total": sum(len(fa.sub_goals.all()) for fa in focus_areas),
        })
        # The action plan's counts per focus area (samverkan.plans fills this in).
        hooks.extend_context("agreement", ctx, agreement, user)
        if access.has_role(user, agreement.municipality_id, Role.COORDINATOR):
            ctx["history"] = agreement_history(agreement, self.request.user)
        else:
            ctx.pop("history", None)
        return ctx

class AgreementCreateView(ScopedCreateView):
    model = Agreement
    form_class = AgreementForm
    template_name = "agreements/agreement_form.html"
    page_title = gettext_lazy("New agreement")

    def perform(self, form):
        return services.create_agreement(actor=self.request.user,
                                         municipality=self.get_municipality(),
                                         **form.service_data())


class AgreementUpdateView(ScopedUpdateView):
    model = Agreement
    form_class = AgreementForm
    template_name = "agreements/agreement_form.html"

    def perform(self, form):
        return services.update_agreement(self.object, actor=self.request.user,
                                         **form.service_data())


class AgreementDeleteView(ScopedDeleteView):
    model = Agreement

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_type"] = _("agreement")
        # What the apps above add (samverkan.plans: the number of activities).
        counts = {"activities": 0}
        hooks.extend_context("agreement_delete", counts, self.object, self.request.user)
        ctx["delete_warning"] = _(
            "Its %(focus)d focus areas, %(activities)d activities, %(forums)d forums and "
            "everything else it holds are deleted with it. This cannot be undone.") % {
            "focus": FocusArea.objects.filter(agreement=self.object).count(),
            "activities": counts["activities"],
            "forums": Forum.objects.filter(agreement=self.object).count(),
        }
        return ctx

    def get_success_url(self):
        return reverse("agreements:agreement_list")

    def perform(self, obj):
        services.delete_agreement(obj, actor=self.request.user)


# -- focus area and forum pages -----------------------------------------------------------------

class FocusAreaDetailView(ScopedDetailView):
    model = FocusArea
    template_name = "agreements/focusarea_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        focus_area = self.object
        labels = dict(PriorityCriterion.choices)
        ctx["criteria_labels"] = [labels.get(c, c) for c in focus_area.priority_criteria or ()]
        sub_goals = list(SubGoal.objects.visible_to(user).filter(focus_area=focus_area))
        siblings = list(FocusArea.objects.visible_to(user).filter(
            agreement=focus_area.agreement_id).only("pk", "number", "title"))
        index = next(i for i, fa in enumerate(siblings) if fa.pk == focus_area.pk)
        ctx.update({
            "agreement": focus_area.agreement,
            "definitions": Definition.objects.visible_to(user).filter(focus_area=focus_area),
            "practices": Practice.objects.visible_to(user).filter(focus_area=focus_area),
            "sub_goals": sub_goals,
            "activity_groups": [{"sub_goal": sg, "activities": []} for sg in sub_goals],
            "activities": [],
            "indicators": [],
            "previous_area": siblings[index - 1] if index > 0 else None,
            "next_area": siblings[index + 1] if index + 1 < len(siblings) else None,
            "activity_table_template": "agreements/_activity_table.html",
            "indicator_table_template": "agreements/_indicator_table.html",
            "styles_template": "",
        })
        # The plan's activities and indicators (samverkan.plans fills these in).
        hooks.extend_context("focus_area", ctx, focus_area, user)
        return ctx


class ForumDetailView(ScopedDetailView):
    model = Forum
    template_name = "agreements/forum_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update({
            "agreement": self.object.agreement,
            "members": list(ForumMember.objects.visible_to(user).filter(
                forum=self.object).select_related("organization")),
            "followup_entries": FollowUpEntry.objects.visible_to(user).filter(
                forum=self.object),
        })
        return ctx


# -- small forms for what an agreement holds ----------------------------------------------------

class ChildFormMixin:
    """Shared by the small create/update pages: breadcrumbs back to the agreement, and back to
    the page (and section) the coordinator came from."""

    template_name = "agreements/child_form.html"
    section = ""
    create_title = ""

    def parent_object(self):
        return getattr(self, "parent", None) or getattr(self.object, self.parent_field)

    def agreement_of(self, obj):
        while not isinstance(obj, Agreement):
            obj = getattr(obj, "agreement", None) or getattr(obj, "forum", None) \
                or obj.focus_area
        return obj

    def get_success_url(self):
        url = _safe_next(self.request)
        if url:
            return url
        parent = self.parent_object()
        anchor = f"#{self.section}" if self.section and isinstance(parent, Agreement) else ""
        return parent.get_absolute_url() + anchor

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        parent = self.parent_object()
        ctx["parent"] = parent
        ctx["agreement"] = self.agreement_of(parent)
        ctx["next_url"] = _safe_next(self.request) or ""
        ctx["cancel_url"] = ctx["next_url"] or parent.get_absolute_url() + (
            f"#{self.section}" if self.section and isinstance(parent, Agreement) else "")
        return ctx


class ChildCreateView(ChildFormMixin, ScopedCreateView):
    parent_model = Agreement
    parent_field = "agreement"
    create_service = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(**{self.parent_field: self.parent})
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = self.create_title
        return ctx

    def perform(self, form):
        return type(self).create_service(actor=self.request.user,
                                         **{self.parent_field: self.parent},
                                         **form.service_data())


class ChildUpdateView(ChildFormMixin, ScopedUpdateView):
    parent_field = "agreement"
    update_service = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Edit %(kind)s") % {"kind": self.model._meta.verbose_name}
        delete_url = reverse(f"agreements:{self.model._meta.model_name}_delete",
                             args=[self.object.pk])
        ctx["delete_url"] = f"{delete_url}?{self.request.GET.urlencode()}" \
            if self.request.GET.get("next") else delete_url
        return ctx

    def perform(self, form):
        return type(self).update_service(self.object, actor=self.request.user,
                                         **form.service_data())


class ChildDeleteView(ScopedDeleteView):
    parent_field = "agreement"
    delete_service = None
    section = ""

    def parent_object(self):
        return getattr(self.object, self.parent_field)

    def get_success_url(self):
        url = _safe_next(self.request)
        own_page = self.object.get_absolute_url()
        if url and not (type(self.object) in (FocusArea, Forum) and url.startswith(own_page)):
            return url
        parent = self.parent_object()
        anchor = f"#{self.section}" if self.section and isinstance(parent, Agreement) else ""
        return parent.get_absolute_url() + anchor

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_type"] = self.model._meta.verbose_name
        ctx["cancel_url"] = _safe_next(self.request) or self.object.get_absolute_url()
        return ctx

    def perform(self, obj):
        type(self).delete_service(obj, actor=self.request.user)


def child_views(model, form_class, *, create, update, delete, create_title, section,
                parent_model=Agreement, parent_field="agreement", delete_warning=None):
    """The create, update and delete views of one kind of record inside an agreement."""
    attrs = {"model": model, "form_class": form_class, "section": section,
             "parent_field": parent_field}
    create_view = type(f"{model.__name__}CreateView", (ChildCreateView,), {
        **attrs, "parent_model": parent_model, "create_service": staticmethod(create),
        "create_title": create_title})
    update_view = type(f"{model.__name__}UpdateView", (ChildUpdateView,), {
        **attrs, "update_service": staticmethod(update)})
    delete_attrs = {"model": model, "parent_field": parent_field, "section": section,
                    "delete_service": staticmethod(delete)}
    if delete_warning:
        def get_context_data(self, **kwargs):
            ctx = ChildDeleteView.get_context_data(self, **kwargs)
            ctx["delete_warning"] = delete_warning
            return ctx

        delete_attrs["get_context_data"] = get_context_data
    delete_view = type(f"{model.__name__}DeleteView", (ChildDeleteView,), delete_attrs)
    return create_view, update_view, delete_view


class FollowUpEntryFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agreement"] = self.parent_object()
        return kwargs


PartyCreateView, PartyUpdateView, PartyDeleteView = child_views(
    Party, PartyForm, create=services.add_party, update=services.update_party,
    delete=services.remove_party, create_title=gettext_lazy("Add a party"), section="parties")
SignatoryCreateView, SignatoryUpdateView, SignatoryDeleteView = child_views(
    Signatory, SignatoryForm, create=services.add_signatory, update=services.update_signatory,
    delete=services.remove_signatory, create_title=gettext_lazy("Add a signatory"),
    section="parties")
PriorityAreaCreateView, PriorityAreaUpdateView, PriorityAreaDeleteView = child_views(
    PriorityArea, PriorityAreaForm, create=services.add_priority_area,
    update=services.update_priority_area, delete=services.remove_priority_area,
    create_title=gettext_lazy("Add a priority area"), section="priority-areas")
DataSourceCreateView, DataSourceUpdateView, DataSourceDeleteView = child_views(
    DataSource, DataSourceForm, create=services.add_data_source,
    update=services.update_data_source, delete=services.remove_data_source,
    create_title=gettext_lazy("Add a data source"), section="data-sources")
_FollowUpCreate, _FollowUpUpdate, FollowUpEntryDeleteView = child_views(
    FollowUpEntry, FollowUpEntryForm, create=services.add_followup_entry,
    update=services.update_followup_entry, delete=services.remove_followup_entry,
    create_title=gettext_lazy("Add a follow-up plan entry"), section="followup")


class FollowUpEntryCreateView(FollowUpEntryFormMixin, _FollowUpCreate):
    pass


class FollowUpEntryUpdateView(FollowUpEntryFormMixin, _FollowUpUpdate):
    pass


FocusAreaCreateView, FocusAreaUpdateView, FocusAreaDeleteView = child_views(
    FocusArea, FocusAreaForm, create=services.create_focus_area,
    update=services.update_focus_area, delete=services.delete_focus_area,
    create_title=gettext_lazy("New focus area"), section="focus-areas",
    delete_warning=gettext_lazy("Its sub-goals, activities and indicators are deleted with "
                                "it. This cannot be undone."))
SubGoalCreateView, SubGoalUpdateView, SubGoalDeleteView = child_views(
    SubGoal, SubGoalForm, create=services.add_sub_goal, update=services.update_sub_goal,
    delete=services.remove_sub_goal, create_title=gettext_lazy("Add a sub-goal"),
    section="", parent_model=FocusArea, parent_field="focus_area",
    delete_warning=gettext_lazy("Its activities stay in the focus area without a sub-goal."))
ForumCreateView, ForumUpdateView, ForumDeleteView = child_views(
    Forum, ForumForm, create=services.create_forum, update=services.update_forum,
    delete=services.delete_forum, create_title=gettext_lazy("New forum"),
    section="organisation")
ForumMemberCreateView, ForumMemberUpdateView, ForumMemberDeleteView = child_views(
    ForumMember, ForumMemberForm, create=services.add_forum_member,
    update=services.update_forum_member, delete=services.remove_forum_member,
    create_title=gettext_lazy("Add a member"), section="", parent_model=Forum,
    parent_field="forum")


class AgreementFocusAreaFormMixin(FollowUpEntryFormMixin):
    """Forms whose focus-area choices are limited to the agreement's."""


CommitmentCreateView, CommitmentUpdateView, CommitmentDeleteView = child_views(
    Commitment, CommitmentForm, create=services.add_commitment,
    update=services.update_commitment, delete=services.remove_commitment,
    create_title=gettext_lazy("Add a joint commitment"), section="commitments")
_DefinitionCreate, _DefinitionUpdate, DefinitionDeleteView = child_views(
    Definition, DefinitionForm, create=services.add_definition,
    update=services.update_definition, delete=services.remove_definition,
    create_title=gettext_lazy("Add a term"), section="terms")
_PracticeCreate, _PracticeUpdate, PracticeDeleteView = child_views(
    Practice, PracticeForm, create=services.add_practice, update=services.update_practice,
    delete=services.remove_practice,
    create_title=gettext_lazy("Add a working method or routine"), section="practices")


class DefinitionCreateView(AgreementFocusAreaFormMixin, _DefinitionCreate):
    pass


class DefinitionUpdateView(AgreementFocusAreaFormMixin, _DefinitionUpdate):
    pass


class PracticeCreateView(AgreementFocusAreaFormMixin, _PracticeCreate):
    pass


class PracticeUpdateView(AgreementFocusAreaFormMixin, _PracticeUpdate):
    pass
